"""Index pages: per committee, faction and topic, per year and Wahlperiode, open inquiries.

Long lists are split (``listings.PAGE_SIZE`` rows per page) and grouped by year, so no page grows
with the archive. Every register entry gets a page, also when no document refers to it yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .catalog import Catalog
from .counts import german_number
from .listings import PAGE_SIZE, ListingRow, ListingRows, Pagination, YearGroup, days_text, group_by_year, listing_row, paginate, pagination
from .model import Drucksache, PaperType, RegisterEntry, RegisterKind
from .render import TocEntry
from .search_page import filtered_search_url
from .site_pages import SitePage, crumbs, src_uri_for
from .urls import OPEN_INQUIRIES_URL, TERMS_URL, YEARS_URL, entry_url, register_url, term_url, year_url

OVERVIEW_TEMPLATE = "verzeichnis-uebersicht.html"
ENTRY_TEMPLATE = "verzeichnis-eintrag.html"
LIST_TEMPLATE = "verzeichnis-liste.html"
LATEST_ON_ENTRY_PAGE = 20
OPEN_ON_ENTRY_PAGE = 100


@dataclass(frozen=True, slots=True)
class RegisterSection:
    """How a register appears on the site."""

    kind: RegisterKind
    plural: str
    singular: str
    intro: str
    nothing_yet: str  # shown on an entry's page without documents


SECTIONS = (
    RegisterSection(
        RegisterKind.COMMITTEES,
        "Gremien",
        "Gremium",
        "Die Gremien der Verbandsversammlung, in denen Drucksachen beraten oder zur Kenntnis gegeben werden.",
        "In diesem Gremium ist noch keine Drucksache beraten worden, die hier veröffentlicht ist.",
    ),
    RegisterSection(
        RegisterKind.FACTIONS,
        "Fraktionen",
        "Fraktion",
        "Die Fraktionen der Verbandsversammlung und ihre Anfragen und Anträge mit den Antworten der Verwaltung.",
        "Von dieser Fraktion ist noch keine Anfrage oder Antwort veröffentlicht.",
    ),
    RegisterSection(
        RegisterKind.TOPICS,
        "Themen",
        "Thema",
        "Drucksachen nach Themen geordnet.",
        "Zu diesem Thema ist noch keine Drucksache veröffentlicht.",
    ),
)


@dataclass(frozen=True, slots=True)
class OverviewEntry:
    name: str
    detail: str | None  # e.g. the short name
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class Overview:
    heading: str
    intro: str
    entries: tuple[OverviewEntry, ...]
    empty_note: str


@dataclass(frozen=True, slots=True)
class YearLink:
    year: int
    count: int
    url: str


@dataclass(frozen=True, slots=True)
class EntryPage:
    """/gremien/<id>/ and the like."""

    heading: str
    kind_label: str  # "Gremium", "Fraktion", "Thema"
    nothing_yet: str
    entry: RegisterEntry
    count: int
    median_answer: str | None  # "Median: 21 Tage (aus 35 Antworten)"
    groups: tuple[YearGroup, ...]  # all documents, when they fit on the page
    latest: tuple[ListingRow, ...]  # otherwise the newest ones ...
    years: tuple[YearLink, ...]  # ... and the way to every year
    open_rows: tuple[ListingRow, ...]
    open_total: int
    open_url: str
    search_url: str  # the search, pre-filtered to this entry


@dataclass(frozen=True, slots=True)
class ListPage:
    """A paginated list: a year, a Wahlperiode, one year of a register entry, open inquiries."""

    heading: str
    intro: str | None
    groups: tuple[YearGroup, ...]
    pagination: Pagination | None
    total: int
    total_text: str  # "12 Drucksachen, die neueste zuerst."
    empty_note: str


def plan_index_pages(catalog: Catalog) -> list[SitePage]:
    pages: list[SitePage] = []
    row = ListingRows(catalog)
    for section in SECTIONS:
        pages += _register_pages(row, section)
    pages += _year_pages(row)
    pages += _term_pages(row)
    pages += _open_inquiry_pages(row)
    return pages


def term_title(term: int) -> str:
    return f"{term}. Wahlperiode"


def _register_pages(row: ListingRows, section: RegisterSection) -> list[SitePage]:
    catalog = row.catalog
    entries = catalog.registers.of(section.kind)
    documents_of = {
        RegisterKind.COMMITTEES: catalog.by_committee,
        RegisterKind.FACTIONS: catalog.by_faction,
        RegisterKind.TOPICS: catalog.by_topic,
    }[section.kind]
    root = register_url(section.kind)
    overview = Overview(
        heading=section.plural,
        intro=section.intro,
        entries=tuple(
            OverviewEntry(entry.name, entry.short_name if entry.short_name != entry.name else None, entry_url(section.kind, key), len(documents_of[key]))
            for key, entry in sorted(entries.items(), key=lambda item: item[1].name.casefold())
        ),
        empty_note=f"Das Register enthält noch keine Einträge ({section.plural}).",
    )
    updated = catalog.newest_change(doc for key in entries for doc in documents_of[key])
    pages = [SitePage(src_uri_for(root), root, OVERVIEW_TEMPLATE, section.plural, crumbs(current=section.plural), overview, updated=updated)]
    for key, entry in entries.items():
        pages += _entry_pages(row, section, entry, documents_of[key])
    return pages


def _entry_pages(row: ListingRows, section: RegisterSection, entry: RegisterEntry, documents: tuple[Drucksache, ...]) -> list[SitePage]:
    catalog = row.catalog
    url = entry_url(section.kind, entry.id)
    trail = ((section.plural, register_url(section.kind)),)
    rows = [row(doc) for doc in documents]
    fits = len(rows) <= PAGE_SIZE
    by_year: dict[int, list[Drucksache]] = {}
    for doc in documents:
        by_year.setdefault(doc.date.year, []).append(doc)
    open_inquiries = catalog.open_inquiries(documents)
    median, answered = catalog.median_answer_days(documents)
    data = EntryPage(
        heading=entry.name,
        kind_label=section.singular,
        nothing_yet=section.nothing_yet,
        entry=entry,
        count=len(documents),
        median_answer=f"{days_text(median)} (aus {answered} {'Antwort' if answered == 1 else 'Antworten'})" if median is not None else None,
        groups=group_by_year(rows) if fits else (),
        latest=tuple(rows[:LATEST_ON_ENTRY_PAGE]) if not fits else (),
        years=tuple(YearLink(year, len(docs), f"{url}{year}/") for year, docs in by_year.items()) if not fits else (),
        open_rows=tuple(row(doc) for doc in open_inquiries[:OPEN_ON_ENTRY_PAGE]),
        open_total=len(open_inquiries),
        open_url=OPEN_INQUIRIES_URL,
        search_url=filtered_search_url(section.kind, entry.id),
    )
    toc = tuple(TocEntry(str(group.year), f"jahr-{group.year}", 2) for group in data.groups)
    updated = catalog.newest_change(documents)
    pages = [SitePage(src_uri_for(url), url, ENTRY_TEMPLATE, entry.name, crumbs(*trail, current=entry.name), data, toc, updated=updated)]
    if not fits:
        for year, docs in by_year.items():
            pages += _list_pages(
                row,
                docs,
                f"{url}{year}/",
                heading=f"{entry.name}: {year}",
                intro=None,
                trail=(*trail, (entry.name, url)),
                current=str(year),
                empty_note="",
            )
    return pages


def _year_pages(row: ListingRows) -> list[SitePage]:
    return _period_pages(
        row,
        row.catalog.by_year,
        "Jahre",
        YEARS_URL,
        "Alle Drucksachen nach dem Jahr ihres Datums.",
        title=str,
        url=year_url,
        heading=lambda year: f"Drucksachen aus dem Jahr {year}",
        group=False,  # one year per page: no year headings
    )


def _term_pages(row: ListingRows) -> list[SitePage]:
    return _period_pages(
        row,
        row.catalog.by_term,
        "Wahlperioden",
        TERMS_URL,
        "Alle Drucksachen nach der Wahlperiode der Verbandsversammlung, aus der ihre Nummer stammt.",
        title=term_title,
        url=term_url,
        heading=lambda term: f"Drucksachen der {term_title(term)}",
        group=True,
    )


def _period_pages(
    row: ListingRows,
    periods: dict[int, tuple[Drucksache, ...]],
    name: str,
    root: str,
    intro: str,
    *,
    title: Callable[[int], str],
    url: Callable[[int], str],
    heading: Callable[[int], str],
    group: bool,
) -> list[SitePage]:
    """An overview of years or Wahlperioden, and a split listing for each."""
    overview = Overview(
        heading=name,
        intro=intro,
        entries=tuple(OverviewEntry(title(period), None, url(period), len(docs)) for period, docs in periods.items()),
        empty_note="Es sind noch keine Drucksachen veröffentlicht.",
    )
    updated = row.catalog.newest_change(doc for docs in periods.values() for doc in docs)
    pages = [SitePage(src_uri_for(root), root, OVERVIEW_TEMPLATE, name, crumbs(current=name), overview, updated=updated)]
    for period, docs in periods.items():
        pages += _list_pages(
            row, docs, url(period), heading=heading(period), intro=None,
            trail=((name, root),), current=title(period), empty_note="", group=group,
        )  # fmt: skip
    return pages


def _open_inquiry_pages(row: ListingRows) -> list[SitePage]:
    open_inquiries = row.catalog.open_inquiries(row.catalog.documents)
    return _list_pages(
        row,
        open_inquiries,
        OPEN_INQUIRIES_URL,
        heading="Offene Anfragen",
        intro="Anfragen der Fraktionen, zu denen hier noch keine Antwort der Verwaltung veröffentlicht ist.",
        trail=(),
        current="Offene Anfragen",
        empty_note="Zu allen veröffentlichten Anfragen ist eine Antwort veröffentlicht.",
        count_label=("offene Anfrage", "offene Anfragen"),
    )


def _list_pages(
    row: ListingRows,
    documents: tuple[Drucksache, ...] | list[Drucksache],
    base_url: str,
    *,
    heading: str,
    intro: str | None,
    trail: tuple[tuple[str, str], ...],
    current: str,
    empty_note: str,
    group: bool = True,
    count_label: tuple[str, str] = ("Drucksache", "Drucksachen"),
) -> list[SitePage]:
    chunks = paginate(documents, base_url)
    updated = row.catalog.newest_change(documents)  # every page of the list shows its total
    pages = []
    for url, chunk, number in chunks:
        rows = [row(doc) for doc in chunk]
        groups = group_by_year(rows) if group else ((YearGroup(0, tuple(rows)),) if rows else ())
        suffix = f" – Seite {number}" if number > 1 else ""
        total = f"{german_number(len(documents))} {count_label[0] if len(documents) == 1 else count_label[1]}, die neueste zuerst."
        data = ListPage(heading + suffix, intro, groups, pagination(base_url, number, len(chunks)), len(documents), total, empty_note)
        page_trail = trail if number == 1 else (*trail, (current, base_url))
        page_current = current if number == 1 else f"Seite {number}"
        pages.append(SitePage(src_uri_for(url), url, LIST_TEMPLATE, heading + suffix, crumbs(*page_trail, current=page_current), data, updated=updated))
    return pages


@dataclass(frozen=True, slots=True)
class EntryPoint:
    title: str
    url: str
    description: str


@dataclass(frozen=True, slots=True)
class HomeData:
    """What the start page shows besides its editorial text."""

    latest_answers: tuple[ListingRow, ...]
    total: int
    answers: int
    inquiries: int
    open_inquiries: int
    entry_points: tuple[EntryPoint, ...]
    open_url: str


LATEST_ON_HOME = 10


def plan_home(catalog: Catalog) -> HomeData:
    answers = [doc for doc in catalog.documents if doc.paper_type.is_answer]
    inquiries = sum(1 for doc in catalog.documents if doc.paper_type is PaperType.INQUIRY)
    registers = catalog.registers
    return HomeData(
        latest_answers=tuple(listing_row(doc, catalog) for doc in answers[:LATEST_ON_HOME]),
        total=len(catalog.documents),
        answers=len(answers),
        inquiries=inquiries,
        open_inquiries=len(catalog.open_inquiries(catalog.documents)),
        entry_points=(
            EntryPoint("Gremien", register_url(RegisterKind.COMMITTEES), f"{len(registers.committees)} Ausschüsse und Gremien"),
            EntryPoint("Fraktionen", register_url(RegisterKind.FACTIONS), f"{len(registers.factions)} Fraktionen und ihre Anfragen"),
            EntryPoint("Themen", register_url(RegisterKind.TOPICS), f"{len(registers.topics)} Themen"),
            EntryPoint("Jahre", YEARS_URL, f"{len(catalog.by_year)} Jahrgänge"),
            EntryPoint("Wahlperioden", TERMS_URL, f"{len(catalog.by_term)} Wahlperioden"),
        ),
        open_url=OPEN_INQUIRIES_URL,
    )
