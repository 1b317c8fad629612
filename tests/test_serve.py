"""``mkdocs serve`` (what ``make serve`` runs) for an editor: a saved Drucksache shows, then the preview's search.

The search index of the preview is written in the background after each build (hooks/site_hooks.py): the changed
page is served first, the index follows.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from build_support import SITE_CORPUS
from conftest import REPO
from generate_corpus import generate_corpus
from measure_serve import free_port, page_text, serve_command
from measure_serve import wait_for as wait_for_text
from ratsdok.build_cache import BODIES_FILE, LINKS_FILE, PAGES_FOLDER
from ratsdok.load import load_corpus
from ratsdok.load_cache import CACHE_FILE
from ratsdok.site_record import RECORD_FILE

pytestmark = pytest.mark.build


def wait_for(url: str, text: str, log: Path) -> float:
    try:
        return wait_for_text(url, text, timeout=120)
    except TimeoutError as error:
        raise AssertionError(f"{error}:\n{log.read_text('utf-8')[-3000:]}") from error


@pytest.fixture
def serving(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path, Path, subprocess.Popen[bytes]]]:
    """The preview's address, the served Drucksachen (the cache beside them), the server's log and process; the
    server's extra options as the test's parameter (indirect)."""
    corpus = tmp_path / "drucksachen"
    shutil.copytree(SITE_CORPUS, corpus)
    yield from _served(corpus, getattr(request, "param", []))


@pytest.fixture
def serving_generated(tmp_path: Path) -> Iterator[tuple[str, Path, Path, subprocess.Popen[bytes]]]:
    """As ``serving``, for an archive of 120 generated Drucksachen: more new cache entries than the server writes at
    once (hooks/site_hooks.py, WRITE_CACHE_AT_ONCE)."""
    corpus = tmp_path / "drucksachen"
    generate_corpus(corpus, 120, seed=5)
    yield from _served(corpus, [])


def _served(corpus: Path, options: list[str]) -> Iterator[tuple[str, Path, Path, subprocess.Popen[bytes]]]:
    work = corpus.parent
    port = free_port()
    log = work / "serve.log"
    temporary = work / "tmp"  # mkdocs serve builds into a temporary folder (mkdocs_…) here
    temporary.mkdir()
    env = {**os.environ, "DRUCKSACHEN_DIR": str(corpus), "RATSDOK_CACHE_DIR": str(work / "cache"), "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary)}
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(serve_command(port) + options, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}/", corpus, log, server
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_a_saved_drucksache_is_served_and_its_search_index_follows(serving: tuple[str, Path, Path, subprocess.Popen[bytes]]) -> None:
    base, corpus, log, _ = serving
    wait_for(base + "drucksachen/99-10/", "Wie viele Test-Radwege", log)
    wait_for(base + "pagefind/pagefind-entry.json", '"page_count":5', log)
    site = _served_folder(corpus.parent / "cache")
    other_page = site / "drucksachen" / "98-5" / "index.html"
    written = other_page.stat().st_mtime_ns
    document = corpus / "99" / "99-10.md"
    document.write_text(document.read_text("utf-8").replace("Wie viele Test-Radwege", "Wie viele Probe-Radwege"), "utf-8")
    wait_for(base + "drucksachen/99-10/", "Wie viele Probe-Radwege", log)
    assert other_page.stat().st_mtime_ns == written  # not written again
    # The index is written again after the rebuild; until then the last build's index is served.
    text = _log_once_it_shows(log, "Suchindex: 5 Seite(n)", times=2)
    wait_for(base + "pagefind/pagefind-entry.json", '"page_count":5', log)
    assert text.count("Suchindex wird im Hintergrund erstellt") >= 2
    # The save wrote that page again and left the other 21 generated pages as they were.
    assert "Seiten-Zwischenspeicher: 21 Seite(n) unverändert übernommen, 1 neu erzeugt" in text
    assert "ERROR" not in text and "Traceback" not in text
    assert "A 'dirty' build" not in text  # MkDocs' warning about stale pages does not apply (ratsdok.site_record)
    time.sleep(2)
    # One build for the save: reading the Drucksachen (each build does) is no change (hooks/corpus_watch.py).
    assert log.read_text("utf-8").count("Building documentation") == 2


def test_a_saved_answer_shows_on_the_page_and_in_the_exports_of_its_inquiry(serving: tuple[str, Path, Path, subprocess.Popen[bytes]]) -> None:
    """The inquiry's file is unchanged, yet its page, JSON export and OParl paper name the answer: made again, not
    taken from the last build (ratsdok.page_plans, ratsdok.document_memo, ratsdok.data_memos)."""
    base, corpus, log, _ = serving
    inquiry, export, paper = base + "drucksachen/99-10/", base + "api/drucksachen/99-10.json", base + "oparl/paper/99-10.json"
    wait_for(inquiry, "Wie viele Test-Radwege", log)
    other = corpus / "98" / "98-5.md"
    other.write_text(other.read_text("utf-8") + "\nEin Nachtrag.\n", "utf-8")
    wait_for(base + "api/drucksachen/98-5.json", "Ein Nachtrag.", log)
    answer = corpus / "99" / "99-10-1.md"
    changed = answer.read_text("utf-8").replace("titel: Testanfrage zu Radwegen", "titel: Geänderte Antwort zu Radwegen")
    answer.write_text(changed.replace("datum: 2025-06-04", "datum: 2025-06-05"), "utf-8")
    wait_for(inquiry, "Geänderte Antwort zu Radwegen", log)
    wait_for(export, "Geänderte Antwort zu Radwegen", log)
    wait_for(paper, '"modified":"2025-06-05', log)  # the newest date among it and its related Drucksachen
    text = log.read_text("utf-8")
    assert "ERROR" not in text and "Traceback" not in text


@pytest.mark.parametrize("serving", [["--verbose"]], indirect=True)
def test_the_first_save_makes_the_data_files_only_of_what_it_changed(serving: tuple[str, Path, Path, subprocess.Popen[bytes]]) -> None:
    """The first build's data files come from a second process; the server makes each Drucksache's export and OParl
    objects after it (ratsdok.data_memos), so the first save makes them again only for the Drucksache it changed
    (which no other Drucksache links to)."""
    base, corpus, log, _ = serving
    _log_once_it_shows(log, "Datendateien: Export und OParl-Objekte vorab erzeugt für 5 Drucksache(n).", times=1)
    other = corpus / "98" / "98-5.md"
    other.write_text(other.read_text("utf-8") + "\nEin Nachtrag.\n", "utf-8")
    wait_for(base + "api/drucksachen/98-5.json", "Ein Nachtrag.", log)
    text = _log_once_it_shows(log, "Datendateien: Export und OParl-Objekte neu erzeugt für", times=1)
    assert "Datendateien: Export und OParl-Objekte neu erzeugt für 1 und 1 Drucksache(n)." in text
    assert "ERROR" not in text and "Traceback" not in text


def test_a_save_right_after_the_last_build_still_takes_the_unchanged_pages_from_the_cache(
    serving: tuple[str, Path, Path, subprocess.Popen[bytes]],
) -> None:
    """A save while the last build's follow-up runs hurries it (hooks/site_hooks.py, _finish_site): what the next
    build needs of it (the record, the pages' links in the page cache) is still done, so the next build leaves the
    other pages as they are."""
    base, corpus, log, _ = serving
    wait_for(base + "drucksachen/99-10/", "Wie viele Test-Radwege", log)
    (site,) = (corpus.parent / "tmp").glob("mkdocs_*")  # where mkdocs serve builds (a temporary folder)
    other_page = site / "drucksachen" / "98-5" / "index.html"
    written = other_page.stat().st_mtime_ns
    document = corpus / "99" / "99-10.md"
    for number in (1, 2):
        document.write_text(document.read_text("utf-8").replace("Wie viele", f"Wie viele {number}.", 1), "utf-8")
        wait_for(base + "drucksachen/99-10/", f"Wie viele {number}.", log)
    assert other_page.stat().st_mtime_ns == written, log.read_text("utf-8")[-3000:]


def test_the_data_files_follow_a_save_and_a_removed_drucksache_leaves_nothing_behind(serving: tuple[str, Path, Path, subprocess.Popen[bytes]]) -> None:
    """The data files of a save are written after the preview shows its pages (hooks/site_hooks.py, _finish_site)."""
    base, corpus, log, _ = serving
    export = base + "api/drucksachen/99-10.json"
    wait_for(export, "Wie viele Test-Radwege", log)
    document = corpus / "99" / "99-10.md"
    document.write_text(document.read_text("utf-8").replace("Wie viele Test-Radwege", "Wie viele Probe-Radwege"), "utf-8")
    wait_for(base + "drucksachen/99-10/", "Wie viele Probe-Radwege", log)
    wait_for(export, "Wie viele Probe-Radwege", log)
    site = _served_folder(corpus.parent / "cache")
    removed = [site / "drucksachen" / "98-5" / "index.html", site / "api" / "drucksachen" / "98-5.json", site / "oparl" / "paper" / "98-5.json"]
    assert all(path.is_file() for path in removed)
    (corpus / "98" / "98-5.md").unlink()
    started = time.monotonic()
    while any(path.exists() for path in removed) or "98-5.json" in page_text(base + "api/drucksachen.json"):
        assert time.monotonic() - started < 120, f"still there: {[str(path) for path in removed if path.exists()]}\n{log.read_text('utf-8')[-3000:]}"
        time.sleep(0.2)
    _log_once_it_shows(log, "Suchindex: 4 Seite(n)", times=1)
    text = log.read_text("utf-8")
    assert "ERROR" not in text and "Traceback" not in text and "WARNING" not in text


def test_caches_with_few_new_entries_are_written_when_the_server_stops(serving: tuple[str, Path, Path, subprocess.Popen[bytes]]) -> None:
    """A save adds one entry to the caches of loaded files and rendered texts: rewriting them whole waits until the
    server stops (Ctrl+C), not after every save (hooks/site_hooks.py, WRITE_CACHE_AT_ONCE)."""
    base, corpus, log, server = serving
    cache = corpus.parent / "cache"
    wait_for(base + "drucksachen/99-10/", "Wie viele Test-Radwege", log)
    _log_once_it_shows(log, "Suchindex: 5 Seite(n)", times=1)
    _served_folder(cache)  # the record: the first build's follow-up is done
    caches = [cache / CACHE_FILE, cache / BODIES_FILE]
    assert not any(path.exists() for path in caches)  # five new entries each: fewer than WRITE_CACHE_AT_ONCE
    pages = next((cache / PAGES_FOLDER).iterdir())
    assert not (pages / LINKS_FILE).exists()  # the links of 22 pages, kept in memory
    server.send_signal(signal.SIGINT)
    server.wait(timeout=60)
    assert all(path.is_file() for path in [*caches, pages / LINKS_FILE]), log.read_text("utf-8")[-3000:]
    assert load_corpus(corpus, cache_dir=cache).documents == load_corpus(corpus).documents


def test_a_save_soon_after_the_first_build_leaves_its_large_caches_for_a_quiet_moment(
    serving_generated: tuple[str, Path, Path, subprocess.Popen[bytes]],
) -> None:
    """The first build fills the caches of loaded files and rendered texts with 120 entries. A save soon after it
    does not wait for their writing (2 s at 10,000 Drucksachen): the follow-up of a build that the editor then reads
    without saving writes them (hooks/site_hooks.py, WRITE_CACHE_WHEN_QUIET_SECONDS)."""
    base, corpus, log, _ = serving_generated
    cache = corpus.parent / "cache"
    caches = [cache / CACHE_FILE, cache / BODIES_FILE]
    document = min(corpus.glob("1[0-9]/*.md"))
    page = f"{base}drucksachen/{document.stem}/"
    wait_for(page, "<html", log)
    document.write_text(document.read_text("utf-8") + "\nEin Nachtrag.\n", "utf-8")
    wait_for(page, "Ein Nachtrag.", log)
    assert not any(path.exists() for path in caches), log.read_text("utf-8")[-3000:]  # left by the first build
    started = time.monotonic()
    while not all(path.is_file() for path in caches):
        assert time.monotonic() - started < 60, log.read_text("utf-8")[-3000:]
        time.sleep(0.2)
    assert load_corpus(corpus, cache_dir=cache).documents == load_corpus(corpus).documents
    text = _log_once_it_shows(log, "Suchindex: 120 Seite(n)", times=1)  # the save's (it stopped the first build's)
    assert "ERROR" not in text and "Traceback" not in text


def _log_once_it_shows(log: Path, text: str, times: int, timeout: float = 120) -> str:
    started = time.monotonic()
    while (content := log.read_text("utf-8")).count(text) < times:
        assert time.monotonic() - started < timeout, f"{text!r} not {times} times in the log:\n{content[-3000:]}"
        time.sleep(0.2)
    return content


def _served_folder(cache: Path, timeout: float = 120) -> Path:
    """The temporary folder mkdocs serve builds into, from the record of its last build (written at the very end of
    the build, which on a busy machine can be after the search index the test waited for)."""
    started = time.monotonic()
    while not (cache / RECORD_FILE).is_file():
        assert time.monotonic() - started < timeout, "mkdocs serve wrote no record of its build"
        time.sleep(0.2)
    with (cache / RECORD_FILE).open("rb") as stored:
        _, record = pickle.load(stored)
    return Path(record.site_dir)


def test_make_serve_runs_the_measured_command() -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    flags = " ".join(serve_command(8000)[3:-2])
    assert f"$(BIN)/mkdocs {flags} --dev-addr $(ADDR)" in makefile


FREEZING_SCRIPT = """
import gc, sys
sys.path.insert(0, "hooks")
import site_hooks
gc.freeze()  # as an earlier build in this process would have left it
site_hooks.on_startup(command=sys.argv[1], dirty=False)
started = gc.get_freeze_count()
site_hooks.on_shutdown()
print(started, gc.get_freeze_count())
"""


@pytest.mark.parametrize(("command", "frozen_at_the_end"), [("build", True), ("serve", False)])
def test_objects_are_left_out_of_collections_only_when_the_process_ends(command: str, frozen_at_the_end: bool) -> None:
    """A build's process skips the collection at its exit (gc.freeze); under make serve every build replaces the last
    one, whose cycles must still be collected. A new build starts with nothing frozen."""
    result = subprocess.run([sys.executable, "-c", FREEZING_SCRIPT, command], cwd=REPO, capture_output=True, text=True, check=True)
    started, ended = map(int, result.stdout.split())
    assert started == 0
    assert (ended > 0) is frozen_at_the_end
