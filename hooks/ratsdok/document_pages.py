"""Drucksache pages: plan them and prepare what ``overrides/drucksache.html`` shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from .catalog import Catalog
from .dates import german_date
from .index_pages import term_title
from .listings import days_text
from .model import Consultation, Drucksache, PaperType, RegisterKind, slug_for
from .reference_links import resolve_references
from .render import TocEntry
from .search_page import document_facets
from .site_pages import SitePage, crumbs
from .urls import YEARS_URL, entry_url, term_url, year_url

DRUCKSACHE_TEMPLATE = "drucksache.html"


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str  # site-relative


@dataclass(frozen=True, slots=True)
class DocumentLink:
    """A reference to another Drucksache; ``url`` is None when it is not published here."""

    reference: str
    url: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class ConsultationRow:
    committee: Link
    meeting_date: str | None
    meeting_date_iso: str | None
    role: str
    agenda_item: str | None


@dataclass(frozen=True, slots=True)
class DrucksacheView:
    """Everything the Drucksache template shows, display-ready."""

    document: Drucksache
    body_html: str  # references resolved to links
    date: str
    paper_type: str
    faction: Link | None
    topics: tuple[Link, ...]
    consultations: tuple[ConsultationRow, ...]
    year: Link
    term: Link
    inquiry: DocumentLink | None  # for an answer: the inquiry it answers
    answered_by: tuple[DocumentLink, ...]  # for an inquiry: its answers
    answer_status: str | None  # "Beantwortet nach 28 Tagen", "Offen seit 12 Tagen"
    related: tuple[DocumentLink, ...]  # bezuege
    mentioned_in: tuple[DocumentLink, ...]  # documents that mention this one
    original_href: str | None  # absolute URL, or site-relative path of the copied PDF
    search_facets: tuple[tuple[str, str], ...]  # (Pagefind filter key, value)


def page_title(document: Drucksache) -> str:
    """Starts with the document's title, as screen-reader users hear it first."""
    return f"{document.title} (Drucksache {document.reference})"


def plan_document_pages(catalog: Catalog) -> list[SitePage]:
    pages = []
    for doc in catalog.documents:
        body = catalog.bodies[doc.reference]
        head = (TocEntry("Beratungsfolge", "beratungsfolge", 2),) if doc.consultations else ()
        tail = (TocEntry("Erwähnt in", "erwaehnt-in", 2),) if _mentions_shown(catalog, doc) else ()
        trail = (("Jahre", YEARS_URL), (str(doc.date.year), year_url(doc.date.year)))
        pages.append(
            SitePage(
                src_uri=f"drucksachen/{doc.slug}.md",
                url=doc.url,
                template=DRUCKSACHE_TEMPLATE,
                title=page_title(doc),
                breadcrumbs=crumbs(*trail, current=f"Drucksache {doc.reference}"),
                data=doc,
                toc=head + body.toc + tail,
                reference=doc.reference,
                updated=doc.date,
            )
        )
    return pages


def document_view(catalog: Catalog, doc: Drucksache) -> DrucksacheView:
    registers = catalog.registers

    def link(reference: str) -> DocumentLink:
        target = catalog.by_reference.get(reference)
        return DocumentLink(reference, target.url if target else None, target.title if target else None)

    def body_href(reference: str) -> str | None:
        # Drucksache pages are siblings: drucksachen/<slug>/ -> ../<other-slug>/
        return f"../{slug_for(reference)}/" if reference in catalog.by_reference and reference != doc.reference else None

    faction = registers.factions.get(doc.faction) if doc.faction else None
    return DrucksacheView(
        document=doc,
        body_html=resolve_references(catalog.bodies[doc.reference].html, body_href),
        date=german_date(doc.date),
        paper_type=doc.paper_type.label,
        faction=Link(faction.name, entry_url(RegisterKind.FACTIONS, faction.id)) if faction else None,
        topics=tuple(Link(registers.topics[topic].name, entry_url(RegisterKind.TOPICS, topic)) for topic in doc.topics),
        consultations=tuple(_consultation_row(row, catalog) for row in doc.consultations),
        year=Link(str(doc.date.year), year_url(doc.date.year)),
        term=Link(term_title(doc.legislative_term), term_url(doc.legislative_term)),
        inquiry=link(doc.answers) if doc.answers else None,
        answered_by=tuple(link(answer.reference) for answer in catalog.answers_to.get(doc.reference, ())),
        answer_status=_answer_status(catalog, doc),
        related=tuple(link(reference) for reference in doc.related),
        mentioned_in=tuple(link(other.reference) for other in _mentions_shown(catalog, doc)),
        original_href=original_href_of(doc),
        search_facets=document_facets(doc),
    )


def _mentions_shown(catalog: Catalog, doc: Drucksache) -> list[Drucksache]:
    """Documents mentioning ``doc``, except its answers: those are listed as answers already."""
    answers = catalog.answers_to.get(doc.reference, ())
    return [other for other in catalog.mentioned_in.get(doc.reference, ()) if other not in answers]


def _answer_status(catalog: Catalog, doc: Drucksache) -> str | None:
    if doc.paper_type is PaperType.INQUIRY:
        time = catalog.answer_time(doc)
        if time is None:
            return f"Noch keine Antwort veröffentlicht (offen seit {days_text(catalog.age_days(doc), dative=True)})"
        return f"Beantwortet am {german_date(time.answer.date)}, nach {days_text(time.days, dative=True)}"
    if doc.paper_type.is_answer:
        answered = catalog.answered(doc)
        if answered is not None:
            return f"Beantwortet nach {days_text(answered.days, dative=True)} (Anfrage vom {german_date(answered.inquiry.date)})"
    return None


def _consultation_row(row: Consultation, catalog: Catalog) -> ConsultationRow:
    committee = catalog.registers.committees[row.committee]
    return ConsultationRow(
        committee=Link(committee.name, entry_url(RegisterKind.COMMITTEES, committee.id)),
        meeting_date=german_date(row.meeting_date) if row.meeting_date else None,
        meeting_date_iso=row.meeting_date.isoformat() if row.meeting_date else None,
        role=row.role,
        agenda_item=row.agenda_item,
    )


def original_href_of(document: Drucksache) -> str | None:
    """The official PDF: its URL, or the site-relative path of the copy beside the page (also used by the exports)."""
    original = document.original
    if original is None:
        return None
    if original.is_url:
        return original.location
    return document.url + PurePosixPath(original.location).name
