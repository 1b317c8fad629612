"""Import a Drucksache from the administration's standard layout (text or PDF) into front matter and body.

The layout (``tests/fixtures/quellen/drucksache-14-2048-1.txt`` is the reference):

    header block     issuer | letterhead; "Drucksache Nr.:14/2048-1"; date; type | public status
    Beratungsfolge   table: committee | Beratungsstatus | Sitzung am | TOP (one row per committee)
    Betreff          "**Betreff: Antwort auf die Anfrage der Fraktion X: Titel**" (one or more lines)
    inquiry          quoted context paragraphs and the numbered questions ("1. …", sub-questions "1.1 …")
    "Antwort:"       then each question repeated, followed by its answer paragraphs
    signature table  Sachbearbeiter/in | Referat / Referatsleiter/in | Bereich / Beigeordnete/r | Regionaldirektor
                     names; then "Akt.zeichen" and the file reference

Rules:

- Nothing is guessed silently. A printed value that cannot be mapped (a committee or faction not in
  the registers, an unknown type or Beratungsstatus) becomes a :class:`~ratsdok.scaffold.Fill` that
  names the printed value; ``check`` fails on it until the editor decides. Whatever was derived or
  repaired is reported as a note.
- The text stays faithful: every word of the inquiry and the answer appears in the body, in order;
  only the line "Antwort:" becomes the heading "## Antwort", and the questions become "### N. …"
  headings in the answer part. Emphasis (``**…**``, ``*…*``) is kept.
- Signature table columns go where their printed header puts them: "Sachbearbeiter/in" ->
  ``sachbearbeitung``; "Referat / Referatsleiter/in" -> ``referatsleitung`` for a person
  ("Name, Vorname"), ``referat`` for a unit; "Bereich / Beigeordnete/r" -> ``bereich`` for a unit
  (there is no field for a person there: reported). A unit whose code says otherwise ("R3 …" in
  the Bereich column) is reported, not moved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .importer_layout import (
    BodyBuilder,
    ImportFailure,
    Line,
    Note,
    decode_text,
    extract_pdf_text,
    join_lines,
    split_lines,
    strip_emphasis,
)
from .model import PUBLIC_STATUS, PaperType, RegisterEntry, Registers
from .problems import quote
from .registers import find_by_alias
from .scaffold import ADMINISTRATION, Fill, derived_inquiry
from .schema_check import load_schema

__all__ = ["ImportFailure", "Imported", "Note", "import_document", "import_text", "read_source"]

NON_PUBLIC_STATUS = "nichtöffentlich"


@dataclass(slots=True)
class Imported:
    reference: str
    status: str | None  # "öffentlich", "nichtöffentlich" or None when not printed
    front_matter: dict[str, Any]
    body: str
    filled: list[str] = field(default_factory=list)  # what was taken over, one line each
    notes: list[Note] = field(default_factory=list)

    @property
    def blocking(self) -> list[Note]:
        return [note for note in self.notes if note.blocking]


def read_source(raw: bytes) -> str:
    """The text of a source file: a PDF (recognised by its signature, not its name) or UTF-8 text."""
    return extract_pdf_text(raw) if raw.lstrip()[:5] == b"%PDF-" else decode_text(raw)


def import_document(raw: bytes, registers: Registers) -> Imported:
    return import_text(read_source(raw), registers)


def import_text(text: str, registers: Registers) -> Imported:
    parts = _find_parts(split_lines(text))
    builder = _Builder(registers)
    builder.read_header(parts.header)
    builder.read_subject(parts.subject)
    builder.resolve_faction()
    builder.resolve_inquiry()
    builder.read_signature(parts.signature)
    body = BodyBuilder(builder.notes).build(parts.body, builder.paper_type)
    builder.filled.append(f"Text: {body.summary}")
    builder.suggest_topics(body.text)
    notes = sorted(builder.notes, key=lambda note: _key_rank(note.field))
    return Imported(builder.reference, builder.status, builder.front_matter(), body.text, sorted(builder.filled, key=_key_rank), notes)


def _key_rank(line: str) -> int:
    """Sort report lines ("beratungsfolge[1]: …", "zustaendig.referat: …") as the file is: the schema's key order, the text last."""
    order = list(load_schema("drucksache")["properties"])
    name = re.split(r"[\[.:]", line, maxsplit=1)[0]
    return order.index(name) if name in order else len(order)


# --- the parts of the layout --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parts:
    header: list[Line]
    subject: list[Line]
    body: list[Line]
    signature: list[Line]


_SUBJECT = re.compile(r"Betreff\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"Sachbearbeit", re.IGNORECASE)


def _find_parts(lines: list[Line]) -> _Parts:
    start = next((i for i, line in enumerate(lines) if _SUBJECT.match(strip_emphasis(line.text))), None)
    if start is None:
        raise ImportFailure("Layout nicht erkannt: keine Zeile „Betreff: …“ gefunden")
    end = start + 1
    while end < len(lines) and lines[end].text.strip(" \t"):  # the Betreff runs to the next blank line
        end += 1
    signature = next((i for i in range(end, len(lines)) if lines[i].is_row and _SIGNATURE.match(lines[i].cells[0])), len(lines))
    return _Parts(lines[:start], lines[start:end], lines[end:signature], lines[signature:])


# --- header, Betreff and signature table -----------------------------------------------------------------

_REFERENCE = re.compile(r"Drucksache\s*(?:Nr\.?)?\s*:?\s*([1-9]\d*)\s*/\s*(\d+)(?:\s*-\s*(\d+))?", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_STATUS_CELL = re.compile(r"(nicht\s*-?\s*)?öffentlich", re.IGNORECASE)
_PAPER_TYPES = {
    "fraktionsanfrage antwort": PaperType.ANSWER,
    "antwort fraktionsanfrage": PaperType.ANSWER,
    "antwort auf fraktionsanfrage": PaperType.ANSWER,
    "antwort auf eine fraktionsanfrage": PaperType.ANSWER,
    "fraktionsanfrage": PaperType.INQUIRY,
    "fraktionsantrag": PaperType.MOTION,
    "beschlussvorlage": PaperType.DECISION_PROPOSAL,
    "informationsvorlage": PaperType.INFORMATION,
}
# "Antwort auf die Anfrage der Fraktion X: Titel", "Anfrage der SPD-Fraktion: Titel", "Antrag der Fraktion X: Titel"
_SUBJECT_PARTS = re.compile(
    r"(?:Antwort auf (?:die|den) )?(?:Fraktions)?(?:Anfrage|Antrag) (?:der|des) (?P<who>[^:]+?)\s*:\s*(?P<title>.+)", re.IGNORECASE
)
_PERSON = re.compile(r"[^\d,;:/]+,\s*[^\d,;:/]+")
_UNIT_CODE = re.compile(r"(?P<kind>R|B|Referat|Bereich)\s?(?P<n>\d+)\b")
_WRAPPED_NAME = re.compile(r"(?<=[^\W\d_])- (?=[A-ZÄÖÜ])")
_FILE_REFERENCE_LABEL = re.compile(r"Akt(?:en)?\.?\s*-?\s*zeichen\s*:?\s*", re.IGNORECASE)


def _schema_enum(*path: str) -> list[str]:
    node: Any = load_schema("drucksache")["properties"]
    for part in path:
        node = node[part]
    return list(node["enum"])


class _Builder:
    """Collects the front-matter values, what was taken over and the notes, field by field."""

    def __init__(self, registers: Registers) -> None:
        self.registers = registers
        self.values: dict[str, Any] = {}
        self.filled: list[str] = []
        self.notes: list[Note] = []
        self.reference = ""
        self.status: str | None = None
        self.paper_type: PaperType | None = None
        self.printed_faction: str | None = None

    def fill(self, key: str, note: str, shown: str | None = None) -> Fill:
        """An open place: empty in the file, named in the notes (``shown`` is the field name for lists)."""
        self.notes.append(Note(shown or key, note, blocking=True))
        return Fill(note)

    def note(self, key: str, message: str) -> None:
        self.notes.append(Note(key, message))

    # header

    def read_header(self, header: list[Line]) -> None:
        rows = [line for line in header if line.text.strip(" \t")]
        table_start = next((i for i, line in enumerate(rows) if line.cells[0].casefold().startswith("beratungsfolge")), len(rows))
        head, table = rows[:table_start], rows[table_start:]
        self._read_reference(head or rows)
        self._read_issuer(head)
        self._read_date(head)
        self._read_type_and_status(head)
        self._read_consultations(table)

    def _read_reference(self, rows: list[Line]) -> None:
        for line in rows:
            match = _REFERENCE.search(" ".join(line.cells))
            if match:
                term, number, supplement = match.groups()
                self.reference = f"{term}/{number}" + (f"-{supplement}" if supplement else "")
                self.values["nummer"] = self.reference
                self.filled.append(f"nummer: {self.reference}")
                return
        raise ImportFailure("Layout nicht erkannt: keine Drucksachen-Nummer („Drucksache Nr.: 14/2048-1“) im Kopf gefunden")

    def _read_issuer(self, head: list[Line]) -> None:
        first = head[0].cells[0] if head else ""
        if first and not _REFERENCE.search(first) and not _DATE.search(first) and re.search(r"[^\W\d_]", first):
            self.values["urheber"] = first
            self.filled.append(f"urheber: {first}")
        else:
            self.values["urheber"] = self.fill("urheber", f"Herausgeber nicht im Kopf gefunden, z. B. „{ADMINISTRATION}“")

    def _read_date(self, head: list[Line]) -> None:
        for line in head:
            text = " ".join(line.cells)
            if _REFERENCE.search(text):
                text = _REFERENCE.sub("", text)
            match = _DATE.search(text)
            if match:
                date = _to_date(match)
                if date is None:
                    self.values["datum"] = self.fill("datum", f"gedruckt {quote(match.group())} ist kein gültiges Datum")
                else:
                    self.values["datum"] = date
                    self.filled.append(f"datum: {date.isoformat()}")
                return
        self.values["datum"] = self.fill("datum", "Datum der Drucksache nicht im Kopf gefunden (JJJJ-MM-TT)")

    def _read_type_and_status(self, head: list[Line]) -> None:
        printed_type = ""
        for line in head:
            cells = [cell for cell in line.cells if cell]
            matches = [(cell, match) for cell in cells if (match := _STATUS_CELL.fullmatch(cell))]
            if matches:
                self.status = NON_PUBLIC_STATUS if matches[0][1].group(1) is not None else PUBLIC_STATUS
                printed_type = " ".join(cell for cell in cells if cell != matches[0][0])
                break
        if not printed_type:
            printed_type = next((cell for line in head for cell in line.cells if _paper_type(cell)), "")
        paper_type = _paper_type(printed_type)
        if paper_type is None:
            allowed = ", ".join(_schema_enum("art"))
            shown = f"gedruckt {quote(printed_type)} ist keine bekannte Art" if printed_type else "Art der Drucksache nicht im Kopf gefunden"
            self.values["art"] = self.fill("art", f"{shown}; erlaubt: {allowed}")
        else:
            self.paper_type = paper_type
            self.values["art"] = paper_type.value
            self.filled.append(f"art: {paper_type.value} (gedruckt: {quote(printed_type)})")
        if self.status is not None:
            self.values["status"] = self.status
            self.filled.append(f"status: {self.status}")

    def _read_consultations(self, table: list[Line]) -> None:
        if not table:
            self.note("beratungsfolge", "keine Tabelle „Beratungsfolge“ im Kopf gefunden; bitte bei Bedarf eintragen")
            return
        roles = [_consultation_role(cell) for cell in table[0].cells]
        rows: list[list[str]] = []
        for line in table[1:]:
            if line.is_row or not rows:
                rows.append(list(line.cells))
            else:  # a committee name wrapped onto a second line
                rows[-1][0] = join_lines([rows[-1][0], line.text])
        items = [self._consultation(index, dict(zip(roles, row, strict=False))) for index, row in enumerate(rows, start=1)]
        if items:
            self.values["beratungsfolge"] = items
        else:
            self.note("beratungsfolge", "die Tabelle „Beratungsfolge“ hat keine Zeilen")

    def _consultation(self, index: int, row: dict[str, str]) -> dict[str, Any]:
        at = f"beratungsfolge[{index}]"
        item: dict[str, Any] = {}
        printed = " ".join(row.get("gremium", "").split())
        committee = find_by_alias(printed, self.registers.committees) if printed else None
        if committee is not None:
            item["gremium"] = committee.id
            shown = f"{committee.id} (gedruckt: {quote(printed)})"
        elif printed:
            item["gremium"] = self.fill(
                "gremium",
                f"{quote(printed)} steht nicht im Register register/gremien.yml; ID eintragen oder das Register ergänzen (Alias)",
                f"{at}.gremium",
            )
            shown = f"nicht erkannt: {quote(printed)}"
        else:
            item["gremium"] = self.fill("gremium", "kein Gremium in der Zeile der Beratungsfolge", f"{at}.gremium")
            shown = "ohne Gremium"
        meeting = row.get("sitzung", "")
        match = _DATE.fullmatch(meeting)
        if match and _to_date(match):
            item["sitzung"] = _to_date(match)
            shown += f", Sitzung {item['sitzung'].isoformat()}"
        elif meeting:
            item["sitzung"] = self.fill("sitzung", f"gedruckt {quote(meeting)} ist kein gültiges Datum (JJJJ-MM-TT)", f"{at}.sitzung")
        printed_status = " ".join(row.get("status", "").split())
        allowed = _schema_enum("beratungsfolge", "items", "properties", "status")
        status = next((value for value in allowed if value.casefold() == printed_status.casefold()), None)
        if status:
            item["status"] = status
            shown += f", {status}"
        else:
            problem = f"gedruckt {quote(printed_status)} ist kein bekannter Beratungsstatus" if printed_status else "Beratungsstatus fehlt"
            item["status"] = self.fill("status", f"{problem}; erlaubt: {', '.join(allowed)}", f"{at}.status")
        top = re.sub(r"^TOP\s*", "", row.get("top", ""), flags=re.IGNORECASE).strip()
        if top:
            item["top"] = top
            shown += f", TOP {top}"
        self.filled.append(f"{at}: {shown}")
        return item

    # Betreff

    def read_subject(self, lines: list[Line]) -> None:
        text = strip_emphasis(join_lines([strip_emphasis(line.text.replace("\t", " ")) for line in lines]))
        subject = _SUBJECT.sub("", text, count=1).strip()
        if not subject:
            self.values["titel"] = self.fill("titel", "kurzer Titel (der Betreff ist leer)")
            self.values["betreff"] = self.fill("betreff", "die Betreffzeile ist im Dokument leer")
            return
        self.values["betreff"] = subject
        self.filled.append(f"betreff: {subject}")
        parts = _SUBJECT_PARTS.fullmatch(subject)
        title = parts.group("title").strip() if parts else subject
        max_title = int(load_schema("drucksache")["properties"]["titel"]["maxLength"])
        if len(title) > max_title:
            self.values["titel"] = self.fill("titel", f"kurzer Titel (höchstens {max_title} Zeichen); der Betreff ist dafür zu lang")
        else:
            self.values["titel"] = title
            source = "der Teil des Betreffs nach der Fraktion" if parts else "der ganze Betreff"
            self.filled.append(f"titel: {title} ({source})")
        if parts:
            self.printed_faction = " ".join(parts.group("who").split())

    def resolve_faction(self) -> None:
        printed = self.printed_faction
        entry = _find_faction(printed, self.registers.factions) if printed else None
        if entry is not None:
            self.values["fraktion"] = entry.id
            self.filled.append(f"fraktion: {entry.id} (gedruckt: {quote(printed)})")
        elif printed:
            self.values["fraktion"] = self.fill(
                "fraktion",
                f"{quote(printed)} steht nicht im Register register/fraktionen.yml; ID eintragen oder das Register ergänzen (Alias)",
            )
        elif self.paper_type is not None and self.paper_type.needs_faction:
            self.values["fraktion"] = self.fill("fraktion", "anfragende Fraktion nicht im Betreff gefunden; ID aus register/fraktionen.yml eintragen")

    def resolve_inquiry(self) -> None:
        if self.paper_type is None or not self.paper_type.is_answer:
            return
        inquiry = derived_inquiry(self.reference)
        if inquiry:
            self.values["anfrage"] = inquiry
            self.filled.append(f"anfrage: {inquiry} (aus der Nummer {self.reference} abgeleitet)")
        else:
            self.values["anfrage"] = self.fill("anfrage", "Nummer der beantworteten Anfrage, z. B. „14/2048“ (nicht aus der Nummer ableitbar)")

    # signature table

    def read_signature(self, lines: list[Line]) -> None:
        rows = [line for line in lines if line.text.strip(" \t")]
        if not rows:
            self.note("zustaendig", "keine Unterschriftentabelle („Sachbearbeiter/in …“) gefunden; zuständige Stelle bitte bei Bedarf eintragen")
            return
        roles = [_signature_role(cell) for cell in rows[0].cells]
        responsible: dict[str, list[str]] = {}
        for line in rows[1:]:
            cells = list(line.cells)
            label = _FILE_REFERENCE_LABEL.match(cells[0])
            if label:
                value = next((cell for cell in [cells[0][label.end() :], *cells[1:]] if cell.strip()), "")
                if value:
                    self.values["aktenzeichen"] = value.strip()
                    self.filled.append(f"aktenzeichen: {value.strip()}")
                continue
            for role, cell in zip(roles, cells, strict=False):
                if cell:
                    responsible.setdefault(role, []).append(" ".join(cell.split()))
        self._responsibility(responsible)

    def _responsibility(self, columns: dict[str, list[str]]) -> None:
        result: dict[str, str] = {}
        for role, cells in columns.items():
            for cell in cells:
                key = self._responsibility_key(role, cell)
                if key is None:
                    continue
                value = self._person(key, cell) if key in ("sachbearbeitung", "referatsleitung") else cell
                result[key] = f"{result[key]}; {value}" if key in result else value
        if result:
            order = list(load_schema("drucksache")["properties"]["zustaendig"]["properties"])
            self.values["zustaendig"] = {key: result[key] for key in order if key in result}
            self.filled += [f"zustaendig.{key}: {self.values['zustaendig'][key]}" for key in self.values["zustaendig"]]

    def _responsibility_key(self, role: str, cell: str) -> str | None:
        person = bool(_PERSON.fullmatch(cell)) and not _UNIT_CODE.match(cell)
        if role == "clerk":
            return "sachbearbeitung"
        if role == "unit":
            return "referatsleitung" if person else "referat"
        if role == "department":
            if person:
                self.note("zustaendig", f"{quote(cell)} (Spalte „Bereich / Beigeordnete/r“) ist eine Person; dafür gibt es kein Feld – nicht übernommen")
                return None
            code = _UNIT_CODE.match(cell)
            if code and code.group("kind") in ("R", "Referat"):
                self.note(
                    "zustaendig.bereich",
                    f"{quote(cell)} steht in der Spalte „Bereich / Beigeordnete/r“, das Kürzel {quote(code.group().strip())} bezeichnet "
                    "aber ein Referat; bitte prüfen, ob es unter „referat“ gehört",
                )
            return "bereich"
        if role == "unknown":
            self.note("zustaendig", f"{quote(cell)} steht in einer unbekannten Spalte der Unterschriftentabelle – nicht übernommen")
        return None

    def _person(self, key: str, cell: str) -> str:
        repaired = _WRAPPED_NAME.sub("-", cell)
        if repaired != cell:
            self.note(f"zustaendig.{key}", f"{quote(cell)} als {quote(repaired)} übernommen (Trennstrich am Zeilenende); bitte prüfen")
        return repaired

    # topics

    def suggest_topics(self, body: str) -> None:
        words = Counter(word.casefold() for word in re.findall(r"[^\W\d_]+", body))
        found = []
        for entry in self.registers.topics.values():
            names = {entry.name, entry.short_name, *entry.aliases}
            count = sum(words[name.casefold()] for name in names if " " not in name)
            if count:
                found.append((count, entry.id))
        hint = "Themen stehen nicht im Dokument; bitte IDs aus register/themen.yml eintragen"
        if found:
            hint += "; Vorschlag nach Wörtern im Text: " + ", ".join(f"{topic} ({count}×)" for count, topic in sorted(found, key=lambda f: (-f[0], f[1])))
        self.note("themen", hint)

    def front_matter(self) -> dict[str, Any]:
        """The values in the schema's key order."""
        return {key: self.values[key] for key in load_schema("drucksache")["properties"] if key in self.values}


def _to_date(match: re.Match[str]) -> dt.date | None:
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _paper_type(printed: str) -> PaperType | None:
    return _PAPER_TYPES.get(re.sub(r"[^a-zäöüß]+", " ", printed.casefold()).strip())


def _consultation_role(header: str) -> str:
    text = header.casefold()
    if "status" in text:
        return "status"
    if "sitzung" in text or "datum" in text:
        return "sitzung"
    if text.startswith("top") or "tagesordnung" in text:
        return "top"
    return "gremium" if "beratungsfolge" in text or "gremium" in text else text


def _signature_role(header: str) -> str:
    text = header.casefold()
    if "sachbearbeit" in text:
        return "clerk"
    if "referat" in text:
        return "unit"
    if "bereich" in text or "beigeordnet" in text:
        return "department"
    if "regionaldirektor" in text:
        return "director"
    return "unknown"


def _find_faction(printed: str, factions: dict[str, RegisterEntry]) -> RegisterEntry | None:
    """The printed faction by its register names: "Fraktion X", "X", "X-Fraktion"."""
    candidates = [printed, re.sub(r"^Fraktion\s+", "", printed), re.sub(r"[-\s]Fraktion$", "", printed)]
    for candidate in candidates:
        entry = find_by_alias(candidate, factions)
        if entry is not None:
            return entry
    return None
