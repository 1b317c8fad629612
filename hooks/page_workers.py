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
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

log = logging.getLogger("mkdocs.plugins.ratsdok")


@dataclass
class _Job:
    """What the forked process needs; it inherits this object, so nothing of it is pickled."""

    pages: list[Page]
    templates: list[str]
    gather: Callable[[Page], Any]
    nav: Any
    files: Files
    config: MkDocsConfig
    env: Any


_job: _Job | None = None


@dataclass
class DelegatedPages:
    pending: set[str]  # src_uri of the pages the second process renders and writes
    count: int  # how many pages the second process renders
    future: Future[tuple[dict[str, Any], list[str]]] | None
    pool: ProcessPoolExecutor | None

    def collect(self) -> dict[str, Any]:
        """Wait until the second process has written its pages; what ``gather`` took from each, by ``src_uri``."""
        if self.future is None or self.pool is None:
            return {}
        try:
            gathered, warnings = self.future.result()
        except Exception as error:  # the page's error, or the second process ended without a result
            raise PluginError(f"Die Seiten des zweiten Prozesses fehlen: {error}") from error
        finally:
            self.pool.shutdown()
            _BUILD_LOG.removeFilter(self._quiet_skipped)
            self.future = self.pool = None
        for warning in warnings:
            log.warning(warning)
        return gathered

    def stop(self) -> None:
        """The build failed: do not wait for the second process."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            _BUILD_LOG.removeFilter(self._quiet_skipped)

    def _quiet_skipped(self, record: logging.LogRecord) -> bool:
        """MkDocs notes each page it does not write; these pages the second process writes."""
        message = str(record.msg)
        return not (message.startswith(_SKIPPED) and message[len(_SKIPPED) :].split("'", 1)[0] in self.pending)


NOTHING_DELEGATED = DelegatedPages(set(), 0, None, None)
_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
_SKIPPED = "Page skipped: '"  # MkDocs' note on a page whose output is empty


def delegate_pages(
    pages: list[Page], nav: Any, files: Files, config: MkDocsConfig, env: Any, gather: Callable[[Page], Any]
) -> DelegatedPages:
    """Start rendering and writing ``pages`` in a forked process; the caller gives them an empty template afterwards
    and no output in ``on_post_page``."""
    global _job
    if not pages:
        return NOTHING_DELEGATED
    _job = _Job(pages, [page.meta.get("template", "main.html") for page in pages], gather, nav, files, config, env)
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    future = pool.submit(_render_job)  # the process forks here and inherits _job
    _job = None
    delegated = DelegatedPages({page.file.src_uri for page in pages}, len(pages), future, pool)
    _BUILD_LOG.addFilter(delegated._quiet_skipped)
    return delegated


def _render_job() -> tuple[dict[str, Any], list[str]]:
    job = _job
    assert job is not None
    warnings = _WarningRecorder()
    logging.getLogger("mkdocs").handlers = [warnings]  # this process only: the build logs them once, see output()
    doc_files = job.files.documentation_pages()
    gathered = {}
    for page, template in zip(job.pages, job.templates, strict=True):
        page.active = True  # as in MkDocs' page loop: the navigation marks the current page
        try:
            context = get_context(job.nav, doc_files, job.config, page)
            context = job.config.plugins.on_page_context(context, page=page, config=job.config, nav=job.nav)
            output = job.env.get_template(template).render(context)
            output = job.config.plugins.on_post_page(output, page=page, config=job.config)
            write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)  # as MkDocs does
            gathered[page.file.src_uri] = job.gather(page)
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
