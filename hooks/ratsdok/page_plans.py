"""What each generated page shows besides its template: head metadata, a Drucksache's view, its page-cache key.

Under ``mkdocs serve`` a save changes one Drucksache, yet planning every page again took 4.5 s of each save at
10,000. A Drucksache page's plan is made only from the page, its feed, the Drucksachen around it
(``ratsdok.document_memo``) and what every page shares (the settings, the registers, the build date, whether pages
are cached); ``PagePlans`` takes the last build's plan of a page again while all of that is equal. Index pages
are planned every time: each lists many Drucksachen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .body_settings import BodyInfo
from .build_cache import PageCache
from .catalog import Catalog
from .document_memo import DocumentMemo
from .document_pages import DrucksacheView, document_view
from .model import Drucksache
from .seo import HeadMetadata, plan_head
from .site_pages import SitePage


@dataclass(frozen=True, slots=True)
class PageSettings:
    base_url: str  # site_url with its trailing slash
    publisher: BodyInfo
    site_name: str


@dataclass(frozen=True, slots=True)
class PagePlan:
    head: HeadMetadata
    view: DrucksacheView | None  # for a Drucksache page
    key: str | None  # in the page cache (None without one)


def plan_page(page: SitePage, catalog: Catalog, settings: PageSettings, feed_link: object, cache: PageCache | None) -> PagePlan:
    head = plan_head(page, catalog, base_url=settings.base_url, publisher=settings.publisher, site_name=settings.site_name)
    view = document_view(catalog, page.data) if page.reference else None
    key = cache.key((page.src_uri, page, view, head, feed_link)) if cache is not None else None
    return PagePlan(head, view, key)


class PagePlans:
    """The plans of one build's pages; ``earlier``: those of the last build in this process (mkdocs serve), whose
    Drucksache pages' plans are taken again where the page, its feed and the Drucksachen around it
    (ratsdok.document_memo) are equal."""

    def __init__(self, catalog: Catalog, settings: PageSettings, cache: PageCache | None, *, earlier: PagePlans | None = None, keep: bool = True) -> None:
        """``keep``: False when no later build will take these plans (see DocumentMemo)."""
        self._catalog, self._settings, self._cache = catalog, settings, cache
        last = earlier._documents if earlier is not None else None
        self._documents: DocumentMemo[PagePlan] = DocumentMemo(catalog, (settings, cache is not None), last, keep=keep)
        self._index_pages = 0

    @property
    def made(self) -> int:
        """Plans made in this build (not taken from the last)."""
        return self._index_pages + self._documents.made

    def plan(self, page: SitePage, feed_link: object) -> PagePlan:
        def make() -> PagePlan:
            return plan_page(page, self._catalog, self._settings, feed_link, self._cache)

        if not isinstance(page.data, Drucksache):
            self._index_pages += 1
            return make()
        # The page holds the document and its table of contents, which names its mentions.
        return self._documents.get(page.data, make, also=(page, feed_link))

    def done(self) -> None:
        """Planning is over: the last build's plans are let go."""
        self._documents.done()
