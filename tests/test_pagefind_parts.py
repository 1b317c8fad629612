"""ratsdok.pagefind_parts: a large archive's search index in parts, dealt out in date order, unchanged parts
taken from the cache."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from build_support import files_of, run_mkdocs_build
from ratsdok import pagefind_parts, pagefind_reuse, search_index
from ratsdok.pagefind_order import ENTRY_FILE
from ratsdok.pagefind_parts import PART_SIZE_VARIABLE, Part, PartSizeError, pages_per_part, part_count, part_glob, plan_parts
from ratsdok.search_index import BUNDLE_DIR, RunningIndex, SearchIndexError

PAGE = (
    '<!doctype html><html lang="de"><head><title>{number}</title></head><body><main data-pagefind-body><h1>{number}</h1>'
    '<span data-pagefind-sort="datum">{date}</span><p>{text}</p></main></body></html>'
)
# number: date; deliberately not in date order by number
DATES = {"99-1": "2025-03-01", "99-2": "2024-01-15", "99-3": "2025-01-01", "99-4": "2023-07-30", "99-5": "2025-03-01"}


def _page(site: Path, number: str, text: str = "Radwege im Ruhrgebiet") -> None:
    page = site / "drucksachen" / number / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(PAGE.format(number=number, date=DATES[number], text=text), "utf-8")


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for number in DATES:
        _page(site, number, f"Haltestellen Nummer {number}")
    return site


def assert_as_a_fresh_index(site: Path, tmp_path: Path) -> None:
    """The site's index has the files of an index made afresh of a copy of its pages."""
    fresh = tmp_path / "frisch"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    RunningIndex(fresh).finish()
    assert files_of(site / BUNDLE_DIR) == files_of(fresh / BUNDLE_DIR)


def test_pages_are_dealt_to_the_parts_in_turn_in_date_order(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "drucksachen" / "99-0").mkdir()
    (site / "drucksachen" / "99-0" / "index.html").write_text("<html><body>umbenannt</body></html>")  # not indexed
    parts = plan_parts(site, per_part=2)
    # date order: 99-4, 99-2, 99-3, then 99-1 and 99-5 (same date: by path)
    assert [[path.split("/")[1] for path in part.pages] for part in parts] == [["99-4", "99-1"], ["99-2", "99-5"], ["99-3"]]
    assert [part.folder for part in parts] == ["", "teil-2", "teil-3"]
    assert len({part.key for part in parts}) == 3


def test_a_part_key_changes_with_its_pages_only(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = plan_parts(site, per_part=2)
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # in part 2
    after = plan_parts(site, per_part=2)
    assert [b.key == a.key for b, a in zip(before, after, strict=True)] == [True, False, True]


def test_pagefind_reads_a_part_by_a_glob_of_its_page_folders() -> None:
    part = Part(2, ("drucksachen/14-2048-1/index.html", "drucksachen/13-7/index.html"), "key")
    assert part_glob(part) == "drucksachen/{14-2048-1,13-7}/index.html"
    # Anything but a plain folder name would be read by Pagefind as a pattern: the index stops instead.
    with pytest.raises(ValueError, match=re.escape("unerwarteter Seitenpfad drucksachen/13-{7,8}/index.html")):
        part_glob(Part(1, ("drucksachen/13-{7,8}/index.html",), "key"))


def test_the_number_of_parts() -> None:
    assert [part_count(pages, 3_500) for pages in (0, 1, 3_500, 3_501, 10_000)] == [1, 1, 1, 2, 3]


def test_the_part_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    assert pages_per_part() == 2
    monkeypatch.setenv(PART_SIZE_VARIABLE, "zwei")
    with pytest.raises(PartSizeError, match="ganze Zahl"):
        pages_per_part()


def test_an_index_in_parts_has_a_folder_per_part_with_only_the_index_in_the_merged_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    site = _site(tmp_path)
    indexed = RunningIndex(site).finish()
    assert (indexed.pages, indexed.parts, indexed.parts_taken) == (5, 3, 0)
    bundle = site / BUNDLE_DIR
    assert (bundle / "pagefind.js").is_file()
    for folder in ("", "teil-2", "teil-3"):
        assert (bundle / folder / ENTRY_FILE).is_file()
    for folder, pages in (("", 2), ("teil-2", 2), ("teil-3", 1)):
        assert len(list((bundle / folder / "fragment").iterdir())) == pages
    assert sorted(file.name for file in (bundle / "teil-2").iterdir() if file.is_file())[0] == ENTRY_FILE
    assert not list((bundle / "teil-2").glob("*.js")) and not list((bundle / "teil-2").glob("wasm.*"))


def test_a_parts_output_is_finished_while_pagefind_indexes_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Making a part's output light to load (cutting its heavy chunks: more than a second per part at 10,000
    Drucksachen) happens while Pagefind indexes the next part, not between the two."""
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    site = _site(tmp_path)
    second_part_indexing = threading.Event()
    run, cut = RunningIndex._run, search_index.cut_heavy_chunks

    def running(index: RunningIndex, settings: dict[str, str], **meanwhile: Any) -> tuple[str, frozenset[str]]:
        if settings["output_path"].endswith("teil-2"):
            second_part_indexing.set()
        return run(index, settings, **meanwhile)

    waited: list[bool] = []

    def cutting(bundle: Path, *arguments: Any) -> int:
        if bundle.name == BUNDLE_DIR:  # the first part
            waited.append(second_part_indexing.wait(timeout=15))
        return cut(bundle, *arguments)

    monkeypatch.setattr(RunningIndex, "_run", running)
    monkeypatch.setattr(search_index, "cut_heavy_chunks", cutting)
    assert RunningIndex(site).finish().pages == 5
    assert waited == [True]
    assert_as_a_fresh_index(site, tmp_path)


def test_unchanged_parts_are_taken_from_the_cache_and_the_result_equals_a_fresh_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # part 2
    shutil.rmtree(site / BUNDLE_DIR)  # as in a clean build
    again = RunningIndex(site, stash=stash).finish()
    assert (again.parts, again.parts_taken) == (3, 2)

    assert_as_a_fresh_index(site, tmp_path)


def test_the_cache_holds_exactly_a_parts_finished_files_after_it_changed(tmp_path: Path) -> None:
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    kept = stash / "fertig" / "teil-1"
    before = {file.relative_to(kept) for file in kept.rglob("*") if file.is_file()}
    _page(site, "99-2", "Haltestellen im Kreis Kleve")
    RunningIndex(site, stash=stash).finish()
    bundle = site / BUNDLE_DIR
    after = {file.relative_to(kept): file.stat().st_ino for file in kept.rglob("*") if file.is_file()}
    assert after == {file.relative_to(bundle): file.stat().st_ino for file in bundle.rglob("*") if file.is_file()}
    assert before - after.keys()  # the changed page's old fragment, among others, is gone


def test_an_unchanged_part_keeps_the_files_the_site_folder_holds_and_loses_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A --dirty build's site folder holds the unchanged parts already: only what differs from the cache is linked
    again (relinking all took 1.4–2 s of a rebuild at 10,000 Drucksachen)."""
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")  # three parts: 99-4 and 99-1, 99-2 and 99-5, 99-3
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    bundle = site / BUNDLE_DIR
    fragments = sorted((bundle / "fragment").iterdir())  # part 1's
    fragments[0].unlink()
    (bundle / "fragment" / "de_fremd.pf_fragment").write_bytes(b"fremd")  # not in the index
    (bundle / "teil-3" / "alt" / "tief").mkdir(parents=True)
    (bundle / "teil-3" / "alt" / "tief" / "datei").write_text("alt", "utf-8")  # a folder the index does not have
    linked: list[Path] = []
    original_link = pagefind_parts.os.link

    def counting_link(source: Any, target: Any) -> None:
        linked.append(Path(target))  # in any thread: the parts are restored and indexed at once
        original_link(source, target)

    monkeypatch.setattr(pagefind_parts.os, "link", counting_link)
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # part 2 changes; parts 1 and 3 are taken from the cache
    again = RunningIndex(site, stash=stash).finish()

    assert (again.parts, again.parts_taken) == (3, 2)
    assert [target.name for target in linked if target.parent == bundle / "fragment"] == [fragments[0].name]
    assert not [target for target in linked if bundle / "teil-3" in target.parents]
    assert not (bundle / "teil-3" / "alt").exists() and not (bundle / "fragment" / "de_fremd.pf_fragment").exists()
    assert_as_a_fresh_index(site, tmp_path)


def test_a_file_put_back_is_read_again_only_when_it_changed_since_it_was_found_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files put back are checked against their names once; while each stays the same file, later runs trust
    that check (reading a part's 3,300 fragments took 1.6–2 s of processor time in each rebuild at 10,000)."""
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    read: list[str] = []
    original = pagefind_reuse._content_matches

    def reading(file: Path) -> bool:
        read.append(file.name)
        return original(file)

    monkeypatch.setattr(pagefind_reuse, "_content_matches", reading)
    page = site / "drucksachen" / "99-2" / "index.html"
    page.write_text(page.read_text("utf-8") + "<!-- 1 -->", "utf-8")  # indexed again; Pagefind's files stay alike
    RunningIndex(site, stash=stash).finish()
    assert len(read) > 5  # every file put back: the five fragments and more
    fragment = sorted((site / BUNDLE_DIR / "fragment").iterdir())[0]
    fragment.write_bytes(fragment.read_bytes()[:20])  # damaged in place: the same inode
    read.clear()
    page.write_text(page.read_text("utf-8") + "<!-- 2 -->", "utf-8")
    RunningIndex(site, stash=stash).finish()

    assert read == [fragment.name]
    assert_as_a_fresh_index(site, tmp_path)


def test_a_damaged_key_or_cache_means_indexing_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    key = next((stash / "fertig").glob("*.schluessel"))
    key.write_text("anders", "utf-8")
    again = RunningIndex(site, stash=stash).finish()
    assert again.parts_taken == 2


def test_fewer_parts_leave_no_stale_part_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    site = _site(tmp_path)
    RunningIndex(site).finish()
    assert (site / BUNDLE_DIR / "teil-3").is_dir()
    monkeypatch.setenv(PART_SIZE_VARIABLE, "3")
    assert RunningIndex(site).finish().parts == 2
    assert not (site / BUNDLE_DIR / "teil-3").exists()
    monkeypatch.delenv(PART_SIZE_VARIABLE)
    assert RunningIndex(site).finish().parts == 1
    assert not list((site / BUNDLE_DIR).glob("teil-*"))


@pytest.mark.build
def test_a_wrong_part_size_stops_the_build_with_a_german_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PART_SIZE_VARIABLE, "zwei")
    built = run_mkdocs_build(tmp_path / "site")
    assert built.returncode != 0
    assert "RATSDOK_SUCHINDEX_TEILGROESSE muss eine ganze Zahl ab 1 sein, nicht „zwei“." in built.log
    assert "Traceback" not in built.log and not (tmp_path / "site").exists()


def test_a_failed_plan_ends_the_wait_for_it_with_the_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build waits for the plan before checking links: a plan that fails must not leave it waiting."""
    site = _site(tmp_path)
    monkeypatch.setenv(PART_SIZE_VARIABLE, "zwei")  # read again while planning
    indexing = RunningIndex(site)
    assert indexing.planned.wait(timeout=60)
    with pytest.raises(SearchIndexError, match="ganze Zahl"):
        indexing.finish()


def test_pages_the_build_knows_are_planned_from_what_was_read_of_them_before(tmp_path: Path) -> None:
    """A --dirty build knows each page's content key: a page read before under the same key is not read again, and
    the plan equals one that reads every page."""
    site, facts = _site(tmp_path), tmp_path / "stash" / "seiten.pickle"
    known = {f"drucksachen/{number}/index.html": f"schluessel-{number}" for number in DATES}
    read_all = plan_parts(site, per_part=2)
    assert plan_parts(site, per_part=2, known=known, facts_file=facts) == read_all
    assert facts.is_file()
    # Changed on disk under the same key (which a build never does): the kept facts are used, the file is not read.
    _page(site, "99-2", "Haltestellen im Kreis Kleve")
    assert plan_parts(site, per_part=2, known=known, facts_file=facts) == read_all
    # Under a new key (the build changed the page) the page is read again.
    changed = plan_parts(site, per_part=2, known={**known, "drucksachen/99-2/index.html": "neu"}, facts_file=facts)
    assert changed == plan_parts(site, per_part=2) != read_all
    facts.write_bytes(b"kaputt")  # a damaged file: every page is read
    assert plan_parts(site, per_part=2, known=known, facts_file=facts) == plan_parts(site, per_part=2)


def test_the_files_put_back_are_checked_while_pagefind_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind never writes a file that exists: the files of the last index put back are checked against their
    names beside it, not after it (half a second of a rebuild at 10,000 Drucksachen)."""
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    _page(site, "99-2", "Haltestellen im Kreis Kleve")
    started, running = threading.Event(), []
    pagefind_running: list[bool] = []
    original = pagefind_reuse._content_matches

    def checking(file: Path) -> bool:
        started.wait()
        process = running[0].process
        pagefind_running.append(process is not None and process.poll() is None)
        return original(file)

    monkeypatch.setattr(pagefind_reuse, "_content_matches", checking)
    running.append(RunningIndex(site, stash=stash))
    started.set()
    assert running[0].finish().pages == 5
    assert len(pagefind_running) > 3 and pagefind_running[0]
    assert_as_a_fresh_index(site, tmp_path)


def test_stopped_while_it_checks_the_files_put_back_the_index_ends_at_once_and_the_next_run_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new build under mkdocs serve stops the last one's index and waits for it: reading the thousands of files
    put back in a part is not finished first. The part is left unfinished and indexed again by the next run."""
    site, stash = _site(tmp_path), tmp_path / "cache" / "pagefind-index"
    RunningIndex(site, stash=stash).finish()
    _page(site, "99-2", "Haltestellen im Kreis Kleve")  # indexed again, the other four pages' files put back first
    started, checked = threading.Event(), []
    running: list[RunningIndex] = []
    original = pagefind_reuse._content_matches

    def stopping_on_the_first_file(file: Path) -> bool:
        started.wait()
        checked.append(file.name)
        running[0].stopped = True  # as stop() sets it, from the next build's thread
        return original(file)

    monkeypatch.setattr(pagefind_reuse, "_content_matches", stopping_on_the_first_file)
    running.append(RunningIndex(site, stash=stash))
    started.set()
    with pytest.raises(SearchIndexError, match="abgebrochen"):
        running[0].finish()
    assert len(checked) == 1
    monkeypatch.setattr(pagefind_reuse, "_content_matches", original)
    again = RunningIndex(site, stash=stash).finish()
    assert (again.pages, again.parts_taken) == (5, 0)
    assert_as_a_fresh_index(site, tmp_path)
