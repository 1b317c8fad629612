"""Render part of the pages in a second process while MkDocs renders the others.

MkDocs renders its pages one after another on one core; the theme templates are about half of a large build. When
``on_env`` runs, every page has been read and planned, so the pages MkDocs would render last are rendered meanwhile in
a forked copy of the build, the way MkDocs' page loop renders a page (the template context, the ``page_context`` and
``post_page`` events, the page's template). MkDocs then renders them with an empty template and the hooks put the HTML
from the second process in its place, with what ``gather`` took from the second process's state after each page.
Warnings the second process logs are logged again here, so ``--strict`` sees them.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

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
    pending: set[str]  # src_uri of the pages the second process renders and MkDocs has not yet reached
    count: int  # how many pages the second process renders
    future: Future[tuple[dict[str, tuple[str, Any]], list[str]]] | None
    pool: ProcessPoolExecutor | None
    outputs: dict[str, tuple[str, Any]] = field(default_factory=dict)
    collected: bool = False

    def output(self, src_uri: str) -> tuple[str, Any]:
        """The HTML the second process rendered for this page and what ``gather`` took (waits the first time)."""
        if not self.collected:
            self.collected = True
            assert self.future is not None and self.pool is not None
            try:
                self.outputs, warnings = self.future.result()
            except Exception as error:  # the page's error, or the second process ended without a result
                raise PluginError(f"Die Seiten des zweiten Prozesses fehlen: {error}") from error
            finally:
                self.pool.shutdown()
            for warning in warnings:
                log.warning(warning)
        self.pending.discard(src_uri)
        return self.outputs.pop(src_uri)

    def stop(self) -> None:
        """The build failed: do not wait for the second process."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


NOTHING_DELEGATED = DelegatedPages(set(), 0, None, None, collected=True)


def delegate_pages(
    pages: list[Page], nav: Any, files: Files, config: MkDocsConfig, env: Any, gather: Callable[[Page], Any]
) -> DelegatedPages:
    """Start rendering ``pages`` in a forked process; the caller gives them an empty template afterwards."""
    global _job
    if not pages:
        return NOTHING_DELEGATED
    _job = _Job(pages, [page.meta.get("template", "main.html") for page in pages], gather, nav, files, config, env)
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    future = pool.submit(_render_job)  # the process forks here and inherits _job
    _job = None
    return DelegatedPages({page.file.src_uri for page in pages}, len(pages), future, pool)


def _render_job() -> tuple[dict[str, tuple[str, Any]], list[str]]:
    job = _job
    assert job is not None
    warnings = _WarningRecorder()
    logging.getLogger("mkdocs").handlers = [warnings]  # this process only: the build logs them once, see output()
    doc_files = job.files.documentation_pages()
    outputs = {}
    for page, template in zip(job.pages, job.templates, strict=True):
        page.active = True  # as in MkDocs' page loop: the navigation marks the current page
        try:
            context = get_context(job.nav, doc_files, job.config, page)
            context = job.config.plugins.on_page_context(context, page=page, config=job.config, nav=job.nav)
            output = job.env.get_template(template).render(context)
            output = job.config.plugins.on_post_page(output, page=page, config=job.config)
            outputs[page.file.src_uri] = output, job.gather(page)
        except Exception as error:
            raise RuntimeError(f"Fehler beim Erzeugen der Seite {page.file.src_uri}: {error}") from error
        finally:
            page.active = False
    return outputs, warnings.messages


class _WarningRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
