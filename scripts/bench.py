#!/usr/bin/env python3
"""Benchmark: build the whole site from N generated Drucksachen, beside a bare mkdocs-material build of the same.

    python scripts/bench.py                                  # N = 1,000 and 10,000; result in bench-result.json
    python scripts/bench.py --sizes 20 --out /tmp/bench.json --no-search
    python scripts/bench.py --sizes 10000 --repeat 3                # three rounds; each ratio the median of three

For each N, in one run and one after another (never in parallel: the figures are for a 2-core machine):

1. ``scripts/generate_corpus.py`` writes N documents (seed 2048);
2. ``drucksache.py check`` over all of them (wall and CPU time), once without and once with its cache;
3. the full project build, ``mkdocs build --strict`` with every index page, feed, export and the search index;
4. a bare mkdocs-material build of the same documents as plain pages out of the navigation, with no hooks, no
   custom templates and no plugins (not even the built-in search): the floor any Material site of N pages pays;
5. the sizes of the built site: total bytes, bytes per Drucksache, the HTML of the Drucksache pages, the largest page;
6. the bytes a browser transfers for a first search query (``scripts/measure_search.py``, Chromium), for the
   given term and for a word of the heaviest index chunk a search can load;
7. the rebuild after one Drucksache changed: one file edited, ``mkdocs build`` again with the caches the full
   build filled (loaded files, rendered texts, rendered pages; see ``ratsdok.build_cache``);
8. the same as ``make serve`` rebuilds: ``mkdocs build --dirty`` into a folder of its own (to record what it
   wrote; see ``ratsdok.site_record``), another file edited, ``mkdocs build --dirty`` again, which writes only
   what the edit changed. The rebuild target is checked against this one, the editor's rebuild.

With ``--repeat R`` the check runs R times and the builds run in R rounds, each round the full build (with empty
caches), the bare build (both into an empty folder, as on a fresh clone) and, after one edit, the ``--dirty``
rebuild (the rebuild with the caches and the sizes and queries are measured in the first round only). On a
machine shared with others a run's time depends on their load as much as on the code, and that load changes
within minutes: so each ratio of the targets compares the builds of one round, made a few minutes apart, and the
median of the R rounds' ratios counts (one disturbed round can neither make nor break a target). Each time shown
(and the check's target) is the median run of its R runs. Every run's time and every round's ratios are in the
JSON result; peak memory is the largest of all runs.

Wall time and peak memory are those of the build process and everything it starts (Pagefind included). Peak
memory is reported twice: the largest resident set of any one of these processes (the kernel's accounting of
the finished process) and the largest sum over all of them at one time (sampled from /proc every 0.1 s), which
is what the machine must have and what the target is checked against. Every
build runs with the same ``SOURCE_DATE_EPOCH``. The targets (issue 8) are checked against the largest N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from drucksache import CACHE_DIR as CHECK_CACHE_DIR
from generate_corpus import generate_corpus
from measure_search import CHROMIUM, DEFAULT_QUERY, MeasureError, heaviest_searchable_words, measure_first_query, summarize
from ratsdok.load_cache import CACHE_FILE

REPO = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: the age of open inquiries is counted up to this day
SEED = 2048
KB = 1000  # decimal, the stricter reading of "40 KB" and "1 GB"
TARGETS = {
    "build_ratio": 1.5,  # full build at most 1.5 times the bare mkdocs-material build
    # The same by CPU time: on a machine shared with others, wall time depends on their load as much as on ours.
    "build_ratio_cpu": 1.5,
    "peak_memory_bytes": 1_500_000_000,
    "largest_drucksache_page_bytes": 40 * KB,
    "site_bytes_per_drucksache": 40 * KB,
    "rebuild_share": 0.20,  # rebuilding after one edited Drucksache at most 20 % of the full build (--dirty)
    "rebuild_share_clean": 0.20,  # the same for a --clean rebuild with the caches (a deployment after one edit)
    "check_seconds": 5.0,
}
# Limits to stay under ("under 5 s"); the others are maxima ("at most").
STRICTLY_UNDER = frozenset({"check_seconds"})
BARE_CONFIG = """site_name: Bare
theme:
  name: material
  font: false
plugins: []
nav:
  - index.md
not_in_nav: |
  /drucksachen/
"""


class BenchError(Exception):
    """A step failed; the message says which and why."""


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_memory_bytes: int  # the largest resident set of any one process of the run (kernel accounting)
    peak_memory_total_bytes: int  # the largest sum over all its processes at one time (sampled every 0.1 s)


class TreeMemorySampler(threading.Thread):
    """Samples the resident memory of a process and all its descendants: MkDocs keeps its memory while Pagefind
    runs, so what the machine needs is their sum, which the kernel's per-process peak does not show."""

    PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(self.interval):
            self.peak = max(self.peak, self.sample())

    def sample(self) -> int:
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, ValueError, IndexError):
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        tree, grown = {self.pid}, True
        while grown:
            before = len(tree)
            tree |= {pid for pid, parent in parents.items() if parent in tree}
            grown = len(tree) > before
        total = 0
        for pid in tree:
            with suppress(OSError, ValueError, IndexError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.PAGE
        return total


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_measured(command: list[str], env: dict[str, str], what: str) -> Run:
    """Run ``command`` to its end; wall and CPU time and the largest resident set of it and its children."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
        sampler = TreeMemorySampler(process.pid)
        sampler.start()
        # wait4 reports this child's own resource use (and that of the children it waited for), not the sum of
        # every child this script ever had.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.finished.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            log = output.read().decode("utf-8", "replace")
            raise BenchError(f"{what} failed (exit code {process.returncode}):\n{log[-3000:]}")
    # ru_maxrss is in kilobytes on Linux.
    largest = usage.ru_maxrss * 1024
    return Run(round(seconds, 2), round(usage.ru_utime + usage.ru_stime, 2), largest, max(sampler.peak, largest))


def build_env(corpus: Path, cache: Path | None = None) -> dict[str, str]:
    """The environment of a build of ``corpus``; with ``cache`` the build's caches live there (see the hooks)."""
    env = {**os.environ, "DRUCKSACHEN_DIR": str(corpus), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    if cache is not None:
        env["RATSDOK_CACHE_DIR"] = str(cache)
    return env


def mkdocs_build(config: Path, site: Path, env: dict[str, str], what: str, *, dirty: bool = False) -> Run:
    mode = "--dirty" if dirty else "--clean"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", mode, "-q", "-f", str(config), "-d", str(site)]
    return run_measured(command, env, what)


def drucksache_files(corpus: Path) -> list[Path]:
    return sorted(path for path in corpus.rglob("*.md") if "register" not in path.relative_to(corpus).parts[:1])


def prepare_bare_project(corpus: Path, project: Path) -> int:
    """The same documents as plain Markdown pages (front matter and text as written) of a bare Material site."""
    docs = project / "docs"
    shutil.rmtree(project, ignore_errors=True)
    (docs / "drucksachen").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(BARE_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# Drucksachen\n", encoding="utf-8")
    files = drucksache_files(corpus)
    for file in files:
        shutil.copyfile(file, docs / "drucksachen" / file.name)
    return len(files)


def site_sizes(site: Path, page_folder: str) -> dict[str, Any]:
    """Total bytes, and the HTML pages below ``page_folder`` (one per Drucksache) with the largest of all pages."""
    total = 0
    pages: list[int] = []
    largest = ("", 0)
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            relative = path.relative_to(site).as_posix()
            largest = max(largest, (relative, size), key=lambda item: item[1])
            if relative.startswith(page_folder) and relative.count("/") == 2:
                pages.append(size)
    return {
        "site_bytes": total,
        "drucksache_pages": len(pages),
        "drucksache_page_bytes_mean": round(sum(pages) / len(pages)) if pages else 0,
        "drucksache_page_bytes_max": max(pages, default=0),
        "largest_html_page": largest[0],
        "largest_html_page_bytes": largest[1],
    }


def edit_one_document(corpus: Path, which: int = -1) -> Path:
    """Append a sentence to a file's text (by default the newest): the typical correction an editor previews."""
    target = drucksache_files(corpus)[which]
    with target.open("a", encoding="utf-8") as file:
        file.write("\nNachtrag: Die Angaben wurden am 2. Januar 2026 ergänzt.\n")
    return target


def check_corpus(corpus: Path) -> tuple[Run, Run]:
    """The check without and then with the results of the first run in its cache."""
    command = [sys.executable, str(REPO / "scripts" / "drucksache.py"), "check"]
    (CHECK_CACHE_DIR / CACHE_FILE).unlink(missing_ok=True)
    return run_measured(command, build_env(corpus), "drucksache.py check"), run_measured(command, build_env(corpus), "drucksache.py check")


def typical(runs: list[Run]) -> dict[str, Any]:
    """The median run of ``runs`` by wall time (of an even number the faster of the middle two) with every run's
    time; its peak memory is the largest of them all, which does not depend on the machine's other load."""
    middle = sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]
    return {
        **asdict(middle),
        "peak_memory_bytes": max(run.peak_memory_bytes for run in runs),
        "peak_memory_total_bytes": max(run.peak_memory_total_bytes for run in runs),
        "runs_seconds": [run.seconds for run in runs],
    }


def bench_size(count: int, work: Path, *, search: bool, query: str, chromium: Path, repeat: int = 1) -> dict[str, Any]:
    folder = work / str(count)
    corpus, site, bare, cache = folder / "corpus", folder / "site", folder / "bare", folder / "cache"
    shutil.rmtree(folder, ignore_errors=True)
    progress(f"[{count:,}] generating the corpus …")
    generate_corpus(corpus, count, SEED)
    checks: list[Run] = []
    checks_again: list[Run] = []
    for number in range(1, repeat + 1):
        progress(f"[{count:,}] drucksache.py check{_of(number, repeat)} …")
        check, check_again = check_corpus(corpus)
        checks.append(check)
        checks_again.append(check_again)
    pages = prepare_bare_project(corpus, bare)
    fulls: list[Run] = []
    bares: list[Run] = []
    dirty_rebuilds: list[Run] = []
    for number in range(1, repeat + 1):
        progress(f"[{count:,}] full build{_of(number, repeat)} …")
        # A clean build: its caches start empty (it fills them, and pays for writing them). Both builds write into
        # an empty folder, as on a fresh clone: deleting the last round's 47,000 files cost the full build 15-20 s
        # of a round (in the background while it ran), which made its rebuild look smaller beside it.
        for emptied in (cache, site, bare / "site"):
            shutil.rmtree(emptied, ignore_errors=True)
        fulls.append(mkdocs_build(REPO / "mkdocs.yml", site, build_env(corpus, cache), "full build"))
        progress(f"[{count:,}] bare mkdocs-material build{_of(number, repeat)} …")
        bares.append(mkdocs_build(bare / "mkdocs.yml", bare / "site", build_env(corpus), "bare build"))
        if number == 1:
            full_sizes = site_sizes(site, "drucksachen/")
            first_query = heaviest_query = None
            if search:
                progress(f"[{count:,}] first search query in Chromium …")
                first_query = measure_query(site, query, chromium)
                # The most a first query can cost: a word of the heaviest index chunk a search can load.
                heaviest_query = measure_query(site, heaviest_searchable_words(site, 1)[0], chromium)
            progress(f"[{count:,}] rebuild after one edited Drucksache …")
            edited = edit_one_document(corpus)
            rebuild = mkdocs_build(REPO / "mkdocs.yml", site, build_env(corpus, cache), "rebuild")
        progress(f"[{count:,}] rebuild as make serve does (--dirty){_of(number, repeat)} …")
        # The folder's record is in the caches this round's full build began empty: a first --dirty build makes it.
        mkdocs_build(REPO / "mkdocs.yml", folder / "site-dirty", build_env(corpus, cache), "first --dirty build", dirty=True)
        edited_again = edit_one_document(corpus, 0)
        dirty_rebuilds.append(mkdocs_build(REPO / "mkdocs.yml", folder / "site-dirty", build_env(corpus, cache), "--dirty rebuild", dirty=True))
    bare_sizes = site_sizes(bare / "site", "drucksachen/")
    return {
        "documents": count,
        "repeat": repeat,
        "check": typical(checks),
        "check_cached": typical(checks_again),
        "full": {**typical(fulls), **full_sizes, "site_bytes_per_drucksache": round(full_sizes["site_bytes"] / count)},
        "rebuild": {**asdict(rebuild), "edited": edited.relative_to(corpus).as_posix()},
        "dirty_rebuild": {**typical(dirty_rebuilds), "edited": edited_again.relative_to(corpus).as_posix()},
        "bare": {**typical(bares), **bare_sizes, "pages": pages, "site_bytes_per_drucksache": round(bare_sizes["site_bytes"] / count)},
        "rounds": [round_ratios(*runs) for runs in zip(fulls, bares, dirty_rebuilds, strict=True)],
        "first_query": first_query,
        "heaviest_query": heaviest_query,
    }


def round_ratios(full: Run, bare: Run, dirty_rebuild: Run) -> dict[str, float]:
    """One round's builds and the ratios of the targets between them."""
    return {
        "full_seconds": full.seconds,
        "bare_seconds": bare.seconds,
        "dirty_rebuild_seconds": dirty_rebuild.seconds,
        "build_ratio": round(full.seconds / bare.seconds, 4),
        "build_ratio_cpu": round(full.cpu_seconds / bare.cpu_seconds, 4),
        "rebuild_share": round(dirty_rebuild.seconds / full.seconds, 4),
    }


def _of(number: int, repeat: int) -> str:
    return f" ({number} of {repeat})" if repeat > 1 else ""


def measure_query(site: Path, query: str, chromium: Path) -> dict[str, Any]:
    measured = measure_first_query(site, query, chromium)
    summary = {"query": query, "results": measured["results"], "requests": measured["requests"], **summarize(measured)}
    summary.pop("by_kind")
    return summary


BUILDS = ("full", "rebuild", "dirty_rebuild")  # the project's builds of one size


def _within(target: str, value: float) -> bool:
    return value < TARGETS[target] if target in STRICTLY_UNDER else value <= TARGETS[target]


def evaluate(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of issue 8 for one size: value, limit, met, and by how much (value / limit)."""
    full, rounds = result["full"], result["rounds"]
    values = {
        # Each ratio between the builds of one round; the median of the rounds (see the module's description).
        "build_ratio": statistics.median(each["build_ratio"] for each in rounds),
        "build_ratio_cpu": statistics.median(each["build_ratio_cpu"] for each in rounds),
        # Any build the project runs counts: a rebuild with the caches holds them besides Pagefind's part.
        "peak_memory_bytes": max(result[run]["peak_memory_total_bytes"] for run in BUILDS),
        "largest_drucksache_page_bytes": full["drucksache_page_bytes_max"],
        "site_bytes_per_drucksache": full["site_bytes_per_drucksache"],
        "rebuild_share": statistics.median(each["rebuild_share"] for each in rounds),
        "rebuild_share_clean": result["rebuild"]["seconds"] / rounds[0]["full_seconds"],  # the first round's
        "check_seconds": result["check"]["seconds"],
    }
    return [
        {"target": name, "value": round(value, 3), "limit": TARGETS[name], "met": _within(name, value), "of_limit": round(value / TARGETS[name], 2)}
        for name, value in values.items()
    ]


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": sys.version.split()[0], "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def run(sizes: list[int], work: Path, *, search: bool, query: str, chromium: Path, repeat: int = 1) -> dict[str, Any]:
    conditions = machine()
    results = []
    for count in sizes:
        result = bench_size(count, work, search=search, query=query, chromium=chromium, repeat=repeat)
        result["targets"] = evaluate(result)
        results.append(result)
    command = "python scripts/bench.py --sizes " + " ".join(map(str, sizes)) + ("" if search else " --no-search")
    command += f" --repeat {repeat}" if repeat > 1 else ""
    return {"command": command, "source_date_epoch": SOURCE_DATE_EPOCH, "seed": SEED, "machine": conditions, "results": results}


def _mb(value: float) -> str:
    return f"{value / 1_000_000:,.1f} MB"


def _kb(value: float) -> str:
    return f"{value / KB:,.1f} KB"


def table_rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    full, bare, rebuild, query = result["full"], result["bare"], result["rebuild"], result["first_query"]
    check, cached = result["check"], result["check_cached"]
    every_run = [
        ("build wall time, every run", _runs(full), _runs(bare)),
        ("--dirty rebuild, every run", _runs(result["dirty_rebuild"]), "-"),
        ("build ratio, every round", _ratios(result["rounds"], "build_ratio"), "-"),
        ("--dirty share, every round", _ratios(result["rounds"], "rebuild_share"), "-"),
    ]
    return [
        ("build wall time", f"{full['seconds']:,.1f} s", f"{bare['seconds']:,.1f} s"),
        *(every_run if result.get("repeat", 1) > 1 else []),
        ("build CPU time", f"{full['cpu_seconds']:,.1f} s", f"{bare['cpu_seconds']:,.1f} s"),
        ("peak memory, all processes", _mb(full["peak_memory_total_bytes"]), _mb(bare["peak_memory_total_bytes"])),
        ("peak memory, largest process", _mb(full["peak_memory_bytes"]), _mb(bare["peak_memory_bytes"])),
        ("peak memory, rebuilds", f"{_mb(rebuild['peak_memory_total_bytes'])}, --dirty {_mb(result['dirty_rebuild']['peak_memory_total_bytes'])}", "-"),
        ("site size", _mb(full["site_bytes"]), _mb(bare["site_bytes"])),
        ("site bytes per Drucksache", _kb(full["site_bytes_per_drucksache"]), _kb(bare["site_bytes_per_drucksache"])),
        ("Drucksache page, mean", _kb(full["drucksache_page_bytes_mean"]), _kb(bare["drucksache_page_bytes_mean"])),
        ("Drucksache page, largest", _kb(full["drucksache_page_bytes_max"]), _kb(bare["drucksache_page_bytes_max"])),
        ("largest HTML page", f"{_kb(full['largest_html_page_bytes'])} {full['largest_html_page']}", _kb(bare["largest_html_page_bytes"])),
        ("first search query", _query(query), "-"),
        ("first query, heaviest word", _query(result["heaviest_query"]), "-"),
        ("rebuild after one edit", f"{rebuild['seconds']:,.1f} s", "-"),
        ("the same, --dirty (make serve)", f"{result['dirty_rebuild']['seconds']:,.1f} s", "-"),
        ("drucksache.py check", f"{check['seconds']:,.1f} s (CPU {check['cpu_seconds']:,.1f} s)", "-"),
        ("check again (cached)", f"{cached['seconds']:,.1f} s (CPU {cached['cpu_seconds']:,.1f} s)", "-"),
    ]


def _runs(build: dict[str, Any]) -> str:
    return ", ".join(f"{seconds:,.1f}" for seconds in build["runs_seconds"]) + " s"


def _ratios(rounds: list[dict[str, Any]], ratio: str) -> str:
    return ", ".join(f"{each[ratio]:.3f}" for each in rounds)


def _query(query: dict[str, Any] | None) -> str:
    return f"{_kb(query['bytes_total'])} ({query['query']}, {query['requests']} requests)" if query else "not measured"


def print_report(report: dict[str, Any]) -> None:
    row = "{:<28} {:>40} {:>22}"
    for result in report["results"]:
        repeat = result.get("repeat", 1)
        rule = f" ({repeat} rounds: the median run of each build, the median of the rounds' ratios)"
        print(f"\n{result['documents']:,} Drucksachen" + (rule if repeat > 1 else ""))
        print(row.format("", "full build", "bare mkdocs-material"))
        for label, full, bare in table_rows(result):
            print(row.format(label, full, bare))
        print("\nTargets:")
        for target in result["targets"]:
            verdict = "met" if target["met"] else "MISSED"
            print(f"  {target['target']:<32} {target['value']:>14,} limit {target['limit']:>14,}  {target['of_limit']:>5.0%} of it  {verdict}")
    print(f"\nCommand: {report['command']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000], metavar="N", help="numbers of documents (default: 1000 10000)")
    parser.add_argument("--out", type=Path, default=Path("bench-result.json"), help="JSON result (default: bench-result.json)")
    parser.add_argument("--work-dir", type=Path, help="where corpora and sites go (default: a temporary directory, removed afterwards)")
    parser.add_argument("--no-search", action="store_true", help="do not measure the first search query (needs Chromium)")
    parser.add_argument("--query", default=DEFAULT_QUERY, help=f"search term of the first query (default: {DEFAULT_QUERY})")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM, help=f"Chromium executable (default: {CHROMIUM})")
    parser.add_argument("--repeat", type=int, default=1, metavar="R", help="rounds of builds; the median counts (default: 1)")
    arguments = parser.parse_args(argv)
    if min(arguments.sizes) < 1:
        parser.error("--sizes: every N must be at least 1")
    if arguments.repeat < 1:
        parser.error("--repeat: at least 1")
    work = arguments.work_dir.resolve() if arguments.work_dir else Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        report = run(arguments.sizes, work, search=not arguments.no_search, query=arguments.query, chromium=arguments.chromium, repeat=arguments.repeat)
    except (BenchError, MeasureError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    finally:
        if arguments.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    arguments.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(report)
    print(f"Result written to {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
