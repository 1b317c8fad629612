"""Render and write part of the pages in a second process while MkDocs renders the others.

MkDocs renders its pages one after another on one core; the theme templates are about half of a large build. When
``on_env`` runs, every page has been read and planned, so every second page is rendered meanwhile in a forked copy of
the build, the way MkDocs' page loop renders a page (the template context, the ``page_context`` and ``post_page``
events, the page's template), and written into the site folder there. MkDocs renders these pages with an empty
template and the hooks give it no output to write (its note that it skipped them is not shown). After the page loop
``collect`` waits for the second process and returns what ``gather`` took from its state after each page (the page's
links); warnings the second process logged are logged again here, so ``--strict`` sees them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file
from ratsdok.parallel import Pending, in_forked_process

log = logging.getLogger("mkdocs.plugins.ratsdok")


@dataclass
class DelegatedPages:
    pending: set[str]  # src_uri of the pages the second process renders and writes
    rendering: Pending[tuple[dict[str, Any], list[str]]] | None

    @property
    def count(self) -> int:
        return len(self.pending)

    def collect(self) -> dict[str, Any]:
        """Wait until the second process has written its pages; what ``gather`` took from each, by ``src_uri``."""
        if self.rendering is None:
            return {}
        rendering, self.rendering = self.rendering, None
        try:
            gathered, warnings = rendering.result()
        except Exception as error:  # the page's error, or the second process ended without a result
            raise PluginError(f"Die Seiten des zweiten Prozesses fehlen: {error}") from error
        finally:
            _BUILD_LOG.removeFilter(self._quiet_skipped)
        for warning in warnings:
            log.warning(warning)
        return gathered

    def stop(self) -> None:
        """The build failed: do not wait for the second process."""
        if self.rendering is not None:
            self.rendering.stop()
            self.rendering = None
            _BUILD_LOG.removeFilter(self._quiet_skipped)

    def _quiet_skipped(self, record: logging.LogRecord) -> bool:
        """MkDocs notes each page it does not write; these pages the second process writes."""
        message = str(record.msg)
        return not (message.startswith(_SKIPPED) and message[len(_SKIPPED) :].split("'", 1)[0] in self.pending)


NOTHING_DELEGATED = DelegatedPages(set(), None)
_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
_SKIPPED = "Page skipped: '"  # MkDocs' note on a page whose output is empty


def delegate_pages(
    pages: list[Page], nav: Any, files: Files, config: MkDocsConfig, env: Any, gather: Callable[[Page], Any]
) -> DelegatedPages:
    """Start rendering and writing ``pages`` in a forked process (it inherits all it needs, nothing is pickled); the
    caller gives them an empty template afterwards and no output in ``on_post_page``."""
    if not pages:
        return NOTHING_DELEGATED
    templates = [page.meta.get("template", "main.html") for page in pages]
    rendering = in_forked_process(lambda: _render(pages, templates, gather, nav, files, config, env))
    delegated = DelegatedPages({page.file.src_uri for page in pages}, rendering)
    _BUILD_LOG.addFilter(delegated._quiet_skipped)
    return delegated


def _render(
    pages: list[Page], templates: list[str], gather: Callable[[Page], Any], nav: Any, files: Files, config: MkDocsConfig, env: Any
) -> tuple[dict[str, Any], list[str]]:
    warnings = _WarningRecorder()
    logging.getLogger("mkdocs").handlers = [warnings]  # this process only: the build logs them once, see collect()
    doc_files = files.documentation_pages()
    gathered = {}
    for page, template in zip(pages, templates, strict=True):
        page.active = True  # as in MkDocs' page loop: the navigation marks the current page
        try:
            context = get_context(nav, doc_files, config, page)
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            output = env.get_template(template).render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
            write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)  # as MkDocs does
            gathered[page.file.src_uri] = gather(page)
        except Exception as error:
            raise RuntimeError(f"Fehler beim Erzeugen der Seite {page.file.src_uri}: {error}") from error
        finally:
            page.active = False
    return gathered, warnings.messages


class _WarningRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
