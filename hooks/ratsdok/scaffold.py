"""Write Drucksache files for ``new`` and ``import``: front matter, marked places, the check before writing.

Conventions (the same for both commands):

- Keys are written in the schema's order (``schema/drucksache.schema.json`` is the canonical order).
- A required value that is not known is written as an empty value with the comment
  ``# AUSFÜLLEN: …`` (:class:`Fill`). ``check`` reports an empty value as a problem on that very
  line, so such a file can never pass unnoticed.
- An optional field without a value is either left out or, in a new skeleton, shown as a
  commented-out example line (:class:`Example`); a comment never fails the check.
- Body placeholders start with ``AUSFÜLLEN:`` too, so one search finds every open place.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .load import display_path, load_document
from .model import PaperType, RegisterEntry, Registers
from .problems import Problem
from .registers import find_by_alias
from .schema_check import load_schema
from .validate import expected_relative_path

FILL_MARK = "AUSFÜLLEN"
ALWAYS_QUOTED = frozenset({"nummer", "anfrage", "top", "aktenzeichen", "bezuege"})
ADMINISTRATION = "Der Regionaldirektor"
ANSWER_STATUS = "zur Kenntnis"  # answers to inquiries are presented for information


@dataclass(frozen=True, slots=True)
class Fill:
    """A required value the editor must fill in; written as ``key:  # AUSFÜLLEN: note``."""

    note: str


@dataclass(frozen=True, slots=True)
class Example:
    """An optional field shown as a commented-out line: ``# key: example  (note)``."""

    example: str
    note: str


# --- front matter -----------------------------------------------------------------------------------


def render_document(front_matter: dict[str, Any], body: str) -> str:
    return "---\n" + render_front_matter(front_matter) + "---\n\n" + body.strip("\n") + "\n"


def render_front_matter(data: dict[str, Any]) -> str:
    schema = load_schema("drucksache")
    lines = _render_mapping(data, schema["properties"], indent="", first_prefix="")
    return "".join(line + "\n" for line in lines)


def _render_mapping(data: dict[str, Any], properties: dict[str, Any], indent: str, first_prefix: str) -> list[str]:
    unknown = set(data) - set(properties)
    if unknown:
        raise ValueError(f"keys not in the schema: {sorted(unknown)}")
    lines: list[str] = []
    for key in properties:
        if key not in data:
            continue
        prefix = first_prefix if not lines else indent
        lines += _render_entry(key, data[key], properties[key], prefix, indent)
    return lines


def _render_entry(key: str, value: Any, schema: dict[str, Any], prefix: str, indent: str) -> list[str]:
    if isinstance(value, Fill):
        return [f"{prefix}{key}:  # {FILL_MARK}: {value.note}"]
    if isinstance(value, Example):
        return [f"{prefix}# {key}: {value.example}  ({value.note})"]
    if isinstance(value, dict):
        return [f"{prefix}{key}:", *_render_mapping(value, schema.get("properties", {}), indent + "  ", indent + "  ")]
    if isinstance(value, list):
        lines = [f"{prefix}{key}:"]
        item_properties = schema.get("items", {}).get("properties", {})
        for item in value:
            if isinstance(item, dict):
                lines += _render_mapping(item, item_properties, indent + "    ", indent + "  - ")
            else:
                lines.append(f"{indent}  - {render_scalar(item, quoted=key in ALWAYS_QUOTED)}")
        return lines
    return [f"{prefix}{key}: {render_scalar(value, quoted=key in ALWAYS_QUOTED)}"]


_PLAIN_START = re.compile(r"[^\W\d_]")


def render_scalar(value: str | dt.date, *, quoted: bool = False) -> str:
    """A date as ISO date; text plain where YAML reads it back as the same text, else double-quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if not quoted and _is_plain_text(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _is_plain_text(text: str) -> bool:
    if not text or text != text.strip() or not _PLAIN_START.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or any(char in text for char in "\t\n\"'{}[]`|>*&!%@"):
        return False
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


# --- register values ----------------------------------------------------------------------------------


def resolve_register_value(value: str, entries: dict[str, RegisterEntry]) -> str | None:
    """A register id given as the id itself or as a printed name, short name or alias."""
    if value in entries:
        return value
    entry = find_by_alias(value, entries)
    return entry.id if entry else None


# --- checking before writing --------------------------------------------------------------------------


def target_path(root: Path, reference: str) -> Path:
    """``14/2048-1`` -> ``<root>/14/14-2048-1.md``."""
    return root / expected_relative_path(reference)


def check_before_writing(text: str, target: Path, root: Path, registers: Registers) -> list[Problem]:
    """All problems ``check`` would report for ``text`` written to ``target``, without writing it there.

    The text is checked as a file at the same relative path in a scratch corpus, with the real
    registers, by the one validator (``load_document``); problems name the real target path.
    """
    relative = target.resolve().relative_to(root.resolve())
    shown = display_path(target)
    with tempfile.TemporaryDirectory(prefix="drucksache-") as scratch:
        probe = Path(scratch) / relative
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_text(text, encoding="utf-8")
        loaded = load_document(probe, Path(scratch), registers)
        shown_probe = display_path(probe)
    return [replace(problem, path=shown) if problem.path == shown_probe else problem for problem in loaded.problems]


# --- new: a skeleton ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Consultation:
    committee: str  # register id
    meeting: dt.date | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class NewDocument:
    reference: str
    paper_type: PaperType
    date: dt.date
    title: str | None = None
    subject: str | None = None
    faction: str | None = None  # register id
    inquiry: str | None = None
    issuer: str | None = None
    consultations: tuple[Consultation, ...] = ()
    topics: tuple[str, ...] = ()
    questions: int = 1


@dataclass(frozen=True, slots=True)
class Skeleton:
    text: str
    derived: tuple[str, ...]  # what was filled in without being given, for the editor to confirm


def derived_inquiry(reference: str) -> str | None:
    """An answer's number is the inquiry's with a supplement: ``14/2048-1`` answers ``14/2048``."""
    base, dash, _ = reference.partition("-")
    return base if dash else None


def build_skeleton(new: NewDocument, registers: Registers) -> Skeleton:
    derived: list[str] = []
    paper_type = new.paper_type
    faction = registers.factions.get(new.faction) if new.faction else None
    data: dict[str, Any] = {"nummer": new.reference, "art": paper_type.value}
    data["titel"] = new.title or Fill("kurzer Titel, z. B. „Verbesserung der Bildungssituation“")
    if new.subject:
        data["betreff"] = new.subject
    elif paper_type.is_answer and faction and new.title:
        data["betreff"] = f"Antwort auf die Anfrage der {faction.name}: {new.title}"
        derived.append(f"betreff: „{data['betreff']}“ (Standardform; bitte mit dem gedruckten Betreff vergleichen)")
    else:
        data["betreff"] = Fill("die Betreffzeile, wie sie gedruckt ist")
    data["datum"] = new.date
    data["status"] = "öffentlich"
    if new.faction:
        data["fraktion"] = new.faction
    elif paper_type.needs_faction:
        data["fraktion"] = Fill("ID der anfragenden Fraktion aus register/fraktionen.yml")
    if paper_type.is_answer:
        inquiry = new.inquiry or derived_inquiry(new.reference)
        if inquiry and not new.inquiry:
            derived.append(f"anfrage: {inquiry} (aus der Nummer {new.reference} abgeleitet)")
        data["anfrage"] = inquiry or Fill("Nummer der beantworteten Anfrage, z. B. „14/2048“")
    data["beratungsfolge"] = [_consultation(row, paper_type, derived) for row in new.consultations] or Example(
        "[{gremium: ID aus register/gremien.yml, sitzung: JJJJ-MM-TT, status: zur Kenntnis, top: \"5\"}]", "optional"
    )
    data["themen"] = list(new.topics) or Example("[bildung, soziales]", "optional: IDs aus register/themen.yml")
    data["urheber"] = new.issuer or _default_issuer(paper_type, faction, derived)
    data["zustaendig"] = Example("{referat: …, sachbearbeitung: „Name, Vorname“, referatsleitung: …}", "optional")
    data["aktenzeichen"] = Example('"…"', "optional")
    data["original"] = Example('{url: "https://…", sha256: "…"}', "optional: das amtliche PDF mit Prüfsumme")
    data["bezuege"] = Example('["14/1780"]', "optional: Nummern weiterer Drucksachen")
    return Skeleton(render_document(data, skeleton_body(paper_type, new.questions)), tuple(derived))


def _consultation(row: Consultation, paper_type: PaperType, derived: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"gremium": row.committee}
    if row.meeting:
        item["sitzung"] = row.meeting
    if row.status:
        item["status"] = row.status
    elif paper_type.is_answer:
        item["status"] = ANSWER_STATUS
        derived.append(f"beratungsfolge: {row.committee} „{ANSWER_STATUS}“ (Antworten werden zur Kenntnis gegeben)")
    else:
        item["status"] = Fill("Beratungsstatus: zur Kenntnis, Vorberatung, Beratung oder Entscheidung")
    return item


def _default_issuer(paper_type: PaperType, faction: RegisterEntry | None, derived: list[str]) -> str | Fill:
    if paper_type in (PaperType.INQUIRY, PaperType.MOTION):
        if faction is None:
            return Fill("Herausgeber, z. B. der Name der Fraktion")
        derived.append(f"urheber: „{faction.name}“ (die Fraktion)")
        return faction.name
    derived.append(f"urheber: „{ADMINISTRATION}“")
    return ADMINISTRATION


def skeleton_body(paper_type: PaperType, questions: int) -> str:
    if paper_type not in (PaperType.INQUIRY, PaperType.ANSWER):
        return f"{FILL_MARK}: Text der Drucksache (Absätze durch Leerzeilen trennen)\n"
    parts = [
        "## Anfrage",
        f"{FILL_MARK}: Text der Anfrage (Absätze durch Leerzeilen trennen)",
        "\n".join(f"{n}. {FILL_MARK}: Wortlaut der Frage {n}" for n in range(1, questions + 1)),
    ]
    if paper_type.is_answer:
        parts.append("## Antwort")
        for n in range(1, questions + 1):
            parts += [f"### {n}. {FILL_MARK}: Wortlaut der Frage {n}", f"{FILL_MARK}: Antwort auf Frage {n}"]
    return "\n\n".join(parts) + "\n"
