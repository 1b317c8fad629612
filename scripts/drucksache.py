#!/usr/bin/env python3
"""Tools for editors: ``check`` validates Drucksachen exactly as the site build does.

    python scripts/drucksache.py check                    # the whole corpus
    python scripts/drucksache.py check drucksachen/14/14-2048-1.md

Exit codes: 0 no problems, 1 problems found, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from ratsdok.load import load_corpus
from ratsdok.problems import Problem
from ratsdok.registers import REGISTER_DIR

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "drucksachen"


class GermanArgumentParser(argparse.ArgumentParser):
    """argparse with German usage, help and error messages: editors read them, not programmers."""

    _ERRORS = (
        (re.compile(r"the following arguments are required: (.+)"), r"Angabe fehlt: \1"),
        (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"\1: unbekannte Auswahl \2 (möglich: \3)"),
        (re.compile(r"unrecognized arguments: (.+)"), r"unbekannte Angabe(n): \1"),
    )

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="diese Hilfe anzeigen und beenden")

    def format_usage(self) -> str:
        return self._german_usage(super().format_usage())

    def format_help(self) -> str:
        return self._german_usage(super().format_help())

    def error(self, message: str) -> NoReturn:
        for pattern, german in self._ERRORS:
            if pattern.fullmatch(message):
                message = pattern.sub(german, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {message}\n")

    @staticmethod
    def _german_usage(text: str) -> str:
        return re.sub(r"^usage: ", "Aufruf: ", text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = GermanArgumentParser(
        prog="drucksache.py",
        description="Werkzeuge für Drucksachen.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    check = commands.add_parser("check", help="Drucksachen prüfen (wie der Build der Website)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PFAD", help="Dateien oder Verzeichnisse; ohne Angabe: alle Drucksachen")
    arguments = parser.parse_args(argv)
    return run_check(arguments.paths)


def run_check(paths: list[Path]) -> int:
    missing = [path for path in paths if not path.exists()]
    if missing:
        for path in missing:
            print(f"{path}: Datei oder Verzeichnis nicht gefunden", file=sys.stderr)
        return 2
    corpus_root = _corpus_root(paths)
    if corpus_root is None:
        print("Fehler: Kein Verzeichnis mit Drucksachen gefunden (erwartet wird ein Ordner mit register/).", file=sys.stderr)
        return 2
    corpus = load_corpus(corpus_root)
    # Register problems always count: every document depends on the registers.
    selected = [problem for problem in corpus.problems if _is_selected(problem, paths, corpus_root / REGISTER_DIR)]
    _print_problems(selected)
    checked = corpus.files_seen if not paths else len(_selected_files(paths))
    if selected:
        print(f"\n{len(selected)} Problem(e) gefunden ({checked} Datei(en) geprüft).", file=sys.stderr)
        return 1
    print(f"Keine Probleme: {checked} Datei(en) geprüft.")
    return 0


def _corpus_root(paths: list[Path]) -> Path | None:
    """The corpus is the nearest directory with a ``register/`` folder above the given paths."""
    configured = os.environ.get("DRUCKSACHEN_DIR")
    if not paths:
        return Path(configured) if configured else DEFAULT_CORPUS
    start = paths[0].resolve()
    for candidate in (start, *start.parents):
        if (candidate / REGISTER_DIR).is_dir():
            return candidate
    return None


def _is_selected(problem: Problem, paths: list[Path], register_dir: Path) -> bool:
    if not paths:
        return True
    problem_path = Path(problem.path).resolve()
    return register_dir.resolve() in problem_path.parents or any(problem_path == path.resolve() or path.resolve() in problem_path.parents for path in paths)


def _selected_files(paths: list[Path]) -> set[Path]:
    files: set[Path] = set()
    for path in paths:
        files.update(path.resolve().rglob("*.md") if path.is_dir() else [path.resolve()])
    return files


def _print_problems(problems: list[Problem]) -> None:
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem)
        if in_actions:
            print(problem.github_annotation())


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as error:
        print(f"Fehler: {error.strerror}: {error.filename}", file=sys.stderr)
        sys.exit(2)

