"""MkDocs hooks: translate MkDocs events into calls of the ``ratsdok`` core package and back.

Keep this file thin: no logic that is not about MkDocs lives here.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

sys.path.insert(0, str(Path(__file__).parent))

from ratsdok.load import Corpus, load_corpus
from ratsdok.pages import DRUCKSACHE_TEMPLATE, DocumentViews, DrucksacheView, PagePlan, plan_document_pages
from ratsdok.render import TocEntry

log = logging.getLogger("mkdocs.plugins.ratsdok")


class _BuildState:
    corpus: Corpus
    views: DocumentViews
    plans: dict[str, PagePlan]  # by src_uri
    pending: dict[str, DrucksacheView]  # rendered in on_page_markdown, used until on_page_context


_state = _BuildState()


def corpus_dir(config: MkDocsConfig) -> Path:
    """``DRUCKSACHEN_DIR`` if set (relative to the working directory), else ``drucksachen/``."""
    configured = os.environ.get("DRUCKSACHEN_DIR")
    if configured:
        return Path(configured)
    return Path(config.config_file_path).parent / "drucksachen"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    corpus = load_corpus(corpus_dir(config))
    for problem in corpus.problems:
        log.warning(str(problem))
    if corpus.problems and config.strict:
        # Fail before anything is written, so no half-published site can result.
        raise PluginError(
            f"{len(corpus.problems)} Problem(e) in den Drucksachen (siehe oben); es wurde nichts veröffentlicht."
        )
    _state.corpus = corpus
    _state.views = DocumentViews(corpus)
    _state.plans = {plan.src_uri: plan for plan in plan_document_pages(corpus)}
    _state.pending = {}
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, plan in _state.plans.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} kollidiert mit der Seite der Drucksache {plan.document.reference}")
        files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        original = plan.document.original
        if original is not None and not original.is_url:
            source = Path(plan.document.source_path).parent / original.location
            files.append(File.generated(config, plan.url + source.name, abs_src_path=str(source.resolve())))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    plan = _state.plans.get(page.file.src_uri)
    if plan is None:
        return markdown
    view = _state.views.view(plan.document)
    _state.pending[page.file.src_uri] = view
    # Jinja does not autoescape here: the title reaches <title> and the header as it is.
    page.meta = {"template": DRUCKSACHE_TEMPLATE, "title": html.escape(view.page_title)}
    return ""


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    view = _state.pending.get(page.file.src_uri)
    if view is None:
        return content
    page.toc = TableOfContents([_anchor_link(entry) for entry in view.toc])
    return view.body.html


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    view = _state.pending.pop(page.file.src_uri, None)
    if view is not None:
        context["drucksache"] = view
    return context


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    server.watch(str(corpus_dir(config)))
    return server


def on_post_build(config: MkDocsConfig) -> None:
    corpus = _state.corpus
    log.info(
        "%d Drucksache(n) veröffentlicht (%d Datei(en) geprüft, %d Problem(e)).",
        len(corpus.documents),
        corpus.files_seen,
        len(corpus.problems),
    )


def _anchor_link(entry: TocEntry) -> AnchorLink:
    link = AnchorLink(html.escape(entry.title), entry.anchor, entry.level)
    link.children = [_anchor_link(child) for child in entry.children]
    return link
