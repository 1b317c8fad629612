#!/usr/bin/env python3
"""Measure what a browser transfers for a first search query, and how long indexing takes.

    python scripts/measure_search.py                          # 10,000 generated documents, query "Haushalt"
    python scripts/measure_search.py --count 500 --output result.json
    python scripts/measure_search.py --site /tmp/site         # an already built site: no generating, no build

Steps: generate a corpus with scripts/generate_corpus.py, build the site with mkdocs (wall time of the whole
build), run Pagefind again on the built site to time indexing alone (site/pagefind/ is rebuilt), serve the site
with scripts/site_server.py and open /suche/?q=QUERY in a fresh Chromium context. Every request of that page load
is counted, from the HTML to the last result fragment, until the results are shown and the network is idle.

The site is served as the deployment host (GitHub Pages) serves it: text files (HTML, CSS, JavaScript, JSON, XML,
SVG) gzip-compressed for a browser that accepts it, everything else as it is (Pagefind compresses its index,
fragments and wasm itself). Bytes are counted with Playwright's ``request.sizes()`` (response headers + response
body as received over the wire), not with a CDP session on the page: Pagefind searches in a Web Worker, and a
page's CDP session never sees the worker's requests (the index chunks, the wasm, the fragments). Playwright follows
the worker; for the one request Chromium reports no body size for (the worker script itself) the size is
recomputed the way the server compresses it.

The limit (400 KB = 400,000 bytes, decimal) applies to the bytes transferred. The uncompressed sizes (what a host
without compression would send) are reported beside them.

Beside the given query, the same is measured for "der QUERY" (the search page leaves "der" out), for a word from
each of the two heaviest index chunks a search can load, and for both words together (a query loads one chunk
per word): the most a first query of one or two words can cost.

Exit codes: 0 every query within the limit, 1 one over it, 2 error (e.g. Chromium missing, build failed, no results).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import generate_corpus
from ratsdok.pagefind_chunks import chunk_words
from ratsdok.search_index import BUNDLE_DIR, SearchIndexError, build_search_index
from ratsdok.stop_words import is_stop_word
from site_server import serve_site

REPO = Path(__file__).resolve().parent.parent
LIMIT_BYTES = 400_000  # "400 KB"; decimal kilobytes, the stricter reading
# "Haushalt" (budget): a term people really search council documents for, and a broad one in the generated texts
# (in 84 % of them), so the first query finds thousands of results. The bytes depend on the term: Pagefind loads the
# one index chunk whose term range holds it, and chunk sizes vary (2-283 KB at 10,000 documents); compare terms.
DEFAULT_QUERY = "Haushalt"
# Beside it, the worst cases a first query can meet: a word from each of the two heaviest index chunks that a
# search can load (words the search page leaves out, ratsdok/stop_words.py, aside), both together, and the query as
# typed in a sentence, "der Haushalt", whose "der" is left out and which must cost what "Haushalt" costs.
HEAVIEST_WORDS = 2
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGEFIND_KINDS = (
    (re.compile(r"\.pf_index$"), "pagefind index chunks"),
    (re.compile(r"\.pf_fragment$"), "pagefind fragments"),
    (re.compile(r"\.pf_filter$"), "pagefind filters"),
    (re.compile(r"\.pagefind$"), "pagefind wasm"),
    (re.compile(r"\.js$"), "pagefind js"),
)


class MeasureError(Exception):
    """A step failed; the message says which and why."""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- building and indexing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    seconds: float  # wall time of the whole mkdocs build, Pagefind included
    index_seconds: float | None  # as the build logged it ("Suchindex: N Seite(n) in X s indiziert.")


def build_site(corpus: Path, site: Path) -> Build:
    env = {**os.environ, "DRUCKSACHEN_DIR": str(corpus), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    log = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise MeasureError(f"mkdocs build failed (exit code {completed.returncode}):\n{log[-3000:]}")
    logged = re.search(r"Suchindex: \d+ Seite\(n\) in ([\d.]+) s", log)
    return Build(seconds, float(logged.group(1)) if logged else None)


def corpus_size(corpus: Path) -> int:
    return sum(1 for path in corpus.rglob("*.md") if "register" not in path.relative_to(corpus).parts)


def heaviest_searchable_words(site: Path, count: int = HEAVIEST_WORDS) -> list[str]:
    """A word from each of the ``count`` largest index chunks that hold a word the search page sends to Pagefind."""
    words: list[str] = []
    for chunk in sorted((site / BUNDLE_DIR / "index").glob("*.pf_index"), key=lambda file: (-file.stat().st_size, file.name)):
        texts = [word.text for word in chunk_words(gzip.decompress(chunk.read_bytes()), chunk.name)]
        searchable = next((text for text in texts if not is_stop_word(text)), None)
        if searchable:
            words.append(searchable)
        if len(words) == count:
            break
    return words


# --- the browser measurement -----------------------------------------------------------------------


def _kind(path: str, content_type: str) -> str:
    """``path`` is relative to the site root."""
    if path.startswith("pagefind/"):
        return next((kind for pattern, kind in PAGEFIND_KINDS if pattern.search(path)), "pagefind meta")
    if "html" in content_type:
        return "page html"
    if "css" in content_type:
        return "page css"
    if "javascript" in content_type:
        return "page js"
    return "page other"


def _resource(request: Any, base_url: str) -> dict[str, Any]:
    response = request.response()
    sizes = request.sizes()
    headers = response.all_headers() if response else {}
    body = b""  # decoded
    with suppress(Exception):  # a redirect or an aborted request has no body
        body = response.body() if response else b""
    body_bytes, source = sizes["responseBodySize"], "browser"
    if body_bytes == 0 and body:  # Chromium reports no size for the worker script
        compressed = headers.get("content-encoding") == "gzip"
        body_bytes = len(gzip.compress(body, compresslevel=6, mtime=0)) if compressed else len(body)
        source = "recomputed"
    content_type = headers.get("content-type", "").split(";")[0].strip()
    url = request.url
    path = urlsplit(url[len(base_url) :] if url.startswith(base_url) else url).path
    return {
        "path": path,
        "kind": _kind(path, content_type),
        "status": response.status if response else None,
        "content_type": content_type,
        "content_encoding": headers.get("content-encoding"),
        "header_bytes": sizes["responseHeadersSize"],
        "body_bytes": body_bytes,  # as transferred
        "bytes": sizes["responseHeadersSize"] + body_bytes,
        "bytes_uncompressed": sizes["responseHeadersSize"] + len(body),
        "size_source": source,
    }


def _wait_until_quiet(page: Any, in_flight: Callable[[], int], quiet_ms: int = 500, timeout_ms: int = 10_000) -> None:
    """Wait until no request has been in flight for ``quiet_ms`` (Playwright's "networkidle" may have passed already)."""
    quiet_since = waited = 0
    while waited < timeout_ms and waited - quiet_since < quiet_ms:
        page.wait_for_timeout(50)
        waited += 50
        if in_flight() > 0:
            quiet_since = waited


def measure_first_query(site: Path, query: str, chromium: Path = CHROMIUM, timeout_ms: int = 60_000, *, need_results: bool = True) -> dict[str, Any]:
    """Open /suche/?q=QUERY in a fresh browser context and count every request until the results are shown."""
    if not chromium.exists():
        raise MeasureError(f"Chromium not found at {chromium} (install it, e.g. apt-get install chromium, or pass --chromium).")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise MeasureError("Playwright is not installed (pip install -r requirements-dev.txt).") from error
    finished: list[Any] = []
    failed: list[str] = []
    started: list[Any] = []
    with serve_site(site, compress=True) as base_url, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise MeasureError(f"Chromium at {chromium} did not start: {error}") from error
        try:
            context = browser.new_context()  # fresh: empty cache, no service worker, nothing stored
            page = context.new_page()
            page.on("request", lambda request: started.append(request))
            page.on("requestfinished", lambda request: finished.append(request))
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto(f"{base_url}suche/?q={quote(query)}", timeout=timeout_ms)
            # Done when results are listed, or on a final status without results (it starts with the count when there
            # are results, and "…" marks a running search). The fragments of the shown results are loaded by then.
            shown_at = page.wait_for_function(
                """() => {
                    const status = document.getElementById("rd-suche-status").textContent.trim();
                    const done = document.querySelector("#rd-treffer li") || (status && !status.endsWith("…") && !/^\\d/.test(status));
                    return done && performance.now();
                }""",
                timeout=timeout_ms,
            ).json_value()
            _wait_until_quiet(page, lambda: len(started) - len(finished) - len(failed))
            status = page.inner_text("#rd-suche-status").strip()
            shown = page.locator("#rd-treffer li").count()
            resources = [_resource(request, base_url) for request in finished]
            browser_version = browser.version
        except PlaywrightError as error:
            raise MeasureError(f"the search page did not show results: {error}") from error
        finally:
            browser.close()
    if shown == 0 and need_results:
        raise MeasureError(f"no results for {query!r}; the search page says: {status or '(nothing)'}")
    total = re.search(r"\d[\d.]*", status)  # "2.942 Treffer …"
    return {
        "query": query,
        "results": int(total.group().replace(".", "")) if total else shown,
        "results_shown": shown,
        "status_line": status,
        "first_results_ms": round(shown_at),
        "requests": len(resources),
        "failed_requests": failed,
        "browser": f"Chromium {browser_version}",
        "resources": resources,
    }


# --- summary, table, verdict -----------------------------------------------------------------------


def summarize(measured: dict[str, Any]) -> dict[str, Any]:
    resources = measured["resources"]

    def part(selected: list[dict[str, Any]]) -> dict[str, int]:
        return {
            "requests": len(selected),
            "bytes": sum(r["bytes"] for r in selected),
            "bytes_uncompressed": sum(r["bytes_uncompressed"] for r in selected),
        }

    kinds = sorted({r["kind"] for r in resources}, key=lambda kind: (kind.startswith("pagefind"), kind))
    total = part(resources)
    return {
        "bytes_total": total["bytes"],
        "bytes_total_uncompressed": total["bytes_uncompressed"],
        "page": part([r for r in resources if not r["kind"].startswith("pagefind")]),
        "pagefind": part([r for r in resources if r["kind"].startswith("pagefind")]),
        "by_kind": {kind: part([r for r in resources if r["kind"] == kind]) for kind in kinds},
        "limit_bytes": LIMIT_BYTES,
        "within_limit": total["bytes"] < LIMIT_BYTES,
    }


def print_report(result: dict[str, Any]) -> None:
    row = "{:<26} {:>8} {:>18} {:>18}"
    documents = f"{result['documents']:,} documents" if result.get("documents") else "a given site"
    print(f"\nFirst query {result['query']!r} on {documents}, {result['browser']}, Pagefind {result['pagefind_version']}\n")
    print(row.format("", "requests", "bytes transferred", "bytes uncompressed"))
    for kind, values in result["by_kind"].items():
        print(row.format(kind, values["requests"], f"{values['bytes']:,}", f"{values['bytes_uncompressed']:,}"))
    print(row.format("-" * 26, "-" * 8, "-" * 14, "-" * 18))
    for label, values in (("search page (html/css/js)", result["page"]), ("pagefind", result["pagefind"])):
        print(row.format(label, values["requests"], f"{values['bytes']:,}", f"{values['bytes_uncompressed']:,}"))
    print(row.format("total", result["requests"], f"{result['bytes_total']:,}", f"{result['bytes_total_uncompressed']:,}"))
    largest = max(result["resources"], key=lambda r: r["bytes"])
    print(f"\nLargest request: {largest['path']} ({largest['bytes']:,} bytes)")
    print(f"Results: {result['results']:,} ({result['results_shown']} shown); first results after {result['first_results_ms']:,} ms")
    if result.get("build_seconds") is not None:
        logged = result["index_seconds_in_build"]
        in_build = f"{logged:.1f} s as logged by the build" if logged is not None else "not logged by the build"
        print(f"Build: {result['build_seconds']:.1f} s (whole mkdocs build); indexing in the build: {in_build}")
    if result.get("index_seconds") is not None:
        print(f"Indexing alone: {result['index_seconds']:.1f} s for {result['indexed_pages']:,} pages")
    if result["failed_requests"]:
        print(f"Failed requests: {', '.join(result['failed_requests'])}")
    total, margin = result["bytes_total"], LIMIT_BYTES - result["bytes_total"]
    verdict = "OK" if result["within_limit"] else "OVER THE LIMIT"
    distance = f"{abs(margin):,} bytes {'under' if margin > 0 else 'over'} it, {total / LIMIT_BYTES:.0%} of it"
    print(f"\n{verdict}: {total:,} bytes transferred against the limit of {LIMIT_BYTES:,} bytes ({distance})")
    uncompressed = result["bytes_total_uncompressed"]
    print(f"From a host without compression: {uncompressed:,} bytes, {uncompressed / LIMIT_BYTES:.0%} of the limit")
    if result.get("other_queries"):
        print("\nOther first queries (each in a fresh browser):")
        for other in result["other_queries"]:
            verdict = "OK" if other["within_limit"] else "OVER THE LIMIT"
            label = f"{other['query']!r} ({other['kind']})"
            print(f"  {label:<50} {other['results']:>6,} results {other['bytes_total']:>10,} bytes  {other['bytes_total'] / LIMIT_BYTES:>4.0%}  {verdict}")


# --- putting it together ---------------------------------------------------------------------------


def measure(
    work_dir: Path,
    *,
    count: int = 10_000,
    seed: int = 2048,
    corpus: Path | None = None,
    site: Path | None = None,
    query: str = DEFAULT_QUERY,
    index: bool = True,
    chromium: Path = CHROMIUM,
) -> dict[str, Any]:
    """The whole measurement; the returned dict is what --output writes."""
    if not chromium.exists():  # before minutes of building
        raise MeasureError(f"Chromium not found at {chromium} (install it, e.g. apt-get install chromium, or pass --chromium).")
    result: dict[str, Any] = {"query": query, "documents": None, "seed": None, "build_seconds": None, "index_seconds_in_build": None}
    if site is None:
        if corpus is None:
            corpus = work_dir / "corpus"
            if corpus.exists() and any(corpus.iterdir()):
                raise MeasureError(f"{corpus} is not empty; pass it with --corpus to reuse it, or choose another --work-dir.")
            progress(f"Generating {count:,} documents (seed {seed}) in {corpus} …")
            generate_corpus(corpus, count, seed)
            result["seed"] = seed
        result["documents"] = corpus_size(corpus)
        site = work_dir / "site"
        progress(f"Building the site from {result['documents']:,} documents into {site} (can take minutes) …")
        build = build_site(corpus, site)
        result["build_seconds"], result["index_seconds_in_build"] = round(build.seconds, 2), build.index_seconds
        progress(f"  built in {build.seconds:.1f} s")
    if not (site / "suche" / "index.html").is_file():
        raise MeasureError(f"{site} has no suche/index.html; is it a built site?")
    if index:
        progress(f"Indexing {site} with Pagefind again, to time indexing alone …")
        shutil.rmtree(site / BUNDLE_DIR, ignore_errors=True)  # as after the build's clean: Pagefind keeps stale files
        indexed = build_search_index(site)
        result["index_seconds"], result["indexed_pages"] = round(indexed.seconds, 2), indexed.pages
        progress(f"  {indexed.pages:,} pages indexed in {indexed.seconds:.1f} s")
    else:
        result["index_seconds"] = result["indexed_pages"] = None
    progress(f"Measuring the first query {query!r} in Chromium …")
    measured = measure_first_query(site, query, chromium)
    result |= {"pagefind_version": metadata.version("pagefind"), **measured} | summarize(measured)
    heaviest = heaviest_searchable_words(site)
    others = [("sentence", f"der {query}")] + [("heaviest chunk", word) for word in heaviest]
    if len(heaviest) == 2:  # a query loads one chunk per word: the two heaviest together
        others.append(("two heaviest chunks", " ".join(heaviest)))
    result["other_queries"] = []
    for kind, other in others:
        progress(f"Measuring the first query {other!r} ({kind}) in Chromium …")
        other_measured = measure_first_query(site, other, chromium, need_results=kind != "two heaviest chunks")
        totals = summarize(other_measured)
        result["other_queries"].append(
            {"kind": kind, "query": other, "results": other_measured["results"], "status_line": other_measured["status_line"],
             "requests": other_measured["requests"], "bytes_total": totals["bytes_total"], "within_limit": totals["within_limit"]}
        )  # fmt: skip
    result["all_within_limit"] = result["within_limit"] and all(other["within_limit"] for other in result["other_queries"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents to generate (default: 10000)")
    parser.add_argument("--seed", type=int, default=2048, help="seed of the generator (default: 2048)")
    parser.add_argument("--corpus", type=Path, help="use this corpus instead of generating one")
    parser.add_argument("--site", type=Path, help="use this built site; no generating, no build (its pagefind/ is rebuilt unless --no-index)")
    parser.add_argument("--query", default=DEFAULT_QUERY, help=f"search term (default: {DEFAULT_QUERY})")
    parser.add_argument("--output", type=Path, help="write the result as JSON to this file")
    parser.add_argument("--work-dir", type=Path, help="where the corpus and site go (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--no-index", action="store_true", help="do not run Pagefind again to time indexing")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM, help=f"Chromium executable (default: {CHROMIUM})")
    arguments = parser.parse_args(argv)
    if arguments.count < 1:
        parser.error("--count must be at least 1")
    temporary = arguments.work_dir is None
    work_dir = Path(tempfile.mkdtemp(prefix="measure-search-")) if temporary else arguments.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        result = measure(
            work_dir,
            count=arguments.count,
            seed=arguments.seed,
            corpus=arguments.corpus.resolve() if arguments.corpus else None,
            site=arguments.site.resolve() if arguments.site else None,
            query=arguments.query,
            index=not arguments.no_index,
            chromium=arguments.chromium,
        )
    except (MeasureError, SearchIndexError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except Exception:
        traceback.print_exc()
        return 2
    finally:
        if temporary and not arguments.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
        elif arguments.site is None and any(work_dir.iterdir()):
            progress(f"Corpus and site kept in {work_dir}")
    print_report(result)
    if arguments.output:
        arguments.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Result written to {arguments.output}")
    return 0 if result["all_within_limit"] else 1


if __name__ == "__main__":
    sys.exit(main())
