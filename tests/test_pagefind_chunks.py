"""ratsdok.pagefind_chunks: heavy chunks of Pagefind's word index are cut, nothing else changes.

The index is the real one of the mixed site (Pagefind 1.5.2 over 201 Drucksachen), cut again with small limits so
that many chunks are cut. That Pagefind's browser part still finds every word is shown in the browser by
tests/test_search_browser.py (test_finely_cut_index_finds_the_same).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from browser_support import MixedSite
from ratsdok import pagefind_chunks
from ratsdok.pagefind_chunks import CHUNK_BYTES, ChunkCuts, Word, chunk_bounds, chunk_words, cut_heavy_chunks, group_words
from ratsdok.pagefind_order import ENTRY_FILE, SIGNATURE, PagefindFormatError, read_pagefind_file

pytestmark = pytest.mark.build


def chunk_list(bundle: Path) -> list[list[str]]:
    entry = json.loads((bundle / ENTRY_FILE).read_text("utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    return next(part for part in meta if isinstance(part, list) and part and all(isinstance(i, list) and len(i) == 3 for i in part))


def words_in_order(bundle: Path) -> list[tuple[str, bytes, str]]:
    """(text, bytes as written, chunk name) of every word, in the order of the chunk list."""
    result = []
    for _, _, name in chunk_list(bundle):
        data = gzip.decompress((bundle / "index" / f"{name}.pf_index").read_bytes())
        result += [(word.text, data[word.start : word.end], name) for word in chunk_words(data, name)]
    return result


@pytest.fixture
def bundle(mixed_site: MixedSite, tmp_path: Path) -> Path:
    copy = tmp_path / "pagefind"
    shutil.copytree(mixed_site.site / "pagefind", copy)
    return copy


def test_the_build_left_no_chunk_over_the_limit_but_single_words(mixed_site: MixedSite) -> None:
    bundle = mixed_site.site / "pagefind"
    for _, _, name in chunk_list(bundle):
        data = gzip.decompress((bundle / "index" / f"{name}.pf_index").read_bytes())
        assert len(data) - len(SIGNATURE) <= CHUNK_BYTES or len(chunk_words(data)) == 1, name


@pytest.mark.parametrize("limit", [200, 2_000, 20_000])
def test_cutting_keeps_every_word_and_bounds_every_chunk(bundle: Path, limit: int) -> None:
    before = words_in_order(bundle)
    chunks_before = len(chunk_list(bundle))
    assert cut_heavy_chunks(bundle, limit) > 0
    after = words_in_order(bundle)
    assert [(text, raw) for text, raw, _ in after] == [(text, raw) for text, raw, _ in before]
    chunks = chunk_list(bundle)
    assert len(chunks) > chunks_before
    for _, _, name in chunks:
        data = gzip.decompress((bundle / "index" / f"{name}.pf_index").read_bytes())
        words = chunk_words(data)
        assert len(data) <= limit + 3 + len(SIGNATURE) or len(words) == 1, name  # 3: the list heads
    # No file left behind, none missing.
    assert sorted(path.stem for path in (bundle / "index").glob("*.pf_index")) == sorted(name for _, _, name in chunks)


def chunk_pagefind_loads(chunks: list[list[str]], term: str) -> tuple[str, bool] | None:
    """The chunk Pagefind's browser part (pagefind_web, try_request_indexes) loads for one term, and whether the
    first, strict lookup found it; else its second lookup compares bounds and term cut to the shorter length."""
    strict = next((chunk for chunk in chunks if chunk[0] <= term <= chunk[1]), None)
    if strict:
        return strict[2], True
    for first, last, name in chunks:
        low, high = min(len(term), len(first)), min(len(term), len(last))
        if term[:low] >= first[:low] and term[:high] <= last[:high]:
            return name, False
    return None


def test_pagefind_finds_each_word_in_its_chunk(bundle: Path) -> None:
    original = {text: chunk_pagefind_loads(chunk_list(bundle), text) for text, _, _ in words_in_order(bundle)}
    cut_heavy_chunks(bundle, 500)
    chunks = chunk_list(bundle)
    for text, _, name in words_in_order(bundle):
        loaded = chunk_pagefind_loads(chunks, text)
        assert loaded is not None and loaded[0] == name, text
        # Found at the first try wherever Pagefind's own bounds found it so.
        assert loaded[1] or (original[text] is not None and not original[text][1]), text


def test_a_term_finds_every_word_it_begins_that_it_found_before(bundle: Path) -> None:
    # Pagefind loads one chunk per term and matches the words there that begin with the term.
    def found(chunks: list[list[str]], term: str) -> set[str]:
        loaded = chunk_pagefind_loads(chunks, term)
        return {text for text, _, name in words if loaded and name == loaded[0] and text.startswith(term)}

    limit = 500
    words = words_in_order(bundle)
    chunks = chunk_list(bundle)
    size = {text: len(raw) for text, raw, _ in words}
    terms = {text[:length] for text, _, _ in words for length in range(2, len(text) + 1)}
    before = {term: found(chunks, term) for term in terms}
    cut_heavy_chunks(bundle, limit)
    words, chunks = words_in_order(bundle), chunk_list(bundle)
    assert len(chunks) > 50
    # A family that fits a chunk is never parted; a larger one may be, as Pagefind parts families at its own cuts.
    fitting = [term for term in terms if sum(size[text] for text in before[term]) <= limit]
    assert len(fitting) > len(terms) / 2
    lost = {term: before[term] - found(chunks, term) for term in fitting if before[term] - found(chunks, term)}
    assert not lost


def test_the_entry_names_the_rewritten_meta_file(bundle: Path) -> None:
    cut_heavy_chunks(bundle, 500)
    entry = json.loads((bundle / ENTRY_FILE).read_text("utf-8"))
    metas = sorted(path.name for path in bundle.glob("*.pf_meta"))
    assert metas == [f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()]


def test_cutting_twice_changes_nothing(bundle: Path) -> None:
    cut_heavy_chunks(bundle, 500)
    files = {path.relative_to(bundle): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}
    assert cut_heavy_chunks(bundle, 500) == 0
    assert {path.relative_to(bundle): path.read_bytes() for path in bundle.rglob("*") if path.is_file()} == files


def files_in(bundle: Path) -> dict[Path, bytes]:
    return {path.relative_to(bundle): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def copy_of(bundle: Path, name: str) -> Path:
    copy = bundle.parent / name
    shutil.copytree(bundle, copy)
    return copy


def test_kept_cuts_write_the_same_files_without_reading_the_words_again(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = bundle.parent / "zerlegt.pickle"
    first, second = copy_of(bundle, "erste"), copy_of(bundle, "zweite")
    assert cut_heavy_chunks(first, 500, ChunkCuts(kept)) > 0

    def not_again(data: bytes, name: str = "chunk") -> list[Word]:
        raise AssertionError(f"{name} read again")

    monkeypatch.setattr(pagefind_chunks, "chunk_words", not_again)
    assert cut_heavy_chunks(second, 500, ChunkCuts(kept)) > 0
    assert files_in(second) == files_in(first)


def test_cuts_for_another_limit_or_from_a_damaged_file_are_not_taken(bundle: Path) -> None:
    kept = bundle.parent / "zerlegt.pickle"
    cut_heavy_chunks(copy_of(bundle, "erste"), 500, ChunkCuts(kept))
    other_limit, afresh = copy_of(bundle, "andere"), copy_of(bundle, "neu")
    cut_heavy_chunks(other_limit, 2_000, ChunkCuts(kept))
    cut_heavy_chunks(afresh, 2_000)
    assert files_in(other_limit) == files_in(afresh)
    # The file holds the last run's cuts only.
    assert ChunkCuts(kept).earlier and all(key.startswith("2000:") for key in ChunkCuts(kept).earlier)
    kept.write_bytes(b"kaputt")
    damaged, afresh = copy_of(bundle, "beschaedigt"), copy_of(bundle, "neu-500")
    cut_heavy_chunks(damaged, 500, ChunkCuts(kept))
    cut_heavy_chunks(afresh, 500)
    assert files_in(damaged) == files_in(afresh)


def words(*texts_and_sizes: tuple[str, int]) -> list[Word]:
    result, at = [], 0
    for text, size in texts_and_sizes:
        result.append(Word(text, at, at + size))
        at += size
    return result


def test_a_heavy_word_gets_a_chunk_of_its_own_and_a_family_stays_together_if_it_fits() -> None:
    light_heavy_light = words(("alpha", 10), ("beta", 500), ("gamma", 10), ("gans", 10))
    assert texts(group_words(light_heavy_light, 100)) == [["alpha"], ["beta"], ["gamma", "gans"]]
    family = words(("gans", 70), ("haus", 10), ("haushalt", 20), ("haushaltsplan", 10), ("kosten", 10))
    assert texts(group_words(family, 100)) == [["gans"], ["haus", "haushalt", "haushaltsplan", "kosten"]]
    too_large = words(("haus", 10), ("haushalt", 500), ("haushaltsplan", 10), ("kosten", 10))
    assert texts(group_words(too_large, 100)) == [["haus"], ["haushalt"], ["haushaltsplan", "kosten"]]
    # Cut between "haushalts…" and "hausmeister" rather than inside the smaller family "haushalts…".
    nested = words(("haushaltsmittel", 40), ("haushaltsplan", 40), ("hausmeister", 40), ("hausnummer", 40))
    assert texts(group_words(nested, 100)) == [["haushaltsmittel", "haushaltsplan"], ["hausmeister", "hausnummer"]]
    assert [len(g) for g in group_words(words(*((f"{c}wort", 30) for c in "abcdefghij")), 100)] == [3, 3, 3, 1]


def texts(groups: list[list[Word]]) -> list[list[str]]:
    return [[word.text for word in group] for group in groups]


def test_bounds_route_every_word_and_every_term_between_them() -> None:
    assert chunk_bounds([("apple", "apple"), ("apricot", "banana"), ("peach", "peach")]) == [("apple", "apple"), ("apr", "banana"), ("p", "peach")]


def test_an_unknown_format_is_reported_not_guessed() -> None:
    with pytest.raises(PagefindFormatError, match="kein Index-Teil"):
        chunk_words(SIGNATURE + b"\x82\x80\x80")
    with pytest.raises(PagefindFormatError, match="Daten nach dem Ende"):
        chunk_words(SIGNATURE + b"\x81\x80\x00")
