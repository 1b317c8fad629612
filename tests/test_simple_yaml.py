"""The plain subset of YAML read without libyaml: the same tree as libyaml's, or libyaml reads the text.

``simple_tree`` must never give a tree where libyaml would give another tree or a problem: it is compared with
``read_with_libyaml`` on every front matter of the repository, the generated archive and the test fixtures, and
on thousands of random texts built from the kinds of line that tell YAML's rules apart.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from generate_corpus import generate_corpus
from ratsdok.frontmatter import normalise_text, split_front_matter
from ratsdok.load import find_document_files
from ratsdok.simple_yaml import simple_tree
from ratsdok.strict_yaml import parse_yaml, read_with_libyaml
from ratsdok.yaml_nodes import Mapping, Scalar, Sequence

REPO = Path(__file__).resolve().parent.parent
FIRST_LINE = 2  # front matter starts on file line 2


def assert_same_as_libyaml(text: str) -> Mapping:
    simple = simple_tree(text, FIRST_LINE)
    assert simple is not None, f"not read without libyaml: {text!r}"
    assert read_with_libyaml(text, "p.md", FIRST_LINE) == (simple, [])
    return simple


def front_matters(root: Path) -> list[str]:
    texts = []
    for file in find_document_files(root):
        split, _ = split_front_matter(normalise_text(file.read_bytes()), str(file))
        if split is not None:
            texts.append(split.front_matter)
    return texts


def test_the_typical_front_matter_is_read_without_libyaml_to_the_same_tree(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 300, seed=11)
    texts = front_matters(REPO / "drucksachen") + front_matters(tmp_path)
    assert len(texts) == 301
    for text in texts:
        assert_same_as_libyaml(text)


def test_every_fixture_is_read_to_libyamls_tree_or_left_to_libyaml() -> None:
    texts = front_matters(REPO / "tests" / "fixtures")
    read = [text for text in texts if simple_tree(text, FIRST_LINE) is not None]
    assert len(texts) > 30 and len(read) > 20  # the fixtures hold both kinds
    for text in read:
        assert_same_as_libyaml(text)


def test_lines_nulls_and_the_shapes_of_sequences() -> None:
    text = 'nummer: "14/2048"\nleer:\nthemen:\n- bildung\n- soziales\nberatungsfolge:\n  - gremium: rvr\n    top: 7\n\n  # c\n  -   sitzung: 2025-06-12\nende: ~\n'
    assert assert_same_as_libyaml(text) == Mapping(
        (
            (Scalar("nummer", "str", 2), Scalar("14/2048", "str", 2)),
            (Scalar("leer", "str", 3), Scalar("", "null", 3)),
            (Scalar("themen", "str", 4), Sequence((Scalar("bildung", "str", 5), Scalar("soziales", "str", 6)), 5)),
            (
                Scalar("beratungsfolge", "str", 7),
                Sequence(
                    (
                        Mapping(((Scalar("gremium", "str", 8), Scalar("rvr", "str", 8)), (Scalar("top", "str", 9), Scalar("7", "int", 9))), 8),
                        Mapping(((Scalar("sitzung", "str", 12), Scalar("2025-06-12", "timestamp", 12)),), 12),
                    ),
                    8,
                ),
            ),
            (Scalar("ende", "str", 13), Scalar("~", "null", 13)),
        ),
        2,
    )


@pytest.mark.parametrize(
    "value",
    [
        "Wilde, Janina", "Bündnis 90/Die Grünen", "a:b", "a#b", "12:30", "012", "NO", "2025-13-04", "''", '""', "Bau & Verkehr",
        "😀", "a\u00a0# b", "\u00a0x", "a\u3000b", "~", "Null", "2025-06-04T10:00:00Z", "=", "..",
    ],
)
def test_values_that_are_read_without_libyaml_mean_the_same(value: str) -> None:
    assert_same_as_libyaml(f"wert: {value}\n")


@pytest.mark.parametrize(
    "text",
    [
        "wert: a # Kommentar\n",  # a comment after a value
        "wert: erste Zeile\n  zweite Zeile\n",  # a value over several lines
        "wert: [a, b]\n",
        "wert: {a: 1}\n",
        "wert: a [1]\n",
        'wert: "a\\nb"\n',  # an escape
        "wert: 'it''s'\n",  # an escaped quote
        "wert: &anker a\n",
        "wert: *anker\n",
        "wert: !!str 1\n",
        "wert: |\n  Text\n",
        "wert: a: b\n",
        "wert: a:\n",
        "wert:\ta\n",
        "wert: a\u2028b\n",  # a line break to YAML
        "wert: a\nwert: b\n",  # a duplicate key
        '"wert": a\n',
        "wert : a\n",
        "  wert: a\n",
        "- a\n",
        "wert: a\n  - b\n",
        "liste:\n  - a\n - b\n",  # entries not in line
        "liste:\n  - a\n    b\n",
        "liste:\n  - - a\n",
        "liste:\n  -\n    a: 1\n",
        "wert:\n    a: 1\n  b: 2\n",  # a key between two indentations
        "wert: a\nliste:\n- a\nb: 1\n- c\n",
        "",
        "# nur ein Kommentar\n",
    ],
)
def test_texts_outside_the_subset_are_left_to_libyaml(text: str) -> None:
    assert simple_tree(text, FIRST_LINE) is None
    assert parse_yaml(text, "p.md", FIRST_LINE) == read_with_libyaml(text, "p.md", FIRST_LINE)


def test_a_duplicate_key_is_still_reported() -> None:
    _, problems = parse_yaml("titel: a\ntitel: b\n", "p.md", FIRST_LINE)
    assert [(problem.line, problem.field) for problem in problems] == [(3, "titel")]
    assert "doppelt" in problems[0].message


# Random texts: keys, values and line shapes that YAML reads in different ways, mostly well-formed.
_KEYS = ["nummer", "titel", "a", "k", "true", "y", "no", "null", "123", "_x", "a-b", "x y"]
_VALUES = [
    "x", "14/2048-1", '"14/2048"', "'q'", "''", '""', "2025-06-04", "2025-13-04", "012", "0x1F", "1_000", "12:30", "1e3", ".5",
    "~", "null", "NO", "yes", "Off", "a: b", "a:b", "a #b", "a#b", "Wilde, Janina", "[a, b]", "{a: 1}", "a[1]", "- x", "-x",
    "?x", ":x", "&a x", "*a", "!!str 1", "!x", "|", ">", "%x", "@x", "`x", "#c", '"a\\"b"', '"a\\nb"', "'it''s'", '"a" b',
    "'a' b", "Bündnis 90/Die Grünen", "x:", "a  b", ",x", "x,", "=", "<<", ".inf", "-.inf", "+1", "-1", "0o7", "1:2:3",
    "2025-06-04 10:00", "a\tb", "\u2028x", "x\u0085", '"offen', "'offen", "a ~", "😀", "a\\b", "%",
]
# What editors write; the values above are drawn one time in five.
_COMMON_VALUES = ["Radwege im Emscher Landschaftspark", '"14/2048"', "2025-06-04", "Wilde, Janina", "gruene", "zur Kenntnis", "7"]
_SEPARATORS = [": "] * 8 + [":  ", ":", " : "]
_ENDINGS = ["", "", "", "", " ", " # c"]
_STRAY_LINES = ["", "#", "  # c", "  weiter", "    mehr Text", "---", "..."]


def _random_mapping(rng: random.Random, depth: int, indent: int, lines: list[str]) -> None:
    for _ in range(rng.randint(1, 4)):
        pad = " " * (indent if rng.random() > 0.05 else max(0, indent + rng.choice([-1, 1, 2])))
        key = rng.choice(_KEYS)
        if depth < 3 and rng.random() < 0.25:
            lines.append(f"{pad}{key}:" + rng.choice(["", " "]))
            if rng.random() < 0.1:
                lines.append(rng.choice(_STRAY_LINES[:3]))
            if rng.random() < 0.5:
                _random_sequence(rng, depth + 1, indent + rng.choice([0, 2, 2, 4]), lines)
            else:
                _random_mapping(rng, depth + 1, indent + rng.choice([2, 2, 4, 0, 1]), lines)
        else:
            lines.append(f"{pad}{key}{rng.choice(_SEPARATORS)}{_random_value(rng)}{rng.choice(_ENDINGS)}")
        if rng.random() < 0.05:
            lines.append(rng.choice(_STRAY_LINES))


def _random_sequence(rng: random.Random, depth: int, indent: int, lines: list[str]) -> None:
    for _ in range(rng.randint(1, 3)):
        dash = " " * indent + rng.choice(["- ", "- ", "-  ", "-"])
        if depth < 3 and rng.random() < 0.4:
            inner: list[str] = []
            _random_mapping(rng, depth + 1, 0, inner)
            lines.append(dash + inner[0].lstrip(" "))
            lines += [" " * len(dash) + line if line.strip() else line for line in inner[1:]]
        else:
            lines.append(dash + _random_value(rng))


def _random_value(rng: random.Random) -> str:
    return rng.choice(_VALUES if rng.random() < 0.2 else _COMMON_VALUES)


def test_random_texts_read_without_libyaml_give_libyamls_tree() -> None:
    rng = random.Random(2048)
    read = left = 0
    for _ in range(20_000):
        lines: list[str] = []
        _random_mapping(rng, 0, 0, lines)
        text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
        simple = simple_tree(text, FIRST_LINE)
        if simple is None:
            left += 1
            continue
        read += 1
        assert read_with_libyaml(text, "p.md", FIRST_LINE) == (simple, []), text
    assert read > 2_000 and left > 2_000  # both ways were taken often
