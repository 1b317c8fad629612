"""What each generated page shows besides its template: head metadata, a Drucksache's view, its page-cache key.

A Drucksache page's key is made from what the page is made from (the page, its feed, the Drucksachen around it,
the registers; the build fingerprint holds the rest), not from what it shows: a ``--dirty`` rebuild leaves nearly
every page as the last build wrote it, and working out what 10,000 pages show only to key them took 3 s of it.
What a page shows is worked out when it is rendered.

Under ``mkdocs serve`` a save changes one Drucksache, yet planning every page again took 4.5 s of each save at
10,000. A Drucksache page's plan is made only from the page, its feed, the Drucksachen around it
(``ratsdok.document_memo``) and what every page shares (the settings, the registers, the build date, whether pages
are cached); ``PagePlans`` takes the last build's plan of a page again while all of that is equal. An index page
lists many Drucksachen: its plan is taken again when the page itself was (ratsdok.index_memo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from .body_settings import BodyInfo
from .build_cache import PageCache
from .catalog import Catalog
from .document_memo import DocumentMemo, document_neighbours
from .document_pages import DrucksacheView, document_view
from .model import Drucksache, without_text
from .seo import HeadMetadata, plan_head
from .site_pages import SitePage


@dataclass(frozen=True, slots=True)
class PageSettings:
    base_url: str  # site_url with its trailing slash
    publisher: BodyInfo
    site_name: str


Shown = tuple[HeadMetadata, DrucksacheView | None]  # a page's head metadata, and its view for a Drucksache page
DOCUMENT_PAGE_KEY = "drucksache-seite"  # first in a Drucksache page's key: its inputs are not an index page's


class PagePlan:
    """A page's key in the page cache (None without a cache) and what it shows, worked out when first asked for."""

    __slots__ = ("_show", "_shown", "key")

    def __init__(self, key: str | None, show: Callable[[], Shown]) -> None:
        self.key = key
        self._show: Callable[[], Shown] | None = show
        self._shown: Shown | None = None

    @classmethod
    def worked_out(cls, key: str | None, shown: Shown) -> PagePlan:
        plan = cls(key, lambda: shown)
        plan.shown()
        return plan

    @property
    def head(self) -> HeadMetadata:
        return self.shown()[0]

    @property
    def view(self) -> DrucksacheView | None:
        return self.shown()[1]

    def shown(self) -> Shown:
        if self._shown is None:
            assert self._show is not None
            self._shown, self._show = self._show(), None
        return self._shown

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PagePlan) and self.key == other.key and self.shown() == other.shown()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PagePlan(key={self.key!r})"


class PagePlans:
    """The plans of one build's pages; ``earlier``: those of the last build in this process (mkdocs serve), whose
    Drucksache pages' plans are taken again where the page, its feed and the Drucksachen around it
    (ratsdok.document_memo) are equal."""

    def __init__(self, catalog: Catalog, settings: PageSettings, cache: PageCache | None, *, earlier: PagePlans | None = None, keep: bool = True) -> None:
        """``keep``: False when no later build will take these plans (see DocumentMemo)."""
        self._catalog, self._settings, self._cache = catalog, settings, cache
        last = earlier._documents if earlier is not None else None
        self._documents: DocumentMemo[PagePlan] = DocumentMemo(catalog, (settings, cache is not None), last, keep=keep)
        self._keep = keep
        # An index page taken again from the last build (ratsdok.index_memo) is the same object: so is its plan.
        alike = earlier is not None and earlier._documents.shares_with(self._documents)
        self._last_index_plans = earlier._index_plans if earlier is not None and alike else {}
        self._index_plans: dict[str, tuple[SitePage, object, PagePlan]] = {}
        self._index_pages = 0
        self._untexted_by_reference: dict[str, bytes] = {}

    @property
    def made(self) -> int:
        """Plans made in this build (not taken from the last)."""
        return self._index_pages + self._documents.made

    def plan(self, page: SitePage, feed_link: object) -> PagePlan:
        if not isinstance(page.data, Drucksache):
            last = self._last_index_plans.get(page.src_uri)
            if last is not None and last[0] is page and last[1] == feed_link:
                plan = last[2]
            else:
                self._index_pages += 1
                plan = self._make(page, feed_link)
            if self._keep:
                self._index_plans[page.src_uri] = (page, feed_link, plan)
            return plan
        # The page holds the document and its table of contents, which names its mentions.
        return self._documents.get(page.data, partial(self._make, page, feed_link), also=(page, feed_link))

    def done(self) -> None:
        """Planning is over: the last build's plans are let go."""
        self._documents.done()
        self._last_index_plans = {}

    def _make(self, page: SitePage, feed_link: object) -> PagePlan:
        catalog, settings, cache = self._catalog, self._settings, self._cache

        def show() -> Shown:
            head = plan_head(page, catalog, base_url=settings.base_url, publisher=settings.publisher, site_name=settings.site_name)
            return head, document_view(catalog, page.data) if isinstance(page.data, Drucksache) else None

        if cache is None:
            return PagePlan(None, show)
        if isinstance(page.data, Drucksache):
            # Its rendered text follows from the Drucksache (its Markdown) and the code, which the fingerprint holds.
            inputs = (DOCUMENT_PAGE_KEY, page.src_uri, page, feed_link, self._neighbours(page.data), catalog.registers)
            return PagePlan(cache.key(inputs), show)
        # An index page's inputs are lists of many Drucksachen: keyed by what it shows, which its key needs anyway.
        shown = show()
        return PagePlan.worked_out(cache.key((page.src_uri, page, None, shown[0], feed_link)), shown)

    def _neighbours(self, doc: Drucksache) -> tuple[Any, ...]:
        """The Drucksachen around ``doc`` (ratsdok.document_memo) as its page may show them: the digests of their
        values without their texts, which only their own pages show (an edited text changes no other page's key)."""
        linked, answers, mentions = document_neighbours(doc, self._catalog)
        return tuple(map(self._untexted, linked)), tuple(map(self._untexted, answers or ())), tuple(map(self._untexted, mentions or ()))

    def _untexted(self, doc: Drucksache | None) -> bytes | None:
        if doc is None:
            return None
        digest = self._untexted_by_reference.get(doc.reference)
        if digest is None:
            assert self._cache is not None  # keys are made with a cache only
            digest = self._untexted_by_reference[doc.reference] = self._cache.derived_digest(doc, without_text)
        return digest
