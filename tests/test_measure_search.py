"""scripts/measure_search.py on a tiny generated corpus: the JSON result is complete and its figures are sane.

The measurement itself (10,000 documents, minutes) is a benchmark, not a test. Needs Chromium: skipped without it,
except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from measure_search import CHROMIUM, LIMIT_BYTES, heaviest_searchable_words, main, measure
from ratsdok.pagefind_chunks import chunk_words
from ratsdok.stop_words import is_stop_word

pytestmark = pytest.mark.build


def _require_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "Playwright is not installed"
    else:
        missing = "" if CHROMIUM.exists() else f"Chromium is missing at {CHROMIUM}"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"{missing}; CI must be able to run the browser measurement")
    if missing:
        pytest.skip(missing)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("messung")


@pytest.fixture(scope="module")
def result(work_dir: Path) -> dict[str, Any]:
    _require_browser()
    return measure(work_dir, count=30, seed=7)


def test_the_result_has_every_field(result: dict[str, Any]) -> None:
    for name in (
        "query", "documents", "seed", "build_seconds", "index_seconds_in_build", "index_seconds", "indexed_pages", "results",
        "results_shown", "first_results_ms", "requests", "bytes_total", "bytes_total_uncompressed", "page", "pagefind",
        "by_kind", "limit_bytes", "within_limit", "resources", "browser", "pagefind_version", "other_queries", "all_within_limit",
    ):  # fmt: skip
        assert name in result, name
    assert json.loads(json.dumps(result)) == result  # what --output writes


def test_the_figures_are_sane(result: dict[str, Any]) -> None:
    assert result["documents"] == result["indexed_pages"] == 30
    assert result["build_seconds"] > result["index_seconds_in_build"] > 0
    assert result["index_seconds"] > 0
    assert 0 < result["results_shown"] <= result["results"] <= 30
    assert result["first_results_ms"] > 0
    assert result["requests"] == len(result["resources"]) == result["page"]["requests"] + result["pagefind"]["requests"]
    assert result["bytes_total"] == result["page"]["bytes"] + result["pagefind"]["bytes"] > 0
    assert result["page"]["bytes"] > 0 and result["pagefind"]["bytes"] > 0
    assert 0 < result["bytes_total"] < result["bytes_total_uncompressed"]  # text went out compressed
    assert result["within_limit"] == (result["bytes_total"] < LIMIT_BYTES)
    assert not result["failed_requests"]


def test_the_worst_cases_are_measured_too(result: dict[str, Any], work_dir: Path) -> None:
    others = {other["kind"]: other for other in result["other_queries"]}
    sentence = others["sentence"]
    # "der" is left out: the sentence finds and loads what the word alone does (the URL in the HTML aside).
    assert sentence["query"] == f"der {result['query']}"
    assert sentence["results"] == result["results"]
    assert sentence["status_line"].endswith("Nicht gesucht, weil zu allgemein: „der“.")
    assert abs(sentence["bytes_total"] - result["bytes_total"]) < 200
    heaviest = [other for other in result["other_queries"] if other["kind"] == "heaviest chunk"]
    assert [other["query"] for other in heaviest] == heaviest_searchable_words(work_dir / "site") and len(heaviest) == 2
    for other in heaviest:
        assert other["results"] > 0 and other["bytes_total"] > 0
    (both,) = [other for other in result["other_queries"] if other["kind"] == "two heaviest chunks"]
    assert both["query"] == " ".join(other["query"] for other in heaviest)
    assert both["bytes_total"] > 0
    expected = all(q["bytes_total"] < LIMIT_BYTES for q in [result, *result["other_queries"]])
    assert result["all_within_limit"] == expected


def test_the_heaviest_words_are_those_of_the_largest_chunks_a_search_can_load(result: dict[str, Any], work_dir: Path) -> None:
    chunks = sorted((work_dir / "site" / "pagefind" / "index").glob("*.pf_index"), key=lambda file: -file.stat().st_size)
    words_by_chunk = [[word.text for word in chunk_words(gzip.decompress(file.read_bytes()))] for file in chunks]
    searchable = [[word for word in words if not is_stop_word(word)] for words in words_by_chunk]
    first, second = heaviest_searchable_words(work_dir / "site")
    first_chunk = next(i for i, words in enumerate(searchable) if first in words)
    assert not any(searchable[:first_chunk]), "a heavier chunk holds a searchable word"
    assert second != first and second in [word for words in searchable[first_chunk + 1 :] for word in words]


def test_every_request_of_the_search_is_counted(result: dict[str, Any]) -> None:
    kinds = {resource["kind"] for resource in result["resources"]}
    # The worker's requests too: Pagefind loads the wasm, the index and the fragments in its Web Worker.
    assert {"page html", "page css", "page js", "pagefind js", "pagefind wasm", "pagefind index chunks", "pagefind fragments"} <= kinds
    assert sum(resource["kind"] == "pagefind fragments" for resource in result["resources"]) == result["results_shown"]
    for resource in result["resources"]:
        assert resource["status"] == 200, resource
        assert resource["body_bytes"] > 0 and resource["header_bytes"] > 0, resource


def test_the_body_bytes_are_the_served_files_compressed_as_the_host_does(result: dict[str, Any], work_dir: Path) -> None:
    compressed_kinds = set()
    for resource in result["resources"]:
        file = work_dir / "site" / resource["path"]
        file = file / "index.html" if file.is_dir() else file
        served = file.read_bytes()
        assert resource["bytes_uncompressed"] == resource["header_bytes"] + len(served), resource
        if resource["content_encoding"] == "gzip":
            compressed_kinds.add(resource["kind"])
            assert resource["body_bytes"] == len(gzip.compress(served, compresslevel=6, mtime=0)), resource
        else:
            assert resource["body_bytes"] == len(served), resource
    # HTML, CSS and JavaScript go out compressed; Pagefind's own compressed files (index, fragments, wasm) do not.
    assert {"page html", "page css", "page js", "pagefind js"} <= compressed_kinds
    assert not compressed_kinds & {"pagefind wasm", "pagefind index chunks", "pagefind fragments"}


def test_a_missing_browser_is_an_error_with_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--count", "1", "--work-dir", str(tmp_path), "--chromium", str(tmp_path / "no-chromium")]) == 2
    assert "Chromium not found" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # checked before generating or building anything
