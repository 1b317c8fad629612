"""MkDocs hooks: translate MkDocs events into calls of the ``ratsdok`` core package and back.

Keep this file thin: no logic that is not about MkDocs lives here.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import posixpath
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from watchdog.observers.api import BaseObserver

sys.path.insert(0, str(Path(__file__).parent))

from corpus_watch import stop_watching, watch_corpus
from dirty_build import mark_outputs, quiet_stale_warnings
from nav_fragments import EVERY_TIME_VARIABLE, NavigationFragments
from page_workers import NOTHING_DELEGATED, DelegatedPages, delegate_pages
from ratsdok.body_settings import BodyConfigError, BodyInfo, body_info
from ratsdok.build_cache import CacheWrite, PageCache, build_fingerprint, cached_renders, code_digest
from ratsdok.catalog import Catalog, build_catalog, build_date
from ratsdok.clearing import clear_in_background
from ratsdok.compact import compact_html
from ratsdok.counts import german_number
from ratsdok.data_memos import DataMemos, made_ahead, memos_after
from ratsdok.exports import DOCUMENTS_EXPORT_URL, export_paths, export_url, plan_exports
from ratsdok.feeds import Feed, FeedConfigError, FeedLink, RenderedFeeds, check_feed_config, feed_links, plan_feeds, render_feed
from ratsdok.follow_up import NOTHING_FOLLOWS, FollowUp, NoFollowUp, collected_then_paused
from ratsdok.index_memo import IndexPagesMemo
from ratsdok.index_pages import plan_home
from ratsdok.linkcheck import PageLinks, find_broken_links, page_links
from ratsdok.load import Corpus, load_corpus
from ratsdok.model import Drucksache, Registers
from ratsdok.oparl import oparl_paths, plan_oparl
from ratsdok.page_plans import PagePlan, PagePlans, PageSettings
from ratsdok.pagefind_parts import PartSizeError, pages_per_part
from ratsdok.parallel import Pending, can_fork, in_second_process, when_asked, worker_count
from ratsdok.plan import plan_site
from ratsdok.redirects import redirect_page
from ratsdok.render import TocEntry, render_bodies
from ratsdok.search_index import BUNDLE_DIR, STASH_DIR, BackgroundIndex, IndexedSite, RunningIndex, SearchIndexError
from ratsdok.seo import robots_txt
from ratsdok.site_pages import SitePage
from ratsdok.site_record import NO_RECORD, SiteRecord, content_key, forget, previous_build, remember, remove_stale, write_outputs
from ratsdok.template_cache import TEMPLATES_FOLDER, TemplateCache

log = logging.getLogger("mkdocs.plugins.ratsdok")

HOOKS_DIR = Path(__file__).resolve().parent
# A page taken from the cache or rendered in a second process is rendered with this (empty) template; on_post_page
# puts its HTML in place.
CACHED_PAGE_TEMPLATE = "ratsdok-zwischengespeichert.html"
# What renders a page besides the hooks' code and the configuration (which the build fingerprint holds).
RENDERING_PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "MarkupSafe", "markdown-it-py")
# Settings that do not change what a page looks like (where the site is written or served).
_SETTINGS_NOT_RENDERED = frozenset({"config_file_path", "site_dir", "dev_addr", "watch", "strict"})
# Generated files other than pages are published as they are; set explicitly, MkDocs does not match each of the
# 47,000 paths (at 10,000 Drucksachen) against exclude_docs (set_exclusions: half a second per build).
PUBLISHED = InclusionLevel.INCLUDED
_EMPTY_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'


class _BuildState:
    corpus: Corpus
    catalog: Catalog
    pages: dict[str, SitePage]  # by src_uri
    feeds: list[Feed]
    feed_links: dict[str, FeedLink]  # by page URL
    plans: dict[str, PagePlan]  # by src_uri: made in on_files, what a page shows worked out when it is rendered
    page_cache: PageCache | None = None  # rendered pages of earlier builds, by page key
    page_plans: PagePlans | None = None  # mkdocs serve: the last build's plans of its pages (see _plan_pages)
    fingerprint: str  # what every page depends on besides its own inputs (ratsdok.build_cache)
    page_keys: dict[str, str]  # by src_uri: the key of each generated page in the page cache
    record: SiteRecord  # what the last --dirty build left in the site folder (ratsdok.site_record)
    output_keys: dict[str, str]  # by path in the site: what each generated output is made from (for the record)
    unchanged: dict[str, File]  # by src_uri: generated pages left as the last --dirty build wrote them
    files: Files
    cached_pages: dict[str, str]  # by src_uri: pages taken from the cache, returned in on_post_page
    links: dict[str, PageLinks]  # by the page's file in the site: its links, read in on_post_page
    root_path: str  # the path of site_url, where the site is served
    to_render: set[str]  # src_uri of the generated pages this build renders (not from the cache)
    nav: Any  # MkDocs' navigation, for rendering pages in a second process
    nav_fragments: NavigationFragments  # the navigation's HTML shared by pages that show it alike
    delegated: DelegatedPages = NOTHING_DELEGATED  # pages rendered in a second process (page_workers)
    data_files: Pending[dict[str, str]] | None = None  # the exports and OParl files, made and written by a second process
    data_paths: frozenset[str]  # the data files' paths in the site, known before they are made
    data_keys: dict[str, str]  # their content keys, once they are written (for the record of a --dirty build)
    data_after_preview: bool = False  # mkdocs serve: the data files are made after the preview shows the pages
    base_url: str  # site_url with its trailing slash, for absolute links
    feed_authority: str  # extra.feeds.kennung
    body: BodyInfo  # extra.koerperschaft


_state = _BuildState()
_clearing: list[subprocess.Popen[bytes]] = []  # deleting the contents of the site folder meanwhile
_dirty = False  # mkdocs build/serve --dirty: the site folder is not emptied before a build
_serving = False  # mkdocs serve: the search index is finished in the background
_background_index: BackgroundIndex | None = None
_follow_up: FollowUp | NoFollowUp = NOTHING_FOLLOWS  # mkdocs serve: the end of the last build, after its preview
_built_while_serving = False  # mkdocs serve: a build has run in this process (forking is unsafe after it)
# mkdocs serve: the exports and OParl objects of each Drucksache, as the last data files made in this process
_data_memos: DataMemos | None = None
_unwritten_caches: dict[Path, CacheWrite] = {}  # mkdocs serve: the newest content of each cache file not yet written
_index_pages = IndexPagesMemo()  # make serve: the last build's index pages (ratsdok.index_memo)
_rendered_feeds = RenderedFeeds()  # make serve: the last build's feeds
_corpus_observer: BaseObserver | None = None  # make serve: watches the Drucksachen (corpus_watch)
# mkdocs serve writes a cache with this many new entries after the preview shows the build's pages, one with fewer
# when it stops: rewriting the cache of 10,000 loaded files took 2 s per save, its loss costs reading a few files again.
WRITE_CACHE_AT_ONCE = 100
# ... unless a save came within this time after the preview showed: it waited for those 2 s (the first saves after a
# first build with an empty cache). The next follow-up without a save so soon writes it, or the server when it stops.
WRITE_CACHE_WHEN_QUIET_SECONDS = 5.0
RELOAD_FIRST_SECONDS = 1.0  # mkdocs serve: how long the follow-up of a build leaves the preview's reload alone


def corpus_dir(config: MkDocsConfig) -> Path:
    """``DRUCKSACHEN_DIR`` if set (relative to the working directory), else ``drucksachen/``."""
    configured = os.environ.get("DRUCKSACHEN_DIR")
    if configured:
        return Path(configured)
    return Path(config.config_file_path).parent / "drucksachen"


def cache_dir(config: MkDocsConfig) -> Path | None:
    """``RATSDOK_CACHE_DIR`` if set (empty: build without any cache), else the ignored ``.cache/ratsdok/``."""
    configured = os.environ.get("RATSDOK_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    return Path(config.config_file_path).parent / ".cache" / "ratsdok"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _follow_up.finish()  # mkdocs serve: the last build's follow-up uses what this build replaces
    if _dirty:
        # A --dirty rebuild (make serve) skips most pages: without the cycle collector scanning the millions of
        # objects of the archive (and, under serve, of the last build) again and again it takes a quarter less time.
        gc.disable()
    try:
        pages_per_part()  # read again when the search page is planned and the index built: a mistake stops here
    except PartSizeError as error:
        raise PluginError(str(error)) from error
    # Unchanged files, texts and pages come from content-keyed caches (ratsdok.load_cache, ratsdok.build_cache).
    cache = cache_dir(config)
    # The caches of loaded files and rendered texts are written by detached processes (half a second each at 10,000
    # files); the next build waits for them. Under mkdocs serve each next build takes them from memory, and they are
    # written later (_write_caches).
    later: list[CacheWrite] | None = [] if _serving else None
    corpus = load_corpus(corpus_dir(config), cache_dir=cache, save_in_background=True, keep_in_memory=_serving, later=later)
    for problem in corpus.problems:
        log.warning(str(problem))
    if corpus.problems and config.strict:
        # Fail before anything is written, so no half-published site can result.
        raise PluginError(f"{len(corpus.problems)} Problem(e) in den Drucksachen (siehe oben); es wurde nichts veröffentlicht.")
    # Configuration is read once per build, before anything is written; a mistake stops the build here.
    _state.base_url, _state.feed_authority = _feed_settings(config)
    try:
        _state.body = body_info(config.extra)
    except BodyConfigError as error:
        raise PluginError(str(error)) from error
    _state.corpus = corpus
    code = code_digest([HOOKS_DIR], RENDERING_PACKAGES)
    # New texts are rendered in two processes for a large archive.
    texts = [doc.body for doc in corpus.documents]
    bodies = cached_renders(texts, render_bodies, cache, code, save_in_background=True, keep_in_memory=_serving, later=later)
    _leave_unwritten(later or [])
    rendered = {doc.reference: body for doc, body in zip(corpus.documents, bodies, strict=True)}
    today = build_date()
    _state.catalog = build_catalog(corpus, lambda doc: rendered[doc.reference], today)
    _state.fingerprint = _fingerprint(config, code, today.isoformat())
    # mkdocs serve: the last build's cache hands over the links of the pages it knows.
    earlier = _state.page_cache if _serving else None
    _state.page_cache = PageCache.open(cache, _state.fingerprint, digested=(Drucksache, Registers), earlier=earlier) if cache else None
    if _state.page_cache is not None:
        _state.page_cache.know_digests(corpus.keyed_documents())  # a Drucksache's file key stands for it in page keys
    _state.page_keys = {}
    _state.record = NO_RECORD
    _state.output_keys = {}
    _state.unchanged = {}
    _state.cached_pages = {}
    _state.to_render = set()
    _state.links = {}
    _state.root_path = urlsplit(config.site_url or "").path
    _state.delegated = NOTHING_DELEGATED
    _state.data_files = None
    _state.data_paths = frozenset()
    _state.data_keys = {}
    if _dirty:
        # Nothing empties the site folder of a --dirty build: the data files' process starts now, beside the
        # planning, instead of in on_files (after one edit at 10,000 Drucksachen the build then waited 1.2 s for it).
        _state.record = _previous_record(config)
        _start_data_files(config)
    _state.pages = {page.src_uri: page for page in plan_site(_state.catalog, _index_pages if _serving else None)}
    _state.plans = {}
    _state.feeds = plan_feeds(_state.catalog, config.site_name)
    _state.feed_links = feed_links(_state.feeds)
    return config


def on_startup(command: str, dirty: bool) -> None:
    global _dirty, _serving
    _dirty, _serving = dirty, command == "serve"
    gc.unfreeze()  # what an earlier build in this process left frozen (see _freeze_what_lives)
    if dirty:
        quiet_stale_warnings()


def on_pre_build(config: MkDocsConfig) -> None:
    _stop_background_index()
    if not _dirty:
        site_dir = Path(config.site_dir)
        forget(site_dir)
        # MkDocs empties the site folder next: its old contents are moved aside and deleted while the build runs.
        _clear_in_background(site_dir)


def _previous_record(config: MkDocsConfig) -> SiteRecord:
    """A --dirty build's record of what the last one wrote into the site folder (none without a cache), which from
    now on no longer matches it (until this build has finished)."""
    cache, site_dir = cache_dir(config), Path(config.site_dir)
    record = previous_build(cache, site_dir) if cache is not None else NO_RECORD
    forget(site_dir)
    return record


def _clear_in_background(folder: Path) -> None:
    deleting = clear_in_background(folder)
    if deleting is not None:
        _clearing.append(deleting)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, page in _state.pages.items():
        if src_uri in files.src_uris:  # our paths are POSIX already (get_file_from_path: a PurePath per file)
            raise PluginError(f"docs/{src_uri} kollidiert mit der erzeugten Seite {page.url}")
        files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
    for doc in _state.catalog.documents:
        if doc.original is not None and not doc.original.is_url:
            source = Path(doc.source_path).parent / doc.original.location
            files.append(File.generated(config, doc.url + source.name, abs_src_path=str(source.resolve()), inclusion=PUBLISHED))
    for redirect in _state.corpus.redirects:
        _add_generated(files, config, f"{redirect.old}index.html", redirect_page(redirect))
    base_url = _state.base_url
    for feed in _state.feeds:
        if feed.url in files.src_uris:
            raise PluginError(f"docs/{feed.url} kollidiert mit dem erzeugten Feed")
        feed_xml = _rendered_feeds.render if _serving else render_feed
        _add_generated(files, config, feed.url, feed_xml(feed, _state.catalog, base_url=base_url, authority=_state.feed_authority))
    _add_generated(files, config, "robots.txt", robots_txt(base_url))
    if not _dirty:  # a --dirty build started them in on_config
        _start_data_files(config)
    _plan_pages(files, config)
    _state.data_paths = frozenset(export_paths(_state.catalog) | oparl_paths(_state.catalog))
    first: DataFile | None = None  # the others are made beside it
    for path in sorted(_state.data_paths):
        if path in files.src_uris:
            raise PluginError(f"docs/{path} kollidiert mit der erzeugten Datei")
        data_file = first.beside(path) if first is not None else DataFile.generated(config, path, content="", inclusion=PUBLISHED)
        first = first or data_file
        files.append(data_file)
    # Material's JavaScript takes every <link rel="alternate"> (feeds, JSON exports) for a language version and
    # fetches sitemap.xml beside it: an empty sitemap in each such folder answers instead of a 404 on every page view.
    alternate_folders = {posixpath.dirname(feed.url) for feed in _state.feeds} | {DOCUMENTS_EXPORT_URL.rstrip("/")}
    for folder in sorted(alternate_folders):
        _add_generated(files, config, f"{folder}/sitemap.xml", _EMPTY_SITEMAP)
    if _dirty and _state.page_cache is not None:
        _leave_unchanged(files)
    _state.files = files
    return files


def _start_data_files(config: MkDocsConfig) -> None:
    """Open data: JSON and CSV exports (/api/) and the OParl interface (/oparl/); each Drucksache page links its JSON.
    A second process makes them (at 10,000 documents 4 s and 7 s on one core) and writes them (36,000 files) while
    this one plans and renders the pages; the build waits for it after the pages (_finish_data_files). MkDocs knows
    them (links to them are checked, see on_files) but does not write them.
    Under mkdocs serve after the first build, forking is unsafe beside the server's threads: they are made after the
    preview shows the pages (_finish_site)."""
    global _built_while_serving
    after_preview = _state.data_after_preview = _serving and _built_while_serving and not can_fork()
    making = _data_files(config, recording=_dirty and _state.page_cache is not None, in_this_process=after_preview)
    _state.data_files = when_asked(making) if after_preview else in_second_process(making, len(_state.catalog.documents))
    _built_while_serving = _serving


def _data_files(config: MkDocsConfig, *, recording: bool, in_this_process: bool) -> Callable[[], dict[str, str]]:
    """Make and write the data files (those not in the site folder already); the path of each with its content's
    key for the record of a --dirty build (else ""). ``in_this_process``: what is made of each Drucksache is kept
    for the next build, which takes it where the Drucksache and those around it are unchanged."""
    catalog, body, base_url, site_dir, previous = _state.catalog, _state.body, _state.base_url, Path(config.site_dir), _state.record

    def make_and_write() -> dict[str, str]:
        global _data_memos
        exports_memo = oparl_memo = None
        if in_this_process:
            _data_memos = exports_memo, oparl_memo = memos_after(catalog, base_url, _data_memos)
        contents = plan_exports(catalog, base_url, exports_memo) | plan_oparl(catalog, base_url, body, config.site_name, oparl_memo)
        if exports_memo is not None and oparl_memo is not None:
            log.debug("Datendateien: Export und OParl-Objekte neu erzeugt für %d und %d Drucksache(n).", exports_memo.made, oparl_memo.made)
        keys = {path: content_key(content) if recording else "" for path, content in contents.items()}
        # Written before the keys are handed over: the pipe holds a fraction of them, and this process would wait
        # until the build asks for them (after its pages).
        write_outputs(site_dir, contents, keys, previous)
        return keys

    return make_and_write


class DataFile(File):
    """An export or OParl file: MkDocs knows it (links to it are checked), the data files' process writes it."""

    @property
    def src_path(self) -> str:
        return self.src_uri

    @src_path.setter
    def src_path(self, value: str) -> None:
        self.src_uri = value  # POSIX already: MkDocs normalises each path (0.4 s of 0.7 s for the 36,000 files)

    def beside(self, path: str) -> DataFile:
        """Another data file, as ``File.generated`` would make it: taking the configuration from this one and the
        destination as the path (reading them for each of the 36,000 files at 10,000 took half a second per build)."""
        other = DataFile(path, src_dir=None, dest_dir=self.dest_dir, use_directory_urls=self.use_directory_urls, dest_uri=path, inclusion=self.inclusion)
        other.generated_by = self.generated_by
        other.content_string = ""
        return other

    def copy_file(self, dirty: bool = False) -> None:
        pass

    def is_documentation_page(self) -> bool:
        return False  # JSON or CSV; MkDocs asks every file seven times per build (0.3 s for the 36,000 at 10,000)


def _add_generated(files: Files, config: MkDocsConfig, path: str, content: str) -> None:
    files.append(File.generated(config, path, content=content, inclusion=PUBLISHED))
    if _dirty and _state.page_cache is not None:
        _state.output_keys[path] = content_key(content)


def _plan_pages(files: Files, config: MkDocsConfig) -> None:
    """What each generated page shows and its key in the page cache (ratsdok.page_plans)."""
    settings = PageSettings(_state.base_url, _state.body, config.site_name)
    # mkdocs serve: the plans of the last build's Drucksache pages are taken again where nothing they show changed.
    plans = PagePlans(_state.catalog, settings, _state.page_cache, earlier=_state.page_plans if _serving else None, keep=_serving)
    if _serving:
        # Kept for the next build; a single build lets each view go once its page is rendered (on_page_context).
        _state.page_plans = plans
    for src_uri, planned in _state.pages.items():
        plan = plans.plan(planned, _state.feed_links.get(planned.url))
        if plan.key is not None:
            _state.page_keys[src_uri] = plan.key
            if _dirty:
                _state.output_keys[files.src_uris[src_uri].dest_uri] = f"{_state.fingerprint}:{plan.key}"
        _state.plans[src_uri] = plan
    plans.done()


def _leave_unchanged(files: Files) -> None:
    """--dirty: MkDocs neither reads nor writes what the last build left in the site folder and is still the same."""
    cache = _state.page_cache
    assert cache is not None
    for src_uri, (file, links) in mark_outputs(files, _state.record, _state.output_keys, _state.page_keys, cache.links).items():
        cache.keep(_state.page_keys[src_uri])
        _state.links[file.dest_uri] = links
        _state.unchanged[src_uri] = file
        del _state.plans[src_uri]


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    planned = _state.pages.get(page.file.src_uri)
    if planned is None:
        # Editorial pages have no document date; the start page changes with the newest document. Without any
        # document (every file has a problem) it takes the build date: MkDocs needs one page with a date.
        newest = _state.catalog.newest_change(_state.catalog.documents) if page.is_homepage else None
        page.update_date = (newest or _state.catalog.today).isoformat() if page.is_homepage else ""
        return markdown
    head = _state.plans[page.file.src_uri].head
    # Jinja does not autoescape here: title and description reach <title> and <meta> as they are.
    page.meta = {"template": planned.template, "title": html.escape(planned.title), "description": html.escape(head.description)}
    page.update_date = _sitemap_date(planned)
    # MkDocs would set up a Python-Markdown converter for the empty text (3 s for 10,000 pages, on one core).
    page.render = partial(_render_empty_text, page)  # type: ignore[method-assign]
    return ""


def _render_empty_text(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What ``Page.render`` gives a page without Markdown text (the hooks fill in content and TOC)."""
    page.content = ""
    page.toc = TableOfContents([])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _sitemap_date(planned: SitePage) -> str:
    """The sitemap's lastmod: the date of the content, not of the build."""
    return planned.updated.isoformat() if planned.updated else ""


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    planned = _state.pages.get(page.file.src_uri)
    if planned is None:
        return content
    page.toc = TableOfContents([_anchor_link(entry) for entry in planned.toc])
    key = _state.page_keys.get(page.file.src_uri)
    cached = _state.page_cache.get(key) if _state.page_cache is not None and key is not None else None
    if cached is not None:
        _state.cached_pages[page.file.src_uri] = cached
        del _state.plans[page.file.src_uri]
        page.meta["template"] = CACHED_PAGE_TEMPLATE
        return ""
    _state.to_render.add(page.file.src_uri)
    view = _state.plans[page.file.src_uri].view
    return view.body_html if view is not None else ""


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    planned = _state.pages.get(page.file.src_uri)
    if page.file.src_uri in _state.cached_pages or page.file.src_uri in _state.delegated.pending:
        _state.plans.pop(page.file.src_uri, None)
        return context
    context["navigationsschluessel"] = _state.nav_fragments.key(page)
    if planned is not None:
        plan = _state.plans.pop(page.file.src_uri)
        context["seite"] = planned
        context["daten"] = plan.view if planned.reference else planned.data
        context["datenexport"] = export_url(_state.catalog.by_reference[planned.reference]) if planned.reference else None
        context["kopfdaten"] = plan.head
    elif page.is_homepage:
        context["startseite"] = plan_home(_state.catalog)
    # The start page and the committee, faction and topic pages announce their feed (overrides/main.html).
    context["feed"] = _state.feed_links.get(page.url)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    src_uri, path = page.file.src_uri, page.file.dest_uri
    if src_uri in _state.delegated.pending:
        # The second process writes this page and puts it in the cache; its links (and key) are taken on collecting.
        return ""
    key = _state.page_keys.pop(src_uri, None)
    cache = _state.page_cache
    links = None
    if src_uri in _state.cached_pages:
        output = _state.cached_pages.pop(src_uri)
        links = cache.links(key) if cache is not None and key is not None else None
    else:
        output = compact_html(output)
        if cache is not None and key is not None:
            cache.put(key, output)
    # The links are read from the text in memory, or known from an earlier build of the same page: the link check
    # after the build reads only the other files.
    if links is None:
        links = page_links(path, output, _state.root_path)
    if cache is not None and key is not None:
        cache.put_links(key, links)
    _state.links[path] = links
    return output


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    _state.nav = nav
    return nav


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    if not _dirty:
        # What is planned now stays to the end: the collections while pages are rendered (here and in the forked
        # second process) need not scan it again and again.
        _freeze_what_lives()
    cache = cache_dir(config)
    if cache is not None:
        env.bytecode_cache = TemplateCache.open(cache / TEMPLATES_FOLDER)
    env.filters["zahl"] = german_number  # counts in the templates: "10.000 Drucksachen"
    _state.nav_fragments = NavigationFragments(_state.nav, config, enabled=not os.environ.get(EVERY_TIME_VARIABLE))
    env.globals["navigationsteil"] = _state.nav_fragments.fragment
    # Every page is read and planned now: every second generated page to render is rendered and written meanwhile by
    # a second process (MkDocs renders on one core).
    for src_uri, file in _state.unchanged.items():
        assert file.page is not None
        file.page.update_date = _sitemap_date(_state.pages[src_uri])
    pending = [file.page for file in files.documentation_pages() if file.page is not None and file.src_uri in _state.to_render]
    if worker_count(len(pending)) > 1 and can_fork():
        # Every second page: heavy and light pages (listings, Drucksachen) are shared alike.
        others = pending[1::2]
        _state.delegated = delegate_pages(others, _state.nav, files, config, env, gather=lambda page: _state.links.pop(page.file.dest_uri))
        for page in others:
            page.meta["template"] = CACHED_PAGE_TEMPLATE
    return env


def on_build_error(error: Exception) -> None:
    gc.enable()
    _state.delegated.stop()
    if _state.data_files is not None:
        _state.data_files.stop()


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    global _corpus_observer
    _corpus_observer = watch_corpus(server, corpus_dir(config))
    return server


def on_post_build(config: MkDocsConfig) -> None:
    global _background_index, _follow_up
    site_dir, cache = Path(config.site_dir), cache_dir(config)
    # The link check and Pagefind read what the second processes write. Pagefind's memory would come on top of the
    # data files' process: it starts once they are written (under mkdocs serve, after the first build they follow
    # the preview, see _finish_site).
    _collect_delegated_pages()
    pruned = _prune_while_data_files_are_made()
    data_keys = {} if _state.data_after_preview else _finish_data_files()
    recording = _dirty and cache is not None
    written = [file.dest_uri for file in _state.files] if recording else []
    if recording:
        remove_stale(site_dir, _state.record, written)
    indexing = _start_index(site_dir, cache, known_pages=_state.output_keys if recording else None)
    if _serving:
        # The preview shows the changed pages at once; its search, and the rest of the build, follow.
        if indexing is not None:
            _background_index = BackgroundIndex(indexing, _report_index)
            log.info("Suchindex wird im Hintergrund erstellt; die Suche der Vorschau folgt in Kürze.")
        record = cache if recording else None
        _follow_up = FollowUp(partial(_finish_site, site_dir, record, written), _report_follow_up)
        _report_build()
        return
    try:
        _check_links(site_dir, _state.links)
    except BaseException:
        if indexing is not None:
            indexing.stop()
        raise
    if _state.page_cache is not None and not pruned:
        _state.page_cache.prune()  # while Pagefind works: every page and its links are known now
    if indexing is not None:
        try:
            indexed = indexing.finish()
        except SearchIndexError as error:
            raise PluginError(str(error)) from error
        _report_index(indexed)
    _report_build()
    if recording:
        remember(cache, site_dir, _state.output_keys | data_keys, written)


def _prune_while_data_files_are_made() -> bool:
    """Prune the page cache (every page and its links are known) while the build would only wait for the data
    files' process: after one edit that process takes longer than the pages (a --dirty rebuild at 10,000: 4.5 s
    against 2.5 s), and pruning otherwise shares the processor with Pagefind. Whether it was pruned."""
    making = _state.data_files
    if _serving or _state.page_cache is None or making is None or making.ready():
        return False
    _state.page_cache.prune()
    return True


def _start_index(site_dir: Path, cache: Path | None, known_pages: dict[str, str] | None) -> RunningIndex | None:
    """Pagefind in its own process (the cache keeps its files for the next run); None without any Drucksache."""
    if not _state.corpus.documents:
        # Every file has a problem (a non-strict build or make serve): Pagefind cannot index nothing.
        shutil.rmtree(site_dir / BUNDLE_DIR, ignore_errors=True)
        log.info("Keine Drucksache veröffentlicht: Die Suche bleibt leer, bis eine Drucksache ohne Problem vorliegt.")
        return None
    stash = cache / STASH_DIR if cache else None
    indexing = RunningIndex(site_dir, yielding=_serving, stash=stash, known_pages=known_pages)
    if not _serving:
        indexing.wait_for_plan()  # then Pagefind works while the links are checked
    return indexing


def _check_links(site_dir: Path, links: dict[str, PageLinks]) -> None:
    for broken in find_broken_links(site_dir, _state.root_path, skip=(BUNDLE_DIR,), checked=links):
        log.warning(str(broken))


def _report_build() -> None:
    """What the build did; the end of its work in this process (the collector runs again, under mkdocs serve once
    the preview's reload is served: see _finish_site)."""
    if _state.delegated.count:
        log.info("%d Seite(n) in einem zweiten Prozess erzeugt.", _state.delegated.count)
    if _state.page_cache is not None:
        log.info("Seiten-Zwischenspeicher: %d Seite(n) unverändert übernommen, %d neu erzeugt.", _state.page_cache.hits, _state.page_cache.misses)
    corpus = _state.corpus
    log.info(
        "%d Drucksache(n) veröffentlicht, dazu %d Verzeichnis- und Suchseite(n) (%d Datei(en) geprüft, %d Problem(e)).",
        len(corpus.documents),
        len(_state.pages) - len(corpus.documents),
        corpus.files_seen,
        len(corpus.problems),
    )
    while _clearing:
        _clearing.pop().wait()
    if not _serving:
        gc.enable()


def _finish_site(site_dir: Path, record_in: Path | None, written: list[str], hurry: threading.Event) -> None:
    """mkdocs serve, after the preview shows the build's pages: its data files (see on_files), the record of the
    site folder (in ``record_in``), the page cache's upkeep; then, unless the next build is waiting (``hurry``), the
    link check (the next build checks the links again), after the server's first build what the next build's data
    files are made of (ratsdok.data_memos), and the caches with many new entries once the editor had the preview
    for ``WRITE_CACHE_WHEN_QUIET_SECONDS`` without saving again."""
    global _data_memos
    shown = time.monotonic()
    # The preview's reload is served first: while this work runs, and while the collector frees the last build
    # (the first collection after a --dirty build takes 1–2 s at 10,000 Drucksachen), the server's thread waits.
    hurry.wait(timeout=RELOAD_FIRST_SECONDS)
    with collected_then_paused():
        data_keys = _finish_data_files()
        if record_in is not None:
            remember(record_in, site_dir, _state.output_keys | data_keys, written)
        if _state.page_cache is not None:
            # It keeps the links of the pages (a page whose links are unknown is rendered again), in memory for the
            # next build; its file is written with the other caches.
            later: list[CacheWrite] = []
            _state.page_cache.prune(later)
            _leave_unwritten(later)
        if not hurry.is_set():
            _check_links(site_dir, _state.links)
        if not _state.data_after_preview:
            # This build's data files came from the second process (the server's first build): the next build's are
            # made with what is made now, until that build begins.
            _data_memos = made_ahead(_state.catalog, _state.base_url, _data_memos, stop=hurry.is_set)
            log.debug("Datendateien: Export und OParl-Objekte vorab erzeugt für %d Drucksache(n).", _data_memos[0].made)
        if not hurry.wait(timeout=max(0.0, shown + WRITE_CACHE_WHEN_QUIET_SECONDS - time.monotonic())):
            _write_caches(at_least=WRITE_CACHE_AT_ONCE)


def _leave_unwritten(writes: list[CacheWrite]) -> None:
    """mkdocs serve: ``writes`` to be done by ``_write_caches``, each in place of the last one of its file."""
    for write in writes:
        _unwritten_caches[write.file] = write.after(_unwritten_caches.get(write.file))


def _write_caches(at_least: int = 0) -> None:
    """mkdocs serve: write the caches left unwritten with at least ``at_least`` new entries."""
    for file, write in list(_unwritten_caches.items()):
        if write.new_entries >= at_least:
            del _unwritten_caches[file]
            write.write()


def _report_follow_up(error: Exception) -> None:
    log.error("Die Vorschau ist unvollständig: %s", error)


def _collect_delegated_pages() -> None:
    """Wait for the pages of the second process (the link check and Pagefind read them) and take their links."""
    for src_uri, links in _state.delegated.collect().items():
        _state.links[_state.files.src_uris[src_uri].dest_uri] = links
        key = _state.page_keys.pop(src_uri, None)
        if _state.page_cache is not None and key is not None:
            _state.page_cache.put_links(key, links)


def _finish_data_files() -> dict[str, str]:
    """Wait until the data files are made and written; their content keys by path (for the record of a --dirty
    build, else none)."""
    making, _state.data_files = _state.data_files, None
    if making is None:
        return _state.data_keys
    try:
        keys = making.result()
    except OSError as error:
        raise PluginError(f"Die Datendateien (Exporte, OParl) konnten nicht geschrieben werden: {error}") from error
    if keys.keys() != _state.data_paths:
        differing = sorted(keys.keys() ^ _state.data_paths)
        raise PluginError(f"Die Datendateien weichen von den angekündigten ab ({len(differing)}, z. B. {differing[0]}).")
    _state.data_keys = {path: key for path, key in keys.items() if key}
    return _state.data_keys


def on_shutdown() -> None:
    stop_watching(_corpus_observer)
    _follow_up.finish()
    _write_caches()
    _stop_background_index()
    # The process ends: the collection at its exit would scan everything once more (1.5 s at 10,000 Drucksachen).
    _freeze_what_lives()


def _freeze_what_lives() -> None:
    """Leave the objects that exist now out of every later collection (gc.freeze), except under make serve: there
    each build replaces the last one, whose cycles (MkDocs' navigation) must be collected."""
    if not _serving:
        gc.freeze()


def _report_index(result: IndexedSite | SearchIndexError) -> None:
    if isinstance(result, SearchIndexError):
        log.error(str(result))
    else:
        parts = f" ({result.parts} Teile, {result.parts_taken} davon unverändert übernommen)" if result.parts > 1 else ""
        log.info("Suchindex: %d Seite(n) in %.1f s indiziert%s.", result.pages, result.seconds, parts)


def _stop_background_index() -> None:
    global _background_index
    if _background_index is not None:
        _background_index.stop()
        _background_index = None


def _fingerprint(config: MkDocsConfig, code: bytes, today: str) -> str:
    """What every page's HTML depends on besides its own inputs (see ratsdok.build_cache)."""
    settings: dict[str, object] = {name: value for name, value in config.items() if name not in _SETTINGS_NOT_RENDERED}
    settings["config_file"] = Path(config.config_file_path).read_bytes()
    folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    return build_fingerprint(settings=settings, code=code + code_digest(folders, ()), build_date=today)


def _feed_settings(config: MkDocsConfig) -> tuple[str, str]:
    """``site_url`` (absolute links in feeds) and ``extra.feeds.kennung`` (the tag authority of feed ids)."""
    feeds = config.extra.get("feeds")
    authority = str(feeds.get("kennung", "")) if isinstance(feeds, dict) else ""
    try:
        return check_feed_config(config.site_url or "", authority), authority
    except FeedConfigError as error:
        raise PluginError(str(error)) from error


def _anchor_link(entry: TocEntry) -> AnchorLink:
    link = AnchorLink(html.escape(entry.title), entry.anchor, entry.level)
    link.children = [_anchor_link(child) for child in entry.children]
    return link
