"""What each generated page shows besides its template: head metadata, a Drucksache's view, its page-cache key.

Under ``mkdocs serve`` a save changes one Drucksache, yet planning every page again took 4.5 s of each save at
10,000. A Drucksache page's plan is made only from what ``document_page_inputs`` names (its document, rendered
text, the Drucksachen it links, answers and mentions, its feed) and from what every page shares (the settings, the
registers, the build date, whether pages are cached); ``PagePlans`` takes the last build's plan of a page again
while all of that is equal. Index pages are planned every time: each lists many Drucksachen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .body_settings import BodyInfo
from .build_cache import PageCache
from .catalog import Catalog
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


def document_page_inputs(page: SitePage, catalog: Catalog, feed_link: object) -> tuple[Any, ...]:
    """Everything a Drucksache page's plan is made of that differs from page to page (see document_view, plan_head).

    The page holds the document (and its table of contents, which names its mentions); the linked Drucksachen are
    looked up by number, so a removed or added one changes the inputs as a changed one does."""
    doc: Drucksache = page.data
    body = catalog.bodies[doc.reference]
    linked = tuple(catalog.by_reference.get(reference) for reference in (doc.answers, *doc.related, *body.references) if reference)
    return (page, body, linked, catalog.answers_to.get(doc.reference), catalog.mentioned_in.get(doc.reference), feed_link)


class PagePlans:
    """The plans of one build's pages; ``earlier``: those of the last build in this process (mkdocs serve), whose
    Drucksache pages' plans are taken again where their inputs are equal."""

    def __init__(self, catalog: Catalog, settings: PageSettings, cache: PageCache | None, *, earlier: PagePlans | None = None) -> None:
        self._catalog, self._settings, self._cache = catalog, settings, cache
        self._shared = (settings, catalog.registers, catalog.today, cache is not None)
        self._last = earlier._plans if earlier is not None and earlier._shared == self._shared else {}
        self._plans: dict[str, tuple[tuple[Any, ...], PagePlan]] = {}
        self.made = 0  # plans made in this build (not taken from the last)

    def plan(self, page: SitePage, feed_link: object) -> PagePlan:
        if not isinstance(page.data, Drucksache):
            self.made += 1
            return plan_page(page, self._catalog, self._settings, feed_link, self._cache)
        inputs = document_page_inputs(page, self._catalog, feed_link)
        last = self._last.get(page.src_uri)
        if last is not None and last[0] == inputs:
            plan = last[1]
        else:
            self.made += 1
            plan = plan_page(page, self._catalog, self._settings, feed_link, self._cache)
        self._plans[page.src_uri] = (inputs, plan)
        return plan

    def done(self) -> None:
        """Planning is over: the last build's plans are let go."""
        self._last = {}
