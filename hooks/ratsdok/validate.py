"""Checks beyond the schema: file naming, publication status, register ids, self-references."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from .coerce import Coerced, JsonPath, field_name
from .model import PUBLIC_STATUS, PaperType, RegisterEntry, Registers, slug_for
from .problems import Problem, quote
from .registers import suggest_id

Report = Callable[[JsonPath, str], None]

_REFERENCE = re.compile(r"[1-9][0-9]*/[0-9]+(-[0-9]+)?")


def expected_relative_path(reference: str) -> str:
    """``14/2048-1`` -> ``14/14-2048-1.md`` (relative to the corpus root)."""
    return f"{reference.split('/', 1)[0]}/{slug_for(reference)}.md"


def _relative_posix(file: Path, root: Path) -> str:
    """``file.relative_to(root).as_posix()`` without pathlib's parsing (about 5 % of a check's time)."""
    below = str(root).rstrip(os.sep) + os.sep
    text = str(file)
    if text.startswith(below) and os.sep + "." not in text[len(below) - 1 :]:
        return text[len(below) :].replace(os.sep, "/")
    return file.relative_to(root).as_posix()


def validate_document(
    data: dict[str, Any], coerced: Coerced, registers: Registers, file: Path, root: Path, path: str
) -> list[Problem]:
    problems: list[Problem] = []

    def report(at: JsonPath, message: str) -> None:
        problems.append(Problem(path, coerced.line_of(at), field_name(at), message))

    relative_path = _relative_posix(file, root)

    reference = _text(data.get("nummer"))
    if reference and _REFERENCE.fullmatch(reference):
        expected = expected_relative_path(reference)
        if relative_path != expected:
            report(("nummer",), f"Dateiname passt nicht zur Nummer {quote(reference)}: erwartet {quote(expected)}")

    status = data.get("status")
    if isinstance(status, str) and status != PUBLIC_STATUS:
        report(("status",), f"nur Drucksachen mit Status {quote(PUBLIC_STATUS)} dürfen veröffentlicht werden; diese Datei wird nicht veröffentlicht")

    paper_type = _paper_type(data.get("art"))
    inquiry = _text(data.get("anfrage"))
    if paper_type is not None:
        if paper_type.is_answer and "anfrage" not in data:
            report(("anfrage",), "Pflichtfeld bei einer Antwort: die Nummer der beantworteten Anfrage")
        if inquiry and not paper_type.is_answer:
            report(("anfrage",), f"nur bei Art {quote(PaperType.ANSWER.value)} erlaubt")
        if paper_type.needs_faction and "fraktion" not in data:
            report(("fraktion",), f"Pflichtfeld bei Art {quote(paper_type.value)}")
    if inquiry and inquiry == reference:
        report(("anfrage",), "eine Antwort kann sich nicht selbst beantworten; hier gehört die Nummer der beantworteten Anfrage hin")

    for index, related in enumerate(_list(data.get("bezuege"))):
        if related == reference:
            report(("bezuege", index), "eine Drucksache kann sich nicht auf sich selbst beziehen")

    original = data.get("original")
    if isinstance(original, dict) and isinstance(original.get("pfad"), str):
        _check_original_file(file.parent, root, original["pfad"], original.get("sha256"), report)

    _check_id(data.get("fraktion"), ("fraktion",), registers.factions, "fraktionen", report)
    for index, row in enumerate(_list(data.get("beratungsfolge"))):
        if isinstance(row, dict):
            _check_id(row.get("gremium"), ("beratungsfolge", index, "gremium"), registers.committees, "gremien", report)
    for index, topic in enumerate(_list(data.get("themen"))):
        _check_id(topic, ("themen", index), registers.topics, "themen", report)
    return problems


def _check_original_file(folder: Path, root: Path, written: str, expected: Any, report: Report) -> None:
    """The official PDF must be in the corpus and unchanged (its checksum pins it)."""
    resolved = (folder / written).resolve()
    if PurePosixPath(written).is_absolute() or root.resolve() not in resolved.parents:
        report(("original", "pfad"), f"{quote(written)} liegt nicht im Verzeichnis der Drucksachen; bitte einen Pfad relativ zur Drucksache angeben")
        return
    try:
        digest = hashlib.sha256((folder / written).read_bytes()).hexdigest()
    except OSError:
        report(("original", "pfad"), f"Datei {quote(written)} nicht gefunden (der Pfad gilt relativ zur Drucksache)")
        return
    if isinstance(expected, str) and digest != expected:
        report(("original", "sha256"), f"Prüfsumme passt nicht zur Datei {quote(written)} (berechnet: {digest})")


def _check_id(value: Any, at: JsonPath, entries: dict[str, RegisterEntry], register: str, report: Report) -> None:
    if not isinstance(value, str) or not value or value in entries:
        return
    message = f"{quote(value)} steht nicht im Register register/{register}.yml"
    suggestion = suggest_id(value, entries)
    if suggestion:
        message += f"; meinten Sie {quote(suggestion)}?"
    report(at, message)


def _paper_type(value: Any) -> PaperType | None:
    try:
        return PaperType(value)
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
