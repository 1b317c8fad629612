"""Strict YAML: line numbers, literal scalar text, and what is rejected instead of converted."""

from __future__ import annotations

from typing import Any

import pytest
from ratsdok.coerce import coerce
from ratsdok.problems import Problem
from ratsdok.strict_yaml import parse_yaml
from ratsdok.yaml_nodes import Mapping, Scalar, Sequence

PATH = "drucksachen/14/14-2048-1.md"
# Front matter starts on file line 2 (line 1 is the opening "---").
FIRST_LINE = 2


def parse(text: str) -> tuple[Any, list[str]]:
    node, problems = parse_yaml(text, PATH, FIRST_LINE)
    return node, [str(problem) for problem in problems]


def value_of(text: str) -> Scalar:
    node, problems = parse(f"wert: {text}\n")
    assert problems == []
    assert isinstance(node, Mapping)
    scalar = node.entries[0][1]
    assert isinstance(scalar, Scalar)
    return scalar


def test_line_numbers_are_file_lines() -> None:
    node, problems = parse("titel: Bildung\nthemen:\n  - bildung\n  - soziales\nzustaendig:\n  referat: R3\n")
    assert problems == []
    assert node == Mapping(
        entries=(
            (Scalar("titel", "str", 2), Scalar("Bildung", "str", 2)),
            (Scalar("themen", "str", 3), Sequence((Scalar("bildung", "str", 4), Scalar("soziales", "str", 5)), line=4)),
            (Scalar("zustaendig", "str", 6), Mapping(((Scalar("referat", "str", 7), Scalar("R3", "str", 7)),), line=7)),
        ),
        line=2,
    )


@pytest.mark.parametrize(
    ("written", "text", "kind"),
    [
        ("Der Regionaldirektor", "Der Regionaldirektor", "str"),
        ("14/2048-1", "14/2048-1", "str"),
        ("5", "5", "int"),
        ("012", "012", "int"),  # PyYAML would make 10 of it
        ("0x1F", "0x1F", "int"),
        ("12:30", "12:30", "int"),  # PyYAML: 750 (base 60)
        ("1.10", "1.10", "float"),  # PyYAML: 1.1
        ("yes", "yes", "bool"),
        ("No", "No", "bool"),
        ("ON", "ON", "bool"),
        ("off", "off", "bool"),
        ("~", "~", "null"),
        ("null", "null", "null"),
        ("2025-06-04", "2025-06-04", "timestamp"),
        ('"012"', "012", "str"),
        ("'yes'", "yes", "str"),
        ('"12:30"', "12:30", "str"),
        ("|\n  012", "012\n", "str"),
    ],
)
def test_scalars_keep_their_literal_text(written: str, text: str, kind: str) -> None:
    assert value_of(written) == Scalar(text, kind, FIRST_LINE)


@pytest.mark.parametrize("text", ["", "\n", "# nur ein Kommentar\n"])
def test_empty_yaml_is_no_node_and_no_problem(text: str) -> None:
    assert parse(text) == (None, [])


def test_duplicate_keys_are_rejected_at_every_level() -> None:
    node, problems = parse("titel: A\nbetreff: B\ntitel: C\nzustaendig:\n  referat: R1\n  referat: R2\n")
    # The first value counts; the repetition is reported, not silently taken.
    assert node.entries[0] == (Scalar("titel", "str", 2), Scalar("A", "str", 2))
    assert [key.text for key, _ in node.entries] == ["titel", "betreff", "zustaendig"]
    assert problems == [
        f"{PATH}:4: titel: Feld doppelt vorhanden (zuerst in Zeile 2); bitte nur einmal angeben",
        f"{PATH}:7: referat: Feld doppelt vorhanden (zuerst in Zeile 6); bitte nur einmal angeben",
    ]


def test_anchors_and_aliases_are_rejected() -> None:
    assert parse("titel: &t Bildung\nbetreff: *t\n") == (
        None,
        [
            f"{PATH}:2: YAML: Anker &t ist nicht erlaubt; bitte den Wert ausschreiben",
            f"{PATH}:3: YAML: Verweis *t ist nicht erlaubt; bitte den Wert ausschreiben",
        ],
    )


def test_anchor_on_a_collection_is_rejected() -> None:
    assert parse("themen: &liste\n  - bildung\n") == (None, [f"{PATH}:2: YAML: Anker &liste ist nicht erlaubt; bitte den Wert ausschreiben"])


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("titel: !!str 012\n", 2, "!!str"),
        ("titel: Bildung\ntop: !!int 5\n", 3, "!!int"),
        ("zustaendig: !!map {}\n", 2, "!!map"),
        ("pfad: !datei anlage.pdf\n", 2, "!datei"),
    ],
)
def test_explicit_tags_are_rejected(text: str, line: int, shown: str) -> None:
    assert parse(text) == (
        None,
        [f"{PATH}:{line}: YAML: Typangabe {shown} ist nicht erlaubt; bitte entfernen (Text bei Bedarf in Anführungszeichen setzen)"],
    )


@pytest.mark.parametrize("text", ["? [a, b]\n: c\n", "[a]: c\n"])
def test_a_key_must_be_a_plain_name(text: str) -> None:
    node, problems = parse(text)
    assert problems == [f"{PATH}:2: YAML: Ein Schlüssel muss ein einfacher Name sein"]
    assert node == Mapping((), line=2)


INDENTATION_OR_TRAILING_TEXT = (
    "Einrückung stimmt nicht (Einträge derselben Ebene müssen genau gleich weit eingerückt sein) oder nach einem Wert "
    "in Anführungszeichen oder eckigen Klammern folgt noch Text (dann den ganzen Wert in Anführungszeichen setzen)"
)


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        (
            "titel: x\nbetreff: Antwort: Bildung\n",
            3,
            "Doppelpunkt an unerwarteter Stelle; einen Wert mit „: “ bitte in Anführungszeichen setzen (oder ist die Zeile zu weit eingerückt?)",
        ),
        (
            "titel: x\nbetreff: @Fraktion\n",
            3,
            "Zeichen, mit dem kein Wert beginnen darf (Tabulator, @ oder `); bitte Leerzeichen verwenden oder den Wert in Anführungszeichen setzen",
        ),
        ("titel: x\nbetreff\nurheber: y\n", 4, "Doppelpunkt nach dem Feldnamen fehlt"),
        ('titel: x\nbetreff: "Antwort\nurheber: y\n', 3, "Anführungszeichen oder Klammer nicht geschlossen"),
        ("titel: x\nbetreff: 'Antwort\n", 3, "Anführungszeichen oder Klammer nicht geschlossen"),
        ("titel: x\nbetreff: 'it's'\n", 3, INDENTATION_OR_TRAILING_TEXT),
        ('titel: "Bildung" im Ruhrgebiet\n', 2, INDENTATION_OR_TRAILING_TEXT),
        ("titel: [Entwurf] Haushalt\n", 2, INDENTATION_OR_TRAILING_TEXT),
        ("themen:\n  - bildung\n - soziales\n", 4, INDENTATION_OR_TRAILING_TEXT),
        (
            "titel: x\nthemen: [bildung, soziales\nurheber: y\n",
            3,
            "Klammer „[“ oder „{“ nicht geschlossen oder Komma fehlt; Text, der mit einer Klammer beginnt, bitte in Anführungszeichen setzen",
        ),
        (
            "themen:\n\t- bildung\n",
            3,
            "Zeichen, mit dem kein Wert beginnen darf (Tabulator, @ oder `); bitte Leerzeichen verwenden oder den Wert in Anführungszeichen setzen",
        ),
        ("themen:\n  - bildung\n\t- soziales\n", 4, "Tabulator in der Einrückung; bitte nur Leerzeichen verwenden"),
        (
            'pfad: "C:\\Daten\\anlage.pdf"\n',
            2,
            "unbekannte Escape-Sequenz (\\) in doppelten Anführungszeichen; einfache Anführungszeichen verwenden",
        ),
        (
            'pfad: "C:\\Users\\anlage.pdf"\n',
            2,
            "unbekannte Escape-Sequenz (\\) in doppelten Anführungszeichen; einfache Anführungszeichen verwenden",
        ),
        ("- id: a\n---\n- id: b\n", 3, "mehr als ein YAML-Dokument; eine Zeile „---“ darf hier nicht vorkommen"),
    ],
)
def test_syntax_errors_point_at_the_right_line(text: str, line: int, hint: str) -> None:
    assert parse(text) == (None, [f"{PATH}:{line}: YAML: YAML-Syntaxfehler: {hint}"])


def test_syntax_error_without_a_german_hint_shows_the_original() -> None:
    assert parse("titel: x\nbetreff: |x\n") == (
        None,
        [f"{PATH}:3: YAML: YAML-Syntaxfehler („while scanning a block scalar did not find expected comment or line break“)"],
    )


def test_line_offset_defaults_to_one() -> None:
    node, problems = parse_yaml("a: b\nc: d: e\n", "register/themen.yml")
    assert node is None
    assert [problem.line for problem in problems] == [2]


# --- coerce: a value YAML would convert is accepted only where the schema expects that type ---

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "datum": {"type": "string", "format": "date"},
        "anzahl": {"type": "integer"},
        "schalter": {"type": "boolean"},
        "liste": {"type": "array", "items": {"$ref": "#/$defs/text"}},
    },
    "$defs": {"text": {"type": "string"}},
}


def coerce_text(text: str) -> tuple[Any, list[str]]:
    node, problems = parse_yaml(text, PATH, FIRST_LINE)
    assert problems == []
    assert node is not None
    coerced = coerce(node, SCHEMA, PATH)
    return coerced.value, [str(problem) for problem in coerced.problems]


@pytest.mark.parametrize(("written", "value"), [("5", "5"), ("0", "0"), ("2048", "2048"), ("Bildung", "Bildung"), ('"012"', "012"), ("'yes'", "yes")])
def test_text_that_means_the_same_either_way_is_accepted(written: str, value: str) -> None:
    assert coerce_text(f"text: {written}\n") == ({"text": value}, [])


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("012", "Zahl"),
        ("0x1F", "Zahl"),
        ("-5", "Zahl"),
        ("1_000", "Zahl"),
        ("12:30", "Zahl"),
        ("1.10", "Kommazahl"),
        ("5.1", "Kommazahl"),
        ("yes", "Wahrheitswert (ja/nein)"),
        ("no", "Wahrheitswert (ja/nein)"),
        ("On", "Wahrheitswert (ja/nein)"),
        ("OFF", "Wahrheitswert (ja/nein)"),
        ("true", "Wahrheitswert (ja/nein)"),
        ("2025-06-04", "Datum/Uhrzeit"),
    ],
)
def test_values_yaml_would_convert_are_rejected_where_text_is_expected(written: str, read_as: str) -> None:
    value, problems = coerce_text(f"anzahl: 3\ntext: {written}\n")
    assert value == {"anzahl": 3, "text": written}  # never converted
    assert problems == [f'{PATH}:3: text: „{written}“ würde von YAML als {read_as} gelesen; bitte in Anführungszeichen schreiben: "{written}"']


def test_rejection_inside_a_list_names_the_item() -> None:
    value, problems = coerce_text("liste:\n  - Bildung\n  - 12:30\n")
    assert value == {"liste": ["Bildung", "12:30"]}
    assert problems == [f'{PATH}:4: liste[2]: „12:30“ würde von YAML als Zahl gelesen; bitte in Anführungszeichen schreiben: "12:30"']


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("datum: 2025-06-04\n", {"datum": "2025-06-04"}),  # a date stays text; the schema checks it
        ("anzahl: 12\n", {"anzahl": 12}),
        ("schalter: true\n", {"schalter": True}),
        ("schalter: false\n", {"schalter": False}),
        ("text:\n", {"text": None}),  # empty: left to the schema ("Wert fehlt")
    ],
)
def test_typed_values_are_accepted_where_the_schema_expects_them(text: str, value: dict[str, Any]) -> None:
    assert coerce_text(text) == (value, [])


def test_yes_is_not_a_boolean_even_where_one_is_expected() -> None:
    assert coerce_text("schalter: yes\n") == (
        {"schalter": "yes"},
        [f'{PATH}:2: schalter: „yes“ würde von YAML als Wahrheitswert (ja/nein) gelesen; bitte in Anführungszeichen schreiben: "yes"'],
    )


def test_coerce_records_the_line_of_every_value() -> None:
    node, _ = parse_yaml("text: a\nliste:\n  - b\n  - c\n", PATH, FIRST_LINE)
    assert node is not None
    coerced = coerce(node, SCHEMA, PATH)
    assert coerced.lines == {(): 1, ("text",): 2, ("liste",): 3, ("liste", 0): 4, ("liste", 1): 5}
    assert coerced.line_of(("liste", 1)) == 5
    assert coerced.line_of(("liste", 7, "unbekannt")) == 3  # nearest enclosing value
    assert coerced.line_of(("fehlt",)) == 1  # the root: the opening "---"


def test_problem_is_a_plain_record() -> None:
    problem = Problem(PATH, 4, "titel", "Pflichtfeld fehlt")
    assert str(problem) == f"{PATH}:4: titel: Pflichtfeld fehlt"
