"""Load the controlled vocabularies (committees, factions, topics) from ``register/*.yml``."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .coerce import coerce
from .model import RegisterEntry, RegisterKind, Registers
from .problems import Problem, quote
from .schema_check import load_schema, validate_against_schema
from .strict_yaml import parse_yaml

REGISTER_DIR = "register"


def load_registers(corpus_root: Path, display_root: str) -> tuple[Registers, list[Problem]]:
    problems: list[Problem] = []
    tables: dict[RegisterKind, dict[str, RegisterEntry]] = {}
    for kind in RegisterKind:
        file = corpus_root / REGISTER_DIR / f"{kind.value}.yml"
        shown = f"{display_root}/{REGISTER_DIR}/{file.name}"
        entries, file_problems = _load_register_file(file, shown)
        tables[kind] = entries
        problems.extend(file_problems)
    registers = Registers(
        committees=tables[RegisterKind.COMMITTEES],
        factions=tables[RegisterKind.FACTIONS],
        topics=tables[RegisterKind.TOPICS],
    )
    return registers, problems


def _load_register_file(file: Path, shown: str) -> tuple[dict[str, RegisterEntry], list[Problem]]:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return {}, [Problem(shown, 1, "Register", "Registerdatei fehlt")]
    except UnicodeDecodeError as error:
        return {}, [Problem(shown, 1, "Register", f"keine gültige UTF-8-Datei (Byte {error.start}); bitte als UTF-8 speichern")]
    except OSError as error:
        return {}, [Problem(shown, 1, "Register", f"Datei nicht lesbar ({error.strerror})")]
    node, problems = parse_yaml(text, shown)
    if node is None:
        return {}, problems or [Problem(shown, 1, "Register", "Register ist leer")]
    coerced = coerce(node, load_schema("register"), shown)
    # field_name() calls the root "Front Matter"; a register file has none.
    problems += [
        Problem(p.path, p.line, "Register", p.message) if p.field == "Front Matter" else p
        for p in coerced.problems + validate_against_schema(coerced, "register", shown)
    ]
    if problems:
        return {}, problems
    entries: dict[str, RegisterEntry] = {}
    for index, item in enumerate(coerced.value):
        entry = _entry_from(item)
        if entry.id in entries:
            line = coerced.line_of((index, "id"))
            problems.append(Problem(shown, line, f"[{index + 1}].id", f"ID {quote(entry.id)} ist doppelt vergeben"))
            continue
        entries[entry.id] = entry
    return dict(sorted(entries.items())), problems


def _entry_from(item: dict[str, Any]) -> RegisterEntry:
    oparl = item.get("oparl", {})
    return RegisterEntry(
        id=item["id"],
        name=item["name"],
        short_name=item.get("kurzname", item["name"]),
        aliases=tuple(item.get("aliase", ())),
        organization_type=oparl.get("organizationType"),
        classification=oparl.get("classification"),
    )


def suggest_id(value: str, entries: dict[str, RegisterEntry]) -> str | None:
    """The id an editor most likely meant: by name/alias first, then by spelling."""
    by_name = find_by_alias(value, entries)
    if by_name is not None:
        return by_name.id
    close = difflib.get_close_matches(value, list(entries), n=1, cutoff=0.5)
    return close[0] if close else None


def find_by_alias(text: str, entries: dict[str, RegisterEntry]) -> RegisterEntry | None:
    """Exact (case-insensitive) match of a printed name against names, short names and aliases."""
    wanted = " ".join(text.split()).casefold()
    for entry in entries.values():
        if wanted in {entry.name.casefold(), entry.short_name.casefold(), *(a.casefold() for a in entry.aliases)}:
            return entry
    return None
