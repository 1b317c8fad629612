"""Loading and validating a corpus: every problem with its exact German message and line.

Golden files: ``tests/fixtures/validation/<case>.md`` is written to ``drucksachen/14/14-2048-1.md``
of a temporary corpus (next to ``anlage.pdf``); ``<case>.expected`` holds the exact problem lines,
``path:line: field: message``. An empty ``.expected`` means the file is valid and published.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import TempCorpus
from ratsdok.coerce import field_name
from ratsdok.frontmatter import normalise_text, split_front_matter
from ratsdok.load import load_corpus
from ratsdok.model import Consultation, OriginalFile, PaperType, Registers, Responsibility
from ratsdok.problems import Problem, quote
from ratsdok.registers import find_by_alias, load_registers, suggest_id
from ratsdok.validate import expected_relative_path

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
CASES = sorted(path.stem for path in FIXTURES.glob("*.md"))
TARGET = "14/14-2048-1.md"
SHOWN = f"drucksachen/{TARGET}"


def golden(case: str) -> str:
    return (FIXTURES / f"{case}.md").read_text("utf-8")


def expected_lines(case: str) -> list[str]:
    return (FIXTURES / f"{case}.expected").read_text("utf-8").splitlines()


def write_case(corpus: TempCorpus, content: str | bytes) -> None:
    corpus.write(TARGET, content)
    shutil.copy(FIXTURES / "anlage.pdf", corpus.root / "14" / "anlage.pdf")


def problem_lines(corpus: TempCorpus) -> list[str]:
    return [str(problem) for problem in corpus.load().problems]


def test_there_are_golden_cases_and_each_has_its_expectation() -> None:
    assert len(CASES) >= 25
    assert sorted(path.stem for path in FIXTURES.glob("*.expected")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_golden(corpus: TempCorpus, case: str) -> None:
    write_case(corpus, golden(case))
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == expected_lines(case)
    assert loaded.files_seen == 1
    # A file with any problem is not published; a file without one is.
    assert len(loaded.documents) == (0 if loaded.problems else 1)


def test_valid_document_becomes_the_model(corpus: TempCorpus) -> None:
    write_case(corpus, golden("gueltig"))
    loaded = corpus.load()
    assert loaded.problems == ()
    [document] = loaded.documents
    assert document.reference == "14/2048-1"
    assert document.paper_type is PaperType.ANSWER
    assert document.title == "Verbesserung der Bildungssituation"
    assert document.date == dt.date(2025, 6, 4)
    assert document.faction == "gruene"
    assert document.answers == "14/2048"
    # A plain ``top: 5`` is the text "5": nothing is lost.
    assert document.consultations == (Consultation("digitalisierung-bildung-innovation", "zur Kenntnis", dt.date(2025, 6, 12), "5"),)
    assert document.topics == ("bildung", "soziales")
    assert document.responsibility == Responsibility(None, "R3 Bildung und Soziales und Regionalanalysen", "Wilde, Janina", None)
    assert document.original == OriginalFile("anlage.pdf", False, "81d3e175ddb4a95070016b6ac73931706fba2549651a5f9c3cae50d1c826c11e")
    assert document.related == ("14/1780",)
    assert document.source_path == SHOWN
    assert document.body_line == 28
    assert document.body.splitlines()[1] == "## Anfrage"


# --- line endings, byte order mark, encoding ---

ENCODINGS = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "bom": lambda text: text.encode("utf-8-sig"),
    "bom+crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8-sig"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("case", ["mehrere-fehler", "yaml-doppelpunkt", "front-matter-offen", "yaml-umwandlung"])
def test_windows_files_give_the_same_problems_and_lines(corpus: TempCorpus, encoding: str, case: str) -> None:
    write_case(corpus, ENCODINGS[encoding](golden(case)))
    assert problem_lines(corpus) == expected_lines(case)


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_windows_files_are_published_like_unix_files(corpus: TempCorpus, encoding: str) -> None:
    write_case(corpus, golden("gueltig"))
    [unix] = corpus.load().documents
    write_case(corpus, ENCODINGS[encoding](golden("gueltig")))
    loaded = corpus.load()
    assert loaded.problems == ()
    [windows] = loaded.documents
    assert windows == unix
    assert "\r" not in windows.body
    assert "\ufeff" not in windows.title


def test_non_utf8_file_gives_a_german_problem(corpus: TempCorpus) -> None:
    raw = golden("gueltig").encode("cp1252")  # "ö" in "öffentlich" is the first non-ASCII byte
    write_case(corpus, raw)
    first_bad_byte = next(index for index, byte in enumerate(raw) if byte >= 0x80)
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == [f"{SHOWN}:1: Datei: keine gültige UTF-8-Datei (Byte {first_bad_byte}); bitte als UTF-8 speichern"]
    assert loaded.documents == ()


@pytest.mark.parametrize(
    ("text", "front_matter", "body", "body_line"),
    [
        ("---\na: b\n---\nText\n", "a: b\n", "Text\n", 4),
        ("---  \na: b\n---\t\nText", "a: b\n", "Text", 4),  # trailing blanks after the markers
        ("---\na: b\n...\nText\n", "a: b\n", "Text\n", 4),  # YAML's end-of-document marker
        ("---\na: b\n---\n", "a: b\n", "", 4),
        ("---\n---\nText\n", "\n", "Text\n", 3),
    ],
)
def test_split_front_matter(text: str, front_matter: str, body: str, body_line: int) -> None:
    split, problems = split_front_matter(text, SHOWN)
    assert problems == []
    assert split is not None
    assert (split.front_matter, split.front_matter_line, split.body, split.body_line) == (front_matter, 2, body, body_line)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"\xef\xbb\xbfa\nb", "a\nb"),
        ("Grüße\r\n".encode(), "Grüße\n"),
    ],
)
def test_normalise_text(raw: bytes, text: str) -> None:
    assert normalise_text(raw) == text


# --- several files: duplicates, publication status, nothing dropped ---


def document(reference: str, *, status: str = "öffentlich", extra: str = "") -> str:
    return f"""---
nummer: "{reference}"
art: informationsvorlage
titel: Titel {reference}
betreff: Betreff {reference}
datum: 2025-06-04
status: {status}
urheber: Der Regionaldirektor
{extra}---

Text.
"""


def test_the_same_nummer_in_two_files_is_reported_in_each(corpus: TempCorpus) -> None:
    corpus.write("14/14-2048-1.md", document("14/2048-1"))
    corpus.write("14/14-2048-2.md", document("14/2048-1"))
    corpus.write("14/14-2050.md", document("14/2050"))
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == [
        "drucksachen/14/14-2048-1.md:2: nummer: Nummer „14/2048-1“ ist auch in „drucksachen/14/14-2048-2.md“ vergeben",
        "drucksachen/14/14-2048-2.md:2: nummer: Dateiname passt nicht zur Nummer „14/2048-1“: erwartet „14/14-2048-1.md“",
        "drucksachen/14/14-2048-2.md:2: nummer: Nummer „14/2048-1“ ist auch in „drucksachen/14/14-2048-1.md“ vergeben",
    ]
    # Neither copy is published (which one would be right?); other documents are.
    assert [d.reference for d in loaded.documents] == ["14/2050"]


def test_a_nummer_in_three_files_names_both_others(corpus: TempCorpus) -> None:
    corpus.write("14/14-7.md", document("14/7"))
    corpus.write("15/a.md", document("14/7"))
    corpus.write("15/b.md", document("14/7", status="nichtöffentlich"))  # a file with other problems still claims its number
    problems = [str(problem) for problem in corpus.load().problems if "vergeben" in problem.message]
    assert problems == [
        "drucksachen/14/14-7.md:2: nummer: Nummer „14/7“ ist auch in „drucksachen/15/a.md“, „drucksachen/15/b.md“ vergeben",
        "drucksachen/15/a.md:2: nummer: Nummer „14/7“ ist auch in „drucksachen/14/14-7.md“, „drucksachen/15/b.md“ vergeben",
        "drucksachen/15/b.md:2: nummer: Nummer „14/7“ ist auch in „drucksachen/14/14-7.md“, „drucksachen/15/a.md“ vergeben",
    ]


def test_a_document_that_is_not_public_is_never_published(corpus: TempCorpus) -> None:
    corpus.write("14/14-1.md", document("14/1"))
    corpus.write("14/14-2.md", document("14/2", status="nichtöffentlich"))
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == [
        "drucksachen/14/14-2.md:7: status: nur Drucksachen mit Status „öffentlich“ dürfen veröffentlicht werden; diese Datei wird nicht veröffentlicht"
    ]
    assert [d.reference for d in loaded.documents] == ["14/1"]
    assert "14/2" not in loaded.by_reference()


def test_nothing_is_dropped_silently(corpus: TempCorpus) -> None:
    valid = {"14/14-1.md": "14/1", "14/14-2-1.md": "14/2-1", "15/15-3.md": "15/3", "15/15-4.md": "15/4"}
    for path, reference in valid.items():
        corpus.write(path, document(reference))
    invalid: dict[str, str | bytes] = {
        "14/14-5.md": document("14/5", status="nichtöffentlich"),
        "14/14-6.md": document("14/6", extra="titl: doppelt\n"),
        "14/14-7.md": "Keine Kopfdaten.\n",
        "14/14-8.md": "---\nnummer: 14/8\n",
        "14/14-9.md": "---\n---\n",
        "14/14-10.md": "---\ntitel: a: b\n---\n",
        "14/14-11.md": document("14/11").encode("cp1252"),
        "14/14-12.md": document("14/1"),  # duplicate of a valid file: that one is not published either
        "14/unterordner/14-13.md": document("14/13"),  # wrong place
        "14/14-14.md": b"",
    }
    for path, content in invalid.items():
        corpus.write(path, content)
    corpus.write("14/anlage.pdf", b"%PDF")  # not a Drucksache
    corpus.write("14/notizen.txt", "kein Markdown")
    corpus.write("register/LIESMICH.md", "Die Register sind keine Drucksachen.")

    loaded = corpus.load()
    published = {document.source_path for document in loaded.documents}
    with_problems = {problem.path for problem in loaded.problems}
    assert loaded.files_seen == len(valid) + len(invalid)
    assert published == {"drucksachen/14/14-2-1.md", "drucksachen/15/15-3.md", "drucksachen/15/15-4.md"}
    assert with_problems == {"drucksachen/14/14-1.md"} | {f"drucksachen/{path}" for path in invalid}
    assert published.isdisjoint(with_problems)
    assert loaded.files_seen == len(loaded.documents) + len(with_problems)


def test_empty_file_needs_front_matter(corpus: TempCorpus) -> None:
    corpus.write(TARGET, b"")
    assert problem_lines(corpus) == [f"{SHOWN}:1: Front Matter: Die Datei muss mit einer Zeile „---“ beginnen, gefolgt von den Kopfdaten (YAML)"]


def test_missing_corpus_directory_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    loaded = load_corpus(tmp_path / "gibt-es-nicht")
    assert [str(problem) for problem in loaded.problems] == ["gibt-es-nicht:1: Verzeichnis: Das Verzeichnis der Drucksachen existiert nicht"]
    assert (loaded.documents, loaded.files_seen) == ((), 0)


# --- registers ---


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            "- id: bildung\n  name: Bildung\n- id: soziales\n  name: Soziales\n- id: bildung\n  name: Bildung und Schule\n",
            ["drucksachen/register/themen.yml:5: [3].id: ID „bildung“ ist doppelt vergeben"],
            id="doppelte-id",
        ),
        pytest.param(
            "- id: bildung\n  name: Bildung\n- id: soziales\n  kurzname: Soziales\n",
            ["drucksachen/register/themen.yml:3: [2].name: Pflichtfeld fehlt"],
            id="name-fehlt",
        ),
        pytest.param(
            "- id: bildung\n  name: Bildung: Schule und Hochschule\n",
            [
                "drucksachen/register/themen.yml:2: YAML: YAML-Syntaxfehler: Doppelpunkt an unerwarteter Stelle; "
                "einen Wert mit „: “ bitte in Anführungszeichen setzen (oder ist die Zeile zu weit eingerückt?)"
            ],
            id="yaml-fehler",
        ),
        pytest.param(
            "- id: bildung\n  name: Bildung\n---\n- id: soziales\n  name: Soziales\n",
            ["drucksachen/register/themen.yml:3: YAML: YAML-Syntaxfehler: mehr als ein YAML-Dokument; eine Zeile „---“ darf hier nicht vorkommen"],
            id="zwei-dokumente",
        ),
        pytest.param(
            "- id: Bildung\n  name: Bildung\n",
            ['drucksachen/register/themen.yml:1: [1].id: „Bildung“ muss aus Kleinbuchstaben, Ziffern und Bindestrichen bestehen, z. B. "gruene"'],
            id="id-form",
        ),
        pytest.param(
            "- id: bildung\n  nam: Bildung\n",
            [
                "drucksachen/register/themen.yml:1: [1].name: Pflichtfeld fehlt",
                "drucksachen/register/themen.yml:2: [1].nam: unbekanntes Feld; meinten Sie „name“? (erlaubt: aliase, id, kurzname, name, oparl)",
            ],
            id="unbekanntes-feld",
        ),
        pytest.param(
            "- id: bildung\n  name: Bildung\n  aliase: Bildungspolitik\n",
            ["drucksachen/register/themen.yml:3: [1].aliase: erwartet Liste (Einträge mit „- “), gefunden „Bildungspolitik“"],
            id="falscher-typ",
        ),
        pytest.param(
            "bildung: Bildung\n",
            ["drucksachen/register/themen.yml:1: Register: erwartet Liste (Einträge mit „- “), gefunden eine Zuordnung"],
            id="keine-liste",
        ),
        pytest.param("# noch keine Themen\n", ["drucksachen/register/themen.yml:1: Register: Register ist leer"], id="leer"),
        pytest.param(
            "- id: bildung\n  name: Bildungsmaßnahmen\n".encode("cp1252"),
            ["drucksachen/register/themen.yml:1: Register: keine gültige UTF-8-Datei (Byte 32); bitte als UTF-8 speichern"],
            id="kein-utf8",
        ),
        pytest.param(
            b"\xef\xbb\xbf- id: bildung\r\n  name: Bildung\r\n- id: soziales\r\n  kurzname: Soziales\r\n",
            ["drucksachen/register/themen.yml:3: [2].name: Pflichtfeld fehlt"],
            id="windows-zeilen",
        ),
    ],
)
def test_broken_register_is_reported_with_path_and_line(corpus: TempCorpus, content: str | bytes, expected: list[str]) -> None:
    corpus.write("register/themen.yml", content)
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == expected
    # A register with a broken entry is not half used; only a repeated id is skipped.
    assert set(loaded.registers.topics) == ({"bildung", "soziales"} if "doppelt vergeben" in expected[0] else set())
    assert set(loaded.registers.factions) == {"gruene"}  # the other registers are unaffected


def test_missing_register_file(corpus: TempCorpus) -> None:
    (corpus.root / "register" / "gremien.yml").unlink()
    assert problem_lines(corpus) == ["drucksachen/register/gremien.yml:1: Register: Registerdatei fehlt"]


def test_a_broken_register_makes_its_ids_unknown_in_documents(corpus: TempCorpus) -> None:
    corpus.write("register/themen.yml", "- id: bildung\n")
    corpus.write("14/14-1.md", document("14/1", extra="themen:\n  - bildung\n"))
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == [
        "drucksachen/14/14-1.md:10: themen[1]: „bildung“ steht nicht im Register register/themen.yml",
        "drucksachen/register/themen.yml:1: [1].name: Pflichtfeld fehlt",
    ]
    assert loaded.documents == ()


def test_real_registers_load_without_problems() -> None:
    registers, problems = load_registers(Path(__file__).parent.parent / "drucksachen", "drucksachen")
    assert problems == []
    assert "gruene" in registers.factions
    assert registers.factions["gruene"].short_name == "GRÜNE"


# --- small functions ---


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ((), "Front Matter"),
        (("titel",), "titel"),
        (("zustaendig", "referat"), "zustaendig.referat"),
        (("themen", 0), "themen[1]"),
        (("themen", 2), "themen[3]"),
        (("beratungsfolge", 0, "gremium"), "beratungsfolge[1].gremium"),
        (("beratungsfolge", 11, "top"), "beratungsfolge[12].top"),
        ((0, "id"), "[1].id"),
        ((3,), "[4]"),
    ],
)
def test_field_name(path: tuple[str | int, ...], name: str) -> None:
    assert field_name(path) == name


@pytest.mark.parametrize(
    ("reference", "relative_path"),
    [
        ("14/2048-1", "14/14-2048-1.md"),
        ("14/2048", "14/14-2048.md"),
        ("9/1", "9/9-1.md"),
        ("15/0100-12", "15/15-0100-12.md"),
    ],
)
def test_expected_relative_path(reference: str, relative_path: str) -> None:
    assert expected_relative_path(reference) == relative_path


@pytest.fixture(scope="module")
def real_registers() -> Registers:
    registers, problems = load_registers(Path(__file__).parent.parent / "drucksachen", "drucksachen")
    assert problems == []
    return registers


@pytest.mark.parametrize(
    ("register", "written", "suggestion"),
    [
        ("factions", "GRÜNE", "gruene"),  # short name
        ("factions", "Grüne", "gruene"),  # alias
        ("factions", "grüne", "gruene"),  # alias, other case
        ("factions", "Bündnis 90/Die  Grünen", "gruene"),  # alias with extra blank
        ("factions", "Fraktion Bündnis 90/Die Grünen", "gruene"),  # full name
        ("factions", "gruen", "gruene"),  # misspelt id
        ("factions", "spd", None),
        ("committees", "Ruhrparlament", "verbandsversammlung"),
        ("committees", "Digitalisierungsausschuss", "digitalisierung-bildung-innovation"),
        ("committees", "digitalisierung-bildung", "digitalisierung-bildung-innovation"),
        ("committees", "verbandsversamlung", "verbandsversammlung"),
        ("topics", "Bildungspolitik", "bildung"),
        ("topics", "Teilhabe", "soziales"),
        ("topics", "soziale", "soziales"),
        ("topics", "verkehr", None),
    ],
)
def test_suggest_id(real_registers: Registers, register: str, written: str, suggestion: str | None) -> None:
    assert suggest_id(written, getattr(real_registers, register)) == suggestion


def test_find_by_alias_is_exact_not_fuzzy(real_registers: Registers) -> None:
    assert find_by_alias("GRÜNE", real_registers.factions) == real_registers.factions["gruene"]
    assert find_by_alias("GRÜN", real_registers.factions) is None


@pytest.mark.parametrize(("value", "quoted"), [("titel", "„titel“"), (5, "„5“"), ("", "„“"), ("„x“", "„„x““")])
def test_german_quote(value: object, quoted: str) -> None:
    assert quote(value) == quoted


@pytest.mark.parametrize(
    ("problem", "annotation"),
    [
        (
            Problem("drucksachen/14/14-2048-1.md", 4, "titl", "unbekanntes Feld; meinten Sie „titel“?"),
            "::error file=drucksachen/14/14-2048-1.md,line=4,title=Drucksache::titl: unbekanntes Feld; meinten Sie „titel“?",
        ),
        (
            Problem("C:/a,b.md", 1, "Datei", "100% kaputt\nzweite Zeile\r"),
            "::error file=C%3A/a%2Cb.md,line=1,title=Drucksache::Datei: 100%25 kaputt%0Azweite Zeile%0D",
        ),
    ],
)
def test_github_annotation(problem: Problem, annotation: str) -> None:
    assert problem.github_annotation() == annotation


@pytest.mark.parametrize("written", ["/etc/passwd", "../../../etc/passwd"])
def test_original_path_must_stay_inside_the_corpus(corpus, written: str) -> None:
    text = (FIXTURES / "gueltig.md").read_text("utf-8").replace("pfad: anlage.pdf", f'pfad: "{written}"', 1)
    corpus.write("14/14-2048-1.md", text)
    problems = [str(problem) for problem in corpus.load().problems]
    assert any("original.pfad" in problem and "liegt nicht im Verzeichnis der Drucksachen" in problem for problem in problems), problems


def test_markdown_file_with_upper_case_suffix_is_not_skipped(corpus) -> None:
    corpus.write("14/14-2048-1.MD", (FIXTURES / "gueltig.md").read_text("utf-8"))
    shutil.copy(FIXTURES / "anlage.pdf", corpus.root / "14" / "anlage.pdf")
    loaded = corpus.load()
    assert loaded.files_seen == 1
    assert loaded.documents == ()
    assert [problem.field for problem in loaded.problems] == ["nummer"]
