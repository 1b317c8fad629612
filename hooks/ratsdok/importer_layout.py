"""Read a Drucksache in the administration's print layout: lines, table cells, blocks, and the body's structure.

The layout (see ``tests/fixtures/quellen/README.md``): a tab separates the cells of a table row
(header block, Beratungsfolge, signature table); a blank line separates paragraphs; ``**…**`` and
``*…*`` mark bold and italic print. A PDF is brought into the same layout first
(:func:`extract_pdf_text`), so everything after it reads one format.

The body (inquiry, "Antwort:", questions with their answers) becomes Markdown here
(:class:`BodyBuilder`); ``importer`` reads the header and signature fields.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import PaperType
from .problems import quote

if TYPE_CHECKING:
    from pypdf import PageObject


class ImportFailure(Exception):
    """The input cannot be read as a Drucksache. The message is German and meant for the editor."""


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # tabs kept, surrounding spaces removed
    number: int  # 1-based line number in the (normalised) source

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(strip_emphasis(cell.strip()) for cell in self.text.split("\t"))

    @property
    def is_row(self) -> bool:
        return "\t" in self.text


Block = tuple[Line, ...]  # consecutive non-blank lines


@dataclass(frozen=True, slots=True)
class Note:
    """Something the editor must do (``blocking``: ``check`` fails until then) or should confirm."""

    field: str
    message: str
    blocking: bool = False

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


# --- text input -----------------------------------------------------------------------------------


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), one line ending, no form feeds or no-break spaces."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailure(f"keine gültige UTF-8-Textdatei (Byte {error.start}); bitte als UTF-8 speichern") from None
    if "\x00" in text:
        raise ImportFailure("keine Textdatei (enthält Binärdaten); erwartet wird eine .txt- oder .pdf-Datei")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def split_lines(text: str) -> list[Line]:
    return [Line(line.strip(" "), number) for number, line in enumerate(text.split("\n"), start=1)]


def split_blocks(lines: list[Line]) -> list[Block]:
    """Runs of non-blank lines; a line of only tabs and spaces is blank."""
    blocks: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if line.text.strip(" \t"):
            current.append(line)
        elif current:
            blocks.append(tuple(current))
            current = []
    if current:
        blocks.append(tuple(current))
    return blocks


_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}(?=\S)|(?<=\S)\*{1,2}(?![\w*])")


def strip_emphasis(text: str) -> str:
    """``**Betreff:**`` -> ``Betreff:``; a gender star inside a word (``Akteur*innen``) stays."""
    return _EMPHASIS.sub("", text).strip()


# Printed on a line of its own at the top or bottom of a page: "- 2 -", "Seite 2", "Seite 2 von 5".
PAGE_NUMBER = re.compile(r"[-–]\s*\d{1,3}\s*[-–]|Seite\s+\d{1,3}(?:\s+von\s+\d{1,3})?")
_PAIRED_WORD = re.compile(r"(?:und|oder|sowie|bzw\.|bis|als|wie)\b")


def join_lines(parts: list[str]) -> str:
    """One paragraph from the lines it was printed on.

    A line ending in a soft hyphen continues the word; a line ending in "-" after a letter is a
    compound split at the line end ("Startchancen-" + "Programm"), unless the next line starts with
    "und"/"oder"/… ("Teilhabe-" + "und Bildungschancen"): then the hyphen stands for a left-out word.
    """
    text = ""
    for part in (part.strip() for part in parts):
        if not part:
            continue
        if not text:
            text = part
        elif text.endswith("\u00ad"):
            text = text[:-1] + part
        elif re.search(r"[^\W\d_]-$", text) and not _PAIRED_WORD.match(part):
            text += part
        else:
            text += " " + part
    return text


# --- page-break artefacts -------------------------------------------------------------------------

_CLOSERS = "\"'“”„‚‘’»«)]*"
_LONG_PARAGRAPH_WORDS = 8


def ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS + " ")[-1:] in (".", "!", "?", ":")


def is_page_break_split(first: str, second: str) -> bool:
    """Whether two prose paragraphs are one paragraph split at a page break.

    Joined when the first does not end a sentence and the second starts in lowercase. In German a
    sentence also continues with a capitalised noun ("… und ihre" / "Wirksamkeit zu belegen"), so a
    second start in uppercase is joined too, but only after a paragraph of running text (at least
    eight words) that stops at a lowercase letter or a comma: a heading such as "Vorbemerkung" is
    short, and a list introduction ends with a colon. Every join is reported to the editor.
    """
    if not first or not second or ends_sentence(first):
        return False
    start = second.lstrip(_CLOSERS)[:1]
    if start.islower():
        return True
    stripped_first = first.rstrip("*")
    return (
        (stripped_first[-1:].islower() or stripped_first.endswith(","))
        and len(first.split()) >= _LONG_PARAGRAPH_WORDS
        and (start.isupper() or start in ("„", '"'))
    )


# --- PDF input ------------------------------------------------------------------------------------

_COLUMN_GAP = re.compile(r" {3,}")
_ADJACENT_RUNS = re.compile(r"(?<=[^\s*])(\*{1,2})([ \n]+)\1(?=[^\s*])")


def extract_pdf_text(raw: bytes) -> str:
    """The text of a PDF in the tab layout of the source texts.

    pypdf's layout mode keeps the horizontal positions (a wide gap between two pieces of text on
    one line becomes a tab, i.e. a table cell) and turns vertical space into blank lines
    (paragraphs). Text set in a bold or italic font is marked ``**…**`` / ``*…*``. Lines wrapped by
    the typesetting stay separate lines here; ``join_lines`` makes paragraphs of them.
    """
    from pypdf import PdfReader  # imported here: only the PDF import needs it

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportFailure("das PDF ist verschlüsselt; bitte eine unverschlüsselte Fassung verwenden")
        pages = []
        for page in reader.pages:
            layout = page.extract_text(extraction_mode="layout")
            pages.append(_mark_emphasis(_layout_to_cells(layout), _emphasis_runs(page)))
    except ImportFailure:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on damaged files
        raise ImportFailure(f"das PDF ist nicht lesbar ({type(error).__name__}: {error})") from None
    # a run broken by a page break is one run again: "*Sozialfinanzberichts*\n*Ruhr*" -> "*Sozialfinanzberichts\nRuhr*"
    text = _ADJACENT_RUNS.sub(r"\2", _join_pages(pages))
    if not re.search(r"\w", text):
        raise ImportFailure("das PDF enthält keinen Text (eingescannt?); bitte die Textfassung verwenden")
    return text


def _join_pages(pages: list[str]) -> str:
    """Pages in order. A paragraph that runs over a page break continues on the next page without a gap:
    the page ends mid-sentence in running text and the next page goes on with running text."""
    text = ""
    for page in pages:
        page = page.strip("\n")
        if not page:
            continue
        last = text.rstrip("\n").rsplit("\n", 1)[-1]
        first = page.split("\n", 1)[0]
        running_on = (
            last and not ends_sentence(last) and "\t" not in last and "\t" not in first and not re.match(r"\d{1,2}(\.\d{1,2})*[.)]?\s", first)
        )
        text = page if not text else text.rstrip("\n") + ("\n" if running_on else "\n\n") + page
    return text


def _layout_to_cells(page_text: str) -> str:
    lines = []
    for raw_line in page_text.split("\n"):
        line = raw_line.strip()
        if PAGE_NUMBER.fullmatch(line):
            line = ""
        lines.append(_COLUMN_GAP.sub("\t", line))
    return "\n".join(lines)


@dataclass(slots=True)
class _Run:
    marker: str  # "**" bold, "*" italic
    text: str


def _emphasis_runs(page: PageObject) -> list[_Run]:
    """Bold and italic runs of text in reading order, from the fonts pypdf reports for each piece."""
    runs: list[_Run] = []
    last_marker = ""

    def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
        nonlocal last_marker
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        marker = "**" if "bold" in name.lower() else "*" if re.search(r"italic|oblique", name, re.IGNORECASE) else ""
        if not text.strip():
            if marker and marker == last_marker and runs:
                runs[-1].text += " "
            return
        if marker and marker == last_marker and runs:
            runs[-1].text += text
        elif marker:
            runs.append(_Run(marker, text))
        last_marker = marker

    page.extract_text(visitor_text=visit)
    return [run for run in runs if re.search(r"\w", run.text)]


def _mark_emphasis(text: str, runs: list[_Run]) -> str:
    """Wrap each run's words, found in order, in its marker; a run that is not found stays unmarked."""
    cursor = 0
    for run in runs:
        words = run.text.split()
        pattern = re.compile(r"[ \t\n]+".join(re.escape(word) for word in words))
        match = pattern.search(text, cursor)
        if match is None:
            continue
        marked = f"{run.marker}{match.group()}{run.marker}"
        text = text[: match.start()] + marked + text[match.end() :]
        cursor = match.start() + len(marked)
    return text


# --- the body -----------------------------------------------------------------------------------------------

_ITEM = re.compile(r"(?P<number>\d{1,2}(?:\.\d{1,2})*)(?P<dot>[.)])?\s+(?=\S)")
_ANSWER_MARK = re.compile(r"Antwort(?: der Verwaltung)?\s*:?", re.IGNORECASE)
_SIMILAR = 0.8


@dataclass(slots=True)
class _Unit:
    """A paragraph, a numbered item or a table of the body, in order."""

    kind: str  # "prose", "item", "table"
    text: str = ""
    number: str = ""  # items: "1", "1.1"
    delimiter: str = "."  # items: "." or ")" as printed ("" for "1.1 …")
    rows: list[list[str]] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


@dataclass(frozen=True, slots=True)
class _Body:
    text: str
    summary: str


class BodyBuilder:
    def __init__(self, notes: list[Note]) -> None:
        self.notes = notes

    def note(self, message: str) -> None:
        self.notes.append(Note("Text", message))

    def build(self, lines: list[Line], paper_type: PaperType | None) -> _Body:
        units = self._join_page_breaks(self._units(split_blocks(lines)))
        if not units:
            self.notes.append(Note("Text", "kein Text zwischen Betreff und Unterschriftentabelle gefunden", blocking=False))
            return _Body("", "leer")
        answer_at = next((i for i, unit in enumerate(units) if unit.kind == "prose" and _ANSWER_MARK.fullmatch(strip_emphasis(unit.text))), None)
        if paper_type is PaperType.INQUIRY:
            return _Body("## Anfrage\n\n" + _render(units), f"{len(units)} Absätze als Anfrage")
        if paper_type is not PaperType.ANSWER or answer_at is None:
            if paper_type is PaperType.ANSWER:
                self.note("die Zeile „Antwort:“ fehlt; der Text ist ohne Gliederung übernommen – bitte Abschnitte „## Anfrage“ und „## Antwort“ setzen")
            return _Body(_render(units), f"{len(units)} Absätze ohne Gliederung")
        inquiry, answer = units[:answer_at], units[answer_at + 1 :]
        questions = _last_list(inquiry)
        answer_text, matched = self._answer(answer, questions)
        for question in questions:
            if question.number not in matched:
                self.note(f"Frage {question.number} der Anfrage im Antwortteil nicht gefunden; Gliederung bitte prüfen")
        if not questions:
            self.note("keine nummerierten Fragen in der Anfrage gefunden; Gliederung bitte prüfen")
        text = "## Anfrage\n\n" + _render(inquiry) + "\n\n## Antwort\n\n" + answer_text
        return _Body(text, f"Anfrage mit {len(questions)} Frage(n), Antwort auf {len(matched)} Frage(n)")

    def _units(self, blocks: list[Block]) -> list[_Unit]:
        units: list[_Unit] = []
        for block in blocks:
            lines = [line for line in block if not PAGE_NUMBER.fullmatch(strip_emphasis(line.text))]
            for dropped in (line for line in block if line not in lines):
                self.note(f"Seitenzahl {quote(dropped.text)} (Zeile {dropped.number}) weggelassen")
            if len(lines) >= 2 and all(line.is_row for line in lines) and len({len(line.cells) for line in lines}) == 1:
                units.append(_Unit("table", rows=[[" ".join(cell.split()) for cell in line.text.split("\t")] for line in lines]))
                self.note(f"Tabelle ab Zeile {lines[0].number} als Markdown-Tabelle übernommen; bitte prüfen")
                continue
            current: _Unit | None = None
            parts: list[str] = []
            for line in lines:
                text = " ".join(line.text.replace("\t", " ").split())
                item = _ITEM.match(text)
                if item and (item.group("dot") or "." in item.group("number")):
                    _close(units, current, parts)
                    current, parts = _Unit("item", number=item.group("number"), delimiter=item.group("dot") or ""), [text[item.end() :]]
                else:  # a paragraph's line, or the wrapped line of an item
                    if current is None:
                        current, parts = _Unit("prose"), []
                    parts.append(text)
            _close(units, current, parts)
        return units

    def _join_page_breaks(self, units: list[_Unit]) -> list[_Unit]:
        joined: list[_Unit] = []
        for unit in units:
            previous = joined[-1] if joined else None
            if previous and previous.kind in ("prose", "item") and unit.kind == "prose" and is_page_break_split(previous.text, unit.text):
                self.note(
                    f"Absatz an einem Seitenumbruch zusammengefügt: „…{_tail(previous.text)}“ + „{_head(unit.text)}…“; bitte prüfen"
                )
                previous.text = join_lines([previous.text, unit.text])
                continue
            joined.append(unit)
        return joined

    def _answer(self, units: list[_Unit], questions: list[_Unit]) -> tuple[str, set[str]]:
        parts: list[str] = []
        matched: set[str] = set()
        pending: list[_Unit] = []
        expected = 0
        for unit in units:
            position = self._question_position(unit, questions, expected)
            if position is None:
                pending.append(unit)
                continue
            if pending:
                parts.append(_render(pending))
                pending = []
            expected = position + 1 if questions else expected
            matched.add(unit.number)
            heading_text = strip_emphasis(unit.text) if unit.text.startswith("*") else unit.text
            parts.append(f"{'#' * (2 + unit.depth)} {unit.number}{unit.delimiter} {heading_text}")
        if pending:
            parts.append(_render(pending))
        return "\n\n".join(parts), matched

    def _question_position(self, unit: _Unit, questions: list[_Unit], expected: int) -> int | None:
        """Where ``unit`` repeats one of the inquiry's questions (from ``expected`` on), or None."""
        if unit.kind != "item":
            return None
        if not questions:
            if strip_emphasis(unit.text).rstrip().endswith("?"):
                self.note(f"Frage {unit.number} nur im Antwortteil gefunden (die Anfrage hat keine nummerierte Liste)")
                return 0
            return None
        for position in range(expected, len(questions)):
            question = questions[position]
            if question.number != unit.number:
                continue
            asked, repeated = _comparable(question.text), _comparable(unit.text)
            if asked == repeated:
                return position
            if difflib.SequenceMatcher(None, asked, repeated).ratio() >= _SIMILAR:
                self.note(f"Wortlaut von Frage {unit.number} weicht im Antwortteil leicht von der Anfrage ab; übernommen wie gedruckt")
                return position
        return None


def _close(units: list[_Unit], unit: _Unit | None, parts: list[str]) -> None:
    if unit is not None:
        unit.text = join_lines(parts)
        units.append(unit)


def _comparable(text: str) -> str:
    return " ".join(strip_emphasis(text).casefold().split())


def _last_list(units: list[_Unit]) -> list[_Unit]:
    """The numbered questions: the last run of items in the inquiry."""
    end = max((i for i, unit in enumerate(units) if unit.kind == "item"), default=-1)
    start = end
    while start > 0 and units[start - 1].kind == "item":
        start -= 1
    return units[start : end + 1] if end >= 0 else []


def _render(units: list[_Unit]) -> str:
    """Markdown: paragraphs separated by blank lines; a run of items is one list."""
    out: list[str] = []
    index = 0
    while index < len(units):
        unit = units[index]
        if unit.kind == "item":
            end = index
            while end + 1 < len(units) and units[end + 1].kind == "item":
                end += 1
            out.append(_render_list(units[index : end + 1]))
            index = end + 1
            continue
        out.append(_render_table(unit.rows) if unit.kind == "table" else _escape_paragraph(unit.text))
        index += 1
    return "\n\n".join(out)


def _render_list(items: list[_Unit]) -> str:
    """Top-level items as an ordered list; sub-items ("1.1 …") as nested bullets that keep their printed number.

    Markdown numbers an ordered list itself; where the printed numbers do not count up by one, each
    item is written as its own paragraph with the number escaped, so the printed numbers are shown.
    """
    top = [int(item.number) for item in items if item.depth == 1 and item.delimiter]
    if top != list(range(top[0], top[0] + len(top)) if top else []):
        return "\n\n".join(
            f"{item.number}\\{item.delimiter} {item.text}" if item.depth == 1 and item.delimiter else f"- {item.number}{item.delimiter} {item.text}"
            for item in items
        )
    lines: list[str] = []
    indent = ""
    for item in items:
        if item.depth == 1 and item.delimiter:
            lines.append(f"{item.number}{item.delimiter} {item.text}")
            indent = " " * (len(item.number) + 2)
        else:
            lines.append(f"{indent}- {item.number}{item.delimiter} {item.text}")
    return "\n".join(lines)


def _render_table(rows: list[list[str]]) -> str:
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * len(cells[0])]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def _escape_paragraph(text: str) -> str:
    """Keep a paragraph a paragraph: a leading "#" or ">" would make it a heading or a quote."""
    return "\\" + text if text[:1] in ("#", ">") else text


def _tail(text: str, words: int = 4) -> str:
    return " ".join(text.split()[-words:])


def _head(text: str, words: int = 4) -> str:
    return " ".join(text.split()[:words])

