"""The domain model: Drucksachen and register entries, aligned with OParl 1.1.

German front-matter keys are mapped onto these English names in one place (``build_model``);
everything downstream trusts the model.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace


class PaperType(enum.Enum):
    """``art`` -> OParl ``Paper.paperType`` (the label)."""

    INQUIRY = "fraktionsanfrage"
    ANSWER = "fraktionsanfrage-antwort"
    MOTION = "fraktionsantrag"
    DECISION_PROPOSAL = "beschlussvorlage"
    INFORMATION = "informationsvorlage"

    @property
    def label(self) -> str:
        return _PAPER_TYPE_LABELS[self]

    @property
    def is_answer(self) -> bool:
        return self is PaperType.ANSWER

    @property
    def needs_faction(self) -> bool:
        return self in (PaperType.INQUIRY, PaperType.ANSWER, PaperType.MOTION)


_PAPER_TYPE_LABELS = {
    PaperType.INQUIRY: "Fraktionsanfrage",
    PaperType.ANSWER: "Antwort auf eine Fraktionsanfrage",
    PaperType.MOTION: "Fraktionsantrag",
    PaperType.DECISION_PROPOSAL: "Beschlussvorlage",
    PaperType.INFORMATION: "Informationsvorlage",
}

PUBLIC_STATUS = "öffentlich"


class RegisterKind(enum.Enum):
    """The controlled vocabularies in ``register/``; the value is the file stem."""

    COMMITTEES = "gremien"
    FACTIONS = "fraktionen"
    TOPICS = "themen"


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """A committee, faction or topic. ``id`` is permanent and used in URLs."""

    id: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    organization_type: str | None
    classification: str | None


@dataclass(frozen=True, slots=True)
class Registers:
    committees: dict[str, RegisterEntry]
    factions: dict[str, RegisterEntry]
    topics: dict[str, RegisterEntry]

    def of(self, kind: RegisterKind) -> dict[str, RegisterEntry]:
        return {
            RegisterKind.COMMITTEES: self.committees,
            RegisterKind.FACTIONS: self.factions,
            RegisterKind.TOPICS: self.topics,
        }[kind]


@dataclass(frozen=True, slots=True)
class Consultation:
    """One row of the Beratungsfolge. OParl ``Consultation``."""

    committee: str  # register id
    role: str  # Beratungsstatus, e.g. "zur Kenntnis"
    meeting_date: dt.date | None
    agenda_item: str | None  # TOP


@dataclass(frozen=True, slots=True)
class Responsibility:
    department: str | None  # Bereich
    unit: str | None  # Referat
    clerk: str | None  # Sachbearbeitung
    unit_head: str | None  # Referatsleitung


@dataclass(frozen=True, slots=True)
class OriginalFile:
    """The official PDF. OParl ``Paper.mainFile``."""

    location: str  # repository path or https URL
    is_url: bool
    sha256: str


@dataclass(frozen=True, slots=True)
class Drucksache:
    """One published document; the natural key is ``reference`` (the Drucksachen-Nr.)."""

    reference: str  # nummer, e.g. "14/2048-1"
    paper_type: PaperType
    title: str
    subject: str  # betreff
    date: dt.date
    issuer: str  # urheber
    faction: str | None  # register id
    answers: str | None  # anfrage: reference of the inquiry this answers
    consultations: tuple[Consultation, ...]
    topics: tuple[str, ...]
    responsibility: Responsibility | None
    file_reference: str | None  # aktenzeichen
    original: OriginalFile | None
    related: tuple[str, ...]  # bezuege
    body: str
    body_line: int  # file line where the body starts
    source_path: str

    @property
    def slug(self) -> str:
        return slug_for(self.reference)

    @property
    def committees(self) -> tuple[str, ...]:
        """Register ids of the committees in the Beratungsfolge, each once, in order."""
        return tuple(dict.fromkeys(row.committee for row in self.consultations))

    @property
    def legislative_term(self) -> int:
        return int(self.reference.split("/", 1)[0])

    @property
    def url(self) -> str:
        """Site-relative URL, permanent."""
        return f"drucksachen/{self.slug}/"


def without_text(document: Drucksache) -> Drucksache:
    """The Drucksache as pages other than its own show it: they never show its text."""
    return replace(document, body="", body_line=0)


def slug_for(reference: str) -> str:
    """``14/2048-1`` -> ``14-2048-1``."""
    return reference.replace("/", "-")


def sort_key_newest_first(document: Drucksache) -> tuple[int, tuple[int, ...]]:
    """Newest date first; same date: higher number first. Deterministic for equal dates."""
    numbers = tuple(int(part) for part in document.reference.replace("/", "-").split("-"))
    return (-document.date.toordinal(), tuple(-n for n in numbers))
