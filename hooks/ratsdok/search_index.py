"""Run Pagefind over the built site (the binary ships in the pinned ``pagefind_bin`` package)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .clearing import clear_in_background
from .pagefind_chunks import CHUNK_BYTES, cut_heavy_chunks
from .pagefind_order import PagefindFormatError, order_filters
from .pagefind_reuse import FRAGMENT_DIR, hashed_files, keep_in_stash, restore, settle

BUNDLE_DIR = "pagefind"
STASH_DIR = "pagefind-index"  # in the build cache: the files of the last index, for Pagefind to reuse
INDEXED_PAGES = "drucksachen/**/*.html"
YIELDING_NICENESS = 10


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class IndexedSite:
    pages: int
    seconds: float


def build_search_index(site_dir: Path, chunk_bytes: int = CHUNK_BYTES) -> IndexedSite:
    """Index every page marked with ``data-pagefind-body`` into ``site_dir/pagefind/``."""
    return RunningIndex(site_dir).finish(chunk_bytes)


class RunningIndex:
    """Pagefind at work in its own process, so the build can do other work meanwhile (the link check)."""

    def __init__(self, site_dir: Path, *, yielding: bool = False, stash: Path | None = None) -> None:
        """``yielding``: Pagefind runs at a lower priority, so that a build started meanwhile (the next save under
        ``mkdocs serve``) gets the processor first. ``stash``: a folder in the cache where Pagefind's files of this
        run are kept for the next (pagefind_reuse.py)."""
        self.site_dir = site_dir
        self.yielding = yielding
        self.stash = stash
        self.started = time.perf_counter()
        self.clearing = _empty_bundle(site_dir)
        restore(stash, site_dir / BUNDLE_DIR)
        self.put_back = hashed_files(site_dir / BUNDLE_DIR)
        # Files, not pipes: a full pipe would stop Pagefind while nobody reads it.
        self.output = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by finish()
        self.process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        # Only Drucksache pages carry data-pagefind-body; not reading the large listings saves a third of the time.
        command = [sys.executable, "-m", "pagefind", "--site", str(self.site_dir), "--glob", INDEXED_PAGES, "--output-subdir", BUNDLE_DIR]
        process = subprocess.Popen(command, stdout=self.output, stderr=subprocess.STDOUT, text=True)
        if self.yielding:
            # Before the Python wrapper starts the Pagefind binary, which inherits the priority.
            with contextlib.suppress(OSError):
                own = os.getpriority(os.PRIO_PROCESS, 0)
                os.setpriority(os.PRIO_PROCESS, process.pid, min(own + YIELDING_NICENESS, 19))
        return process

    def stop(self) -> None:
        """End Pagefind early (the build failed meanwhile)."""
        self.process.kill()
        self.process.wait()
        self.output.close()
        self._cleared()

    def finish(self, chunk_bytes: int = CHUNK_BYTES) -> IndexedSite:
        """Wait for Pagefind, then make its output light to load and reproducible."""
        self._cleared()
        with self.output:
            log = self._wait()
            bundle = self.site_dir / BUNDLE_DIR
            try:
                if settle(bundle, self.put_back):
                    # A file put back had the name of another content (rare): Pagefind writes the missing again.
                    self.output.seek(0)
                    self.output.truncate()
                    self.process = self._start()
                    log = self._wait()
                keep_in_stash(bundle, self.stash)
                cut_heavy_chunks(bundle, chunk_bytes)  # no query loads the entry of a word in nearly every page
                order_filters(bundle)  # two builds of the same site write the same files
            except PagefindFormatError as error:
                raise SearchIndexError(f"Die Ausgabe von Pagefind hat ein unbekanntes Format: {error}") from error
        match = re.search(r"Indexed (\d+) page", log)
        return IndexedSite(int(match.group(1)) if match else 0, time.perf_counter() - self.started)

    def _wait(self) -> str:
        returncode = self.process.wait()
        self.output.seek(0)
        log = self.output.read()
        if returncode != 0:
            raise SearchIndexError(f"Pagefind ist fehlgeschlagen (Exit-Code {returncode}):\n{log}")
        return log

    def _cleared(self) -> None:
        if self.clearing is not None:
            self.clearing.wait()
            self.clearing = None


def _empty_bundle(site_dir: Path) -> subprocess.Popen[bytes] | None:
    """Pagefind adds to what its folder holds (a --dirty build keeps the folder): the old index goes first, deleted
    (in the returned process) outside the site folder, which the link check reads meanwhile. The page fragments
    stay for Pagefind to reuse (pagefind_reuse.py)."""
    bundle = site_dir / BUNDLE_DIR
    deleting = clear_in_background(bundle, beside=site_dir.parent, keep=frozenset({FRAGMENT_DIR}))
    if deleting is None and bundle.is_dir():  # nothing there, or it could not be moved
        for entry in bundle.iterdir():
            if entry.name == FRAGMENT_DIR:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    return deleting


class BackgroundIndex:
    """Pagefind finishing in a thread, for ``mkdocs serve``: the changed pages are served at once, the preview's
    search follows when the index is written. ``report`` gets the result or the error."""

    def __init__(self, indexing: RunningIndex, report: Callable[[IndexedSite | SearchIndexError], None]) -> None:
        self.indexing = indexing
        self.report = report
        self.stopped = False
        self.thread = threading.Thread(target=self._finish, name="suchindex", daemon=True)
        self.thread.start()

    def _finish(self) -> None:
        try:
            result: IndexedSite | SearchIndexError = self.indexing.finish()
        except SearchIndexError as error:
            result = error
        if not self.stopped:
            self.report(result)

    def stop(self) -> None:
        """End it before the next build empties the site folder (an index being written is finished first)."""
        self.stopped = True
        if self.indexing.process.poll() is None:
            self.indexing.process.kill()
        self.thread.join()
