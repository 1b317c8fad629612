"""The cache of loaded files: the same corpus as without it, and a miss for every change the result depends on."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, TempCorpus
from ratsdok import build_cache, load, load_cache
from ratsdok.build_cache import CacheWrite
from ratsdok.load import Corpus, load_corpus

VALID = (REPO / "tests" / "fixtures" / "validation" / "gueltig.md").read_text("utf-8")
# The valid document without its original PDF (a file with "pfad" is never cached; see below).
WITHOUT_PDF = VALID.replace("original:\n  pfad: anlage.pdf\n  sha256: 81d3e175ddb4a95070016b6ac73931706fba2549651a5f9c3cae50d1c826c11e\n", "")


class CountingLoader:
    """Counts the files that are really parsed (not taken from the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        original = load.load_document

        def counting(file: Path, root: Path, registers: load.Registers, raw: bytes | None = None) -> load.LoadedFile:
            self.parsed.append(file.name)
            return original(file, root, registers, raw)

        monkeypatch.setattr(load, "load_document", counting)

    def take(self) -> list[str]:
        parsed, self.parsed = sorted(self.parsed), []
        return parsed


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> CountingLoader:
    return CountingLoader(monkeypatch)


@pytest.fixture
def cached(corpus: TempCorpus, tmp_path: Path) -> TempCorpus:
    corpus.write("14/14-2048-1.md", WITHOUT_PDF)
    inquiry = WITHOUT_PDF.replace('"14/2048-1"', '"14/2048"').replace("fraktionsanfrage-antwort", "fraktionsanfrage")
    corpus.write("14/14-2048.md", inquiry.replace('anfrage: "14/2048"\n', ""))
    corpus.write("14/14-2049.md", "---\nnummer: 14/2049\n---\n")  # with problems: cached as well
    return corpus


def load_with_cache(corpus: TempCorpus, tmp_path: Path) -> Corpus:
    return load_corpus(corpus.root, workers=1, cache_dir=tmp_path / "cache")


def test_each_drucksache_has_its_file_key_and_only_a_changed_file_gets_another(cached: TempCorpus, tmp_path: Path) -> None:
    """The key stands for the Drucksache in the page cache's keys (see site_hooks): equal for an unchanged file,
    whether parsed or taken from the cache, and another for a changed one."""
    assert load_corpus(cached.root, workers=1).source_keys == {}  # no cache, no keys
    first = load_with_cache(cached, tmp_path)
    assert sorted(first.source_keys) == sorted(doc.source_path for doc in first.documents)  # not 14-2049 (problems)
    again = load_with_cache(cached, tmp_path)
    assert again.source_keys == first.source_keys
    cached.write("14/14-2048.md", (cached.root / "14" / "14-2048.md").read_text("utf-8") + "\nEin neuer Satz.\n")
    changed = load_with_cache(cached, tmp_path)
    assert {path for path in first.source_keys if changed.source_keys[path] != first.source_keys[path]} == {"drucksachen/14/14-2048.md"}


def test_a_second_load_parses_nothing_and_gives_the_same_corpus(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    uncached = load_corpus(cached.root, workers=1)
    assert len(uncached.documents) == 2 and uncached.problems
    parsed.take()
    assert load_with_cache(cached, tmp_path) == uncached
    assert parsed.take() == ["14-2048-1.md", "14-2048.md", "14-2049.md"]
    assert load_with_cache(cached, tmp_path) == uncached
    assert parsed.take() == []


def test_kept_in_memory_the_next_load_takes_the_same_objects_and_the_file_is_written_when_asked(
    cached: TempCorpus, tmp_path: Path, parsed: CountingLoader
) -> None:
    """make serve: the next load in the process takes the last one's entries from memory, not from the file."""
    cache = tmp_path / "cache"
    later: list[CacheWrite] = []
    first = load_corpus(cached.root, workers=1, cache_dir=cache, keep_in_memory=True, later=later)
    assert parsed.take() == ["14-2048-1.md", "14-2048.md", "14-2049.md"]
    assert [write.new_entries for write in later] == [3] and not (cache / load_cache.CACHE_FILE).exists()  # not yet
    later.pop().write()
    (cache / load_cache.CACHE_FILE).write_bytes(b"not a pickle")  # not read again
    cached.write("14/14-2048-1.md", WITHOUT_PDF.replace("titel: Verbesserung", "titel: Stärkung"))
    second = load_corpus(cached.root, workers=1, cache_dir=cache, keep_in_memory=True, later=later)
    assert parsed.take() == ["14-2048-1.md"]
    assert [write.new_entries for write in later] == [1]
    assert second.by_reference()["14/2048-1"].title.startswith("Stärkung")
    assert second.by_reference()["14/2048"] is first.by_reference()["14/2048"]  # unchanged: the same object
    assert second == load_corpus(cached.root, workers=1)


def test_kept_in_memory_a_file_unchanged_on_disk_is_not_read_again(cached: TempCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """make serve: a file whose signature (times, size, inode) is as the last load saw it is taken without reading;
    a changed one is read even with its size and modified time kept, and one changed just before a load is read
    again next time (a coarse clock could hide a second change)."""
    cache = tmp_path / "cache"
    an_hour_ago = time.time_ns() - 3600 * 10**9
    for file in cached.root.rglob("*.md"):
        os.utime(file, ns=(an_hour_ago, an_hour_ago))
    read: list[str] = []
    original_read = load._read

    def counting_read(file: Path) -> bytes | None:
        read.append(file.name)
        return original_read(file)

    monkeypatch.setattr(load, "_read", counting_read)

    def load_again() -> list[str]:
        load_corpus(cached.root, workers=1, cache_dir=cache, keep_in_memory=True, later=[])
        taken, read[:] = sorted(read), []
        return taken

    load_again()  # the first load: no entries yet, the files are read in the loading processes' way
    assert load_again() == ["14-2048-1.md", "14-2048.md", "14-2049.md"]  # read once more, their signatures noted
    assert load_again() == []
    answer = cached.root / "14" / "14-2048-1.md"
    text = answer.read_text("utf-8")
    answer.write_text(text.replace("titel: Verbesserung", "titel: Veränderung"), "utf-8")  # as long in bytes
    assert answer.stat().st_size == len(text.encode())
    os.utime(answer, ns=(an_hour_ago, an_hour_ago))
    assert load_again() == ["14-2048-1.md"]
    answer.write_text(text, "utf-8")  # just now: read again at the next load too
    assert load_again() == ["14-2048-1.md"]
    assert load_again() == ["14-2048-1.md"]
    os.utime(answer, ns=(an_hour_ago, an_hour_ago))
    assert load_again() == ["14-2048-1.md"]
    assert load_again() == []
    kept = load_corpus(cached.root, workers=1, cache_dir=cache, keep_in_memory=True, later=[])
    assert kept == load_corpus(cached.root, workers=1)
    assert kept.by_reference()["14/2048-1"].title.startswith("Verbesserung")


def test_a_changed_file_is_parsed_again(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    load_with_cache(cached, tmp_path)
    parsed.take()
    cached.write("14/14-2048-1.md", WITHOUT_PDF.replace("titel: Verbesserung", "titel: Stärkung"))
    corpus = load_with_cache(cached, tmp_path)
    assert parsed.take() == ["14-2048-1.md"]
    assert corpus.by_reference()["14/2048-1"].title.startswith("Stärkung")


def test_a_moved_file_is_parsed_again(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    load_with_cache(cached, tmp_path)
    parsed.take()
    (cached.root / "14" / "14-2048-1.md").rename(cached.root / "14" / "14-9999.md")
    corpus = load_with_cache(cached, tmp_path)
    assert parsed.take() == ["14-9999.md"]
    assert any("Dateiname passt nicht" in problem.message for problem in corpus.problems)


def test_a_changed_register_invalidates_every_file(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    load_with_cache(cached, tmp_path)
    parsed.take()
    topics = cached.root / "register" / "themen.yml"
    topics.write_text(topics.read_text("utf-8").replace("id: soziales", "id: soziale-fragen"), "utf-8")
    corpus = load_with_cache(cached, tmp_path)
    assert parsed.take() == ["14-2048-1.md", "14-2048.md", "14-2049.md"]
    assert any("„soziales“ steht nicht im Register" in problem.message for problem in corpus.problems)


def test_changed_code_invalidates_every_file(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader, monkeypatch: pytest.MonkeyPatch) -> None:
    load_with_cache(cached, tmp_path)
    parsed.take()
    package = tmp_path / "paket"
    shutil.copytree(Path(load_cache.__file__).parent, package)
    monkeypatch.setattr(load_cache, "_PACKAGE_DIR", package)
    load_with_cache(cached, tmp_path)
    assert parsed.take() == []  # the same code
    (package / "validate.py").write_text((package / "validate.py").read_text("utf-8") + "\n# changed\n", "utf-8")
    load_with_cache(cached, tmp_path)
    assert parsed.take() == ["14-2048-1.md", "14-2048.md", "14-2049.md"]


def test_a_file_with_an_original_pdf_is_never_cached(corpus: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    """Its check reads the PDF, which is not part of the key: a changed PDF must be found."""
    pdf = corpus.write("14/anlage.pdf", b"%PDF-1.4 Inhalt")
    corpus.write("14/14-2048-1.md", VALID.replace("81d3e175ddb4a95070016b6ac73931706fba2549651a5f9c3cae50d1c826c11e", hashlib.sha256(pdf.read_bytes()).hexdigest()))
    assert load_with_cache(corpus, tmp_path).problems == ()
    pdf.write_bytes(b"%PDF-1.4 anderer Inhalt")
    corpus_after = load_with_cache(corpus, tmp_path)
    assert parsed.take() == ["14-2048-1.md", "14-2048-1.md"]
    assert [problem.field for problem in corpus_after.problems] == ["original.sha256"]


@pytest.mark.parametrize("content", [b"", b"kein pickle", b"\x80\x05K\x01."])
def test_a_broken_cache_is_an_empty_one(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader, content: bytes) -> None:
    uncached = load_corpus(cached.root, workers=1)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / load_cache.CACHE_FILE).write_bytes(content)
    parsed.take()
    assert load_with_cache(cached, tmp_path) == uncached
    assert len(parsed.take()) == 3


def test_the_cache_holds_only_the_files_of_the_last_load(cached: TempCorpus, tmp_path: Path) -> None:
    load_with_cache(cached, tmp_path)
    (cached.root / "14" / "14-2049.md").unlink()
    load_with_cache(cached, tmp_path)
    cache = load_cache.open_cache(tmp_path / "cache", load_corpus(cached.root, workers=1).registers)
    assert len(cache.entries) == 2


def test_the_texts_are_not_stored_and_an_unchanged_cache_is_not_rewritten(cached: TempCorpus, tmp_path: Path) -> None:
    first = load_with_cache(cached, tmp_path)
    stored = tmp_path / "cache" / load_cache.CACHE_FILE
    written = stored.stat().st_mtime_ns, stored.read_bytes()
    assert b"Vorhaben" not in written[1]  # a word of the text only, not of the front matter
    assert any("Welche Vorhaben sind geplant?" in doc.body for doc in first.documents)
    assert load_with_cache(cached, tmp_path) == first  # the texts cut from the files again
    assert (stored.stat().st_mtime_ns, stored.read_bytes()) == written


def test_a_first_load_in_two_processes_fills_the_cache_as_one_does(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    two = load_corpus(cached.root, workers=2, cache_dir=tmp_path / "zwei")
    one = load_corpus(cached.root, workers=1, cache_dir=tmp_path / "eins")
    assert two == one
    parsed.take()
    assert load_corpus(cached.root, workers=1, cache_dir=tmp_path / "zwei") == one
    assert parsed.take() == []


def test_a_cache_written_in_the_background_arrives_and_is_used(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    """drucksache.py check shows its result while a detached process writes the cache."""
    first = load_corpus(cached.root, workers=1, cache_dir=tmp_path / "cache", save_in_background=True)
    stored = tmp_path / "cache" / load_cache.CACHE_FILE
    deadline = time.monotonic() + 30
    while not stored.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stored.exists()
    parsed.take()
    assert load_with_cache(cached, tmp_path) == first
    assert parsed.take() == []  # every file from the cache


def test_the_check_returns_before_its_cache_is_written(tmp_path: Path) -> None:
    """The detached writer holds neither the caller nor its output: a slow write does not delay a check."""
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(REPO / 'hooks')!r})\n"
        "from ratsdok.parallel import run_detached\n"
        f"run_detached(lambda: (time.sleep(3), open({str(tmp_path / 'fertig')!r}, 'w').close()))\n"
        "print('Ergebnis')\n"
    )
    started = time.monotonic()
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert shown.stdout == "Ergebnis\n"
    assert time.monotonic() - started < 3  # the output was complete before the write
    assert not (tmp_path / "fertig").exists()
    deadline = time.monotonic() + 30
    while not (tmp_path / "fertig").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "fertig").exists()


def test_a_load_waits_for_a_cache_being_written_in_the_background(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader) -> None:
    """make check && make build: the build finds the cache the check is still writing."""
    first = load_with_cache(cached, tmp_path)
    stored = tmp_path / "cache" / load_cache.CACHE_FILE
    aside = tmp_path / "beiseite"
    stored.rename(aside)
    announced = stored.with_name(stored.name + build_cache.WRITING_SUFFIX)
    announced.touch()

    def finish_writing() -> None:
        time.sleep(0.5)
        aside.rename(stored)
        announced.unlink()

    writer = threading.Thread(target=finish_writing)
    writer.start()
    parsed.take()
    assert load_with_cache(cached, tmp_path) == first
    writer.join()
    assert parsed.take() == []  # every file from the cache the writer finished


def test_a_writer_that_died_is_not_waited_for(cached: TempCorpus, tmp_path: Path, parsed: CountingLoader, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_cache, "WRITER_PATIENCE", 5.0)
    (tmp_path / "cache").mkdir()
    announced = tmp_path / "cache" / (load_cache.CACHE_FILE + build_cache.WRITING_SUFFIX)
    announced.touch()
    os.utime(announced, (time.time() - 60, time.time() - 60))
    started = time.monotonic()
    load_with_cache(cached, tmp_path)
    assert time.monotonic() - started < 5.0
    assert len(parsed.take()) == 3
