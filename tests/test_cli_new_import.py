"""``scripts/drucksache.py new`` and ``import`` as editors run them: files, refusals, exit codes, German output, no traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from build_support import REAL_DOCUMENT_14_2048_1, SOURCE_14_2048_1
from cli_support import Result, run
from conftest import REPO, TempCorpus
from test_importer import typeset_pdf

IMPORT_FIXTURES = Path(__file__).parent / "fixtures" / "import"


def check(corpus: TempCorpus, *paths: str) -> Result:
    return run("check", *(paths or ("drucksachen",)), cwd=corpus.root.parent)


# --- new ---------------------------------------------------------------------------------------------

FULL_NEW = (
    "new", "--nummer", "14/2050-1", "--art", "fraktionsanfrage-antwort", "--titel", "Radwege im Emscher Landschaftspark",
    "--datum", "18.09.2025", "--fraktion", "GRÜNE", "--gremium", "digitalisierung-bildung-innovation", "--sitzung", "2025-09-25",
    "--gremium", "Ruhrparlament", "--themen", "bildung,soziales", "--fragen", "3",
)  # fmt: skip

EXPECTED_NEW = """\
---
nummer: "14/2050-1"
art: fraktionsanfrage-antwort
titel: Radwege im Emscher Landschaftspark
betreff: "Antwort auf die Anfrage der Fraktion Bündnis 90/Die Grünen: Radwege im Emscher Landschaftspark"
datum: 2025-09-18
status: öffentlich
fraktion: gruene
anfrage: "14/2050"
beratungsfolge:
  - gremium: digitalisierung-bildung-innovation
    sitzung: 2025-09-25
    status: zur Kenntnis
  - gremium: verbandsversammlung
    status: zur Kenntnis
themen:
  - bildung
  - soziales
urheber: Der Regionaldirektor
# zustaendig: {referat: …, sachbearbeitung: „Name, Vorname“, referatsleitung: …}  (optional)
# aktenzeichen: "…"  (optional)
# original: {url: "https://…", sha256: "…"}  (optional: das amtliche PDF mit Prüfsumme)
# bezuege: ["14/1780"]  (optional: Nummern weiterer Drucksachen)
---

## Anfrage

AUSFÜLLEN: Text der Anfrage (Absätze durch Leerzeilen trennen)

1. AUSFÜLLEN: Wortlaut der Frage 1
2. AUSFÜLLEN: Wortlaut der Frage 2
3. AUSFÜLLEN: Wortlaut der Frage 3

## Antwort

### 1. AUSFÜLLEN: Wortlaut der Frage 1

AUSFÜLLEN: Antwort auf Frage 1

### 2. AUSFÜLLEN: Wortlaut der Frage 2

AUSFÜLLEN: Antwort auf Frage 2

### 3. AUSFÜLLEN: Wortlaut der Frage 3

AUSFÜLLEN: Antwort auf Frage 3
"""


def test_new_with_all_required_options_passes_check(corpus: TempCorpus) -> None:
    result = run(*FULL_NEW, cwd=corpus.root.parent, env={"DRUCKSACHEN_DIR": "drucksachen"})
    assert result.code == 0, result
    assert result.stderr == ""
    assert result.stdout == (
        "Angelegt: drucksachen/14/14-2050-1.md\n\n"
        "Ergänzt (bitte prüfen):\n"
        "  - betreff: „Antwort auf die Anfrage der Fraktion Bündnis 90/Die Grünen: Radwege im Emscher Landschaftspark“ "
        "(Standardform; bitte mit dem gedruckten Betreff vergleichen)\n"
        "  - anfrage: 14/2050 (aus der Nummer 14/2050-1 abgeleitet)\n"
        "  - beratungsfolge: digitalisierung-bildung-innovation „zur Kenntnis“ (Antworten werden zur Kenntnis gegeben)\n"
        "  - beratungsfolge: verbandsversammlung „zur Kenntnis“ (Antworten werden zur Kenntnis gegeben)\n"
        "  - urheber: „Der Regionaldirektor“\n\n"
        "Noch auszufüllen: 10 Stelle(n) mit „AUSFÜLLEN“ (Kopfdaten und Text).\n\n"
        "Prüfung wie „check“: keine Probleme.\n"
    )
    assert (corpus.root / "14" / "14-2050-1.md").read_text("utf-8") == EXPECTED_NEW
    assert check(corpus) == Result(0, "Keine Probleme: 1 Datei(en) geprüft.\n", "")


def test_new_refuses_to_overwrite(corpus: TempCorpus) -> None:
    existing = corpus.write("14/14-2050-1.md", "von Hand\n")
    result = run(*FULL_NEW, "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result == Result(1, "", "Fehler: drucksachen/14/14-2050-1.md gibt es schon; nichts geändert.\n")
    assert existing.read_text("utf-8") == "von Hand\n"


def test_new_without_optional_values_marks_what_is_missing(corpus: TempCorpus) -> None:
    result = run("new", "--nummer", "14/2051", "--art", "beschlussvorlage", "--gremium", "verbandsversammlung", "--verzeichnis", "drucksachen",
                 cwd=corpus.root.parent)  # fmt: skip
    assert result.code == 1
    assert result.stdout.endswith(
        "Prüfung wie „check“: 3 Problem(e), bis die markierten Stellen ausgefüllt sind:\n"
        "drucksachen/14/14-2051.md:4: titel: Wert fehlt (das Feld ist leer)\n"
        "drucksachen/14/14-2051.md:5: betreff: Wert fehlt (das Feld ist leer)\n"
        "drucksachen/14/14-2051.md:10: beratungsfolge[1].status: Wert fehlt (das Feld ist leer)\n"
    )
    text = (corpus.root / "14" / "14-2051.md").read_text("utf-8")
    lines = text.splitlines()
    assert lines[3] == "titel:  # AUSFÜLLEN: kurzer Titel, z. B. „Verbesserung der Bildungssituation“"
    assert lines[9] == "    status:  # AUSFÜLLEN: Beratungsstatus: zur Kenntnis, Vorberatung, Beratung oder Entscheidung"
    assert f"datum: {dt.date.today().isoformat()}" in lines  # default: today
    assert text.endswith("---\n\nAUSFÜLLEN: Text der Drucksache (Absätze durch Leerzeilen trennen)\n")
    # check reports the same lines
    assert check(corpus).stdout == result.stdout.split("ausgefüllt sind:\n", 1)[1]


def test_new_inquiry_takes_the_faction_as_issuer(corpus: TempCorpus) -> None:
    result = run("new", "--nummer", "14/2052", "--art", "fraktionsanfrage", "--titel", "Radwege", "--betreff", "Radwege im Revier",
                 "--fraktion", "gruene", "--datum", "2025-09-01", "--verzeichnis", "drucksachen", cwd=corpus.root.parent)  # fmt: skip
    assert result.code == 0, result
    text = (corpus.root / "14" / "14-2052.md").read_text("utf-8")
    assert "urheber: Fraktion Bündnis 90/Die Grünen\n" in text and "\nanfrage:" not in text
    assert "## Antwort" not in text and "1. AUSFÜLLEN: Wortlaut der Frage 1\n" in text


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(("--nummer", "14-2050", "--art", "beschlussvorlage"),
                     "--nummer: „14-2050“ hat nicht die Form Wahlperiode/Nummer[-Ergänzung], z. B. 14/2048-1", id="nummer"),
        pytest.param(("--nummer", "14/2050", "--art", "beschlussvorlage", "--datum", "31.02.2025"),
                     "--datum: „31.02.2025“ ist kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ)", id="datum"),
        pytest.param(("--nummer", "14/2050-1", "--art", "fraktionsanfrage-antwort", "--fraktion", "grün"),
                     "--fraktion: „grün“ steht nicht im Register register/fraktionen.yml; meinten Sie „gruene“?", id="fraktion"),
        pytest.param(("--nummer", "14/2050", "--art", "beschlussvorlage", "--gremium", "Kulturausschuss"),
                     "--gremium: „Kulturausschuss“ steht nicht im Register register/gremien.yml", id="gremium"),
        pytest.param(("--nummer", "14/2050", "--art", "beschlussvorlage", "--sitzung", "2025-09-25"),
                     "--sitzung und --beratungsstatus gehören zu einem --gremium; bitte zuerst das Gremium angeben", id="sitzung-ohne-gremium"),
        pytest.param(("--nummer", "14/2050", "--art", "beschlussvorlage", "--fragen", "2"),
                     "--fragen gibt es nur bei --art fraktionsanfrage oder fraktionsanfrage-antwort", id="fragen"),
        pytest.param(("--nummer", "14/2050", "--art", "fraktionsanfrage", "--anfrage", "14/2049"),
                     "--anfrage gibt es nur bei --art fraktionsanfrage-antwort", id="anfrage"),
    ],
)
def test_new_wrong_values_exit_2(corpus: TempCorpus, args: tuple[str, ...], error: str) -> None:
    result = run("new", *args, "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Aufruf: drucksache.py new [-h] --nummer NR --art ART")
    assert result.stderr.splitlines()[-1].startswith(f"drucksache.py new: Fehler: {error}")
    assert not (corpus.root / "14").exists()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param((), "Angabe fehlt: --nummer, --art", id="ohne-angaben"),
        pytest.param(("--nummer", "14/1", "--art", "antwort"), "--art: unbekannte Auswahl 'antwort' (möglich: 'fraktionsanfrage', ", id="art"),
        pytest.param(("--nummer", "14/1", "--art", "beschlussvorlage", "--fragen", "zwei"), "--fragen: keine ganze Zahl: 'zwei'", id="fragen"),
        pytest.param(("--nummer",), "--nummer: Wert fehlt", id="wert-fehlt"),
    ],
)
def test_new_usage_errors_are_german(args: tuple[str, ...], error: str) -> None:
    result = run("new", *args, cwd=REPO)
    assert result.code == 2 and result.stdout == ""
    assert f"drucksache.py new: Fehler: {error}" in result.stderr


def test_new_outside_a_corpus_exits_2(tmp_path: Path) -> None:
    result = run(*FULL_NEW, "--verzeichnis", "nirgends", cwd=tmp_path)
    assert result == Result(2, "", "Fehler: nirgends ist kein Verzeichnis mit Drucksachen (register/ fehlt).\n")


def test_new_with_broken_registers_is_refused(corpus: TempCorpus) -> None:
    corpus.write("register/themen.yml", "- id: bildung\n  name: Bildung\n- id: bildung\n  name: Schule\n")
    result = run(*FULL_NEW, "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 1
    assert result.stdout == "drucksachen/register/themen.yml:3: [2].id: ID „bildung“ ist doppelt vergeben\n"
    assert "Abgelehnt: die Register haben Probleme" in result.stderr
    assert not (corpus.root / "14").exists()


# --- import ------------------------------------------------------------------------------------------


def test_import_source_text(corpus: TempCorpus) -> None:
    result = run("import", SOURCE_14_2048_1, cwd=corpus.root.parent, env={"DRUCKSACHEN_DIR": "drucksachen"})
    assert result.code == 0, result
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Geschrieben: drucksachen/14/14-2048-1.md"
    assert "  fraktion: gruene (gedruckt: „Fraktion Bündnis 90/Die Grünen“)" in lines
    assert "Bitte prüfen oder ergänzen:" in lines
    assert any(line.startswith("  - themen: Themen stehen nicht im Dokument") for line in lines)
    assert "Muss noch ausgefüllt werden" not in result.stdout
    assert lines[-1] == "Prüfung wie „check“: keine Probleme."
    written = (corpus.root / "14" / "14-2048-1.md").read_text("utf-8")
    committed = REAL_DOCUMENT_14_2048_1.read_text("utf-8")
    assert written.split("\n---\n", 1)[1] == committed.split("\n---\n", 1)[1]  # the same body
    assert check(corpus).code == 0


def test_import_refuses_to_overwrite_unless_asked(corpus: TempCorpus) -> None:
    cwd = corpus.root.parent
    existing = corpus.write("14/14-2048-1.md", "von Hand\n")
    refused = run("import", SOURCE_14_2048_1, "--verzeichnis", "drucksachen", cwd=cwd)
    assert refused == Result(1, "", "Abgelehnt: drucksachen/14/14-2048-1.md gibt es schon; nichts geändert. Mit --ersetzen wird die Datei ersetzt.\n")
    assert existing.read_text("utf-8") == "von Hand\n"
    replaced = run("import", SOURCE_14_2048_1, "--verzeichnis", "drucksachen", "--ersetzen", cwd=cwd)
    assert replaced.code == 0 and replaced.stdout.startswith("Ersetzt: drucksachen/14/14-2048-1.md\n")
    assert existing.read_text("utf-8").startswith('---\nnummer: "14/2048-1"\n')


def test_import_with_open_points_writes_marks_and_exits_1(corpus: TempCorpus) -> None:
    result = run("import", IMPORT_FIXTURES / "unbekannt.txt", "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 1
    assert result.stdout.startswith("Geschrieben: drucksachen/14/14-2103-1.md\n")
    assert (
        "Muss noch ausgefüllt werden (in der Datei mit „AUSFÜLLEN“ markiert):\n"
        "  - fraktion: „Fraktion Die PARTEI“ steht nicht im Register register/fraktionen.yml; ID eintragen oder das Register ergänzen (Alias)\n"
        "  - beratungsfolge[1].gremium: „Kulturausschuss“ steht nicht im Register register/gremien.yml; ID eintragen oder das Register ergänzen (Alias)\n"
        "\n"
        "Prüfung wie „check“: 2 Problem(e), bis die markierten Stellen ausgefüllt sind:\n"
        "drucksachen/14/14-2103-1.md:8: fraktion: Wert fehlt (das Feld ist leer)\n"
        "drucksachen/14/14-2103-1.md:11: beratungsfolge[1].gremium: Wert fehlt (das Feld ist leer)\n"
    ) in result.stdout
    assert check(corpus).code == 1
    # The editor fills in the two places; then check passes.
    file = corpus.root / "14" / "14-2103-1.md"
    text = file.read_text("utf-8").splitlines()
    assert text[7].startswith("fraktion:  # AUSFÜLLEN:") and text[10].startswith("  - gremium:  # AUSFÜLLEN:")
    text[7], text[10] = "fraktion: gruene", "  - gremium: verbandsversammlung"
    file.write_text("\n".join(text) + "\n", "utf-8")
    assert check(corpus).code == 0


def test_import_of_a_non_public_document_is_refused(corpus: TempCorpus) -> None:
    result = run("import", IMPORT_FIXTURES / "nicht-oeffentlich.txt", "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result == Result(
        1, "", "Abgelehnt: Drucksache 14/2105-1 ist nicht öffentlich; nur öffentliche Drucksachen werden übernommen. Nichts geschrieben.\n"
    )
    assert not (corpus.root / "14").exists()


def test_import_windows_line_endings(corpus: TempCorpus, tmp_path: Path) -> None:
    source = tmp_path / "windows.txt"
    source.write_bytes(SOURCE_14_2048_1.read_bytes().replace(b"\n", b"\r\n"))
    result = run("import", source, "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 0, result
    written = (corpus.root / "14" / "14-2048-1.md").read_bytes()
    assert b"\r" not in written


def test_import_pdf_gives_the_same_file_as_its_text(corpus: TempCorpus, tmp_path: Path) -> None:
    cwd = corpus.root.parent
    from_text = run("import", SOURCE_14_2048_1, "--verzeichnis", "drucksachen", cwd=cwd)
    assert from_text.code == 0
    text_version = (corpus.root / "14" / "14-2048-1.md").read_text("utf-8")
    pdf = tmp_path / "Drucksache 14-2048-1.pdf"
    pdf.write_bytes(typeset_pdf(SOURCE_14_2048_1.read_text("utf-8")))
    from_pdf = run("import", pdf, "--verzeichnis", "drucksachen", "--ersetzen", cwd=cwd)
    assert from_pdf.code == 0, from_pdf
    assert (corpus.root / "14" / "14-2048-1.md").read_text("utf-8") == text_version
    assert "Das amtliche PDF (Prüfsumme " in from_pdf.stdout and "sha256" in from_pdf.stdout


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(None, "Datei nicht gefunden", id="fehlt"),
        pytest.param(b"%PDF-1.7\n\x00kaputt", "das PDF ist nicht lesbar", id="pdf-kaputt"),
        pytest.param(typeset_pdf(""), "das PDF enthält keinen Text (eingescannt?); bitte die Textfassung verwenden", id="pdf-ohne-text"),
        pytest.param("Betreff in Größe".encode("cp1252"), "keine gültige UTF-8-Textdatei (Byte 13); bitte als UTF-8 speichern", id="kein-utf8"),
        pytest.param(b"Ein Brief\n\nohne Kopf\n", "Layout nicht erkannt: keine Zeile „Betreff: …“ gefunden", id="kein-layout"),
    ],
)
def test_import_unreadable_input_exits_2(corpus: TempCorpus, tmp_path: Path, content: bytes | None, error: str) -> None:
    source = tmp_path / "eingabe.pdf"
    if content is not None:
        source.write_bytes(content)
    result = run("import", source, "--verzeichnis", "drucksachen", cwd=corpus.root.parent)
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Fehler: {source}: {error}")
    assert not (corpus.root / "14").exists()


def test_import_usage_errors_are_german() -> None:
    result = run("import", cwd=REPO)
    assert result == Result(2, "", "Aufruf: drucksache.py import [-h] [--ersetzen] [--verzeichnis PFAD] DATEI\ndrucksache.py import: Fehler: Angabe fehlt: DATEI\n")


@pytest.mark.parametrize("command", ["new", "import"])
def test_help_is_german(command: str) -> None:
    result = run(command, "--help", cwd=REPO)
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.startswith(f"Aufruf: drucksache.py {command} [-h]")
    assert "Optionen:" in result.stdout and "  -h, --help " in result.stdout
    for english in ("usage", "positional arguments", "options:", "show this help"):
        assert english not in result.stdout


def test_main_help_lists_the_new_commands() -> None:
    result = run("--help", cwd=REPO)
    assert "    new       eine neue Drucksache anlegen (Gerüst mit Stellen zum Ausfüllen)" in result.stdout.splitlines()
    assert "    import    eine Drucksache aus PDF oder Text übernehmen" in result.stdout.splitlines()
