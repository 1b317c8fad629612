"""Rows of document listings and their split into pages of bounded size.

A listing row is about 0.5 KB of HTML; ``PAGE_SIZE`` rows keep an index page well under 100 KB
even with the site chrome, whatever the size of the archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .catalog import Catalog
from .counts import german_number
from .dates import german_date
from .model import Drucksache, PaperType

PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class ListingRow:
    reference: str
    url: str  # site-relative
    title: str
    date: str  # "4. Juni 2025"
    date_iso: str
    paper_type: str
    status: str | None  # for inquiries: answered when / open since; for answers: the answer time
    status_url: str | None  # the answer's page, when the status names it
    is_open: bool


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    rows: tuple[ListingRow, ...]


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    pages: tuple[PageLink, ...]

    @property
    def previous(self) -> PageLink | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.pages[self.number] if self.number < len(self.pages) else None


def days_text(days: float, dative: bool = False) -> str:
    """``3`` -> "3 Tage" (or "3 Tagen" after "nach"); medians may be halves: "12,5 Tage"."""
    text = german_number(days)
    if text == "1":
        return "1 Tag"
    return f"{text} Tagen" if dative else f"{text} Tage"


def listing_row(doc: Drucksache, catalog: Catalog) -> ListingRow:
    status, status_url, is_open = None, None, False
    if doc.paper_type is PaperType.INQUIRY:
        time = catalog.answer_time(doc)
        if time is not None:
            status = f"Beantwortet am {german_date(time.answer.date)} (nach {days_text(time.days, dative=True)})"
            status_url = time.answer.url
        else:
            status, is_open = f"Offen seit {days_text(catalog.age_days(doc), dative=True)}", True
    elif doc.paper_type.is_answer:
        answered = catalog.answered(doc)
        if answered is not None:
            status = f"Antwort nach {days_text(answered.days, dative=True)}"
    return ListingRow(
        reference=doc.reference,
        url=doc.url,
        title=doc.title,
        date=german_date(doc.date),
        date_iso=doc.date.isoformat(),
        paper_type=doc.paper_type.label,
        status=status,
        status_url=status_url,
        is_open=is_open,
    )


class ListingRows:
    """Each Drucksache's row, made once per build: a Drucksache stands in a dozen listings (its committees, faction,
    topics, year, Wahlperiode …), 110,000 rows at 10,000 Drucksachen."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._made: dict[str, ListingRow] = {}

    def __call__(self, doc: Drucksache) -> ListingRow:
        row = self._made.get(doc.reference)
        if row is None:
            row = self._made[doc.reference] = listing_row(doc, self.catalog)
        return row


def group_by_year(rows: list[ListingRow]) -> tuple[YearGroup, ...]:
    """Rows are newest first; so are the groups."""
    return tuple(YearGroup(int(year), tuple(group)) for year, group in groupby(rows, key=lambda row: row.date_iso[:4]))


def paginate(documents: tuple[Drucksache, ...] | list[Drucksache], base_url: str) -> list[tuple[str, list[Drucksache], int]]:
    """Split into pages: ``base_url`` for page 1, ``base_url + "seite-N/"`` after. Returns (url, slice, number)."""
    chunks = [list(documents[start : start + PAGE_SIZE]) for start in range(0, max(len(documents), 1), PAGE_SIZE)]
    return [(page_url(base_url, number), chunk, number) for number, chunk in enumerate(chunks, 1)]


def page_url(base_url: str, number: int) -> str:
    return base_url if number == 1 else f"{base_url}seite-{number}/"


def pagination(base_url: str, number: int, total: int) -> Pagination | None:
    if total <= 1:
        return None
    return Pagination(number, tuple(PageLink(n, page_url(base_url, n)) for n in range(1, total + 1)))
