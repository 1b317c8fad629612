"""``scripts/drucksache.py check`` as editors and CI run it: exit codes, German output, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import Result, run
from conftest import REPO, TempCorpus

FIXTURES = Path(__file__).parent / "fixtures" / "validation"


def golden(case: str) -> str:
    return (FIXTURES / f"{case}.md").read_text("utf-8")


def expected_lines(case: str) -> list[str]:
    return (FIXTURES / f"{case}.expected").read_text("utf-8").splitlines()


def add_case(corpus: TempCorpus, case: str, relative: str = "14/14-2048-1.md", nummer: str = "14/2048-1") -> None:
    """A golden case; with another ``nummer`` (the cases all use 14/2048-1) to avoid duplicates."""
    corpus.write(relative, golden(case).replace('nummer: "14/2048-1"', f'nummer: "{nummer}"'))
    shutil.copy(FIXTURES / "anlage.pdf", (corpus.root / relative).parent / "anlage.pdf")


def test_real_corpus_has_no_problems() -> None:
    files = [path for path in (REPO / "drucksachen").rglob("*.md") if "register" not in path.relative_to(REPO / "drucksachen").parts]
    assert files
    result = run("check", cwd=REPO)
    assert result == Result(0, f"Keine Probleme: {len(files)} Datei(en) geprüft.\n", "")


def test_real_document_alone() -> None:
    result = run("check", "drucksachen/14/14-2048-1.md", cwd=REPO)
    assert result == Result(0, "Keine Probleme: 1 Datei(en) geprüft.\n", "")


def test_broken_file_exits_1_with_all_problems(corpus: TempCorpus) -> None:
    add_case(corpus, "mehrere-fehler")
    result = run("check", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 1
    assert result.stdout.splitlines() == expected_lines("mehrere-fehler")
    assert result.stderr == "\n6 Problem(e) gefunden (1 Datei(en) geprüft).\n"


def test_every_problem_line_has_the_editor_format(corpus: TempCorpus) -> None:
    add_case(corpus, "yaml-umwandlung", "14/14-2048-1.md")
    add_case(corpus, "register-unbekannt", "14/14-2049.md", nummer="14/2049")
    result = run("check", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected_lines("yaml-umwandlung")) + len(expected_lines("register-unbekannt"))
    for line in lines:
        path, number, field, message = line.split(":", 3)
        assert path in ("drucksachen/14/14-2048-1.md", "drucksachen/14/14-2049.md")
        assert number.isdigit()
        assert field.startswith(" ") and field.strip()
        assert message.startswith(" ") and message.strip()


def test_github_actions_annotations(corpus: TempCorpus) -> None:
    add_case(corpus, "unbekanntes-feld")
    plain = run("check", cwd=corpus.root.parent, env={"DRUCKSACHEN_DIR": "drucksachen"})
    assert "::error" not in plain.stdout
    result = run("check", cwd=corpus.root.parent, env={"DRUCKSACHEN_DIR": "drucksachen", "GITHUB_ACTIONS": "true"})
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0::2] == expected_lines("unbekanntes-feld")
    assert lines[1::2] == [
        "::error file=drucksachen/14/14-2048-1.md,line=1,title=Drucksache::titel: Pflichtfeld fehlt",
        "::error file=drucksachen/14/14-2048-1.md,line=4,title=Drucksache::titl: unbekanntes Feld; meinten Sie „titel“? "
        "(erlaubt: aktenzeichen, anfrage, art, beratungsfolge, betreff, bezuege, datum, fraktion, nummer, original, status, themen, "
        "titel, urheber, zustaendig)",
        "::error file=drucksachen/14/14-2048-1.md,line=19,title=Drucksache::farbe: unbekanntes Feld "
        "(erlaubt: aktenzeichen, anfrage, art, beratungsfolge, betreff, bezuege, datum, fraktion, nummer, original, status, themen, "
        "titel, urheber, zustaendig)",
        "::error file=drucksachen/14/14-2048-1.md,line=21,title=Drucksache::zustaendig.referant: unbekanntes Feld; meinten Sie „referat“? "
        "(erlaubt: bereich, referat, referatsleitung, sachbearbeitung)",
    ]


def test_checking_one_file_reports_only_that_file(corpus: TempCorpus) -> None:
    add_case(corpus, "gueltig", "14/14-2048-1.md")
    add_case(corpus, "typangabe", "15/15-1.md", nummer="15/1")
    add_case(corpus, "nicht-oeffentlich", "15/15-2.md", nummer="15/2")
    cwd = corpus.root.parent

    whole = run("check", cwd=cwd, env={"DRUCKSACHEN_DIR": "drucksachen"})
    assert whole.code == 1
    assert {line.split(":")[0] for line in whole.stdout.splitlines()} == {"drucksachen/15/15-1.md", "drucksachen/15/15-2.md"}

    assert run("check", "drucksachen/14/14-2048-1.md", cwd=cwd) == Result(0, "Keine Probleme: 1 Datei(en) geprüft.\n", "")

    one = run("check", "drucksachen/15/15-2.md", cwd=cwd)
    assert one.code == 1
    assert one.stdout.splitlines() == [
        "drucksachen/15/15-2.md:7: status: nur Drucksachen mit Status „öffentlich“ dürfen veröffentlicht werden; diese Datei wird nicht veröffentlicht",
    ]
    assert one.stderr == "\n1 Problem(e) gefunden (1 Datei(en) geprüft).\n"

    folder = run("check", "drucksachen/15", cwd=cwd)
    assert folder.code == 1
    assert folder.stdout == whole.stdout
    assert folder.stderr == "\n3 Problem(e) gefunden (2 Datei(en) geprüft).\n"


def test_checking_one_file_also_reports_register_problems(corpus: TempCorpus) -> None:
    add_case(corpus, "gueltig")
    corpus.write("14/14-9.md", "kaputt\n")
    corpus.write("register/themen.yml", "- id: bildung\n  name: Bildung\n- id: bildung\n  name: Schule\n")
    result = run("check", "drucksachen/14/14-2048-1.md", cwd=corpus.root.parent)
    assert result.code == 1
    assert result.stdout.splitlines() == [
        "drucksachen/14/14-2048-1.md:17: themen[2]: „soziales“ steht nicht im Register register/themen.yml",
        "drucksachen/register/themen.yml:3: [2].id: ID „bildung“ ist doppelt vergeben",
    ]


def test_drucksachen_dir_selects_the_corpus(corpus: TempCorpus) -> None:
    add_case(corpus, "unmoegliches-datum")
    # From the repository the default corpus is the real one, which is fine ...
    assert run("check", cwd=REPO).code == 0
    # ... DRUCKSACHEN_DIR points the same command at another corpus.
    result = run("check", cwd=REPO, env={"DRUCKSACHEN_DIR": str(corpus.root)})
    assert result.code == 1
    shown = corpus.root.as_posix() + "/14/14-2048-1.md"
    assert result.stdout.splitlines() == [line.replace("drucksachen/14/14-2048-1.md", shown) for line in expected_lines("unmoegliches-datum")]
    assert result.stderr == "\n2 Problem(e) gefunden (1 Datei(en) geprüft).\n"


def test_drucksachen_dir_relative_to_the_working_directory(corpus: TempCorpus) -> None:
    add_case(corpus, "front-matter-leer")
    result = run("check", cwd=corpus.root.parent, env={"DRUCKSACHEN_DIR": "drucksachen"})
    assert (result.code, result.stdout.splitlines()) == (1, expected_lines("front-matter-leer"))


def test_non_utf8_file(corpus: TempCorpus) -> None:
    raw = golden("gueltig").encode("cp1252")
    corpus.write("14/14-2048-1.md", raw)
    first_bad_byte = next(index for index, byte in enumerate(raw) if byte >= 0x80)
    result = run("check", "drucksachen/14/14-2048-1.md", cwd=corpus.root.parent)
    assert result.code == 1
    assert result.stdout == f"drucksachen/14/14-2048-1.md:1: Datei: keine gültige UTF-8-Datei (Byte {first_bad_byte}); bitte als UTF-8 speichern\n"


def test_nonexistent_path_exits_2(corpus: TempCorpus) -> None:
    result = run("check", "drucksachen/14/gibt-es-nicht.md", cwd=corpus.root.parent)
    assert result == Result(2, "", "drucksachen/14/gibt-es-nicht.md: Datei oder Verzeichnis nicht gefunden\n")


def test_nonexistent_path_outside_any_corpus_exits_2(tmp_path: Path) -> None:
    result = run("check", "nirgends/14-1.md", cwd=tmp_path)
    assert result == Result(2, "", "nirgends/14-1.md: Datei oder Verzeichnis nicht gefunden\n")


def test_path_outside_a_corpus_exits_2(tmp_path: Path) -> None:
    (tmp_path / "14-1.md").write_text(golden("gueltig"), "utf-8")
    result = run("check", "14-1.md", cwd=tmp_path)
    assert result == Result(2, "", "Fehler: Kein Verzeichnis mit Drucksachen gefunden (erwartet wird ein Ordner mit register/).\n")


USAGE = "Aufruf: drucksache.py [-h] BEFEHL ...\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param((), "Angabe fehlt: BEFEHL", id="ohne-befehl"),
        pytest.param(("pruefen",), "BEFEHL: unbekannte Auswahl 'pruefen' (möglich: 'check', 'new', 'import')", id="unbekannter-befehl"),
        pytest.param(("check", "--alles"), "unbekannte Angabe(n): --alles", id="unbekannte-option"),
    ],
)
def test_usage_errors_are_german(args: tuple[str, ...], error: str) -> None:
    result = run(*args, cwd=REPO)
    assert result == Result(2, "", f"{USAGE}drucksache.py: Fehler: {error}\n")


@pytest.mark.parametrize(
    ("args", "usage", "lines"),
    [
        ((), USAGE, ["Werkzeuge für Drucksachen.", "Argumente:", "    check     Drucksachen prüfen (wie der Build der Website)"]),
        (("check",), "Aufruf: drucksache.py check [-h] [PFAD ...]\n", ["  PFAD        Dateien oder Verzeichnisse; ohne Angabe: alle Drucksachen"]),
    ],
)
def test_help_is_german(args: tuple[str, ...], usage: str, lines: list[str]) -> None:
    result = run(*args, "--help", cwd=REPO)
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.startswith(usage)
    shown = result.stdout.splitlines()
    for line in [*lines, "Optionen:", "  -h, --help  diese Hilfe anzeigen und beenden"]:
        assert line in shown
    for english in ("usage", "positional arguments", "options:", "show this help"):
        assert english not in result.stdout
