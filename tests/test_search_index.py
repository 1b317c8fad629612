"""ratsdok.search_index: Pagefind over a site folder; under mkdocs serve at a lower priority."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from ratsdok.pagefind_order import SIGNATURE
from ratsdok.pagefind_reuse import FRAGMENT_DIR, content_matches
from ratsdok.search_index import BUNDLE_DIR, YIELDING_NICENESS, RunningIndex, pagefind_executable

PAGE = '<!doctype html><html lang="de"><head><title>Probe</title></head><body><main data-pagefind-body><h1>Probe</h1><p>Radwege im Ruhrgebiet</p></main></body></html>'


def _site(tmp_path: Path) -> Path:
    page = tmp_path / "site" / "drucksachen" / "99-1" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, "utf-8")
    return tmp_path / "site"


def _pagefind_pid(indexing: RunningIndex) -> int:
    """The process of the part being indexed, once started (the parts are indexed in a thread)."""
    deadline = time.monotonic() + 30
    while indexing.process is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert indexing.process is not None
    return indexing.process.pid


def test_a_build_runs_the_pagefind_binary_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not through ``python -m pagefind``, whose imports took 0.2 s of each run (a part, at 10,000 Drucksachen)."""
    binary = Path(pagefind_executable())
    assert binary.is_file() and os.access(binary, os.X_OK) and binary.name.startswith("pagefind")
    indexing = RunningIndex(_site(tmp_path))
    _pagefind_pid(indexing)
    assert indexing.process is not None and indexing.process.args == [str(binary)]
    assert indexing.finish().pages == 1
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind/pagefind")  # as ``python -m pagefind`` honours it
    assert pagefind_executable() == "/opt/pagefind/pagefind"


def test_a_yielding_index_runs_at_lower_priority_and_still_indexes(tmp_path: Path) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    indexing = RunningIndex(_site(tmp_path), yielding=True)
    assert os.getpriority(os.PRIO_PROCESS, _pagefind_pid(indexing)) == min(own + YIELDING_NICENESS, 19)
    assert indexing.finish().pages == 1


def test_a_build_index_keeps_the_priority_of_the_build(tmp_path: Path) -> None:
    indexing = RunningIndex(_site(tmp_path))
    assert os.getpriority(os.PRIO_PROCESS, _pagefind_pid(indexing)) == os.getpriority(os.PRIO_PROCESS, 0)
    assert indexing.finish().pages == 1


def _page(site: Path, number: str, text: str) -> None:
    page = site / "drucksachen" / number / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(PAGE.replace("Radwege im Ruhrgebiet", text), "utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(file.relative_to(folder)): file.read_bytes() for file in sorted(folder.rglob("*")) if file.is_file()}


def _index_anew(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """The index of ``site`` written into an empty folder."""
    fresh = tmp_path / "frisch"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    RunningIndex(fresh).finish()
    return _files(fresh / BUNDLE_DIR)


def test_a_second_index_in_the_same_folder_reuses_the_fragments_and_equals_a_fresh_one(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _page(site, "99-2", "Haltestellen im Kreis Wesel")
    _page(site, "99-3", "Grünflächen in Bochum")
    RunningIndex(site).finish()
    fragments = site / BUNDLE_DIR / FRAGMENT_DIR
    before = {file.name: file.stat().st_ino for file in fragments.iterdir()}
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # changed
    shutil.rmtree(site / "drucksachen" / "99-3")  # removed
    _page(site, "99-4", "Schwimmbäder in Herne")  # added

    assert RunningIndex(site).finish().pages == 3
    after = {file.name: file.stat().st_ino for file in fragments.iterdir()}
    assert len(after) == 3  # the fragments of the changed and the removed page are gone
    kept = before.keys() & after.keys()
    assert len(kept) == 1 and all(before[name] == after[name] for name in kept)  # not written again
    assert _files(site / BUNDLE_DIR) == _index_anew(site, tmp_path)


def test_a_kept_fragment_whose_content_does_not_match_its_name_is_written_again(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _page(site, "99-2", "Haltestellen im Kreis Wesel")
    RunningIndex(site).finish()
    fragments = sorted((site / BUNDLE_DIR / FRAGMENT_DIR).iterdir())
    # As if an older index had had another page under the same (shortened) hash, or a write had been cut off.
    fragments[0].write_bytes(fragments[1].read_bytes())
    fragments[1].write_bytes(fragments[1].read_bytes()[:20])

    RunningIndex(site).finish()
    assert _files(site / BUNDLE_DIR) == _index_anew(site, tmp_path)


def test_the_fragment_check_follows_pagefinds_naming() -> None:
    """Pagefind writes each byte of the SHA-1 in hex without a leading zero (Rust's {:x?}): found by checking
    the 10,000 fragments of a generated archive, a quarter of which have such a byte in their name."""
    content = next(text for n in range(1000) if hashlib.sha1(text := f'{{"url":"/{n}/"}}'.encode()).digest()[0] < 16)
    digest = hashlib.sha1(content).digest()
    name = "de_" + "".join(f"{byte:x}" for byte in digest)[:7]
    assert content_matches(gzip.compress(SIGNATURE + content), name)
    assert not content_matches(gzip.compress(SIGNATURE + content), "de_" + digest.hex()[:7])
    assert not content_matches(gzip.compress(SIGNATURE + content + b" "), name)
    assert not content_matches(b"kein gzip", name)


def test_an_index_into_an_empty_folder_reuses_the_files_kept_in_the_cache(tmp_path: Path) -> None:
    """A clean build (empty site folder) takes Pagefind's files of the last run from the cache."""
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    _page(site, "99-2", "Haltestellen im Kreis Wesel")
    _page(site, "99-3", "Grünflächen in Bochum")
    RunningIndex(site, stash=stash).finish()
    kept = {file.relative_to(stash).as_posix(): file.stat().st_ino for file in stash.rglob("*") if file.is_file()}
    assert {FRAGMENT_DIR, "index"} <= {path.split("/")[0] for path in kept}
    assert any(path.startswith("pagefind.") for path in kept)  # the meta file, as Pagefind wrote it

    shutil.rmtree(site / BUNDLE_DIR)
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # changed
    shutil.rmtree(site / "drucksachen" / "99-3")  # removed
    RunningIndex(site, stash=stash).finish()
    bundle = site / BUNDLE_DIR
    reused = [path for path, inode in kept.items() if (bundle / path).is_file() and (bundle / path).stat().st_ino == inode]
    assert any(path.startswith(FRAGMENT_DIR) for path in reused)  # the unchanged page's fragment, not written again
    assert _files(bundle) == _index_anew(site, tmp_path)
    now = {file.relative_to(stash).as_posix() for file in stash.rglob("*") if file.is_file()}
    assert len([path for path in now if path.startswith(FRAGMENT_DIR)]) == 2  # the removed page's is gone


def test_a_damaged_file_in_the_cache_is_written_again(tmp_path: Path) -> None:
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    _page(site, "99-2", "Haltestellen im Kreis Wesel")
    RunningIndex(site, stash=stash).finish()
    for file in [*(stash / "index").iterdir(), *(stash / FRAGMENT_DIR).iterdir()]:
        file.unlink()  # a hard link: the site keeps its file
        file.write_bytes(b"beschaedigt")
    shutil.rmtree(site / BUNDLE_DIR)
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # changed: the part is indexed again, with what the cache holds
    RunningIndex(site, stash=stash).finish()
    assert _files(site / BUNDLE_DIR) == _index_anew(site, tmp_path)
