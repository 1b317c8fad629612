"""The search page (/suche/) and the facets every Drucksache page carries for Pagefind.

Filter values are permanent ids (register ids, the year, the ``art`` value), so a shared search
link such as ``suche/?gremium=planungsausschuss`` keeps working when a display name changes; the
page shows the display names.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .catalog import Catalog
from .model import Drucksache, PaperType, RegisterKind
from .pagefind_parts import part_count
from .site_pages import SitePage, crumbs, src_uri_for
from .stop_words import STOP_WORDS

SEARCH_URL = "suche/"
SEARCH_TEMPLATE = "suche.html"
QUERY_PARAMETER = "q"
# URL parameter / Pagefind filter key -> label; the order is the order on the page.
FILTER_LABELS = {"gremium": "Gremium", "fraktion": "Fraktion", "thema": "Thema", "jahr": "Jahr", "art": "Art"}
_REGISTER_FILTERS = {RegisterKind.COMMITTEES: "gremium", RegisterKind.FACTIONS: "fraktion", RegisterKind.TOPICS: "thema"}


@dataclass(frozen=True, slots=True)
class FilterOption:
    value: str
    label: str
    count: int  # documents with this value in the whole archive


@dataclass(frozen=True, slots=True)
class FilterGroup:
    key: str
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    query_parameter: str
    filters: tuple[FilterGroup, ...]
    total: int
    parts: int  # the search index's parts, merged by the script (pagefind_parts.py)
    stop_words: tuple[str, ...] = tuple(sorted(STOP_WORDS))  # the script leaves them out of a query


def document_facets(doc: Drucksache) -> tuple[tuple[str, str], ...]:
    """(filter key, value) pairs of one document, as its page declares them to Pagefind."""
    facets = [("gremium", committee) for committee in doc.committees]
    if doc.faction:
        facets.append(("fraktion", doc.faction))
    facets += [("thema", topic) for topic in doc.topics]
    facets += [("jahr", str(doc.date.year)), ("art", doc.paper_type.value)]
    return tuple(facets)


def filtered_search_url(kind: RegisterKind, entry_id: str) -> str:
    return f"{SEARCH_URL}?{urlencode({_REGISTER_FILTERS[kind]: entry_id})}"


def plan_search_page(catalog: Catalog) -> SitePage:
    registers = catalog.registers
    groups_by_kind = {
        RegisterKind.COMMITTEES: catalog.by_committee,
        RegisterKind.FACTIONS: catalog.by_faction,
        RegisterKind.TOPICS: catalog.by_topic,
    }
    filters = [
        FilterGroup(
            _REGISTER_FILTERS[kind],
            FILTER_LABELS[_REGISTER_FILTERS[kind]],
            tuple(
                FilterOption(key, entry.name, len(groups_by_kind[kind][key]))
                for key, entry in sorted(registers.of(kind).items(), key=lambda item: item[1].name.casefold())
                if groups_by_kind[kind][key]
            ),
        )
        for kind in _REGISTER_FILTERS
    ]
    filters.append(
        FilterGroup("jahr", FILTER_LABELS["jahr"], tuple(FilterOption(str(year), str(year), len(docs)) for year, docs in catalog.by_year.items()))
    )
    counts = {paper_type: 0 for paper_type in PaperType}
    for doc in catalog.documents:
        counts[doc.paper_type] += 1
    filters.append(
        FilterGroup("art", FILTER_LABELS["art"], tuple(FilterOption(t.value, t.label, n) for t, n in counts.items() if n))
    )
    data = SearchPage(QUERY_PARAMETER, tuple(filters), len(catalog.documents), part_count(len(catalog.documents)))
    return SitePage(
        src_uri_for(SEARCH_URL), SEARCH_URL, SEARCH_TEMPLATE, "Suche", crumbs(current="Suche"), data,
        updated=catalog.newest_change(catalog.documents),
    )  # fmt: skip
