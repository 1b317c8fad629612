"""Plan the pages to emit and prepare what the Drucksache template shows (typed, unescaped data).

Templates escape every value; nothing here contains HTML except ``RenderedBody.html``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath

from .dates import german_date
from .load import Corpus
from .model import Consultation, Drucksache, RegisterEntry, Registers
from .render import RenderedBody, TocEntry, render_body

DRUCKSACHE_TEMPLATE = "drucksache.html"


@dataclass(frozen=True, slots=True)
class DocumentLink:
    """A reference to another Drucksache; ``url`` is None when it is not published here."""

    reference: str
    url: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class ConsultationRow:
    committee: str
    meeting_date: str | None
    meeting_date_iso: str | None
    role: str
    agenda_item: str | None


@dataclass(frozen=True, slots=True)
class DrucksacheView:
    """Everything ``overrides/drucksache.html`` shows, display-ready."""

    document: Drucksache
    body: RenderedBody
    date: str
    paper_type: str
    faction: RegisterEntry | None
    topics: tuple[RegisterEntry, ...]
    consultations: tuple[ConsultationRow, ...]
    inquiry: DocumentLink | None  # for an answer: the inquiry it answers
    answered_by: tuple[DocumentLink, ...]  # for an inquiry: its answers
    related: tuple[DocumentLink, ...]  # bezuege
    original_href: str | None  # absolute URL, or site-relative path of the copied PDF

    @property
    def page_title(self) -> str:
        """Starts with the document's title, as screen-reader users hear it first."""
        return f"{self.document.title} (Drucksache {self.document.reference})"

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        head = (TocEntry("Beratungsfolge", "beratungsfolge", 2),) if self.consultations else ()
        return head + self.body.toc


@dataclass(frozen=True, slots=True)
class PagePlan:
    """One page to generate: ``src_uri`` is the virtual Markdown path MkDocs turns into ``url``."""

    src_uri: str
    url: str
    document: Drucksache


def plan_document_pages(corpus: Corpus) -> list[PagePlan]:
    return [PagePlan(f"drucksachen/{doc.slug}.md", doc.url, doc) for doc in corpus.documents]


class DocumentViews:
    """Builds views on demand, so each body is rendered once, when its page is built."""

    def __init__(self, corpus: Corpus) -> None:
        self._registers = corpus.registers
        self._by_reference = corpus.by_reference()
        answers: dict[str, list[Drucksache]] = defaultdict(list)
        for document in corpus.documents:
            if document.answers:
                answers[document.answers].append(document)
        self._answers = answers

    def view(self, document: Drucksache) -> DrucksacheView:
        registers = self._registers
        return DrucksacheView(
            document=document,
            body=render_body(document.body),
            date=german_date(document.date),
            paper_type=document.paper_type.label,
            faction=registers.factions.get(document.faction) if document.faction else None,
            topics=tuple(registers.topics[topic] for topic in document.topics),
            consultations=tuple(_consultation_row(row, registers) for row in document.consultations),
            inquiry=self.link(document.answers) if document.answers else None,
            answered_by=tuple(self.link(answer.reference) for answer in self._answers.get(document.reference, ())),
            related=tuple(self.link(reference) for reference in document.related),
            original_href=_original_href(document),
        )

    def link(self, reference: str) -> DocumentLink:
        target = self._by_reference.get(reference)
        if target is None:
            return DocumentLink(reference, None, None)
        return DocumentLink(reference, target.url, target.title)


def _consultation_row(row: Consultation, registers: Registers) -> ConsultationRow:
    return ConsultationRow(
        committee=registers.committees[row.committee].name,
        meeting_date=german_date(row.meeting_date) if row.meeting_date else None,
        meeting_date_iso=row.meeting_date.isoformat() if row.meeting_date else None,
        role=row.role,
        agenda_item=row.agenda_item,
    )


def _original_href(document: Drucksache) -> str | None:
    original = document.original
    if original is None:
        return None
    if original.is_url:
        return original.location
    return document.url + PurePosixPath(original.location).name
