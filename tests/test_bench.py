"""scripts/bench.py on 20 generated documents: the JSON result and the table are complete, the figures plausible.

The benchmark itself (1,000 and 10,000 documents, many minutes) is not a test; no figure here is held to a time.
Needs Chromium for the first search query: skipped without it, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from bench import STRICTLY_UNDER, TARGETS, Run, evaluate, main, round_ratios, typical
from browser_support import browser_unavailable
from measure_search import CHROMIUM

pytestmark = pytest.mark.build

COUNT = 20
REPEAT = 3  # rounds of builds (the median counts)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def run(work_dir: Path) -> tuple[dict[str, Any], str]:
    if not CHROMIUM.exists():
        browser_unavailable(f"no Chromium at {CHROMIUM}: the benchmark measures the first search query in it")
    out = work_dir / "ergebnis.json"
    table = work_dir / "table.txt"  # what the run prints (capsys is not available to a module-scoped fixture)
    with table.open("w", encoding="utf-8") as stdout, contextlib.redirect_stdout(stdout):
        assert main(["--sizes", str(COUNT), "--repeat", str(REPEAT), "--out", str(out), "--work-dir", str(work_dir / "arbeit")]) == 0
    return json.loads(out.read_text(encoding="utf-8")), table.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(run: tuple[dict[str, Any], str]) -> dict[str, Any]:
    report, _ = run
    [single] = report["results"]
    assert isinstance(single, dict)
    return single


def test_the_report_names_its_command_and_conditions(run: tuple[dict[str, Any], str]) -> None:
    report, _ = run
    assert report["command"] == f"python scripts/bench.py --sizes {COUNT} --repeat {REPEAT}"
    assert report["source_date_epoch"].isdigit()
    assert report["machine"]["cores"] >= 1


def test_every_measurement_is_there(result: dict[str, Any]) -> None:
    assert result["documents"] == COUNT
    for run in ("check", "check_cached", "full", "rebuild", "dirty_rebuild", "bare"):
        assert result[run]["seconds"] > 0 and result[run]["cpu_seconds"] > 0, run
        assert result[run]["peak_memory_bytes"] > 10_000_000, run  # a Python process with MkDocs loaded
        assert result[run]["peak_memory_total_bytes"] >= result[run]["peak_memory_bytes"], run
    assert result["rebuild"]["edited"].endswith(".md") and result["dirty_rebuild"]["edited"].endswith(".md")
    assert result["rebuild"]["edited"] != result["dirty_rebuild"]["edited"]  # each rebuild has a change of its own


def test_the_median_of_the_repeated_runs_counts(result: dict[str, Any]) -> None:
    assert result["repeat"] == REPEAT
    for run in ("check", "check_cached", "full", "dirty_rebuild", "bare"):
        runs = result[run]["runs_seconds"]
        assert len(runs) == REPEAT and all(seconds > 0 for seconds in runs), run
        assert result[run]["seconds"] == sorted(runs)[1], run
    assert "runs_seconds" not in result["rebuild"]  # the rebuild with the caches runs once, in the first round


def test_each_round_pairs_its_own_builds(result: dict[str, Any]) -> None:
    rounds = result["rounds"]
    assert len(rounds) == REPEAT
    for number, each in enumerate(rounds):
        full, bare, dirty = (result[run]["runs_seconds"][number] for run in ("full", "bare", "dirty_rebuild"))
        assert (each["full_seconds"], each["bare_seconds"], each["dirty_rebuild_seconds"]) == (full, bare, dirty)
        assert each["build_ratio"] == pytest.approx(full / bare, abs=1e-4)
        assert each["rebuild_share"] == pytest.approx(dirty / full, abs=1e-4)


def test_peak_memory_is_the_largest_of_all_runs() -> None:
    slow_small, fast_large, middle = Run(3.0, 3.0, 100, 150), Run(2.0, 2.5, 120, 130), Run(2.5, 2.6, 90, 90)
    combined = typical([slow_small, fast_large, middle])
    assert (combined["seconds"], combined["cpu_seconds"]) == (2.5, 2.6)
    assert (combined["peak_memory_bytes"], combined["peak_memory_total_bytes"]) == (120, 150)
    assert combined["runs_seconds"] == [3.0, 2.0, 2.5]
    assert typical([slow_small, fast_large])["seconds"] == 2.0  # of two, the faster


def test_a_ratio_compares_the_builds_of_one_round_and_the_median_round_counts() -> None:
    """The machine was fast in the first round and slower after: the fastest --dirty rebuild (14 s, second round)
    against the fastest full build (70 s, first round) would compare two moments of the machine; each round's
    share compares its own builds (21.4 %, 14 %, 17.3 %), and their median counts."""
    def run(seconds: float) -> Run:
        return Run(seconds, seconds, 100, 100)

    rounds = [round_ratios(run(full), run(bare), run(dirty)) for full, bare, dirty in ((70, 50, 15), (100, 64, 14), (110, 80, 19))]
    result = {
        "full": {"drucksache_page_bytes_max": 1, "site_bytes_per_drucksache": 1, "peak_memory_total_bytes": 1},
        "rebuild": {"seconds": 20, "peak_memory_total_bytes": 1},
        "dirty_rebuild": {"peak_memory_total_bytes": 1},
        "check": {"seconds": 1},
        "rounds": rounds,
    }
    values = {target["target"]: target["value"] for target in evaluate(result)}
    assert values["rebuild_share"] == pytest.approx(19 / 110, abs=0.001)
    assert values["build_ratio"] == pytest.approx(1.4, abs=0.001)  # of 1.4, 1.5625 and 1.375
    assert values["rebuild_share_clean"] == pytest.approx(20 / 70, abs=0.001)  # against the first round's full build


def test_both_sites_have_a_page_per_drucksache(result: dict[str, Any]) -> None:
    full, bare = result["full"], result["bare"]
    assert full["drucksache_pages"] == bare["drucksache_pages"] == bare["pages"] == COUNT
    for site in (full, bare):
        assert 0 < site["drucksache_page_bytes_mean"] <= site["drucksache_page_bytes_max"] <= site["largest_html_page_bytes"]
        assert site["largest_html_page"].endswith(".html")
        assert site["site_bytes"] > site["drucksache_page_bytes_mean"] * COUNT
        assert site["site_bytes_per_drucksache"] == round(site["site_bytes"] / COUNT)
    # The project's site carries more than the bare one: index pages, feeds, exports and the search index.
    assert full["site_bytes"] > bare["site_bytes"]


def test_the_first_query_was_measured(result: dict[str, Any]) -> None:
    for query in (result["first_query"], result["heaviest_query"]):
        assert query["results"] > 0 and query["requests"] > 0
        assert query["bytes_total"] == query["page"]["bytes"] + query["pagefind"]["bytes"] > 0
    assert result["first_query"]["query"] == "Haushalt" and result["heaviest_query"]["query"] != "Haushalt"


def test_every_target_is_evaluated_against_its_limit(result: dict[str, Any]) -> None:
    targets = {target["target"]: target for target in result["targets"]}
    assert set(targets) == set(TARGETS)
    for name, target in targets.items():
        assert target["limit"] == TARGETS[name]
        assert target["met"] == (target["value"] < target["limit"] if name in STRICTLY_UNDER else target["value"] <= target["limit"])
        assert target["of_limit"] == pytest.approx(target["value"] / target["limit"], abs=0.01)
    ratios = sorted(each["build_ratio"] for each in result["rounds"])
    assert targets["build_ratio"]["value"] == pytest.approx(ratios[1], abs=0.001)
    assert targets["peak_memory_bytes"]["value"] == max(result[run]["peak_memory_total_bytes"] for run in ("full", "rebuild", "dirty_rebuild"))
    shares = sorted(each["rebuild_share"] for each in result["rounds"])
    assert targets["rebuild_share"]["value"] == pytest.approx(shares[1], abs=0.001)


def test_the_table_shows_the_figures_and_the_command(run: tuple[dict[str, Any], str], result: dict[str, Any]) -> None:
    _, table = run
    assert f"{COUNT:,} Drucksachen" in table
    assert "full build" in table and "bare mkdocs-material" in table
    assert f"{result['full']['seconds']:,.1f} s" in table
    assert result["full"]["largest_html_page"] in table
    assert table.count(" met") + table.count("MISSED") == len(TARGETS)
    assert f"Command: python scripts/bench.py --sizes {COUNT} --repeat {REPEAT}" in table
    assert f"{REPEAT} rounds: the median run of each build, the median of the rounds' ratios" in table
    assert "build wall time, every run" in table and "--dirty share, every round" in table


def test_the_check_must_stay_under_its_limit_the_others_at_most_at_theirs(result: dict[str, Any]) -> None:
    """Issue 8: the check "under 5 s", the others "at most"."""
    at_the_limits = {**result, "check": {**result["check"], "seconds": TARGETS["check_seconds"]}}
    at_the_limits["full"] = {**result["full"], "drucksache_page_bytes_max": TARGETS["largest_drucksache_page_bytes"]}
    verdicts = {target["target"]: target["met"] for target in evaluate(at_the_limits)}
    assert verdicts["check_seconds"] is False
    assert verdicts["largest_drucksache_page_bytes"] is True
