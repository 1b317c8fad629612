"""scripts/generate_corpus.py: deterministic, valid, realistic, and never writes into drucksachen/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import generate_corpus as generate_corpus_module
import pytest
from build_support import SOURCE_14_2048_1, files_of
from conftest import REPO
from generate_corpus import generate_corpus, main
from ratsdok.load import Corpus, load_corpus
from ratsdok.model import PaperType
from ratsdok.render import render_body
from ratsdok.stop_words import STOP_WORDS

SCRIPT = REPO / "scripts" / "generate_corpus.py"
REAL_CORPUS = REPO / "drucksachen"


def tree_state(root: Path) -> list[tuple[str, int, int]]:
    return [(path.relative_to(root).as_posix(), path.stat().st_size, path.stat().st_mtime_ns) for path in sorted(root.rglob("*"))]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    root = tmp_path_factory.mktemp("korpus")
    generate_corpus(root, 600)
    return root, load_corpus(root)


# --- determinism ---------------------------------------------------------------------------------------


def test_same_arguments_give_byte_identical_files(tmp_path: Path, generated: tuple[Path, Corpus]) -> None:
    root, _ = generated
    again = tmp_path / "nochmal"
    generate_corpus(again, 600)
    first, second = files_of(root), files_of(again)
    assert len(first) == 600 + 3  # documents and three registers
    assert first == second


def test_same_arguments_in_another_process_give_byte_identical_files(tmp_path: Path) -> None:
    """Another interpreter with another hash seed: nothing may depend on set or dict order of strings."""
    generate_corpus(tmp_path / "hier", 150, seed=11)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--count", "150", "--seed", "11", str(tmp_path / "dort")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == f"150 Drucksachen in {(tmp_path / 'dort').resolve()} geschrieben.\n"
    assert files_of(tmp_path / "hier") == files_of(tmp_path / "dort")


def test_another_seed_gives_another_corpus(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 100, seed=1)
    generate_corpus(tmp_path / "b", 100, seed=2)
    first, second = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    registers = {name for name in first if name.startswith("register/")}
    assert {name: first[name] for name in registers} == {name: second[name] for name in registers}
    documents_a = {name: content for name, content in first.items() if name not in registers}
    documents_b = {name: content for name, content in second.items() if name not in registers}
    assert len(documents_a) == len(documents_b) == 100
    same = [name for name in documents_a if documents_b.get(name) == documents_a[name]]
    assert same == []


# --- validity and the mix ------------------------------------------------------------------------------


def test_generated_corpus_loads_without_problems(generated: tuple[Path, Corpus]) -> None:
    _, corpus = generated
    assert corpus.problems == ()
    assert corpus.files_seen == len(corpus.documents) == 600


def test_generated_corpus_has_a_realistic_mix(generated: tuple[Path, Corpus]) -> None:
    _, corpus = generated
    documents = corpus.documents
    by_reference = corpus.by_reference()
    kinds = Counter(doc.paper_type for doc in documents)
    assert kinds[PaperType.INQUIRY] >= 200
    assert kinds[PaperType.ANSWER] >= 150
    for other in (PaperType.MOTION, PaperType.DECISION_PROPOSAL, PaperType.INFORMATION):
        assert kinds[other] >= 5, other

    answers = [doc for doc in documents if doc.paper_type.is_answer]
    assert all(doc.answers in by_reference and by_reference[doc.answers].paper_type is PaperType.INQUIRY for doc in answers)
    assert all(doc.reference == f"{doc.answers}-1" for doc in answers)
    assert all(doc.date >= by_reference[doc.answers].date for doc in answers)
    answered = {doc.answers for doc in answers}
    open_inquiries = [doc for doc in documents if doc.paper_type is PaperType.INQUIRY and doc.reference not in answered]
    assert 5 <= len(open_inquiries) <= kinds[PaperType.INQUIRY] // 2

    assert len({row.committee for doc in documents for row in doc.consultations}) >= 5
    assert len({doc.faction for doc in documents if doc.faction}) >= 5
    assert len({topic for doc in documents for topic in doc.topics}) >= 10
    assert {doc.legislative_term for doc in documents} == {13, 14, 15}
    assert len({doc.date.year for doc in documents}) >= 10
    assert all(doc.faction for doc in documents if doc.paper_type.needs_faction)


_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def word_shares(texts: list[str]) -> list[tuple[str, float]]:
    counts = Counter(word.lower() for text in texts for word in _WORD.findall(text))
    total = sum(counts.values())
    return [(word, count / total) for word, count in counts.most_common()]


def test_word_frequencies_have_the_shape_of_the_real_answer(generated: tuple[Path, Corpus]) -> None:
    # The search index's heaviest entries belong to the most frequent words, so the search measurement is only as
    # real as this shape: in 14/2048-1 function words lead ("der" ~5 %), no subject word exceeds ~1.6 % ("Ruhr").
    _, corpus = generated
    generated_shares = word_shares([doc.body for doc in corpus.documents])
    real_shares = word_shares([SOURCE_14_2048_1.read_text(encoding="utf-8")])
    assert all(word in STOP_WORDS for word, _ in generated_shares[:10]), generated_shares[:10]
    real_top = real_shares[0][1]
    assert real_top / 2 <= generated_shares[0][1] <= real_top * 2, (generated_shares[0], real_shares[0])
    real_subject_top = next(share for word, share in real_shares if word not in STOP_WORDS)
    generated_subject_top = next((word, share) for word, share in generated_shares if word not in STOP_WORDS)
    assert generated_subject_top[1] <= real_subject_top, generated_subject_top


_LIST_QUESTION = re.compile(r"^(\d+)\. ", re.M)


def test_inquiries_have_2_to_15_questions_and_answers_answer_each(generated: tuple[Path, Corpus]) -> None:
    _, corpus = generated
    by_reference = corpus.by_reference()
    counts = {}
    for doc in corpus.documents:
        if doc.paper_type is PaperType.INQUIRY:
            numbers = [int(number) for number in _LIST_QUESTION.findall(doc.body)]
            assert numbers == list(range(1, len(numbers) + 1)), doc.reference
            counts[doc.reference] = len(numbers)
    assert min(counts.values()) == 2
    assert max(counts.values()) == 15
    assert len(set(counts.values())) == 14  # every count from 2 to 15 occurs
    for doc in corpus.documents:
        if doc.paper_type.is_answer:
            anchors = render_body(doc.body).question_anchors
            assert anchors == tuple(f"frage-{n}" for n in range(1, counts[doc.answers] + 1)), doc.reference
            assert by_reference[doc.answers].paper_type is PaperType.INQUIRY


def test_generated_corpus_has_references_between_documents(generated: tuple[Path, Corpus]) -> None:
    _, corpus = generated
    by_reference = corpus.by_reference()
    in_text = [(doc, ref) for doc in corpus.documents for ref in render_body(doc.body).references]
    in_bezuege = [(doc, ref) for doc in corpus.documents for ref in doc.related]
    assert len(in_text) >= 150
    assert len(in_bezuege) >= 200
    assert all(ref in by_reference and ref != doc.reference for doc, ref in in_text + in_bezuege)
    # References point back in time, as in real documents.
    assert all(by_reference[ref].date <= doc.date for doc, ref in in_text + in_bezuege)
    # Several phrasings are used.
    phrasings = Counter(match.group(1) for doc in corpus.documents for match in re.finditer(r"(vgl\. Drucksache|siehe Drucksache|Drs\.|Drucksache Nr\.|DS) \d", doc.body))
    assert len(phrasings) == 5


# --- the command line: where it refuses to write -------------------------------------------------------
#
# Calls that name the real drucksachen/ never pass --force and only name folders that are not empty or do
# not exist yet (removed again should the guard ever fail), so a broken guard cannot destroy anything.
# The guard with --force is tested against a stand-in for drucksachen/.


@pytest.fixture
def real_corpus_unchanged() -> Iterator[None]:
    before = tree_state(REAL_CORPUS)
    created = [REAL_CORPUS / name for name in ("synthetisch", "neu")]
    assert not any(path.exists() for path in created)
    yield
    for path in created:  # only there if the guard failed
        if path.is_dir():
            shutil.rmtree(path)
    assert tree_state(REAL_CORPUS) == before


def refused(target: Path) -> str:
    return f"Fehler: {target} gehört zum Bestand echter Drucksachen; bitte ein anderes Verzeichnis wählen.\n"


def test_the_guard_protects_the_repository_corpus() -> None:
    assert REAL_CORPUS.resolve() == generate_corpus_module.REPOSITORY_CORPUS


@pytest.mark.usefixtures("real_corpus_unchanged")
@pytest.mark.parametrize(
    "target",
    [
        pytest.param(REAL_CORPUS, id="drucksachen"),
        pytest.param(REAL_CORPUS / "synthetisch", id="neuer-unterordner"),
        pytest.param(REAL_CORPUS / "14", id="bestehender-unterordner"),
        pytest.param(REAL_CORPUS / "synthetisch" / "tief", id="tiefer-unterordner"),
        pytest.param(REPO, id="repository"),
    ],
)
def test_refuses_the_real_corpus(target: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--count", "3", str(target)]) == 2
    captured = capsys.readouterr()
    assert (captured.err, captured.out) == (refused(target.resolve()), "")
    assert not (REAL_CORPUS / "synthetisch").exists()


@pytest.mark.usefixtures("real_corpus_unchanged")
def test_refuses_the_real_corpus_by_a_relative_path_or_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO / "scripts")
    assert main(["../drucksachen/neu"]) == 2
    link = tmp_path / "verweis"
    link.symlink_to(REAL_CORPUS, target_is_directory=True)
    assert main([str(link / "neu")]) == 2
    assert capsys.readouterr().err == refused(REAL_CORPUS / "neu") * 2


@pytest.mark.usefixtures("real_corpus_unchanged")
def test_refuses_the_real_corpus_from_the_command_line() -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--count", "2", "drucksachen/synthetisch"], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (2, "", refused(REAL_CORPUS / "synthetisch"))


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of drucksachen/ that the guard protects instead of the real one."""
    corpus = tmp_path / "repo" / "drucksachen"
    shutil.copytree(REAL_CORPUS, corpus)
    monkeypatch.setattr(generate_corpus_module, "REPOSITORY_CORPUS", corpus.resolve())
    return corpus


@pytest.mark.parametrize("relative", [".", "14", "neu", "neu/tief", "..", "../.."])
def test_refuses_the_protected_corpus_even_with_force(stand_in: Path, relative: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_state(stand_in.parent)
    target = (stand_in / relative).resolve()
    assert main(["--force", "--count", "3", str(stand_in / relative)]) == 2
    assert capsys.readouterr().err == refused(target)
    assert tree_state(stand_in.parent) == before


def test_refuses_the_protected_corpus_through_a_link_even_with_force(stand_in: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_state(stand_in.parent)
    link = tmp_path / "verweis"
    link.symlink_to(stand_in, target_is_directory=True)
    assert main(["--force", str(link)]) == 2
    assert main(["--force", str(link / "14")]) == 2
    assert capsys.readouterr().err == refused(stand_in.resolve()) + refused((stand_in / "14").resolve())
    assert tree_state(stand_in.parent) == before


def test_refuses_a_non_empty_target_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ziel"
    (target / "register").mkdir(parents=True)
    (target / "notiz.txt").write_text("bleibt", "utf-8")
    assert main(["--count", "3", str(target)]) == 2
    assert capsys.readouterr().err == f"Fehler: {target} ist nicht leer (mit --force ersetzen).\n"
    assert files_of(target) == {"notiz.txt": b"bleibt"}
    assert [path.name for path in target.iterdir()] != []


def test_force_replaces_a_non_empty_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ziel"
    target.mkdir()
    (target / "notiz.txt").write_text("weg", "utf-8")
    assert main(["--force", "--count", "3", str(target)]) == 0
    assert capsys.readouterr().out == f"3 Drucksachen in {target} geschrieben.\n"
    assert not (target / "notiz.txt").exists()
    assert load_corpus(target).problems == ()
    assert len(load_corpus(target).documents) == 3


def test_writes_into_an_empty_or_missing_target(tmp_path: Path) -> None:
    (tmp_path / "leer").mkdir()
    assert main(["--count", "4", str(tmp_path / "leer")]) == 0
    assert main(["--count", "4", str(tmp_path / "neu" / "tief")]) == 0
    assert files_of(tmp_path / "leer") == files_of(tmp_path / "neu" / "tief")
    assert len(load_corpus(tmp_path / "leer").documents) == 4


def test_a_bad_count_is_refused_before_force_removes_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ziel"
    target.mkdir()
    (target / "notiz.txt").write_text("bleibt", "utf-8")
    assert main(["--force", "--count", "0", str(target)]) == 2
    assert capsys.readouterr().err == "Fehler: --count muss mindestens 1 sein.\n"
    assert files_of(target) == {"notiz.txt": b"bleibt"}
