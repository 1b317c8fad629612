#!/usr/bin/env python3
"""Tools for editors: check, create and import Drucksachen.

    python scripts/drucksache.py check                    # the whole corpus, exactly as the site build checks it
    python scripts/drucksache.py check drucksachen/14/14-2048-1.md
    python scripts/drucksache.py new --nummer 14/2050-1 --art fraktionsanfrage-antwort \
        --titel "Radwege im Emscher Landschaftspark" --fraktion gruene \
        --gremium digitalisierung-bildung-innovation --sitzung 2025-09-18 --themen bildung --fragen 3
    python scripts/drucksache.py import Drucksache_14-2048-1.pdf     # or the text of it (.txt)

``new`` writes a skeleton at the path the number gives (drucksachen/14/14-2050-1.md); ``import``
converts a document in the administration's standard layout. Both write into DRUCKSACHEN_DIR (or
--verzeichnis; default drucksachen/), never overwrite a file (``import --ersetzen`` does), check
the file with the same validator as ``check`` before writing it, and mark every place the editor
must still fill in with "AUSFÜLLEN" (in the front matter an empty value, which ``check`` rejects).

Exit codes:
    check        0 no problems, 1 problems found, 2 wrong usage
    new, import  0 written and ``check`` passes; 1 written but with places still to fill in
                 (``check`` fails until then), or refused (the file exists, the document is not
                 public, the registers are broken); 2 wrong usage or unreadable input
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import logging
import os
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from ratsdok.load import display_path, load_corpus
from ratsdok.model import PUBLIC_STATUS, PaperType, RegisterEntry, Registers
from ratsdok.problems import Problem, quote
from ratsdok.registers import REGISTER_DIR, load_registers, suggest_id
from ratsdok.scaffold import (
    FILL_MARK,
    Consultation,
    NewDocument,
    build_skeleton,
    check_before_writing,
    render_document,
    resolve_register_value,
    target_path,
)
from ratsdok.schema_check import load_schema

if TYPE_CHECKING:
    from ratsdok.importer import Imported

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "drucksachen"
# Results of unchanged files are kept here between checks (content-keyed; .cache/ is not versioned).
CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "ratsdok"


class GermanArgumentParser(argparse.ArgumentParser):
    """argparse with German usage, help and error messages: editors read them, not programmers."""

    _ERRORS = (
        (re.compile(r"the following arguments are required: (.+)"), r"Angabe fehlt: \1"),
        (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"\1: unbekannte Auswahl \2 (möglich: \3)"),
        (re.compile(r"unrecognized arguments: (.+)"), r"unbekannte Angabe(n): \1"),
        (re.compile(r"argument (.+?): invalid int value: (.+)"), r"\1: keine ganze Zahl: \2"),
        (re.compile(r"argument (.+?): expected one argument"), r"\1: Wert fehlt"),
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


class UsageError(Exception):
    """A wrong value on the command line; the message is German (exit code 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = GermanArgumentParser(
        prog="drucksache.py",
        description="Werkzeuge für Drucksachen.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    check = commands.add_parser("check", help="Drucksachen prüfen (wie der Build der Website)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PFAD", help="Dateien oder Verzeichnisse; ohne Angabe: alle Drucksachen")
    new = _add_new_parser(commands)
    _add_import_parser(commands)
    arguments = parser.parse_args(argv)
    if arguments.command == "new":
        return run_new(arguments, new)
    if arguments.command == "import":
        return run_import(arguments.datei, _corpus_root_for_writing(arguments.verzeichnis), replace=arguments.ersetzen)
    return run_check(arguments.paths)


def _add_new_parser(commands: Any) -> GermanArgumentParser:
    new = commands.add_parser(
        "new",
        help="eine neue Drucksache anlegen (Gerüst mit Stellen zum Ausfüllen)",
        description="Legt drucksachen/<Wahlperiode>/<Nummer>.md an. Angegebene Werte werden eingetragen; "
        f"was fehlt, ist mit „{FILL_MARK}“ markiert. Eine vorhandene Datei wird nie überschrieben.",
    )
    new.add_argument("--nummer", required=True, metavar="NR", help="Drucksachen-Nummer, z. B. 14/2050-1")
    new.add_argument("--art", required=True, choices=[paper_type.value for paper_type in PaperType], metavar="ART",
                     help="Art: " + ", ".join(paper_type.value for paper_type in PaperType))
    new.add_argument("--titel", help="kurzer Titel")
    new.add_argument("--betreff", help="Betreffzeile wie gedruckt (bei einer Antwort sonst aus Fraktion und Titel gebildet)")
    new.add_argument("--datum", metavar="DATUM", help="Datum der Drucksache, JJJJ-MM-TT oder TT.MM.JJJJ (Vorgabe: heute)")
    new.add_argument("--fraktion", metavar="ID", help="anfragende Fraktion: ID oder Name aus register/fraktionen.yml")
    new.add_argument("--anfrage", metavar="NR", help="bei einer Antwort: Nummer der Anfrage (Vorgabe: aus der Nummer, 14/2050-1 → 14/2050)")
    new.add_argument("--gremium", action="append", default=[], metavar="ID", help="Gremium der Beratungsfolge (ID oder Name); mehrfach möglich")
    new.add_argument("--sitzung", action="append", default=[], metavar="DATUM", help="Sitzungsdatum, in der Reihenfolge der --gremium-Angaben")
    new.add_argument("--beratungsstatus", action="append", default=[], metavar="STATUS",
                     help="Beratungsstatus, in der Reihenfolge der --gremium-Angaben (Vorgabe bei einer Antwort: zur Kenntnis)")
    new.add_argument("--themen", action="append", default=[], metavar="IDS", help="Themen: IDs aus register/themen.yml, durch Kommas getrennt")
    new.add_argument("--urheber", help="Herausgeber (Vorgabe: Der Regionaldirektor; bei Anfrage und Antrag die Fraktion)")
    new.add_argument("--fragen", type=int, metavar="N", help="bei Anfrage und Antwort: Zahl der Fragen im Gerüst (Vorgabe: 1)")
    new.add_argument("--verzeichnis", type=Path, metavar="PFAD", help="Verzeichnis der Drucksachen (Vorgabe: DRUCKSACHEN_DIR oder drucksachen/)")
    parser: GermanArgumentParser = new
    return parser


def _add_import_parser(commands: Any) -> None:
    imported = commands.add_parser(
        "import",
        help="eine Drucksache aus PDF oder Text übernehmen",
        description="Übernimmt eine Drucksache im Standardlayout der Verwaltung (PDF oder Text) als Markdown-Datei. "
        f"Was nicht eindeutig zuzuordnen ist, wird genannt und mit „{FILL_MARK}“ markiert.",
    )
    imported.add_argument("datei", type=Path, metavar="DATEI", help="das amtliche PDF oder sein Text (.txt, UTF-8)")
    imported.add_argument("--ersetzen", action="store_true", help="eine vorhandene Datei ersetzen")
    imported.add_argument("--verzeichnis", type=Path, metavar="PFAD", help="Verzeichnis der Drucksachen (Vorgabe: DRUCKSACHEN_DIR oder drucksachen/)")


# --- new --------------------------------------------------------------------------------------------


def run_new(arguments: argparse.Namespace, parser: GermanArgumentParser) -> int:
    root = _corpus_root_for_writing(arguments.verzeichnis)
    registers = _registers(root)
    if registers is None:
        return 1
    try:
        new = _new_document(arguments, registers)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: Fehler: {error}", file=sys.stderr)
        return 2
    target = target_path(root, new.reference)
    if target.exists():
        print(f"Fehler: {display_path(target)} gibt es schon; nichts geändert.", file=sys.stderr)
        return 1
    skeleton = build_skeleton(new, registers)
    problems = check_before_writing(skeleton.text, target, root, registers)
    _write(target, skeleton.text)
    print(f"Angelegt: {display_path(target)}")
    if skeleton.derived:
        print("\nErgänzt (bitte prüfen):")
        for line in skeleton.derived:
            print(f"  - {line}")
    open_places = skeleton.text.count(FILL_MARK)
    print(f"\nNoch auszufüllen: {open_places} Stelle(n) mit „{FILL_MARK}“ (Kopfdaten und Text).")
    return _report_problems(problems)


def _new_document(arguments: argparse.Namespace, registers: Registers) -> NewDocument:
    reference = _reference(arguments.nummer, "--nummer")
    inquiry = _reference(arguments.anfrage, "--anfrage") if arguments.anfrage else None
    paper_type = PaperType(arguments.art)
    if inquiry and not paper_type.is_answer:
        raise UsageError(f"--anfrage gibt es nur bei --art {PaperType.ANSWER.value}")
    questions = 1 if arguments.fragen is None else arguments.fragen
    if not 1 <= questions <= 99:
        raise UsageError(f"--fragen: {questions} ist keine Zahl von 1 bis 99")
    if arguments.fragen is not None and paper_type not in (PaperType.INQUIRY, PaperType.ANSWER):
        raise UsageError(f"--fragen gibt es nur bei --art {PaperType.INQUIRY.value} oder {PaperType.ANSWER.value}")
    if len(arguments.sitzung) > len(arguments.gremium) or len(arguments.beratungsstatus) > len(arguments.gremium):
        raise UsageError("--sitzung und --beratungsstatus gehören zu einem --gremium; bitte zuerst das Gremium angeben")
    allowed_status = load_schema("drucksache")["properties"]["beratungsfolge"]["items"]["properties"]["status"]["enum"]
    for status in arguments.beratungsstatus:
        if status not in allowed_status:
            raise UsageError(f"--beratungsstatus: {quote(status)} ist nicht erlaubt (möglich: {', '.join(allowed_status)})")
    committees = [_register_id(value, registers.committees, "--gremium", "gremien") for value in arguments.gremium]
    meetings = [_date(value, "--sitzung") for value in arguments.sitzung]
    consultations = tuple(
        Consultation(
            committee,
            meetings[index] if index < len(meetings) else None,
            arguments.beratungsstatus[index] if index < len(arguments.beratungsstatus) else None,
        )
        for index, committee in enumerate(committees)
    )
    topics = [topic.strip() for value in arguments.themen for topic in value.split(",") if topic.strip()]
    return NewDocument(
        reference=reference,
        paper_type=paper_type,
        date=_date(arguments.datum, "--datum") if arguments.datum else dt.date.today(),
        title=_text(arguments.titel, "--titel"),
        subject=_text(arguments.betreff, "--betreff"),
        faction=_register_id(arguments.fraktion, registers.factions, "--fraktion", "fraktionen") if arguments.fraktion else None,
        inquiry=inquiry,
        issuer=_text(arguments.urheber, "--urheber"),
        consultations=consultations,
        topics=tuple(dict.fromkeys(_register_id(topic, registers.topics, "--themen", "themen") for topic in topics)),
        questions=questions,
    )


def _reference(value: str, option: str) -> str:
    pattern = load_schema("drucksache")["$defs"]["nummer"]["pattern"]
    value = value.strip()
    if not re.fullmatch(pattern, value):
        raise UsageError(f"{option}: {quote(value)} hat nicht die Form Wahlperiode/Nummer[-Ergänzung], z. B. 14/2048-1")
    return value


def _date(value: str, option: str) -> dt.date:
    text = value.strip()
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"{option}: {quote(value)} ist kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")


def _text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        raise UsageError(f"{option}: der Wert ist leer")
    return text


def _register_id(value: str, entries: dict[str, RegisterEntry], option: str, register: str) -> str:
    resolved = resolve_register_value(value.strip(), entries)
    if resolved is not None:
        return resolved
    message = f"{option}: {quote(value)} steht nicht im Register register/{register}.yml"
    suggestion = suggest_id(value, entries)
    raise UsageError(message + (f"; meinten Sie {quote(suggestion)}?" if suggestion else f" (möglich: {', '.join(entries)})"))


# --- import -----------------------------------------------------------------------------------------


def run_import(source: Path, root: Path, *, replace: bool) -> int:
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        print(f"Fehler: {source}: Datei nicht gefunden", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Fehler: {source}: nicht lesbar ({error.strerror})", file=sys.stderr)
        return 2
    registers = _registers(root)
    if registers is None:
        return 1
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its English warnings are not for editors
    from ratsdok.importer import ImportFailure, import_document  # here: loading the PDF reader slows every check

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            imported = import_document(raw, registers)
    except ImportFailure as error:
        print(f"Fehler: {source}: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a fault of the importer must still not show an editor a traceback
        print(f"Fehler: {source}: der Import ist an diesem Dokument gescheitert ({type(error).__name__}: {error}); "
              "bitte Datei und Meldung an die Entwicklung geben. Nichts geschrieben.", file=sys.stderr)
        return 2
    if imported.status != PUBLIC_STATUS:
        state = "ist nicht öffentlich" if imported.status else "hat keinen erkennbaren Status „Öffentlich“"
        print(f"Abgelehnt: Drucksache {imported.reference} {state}; nur öffentliche Drucksachen werden übernommen. Nichts geschrieben.", file=sys.stderr)
        return 1
    target = target_path(root, imported.reference)
    if target.exists() and not replace:
        print(f"Abgelehnt: {display_path(target)} gibt es schon; nichts geändert. Mit --ersetzen wird die Datei ersetzt.", file=sys.stderr)
        return 1
    text = render_document(imported.front_matter, imported.body)
    problems = check_before_writing(text, target, root, registers)
    if any(problem.field in ("YAML", "Front Matter") for problem in problems):  # the importer wrote something unreadable
        _report_problems(problems)
        print("Abgelehnt: die erzeugten Kopfdaten sind nicht lesbar (Fehler des Imports); nichts geschrieben.", file=sys.stderr)
        return 1
    existed = target.exists()
    _write(target, text)
    _print_import_report(imported, target, raw, replaced=existed)
    return _report_problems(problems)


def _print_import_report(imported: Imported, target: Path, raw: bytes, *, replaced: bool) -> None:
    print(f"{'Ersetzt' if replaced else 'Geschrieben'}: {display_path(target)}")
    print("\nÜbernommen:")
    for line in imported.filled:
        print(f"  {line}")
    hints = [note for note in imported.notes if not note.blocking]
    if raw.lstrip()[:5] == b"%PDF-":
        digest = hashlib.sha256(raw).hexdigest()
        print(f"\nDas amtliche PDF (Prüfsumme {digest}) kann als original: {{url: \"https://…\", sha256: {digest}}} eingetragen werden.")
    if hints:
        print("\nBitte prüfen oder ergänzen:")
        for note in hints:
            print(f"  - {note}")
    if imported.blocking:
        print(f"\nMuss noch ausgefüllt werden (in der Datei mit „{FILL_MARK}“ markiert):")
        for note in imported.blocking:
            print(f"  - {note}")


# --- shared -----------------------------------------------------------------------------------------


def _corpus_root_for_writing(option: Path | None) -> Path:
    if option is not None:
        return option
    configured = os.environ.get("DRUCKSACHEN_DIR")
    return Path(configured) if configured else DEFAULT_CORPUS


def _registers(root: Path) -> Registers | None:
    if not (root / REGISTER_DIR).is_dir():
        print(f"Fehler: {display_path(root)} ist kein Verzeichnis mit Drucksachen (register/ fehlt).", file=sys.stderr)
        raise SystemExit(2)
    registers, problems = load_registers(root, display_path(root))
    if problems:
        _print_problems(problems)
        print("\nAbgelehnt: die Register haben Probleme; bitte zuerst beheben. Nichts geschrieben.", file=sys.stderr)
        return None
    return registers


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")


def _report_problems(problems: list[Problem]) -> int:
    """After writing: 0 when ``check`` passes the file, else the problems and 1."""
    if not problems:
        print("\nPrüfung wie „check“: keine Probleme.")
        return 0
    print(f"\nPrüfung wie „check“: {len(problems)} Problem(e), bis die markierten Stellen ausgefüllt sind:")
    _print_problems(problems)
    return 1


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
    corpus = load_corpus(corpus_root, cache_dir=CACHE_DIR, save_in_background=True)
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
    # A short run whose objects (a million at 10,000 files) form no cycles: the cycle collector's passes over
    # them, and its last one at exit, would only cost time.
    gc.disable()
    gc.freeze()
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as error:
        print(f"Fehler: {error.strerror}: {error.filename}", file=sys.stderr)
        sys.exit(2)

