"""Fast paths of loading: the compiled schema predicate and loading in several processes change no result."""

from __future__ import annotations

import contextlib
import copy
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO
from generate_corpus import generate_corpus
from ratsdok.schema_check import load_inlined_schema, load_schema
from ratsdok.schema_predicate import compile_predicate

VALIDATION_FIXTURES = REPO / "tests" / "fixtures" / "validation"


def jsonschema_accepts(name: str, instance: Any) -> bool:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return not list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(instance))


VALID_DOCUMENT: dict[str, Any] = {
    "nummer": "14/2048-1",
    "art": "fraktionsanfrage-antwort",
    "titel": "Verbesserung der Bildungssituation",
    "betreff": "Antwort auf die Anfrage",
    "datum": "2025-06-04",
    "status": "öffentlich",
    "fraktion": "gruene",
    "anfrage": "14/2048",
    "beratungsfolge": [{"gremium": "verbandsversammlung", "sitzung": "2025-06-12", "status": "zur Kenntnis", "top": "5"}],
    "themen": ["bildung", "soziales"],
    "urheber": "Der Regionaldirektor",
    "zustaendig": {"referat": "Referat 2"},
    "aktenzeichen": "37-316",
    "original": {"url": "https://example.org/a.pdf", "sha256": "a" * 64},
    "bezuege": ["14/1780"],
}

# (path to the changed value, new value): each breaks exactly one rule of the schema.
BREAKING_CHANGES: list[tuple[tuple[str | int, ...], Any]] = [
    (("nummer",), "14-2048"),
    (("nummer",), 142048),
    (("art",), "antwort"),
    (("titel",), ""),
    (("titel",), "x" * 201),
    (("datum",), "2025-02-30"),
    (("datum",), "4.6.2025"),
    (("status",), None),
    (("beratungsfolge",), []),
    (("beratungsfolge", 0, "status"), "vertagt"),
    (("beratungsfolge", 0, "top"), "1" * 21),
    (("beratungsfolge", 0, "raum"), "A"),
    (("themen",), ["bildung", "bildung"]),
    (("themen",), "bildung"),
    (("zustaendig",), {}),
    (("original", "url"), "http://example.org/a.pdf"),
    (("original", "pfad"), "a.pdf"),
    (("original", "sha256"), "A" * 64),
    (("bezuege", 0), True),
    (("autor",), "x"),
]


def changed(document: dict[str, Any], at: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(document)
    target: Any = result
    for part in at[:-1]:
        target = target[part]
    target[at[-1]] = value
    return result


def test_a_valid_document_takes_the_fast_path() -> None:
    assert compile_predicate(load_inlined_schema("drucksache"))(VALID_DOCUMENT)
    assert jsonschema_accepts("drucksache", VALID_DOCUMENT)


@pytest.mark.parametrize(("at", "value"), BREAKING_CHANGES, ids=[".".join(map(str, at)) for at, _ in BREAKING_CHANGES])
def test_every_broken_rule_is_left_to_jsonschema(at: tuple[str | int, ...], value: Any) -> None:
    broken = changed(VALID_DOCUMENT, at, value)
    assert not jsonschema_accepts("drucksache", broken)
    assert not compile_predicate(load_inlined_schema("drucksache"))(broken)


def test_the_predicate_never_accepts_what_jsonschema_rejects() -> None:
    """Random mixtures of valid and broken values: a yes of the predicate is always a yes of jsonschema."""
    predicate = compile_predicate(load_inlined_schema("drucksache"))
    values = [value for _, value in BREAKING_CHANGES] + ["", "x", "14/1", "2025-06-04", 1, 1.5, None, True, [], {}, ["a"], {"a": 1}]
    paths = [at for at, _ in BREAKING_CHANGES]
    rng = random.Random(8)
    verdicts = set()
    for _ in range(3000):
        document = VALID_DOCUMENT
        for _ in range(rng.randint(1, 2)):
            with contextlib.suppress(TypeError, KeyError, IndexError):  # the first change removed what the second changes
                document = changed(document, rng.choice(paths), rng.choice(values))
        fast = predicate(document)
        verdicts.add(fast)
        if fast:
            assert jsonschema_accepts("drucksache", document), document
    assert verdicts == {True, False}


def test_register_schema() -> None:
    predicate = compile_predicate(load_inlined_schema("register"))
    entry = {"id": "gruene", "name": "Grüne", "aliase": ["B90"], "oparl": {"organizationType": "Fraktion"}}
    assert predicate([entry]) and jsonschema_accepts("register", [entry])
    for broken in ({**entry, "id": "Grüne"}, {**entry, "aliase": ["B90", "B90"]}, {**entry, "oparl": {"organizationType": "Verein"}}):
        assert not predicate([broken]) and not jsonschema_accepts("register", [broken])


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer"},
        {"type": ["string", "null"]},
        {"not": {"type": "string"}},
        {"oneOf": [{"type": "string"}, {"minLength": 2}]},
        {"additionalProperties": {"type": "string"}},
    ],
)
def test_keywords_it_does_not_know_always_ask_jsonschema(schema: dict[str, Any]) -> None:
    predicate = compile_predicate(schema)
    assert not predicate("ab") and not predicate({"a": 1}) and not predicate(2)


def test_an_unknown_keyword_below_applies_where_it_stands() -> None:
    predicate = compile_predicate({"properties": {"a": {"maximum": 3}}})
    assert not predicate({"a": 1})  # jsonschema decides
    assert predicate({"b": 1}) and predicate("ab")  # "properties" does not apply to these: valid either way


def test_one_of_counts_exactly() -> None:
    predicate = compile_predicate({"oneOf": [{"required": ["pfad"]}, {"required": ["url"]}]})
    assert predicate({"pfad": "a"}) and predicate({"url": "b"})
    assert not predicate({}) and not predicate({"pfad": "a", "url": "b"})


# Run in a fresh interpreter: other tests of the session may leave threads running (a browser, a server), and
# with other threads load_corpus rightly stays in one process.
COMPARE_WORKERS = """
import sys, threading
from pathlib import Path
from ratsdok.load import load_corpus
root = Path(sys.argv[1])
assert threading.active_count() == 1  # else load_corpus stays in one process and this proves nothing
serial = load_corpus(root, workers=1)
assert serial.problems and len(serial.documents) > 100
assert load_corpus(root, workers=2) == serial
assert load_corpus(root, workers=3) == serial
print("gleich")
"""


def test_loading_in_several_processes_gives_the_same_corpus(tmp_path: Path) -> None:
    root = tmp_path / "korpus"
    generate_corpus(root, 120)
    # Broken files of every kind, spread over the batches, with their problems and duplicate numbers.
    for number, fixture in enumerate(sorted(VALIDATION_FIXTURES.glob("*.md"))):
        shutil.copy(fixture, root / "14" / f"14-{9000 + number}.md")
    shutil.copy(next((root / "14").glob("14-*.md")), root / "13" / "13-9999.md")
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks")}
    completed = subprocess.run([sys.executable, "-c", COMPARE_WORKERS, str(root)], env=environment, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "gleich"
