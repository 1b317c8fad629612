"""Run Pagefind over the built site (the binary ships in the pinned ``pagefind_bin`` package)."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .clearing import clear_in_background
from .pagefind_chunks import CHUNK_BYTES, CUTS_FILE, ChunkCuts, cut_heavy_chunks
from .pagefind_order import ENTRY_FILE, PagefindFormatError, order_filters
from .pagefind_parts import FACTS_FILE, Part, PartSizeError, has_finished, is_part_folder, keep_finished, part_glob, plan_parts, restore_finished
from .pagefind_reuse import CHECKED_FILE, FRAGMENT_DIR, hashed_files, keep_in_stash, mismatched, restore, settle

BUNDLE_DIR = "pagefind"
CONFIG_FILE = "pagefind.json"  # Pagefind reads it from its working folder
STASH_DIR = "pagefind-index"  # in the build cache: the files of the last index, for Pagefind to reuse
YIELDING_NICENESS = 10


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class IndexedSite:
    pages: int
    seconds: float
    parts: int = 1
    parts_taken: int = 0  # unchanged parts taken from the cache


def build_search_index(site_dir: Path, chunk_bytes: int = CHUNK_BYTES) -> IndexedSite:
    """Index every page marked with ``data-pagefind-body`` into ``site_dir/pagefind/`` (in parts, see
    pagefind_parts.py)."""
    return RunningIndex(site_dir, chunk_bytes=chunk_bytes).finish()


@dataclass(frozen=True, slots=True)
class IndexedPart:
    """A part as Pagefind left it."""

    part: Part
    bundle: Path  # its folder in the site
    raw_stash: Path | None  # its folder in the cache (pagefind_reuse)
    log: str  # what Pagefind printed


class RunningIndex:
    """Pagefind at work, part after part, in a thread and its own processes, so the build can do other work
    meanwhile (the link check). A part's output is finished in another thread while Pagefind indexes the next."""

    def __init__(
        self,
        site_dir: Path,
        *,
        yielding: bool = False,
        stash: Path | None = None,
        known_pages: Mapping[str, str] | None = None,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        """``yielding``: Pagefind runs at a lower priority, so that a build started meanwhile (the next save under
        ``mkdocs serve``) gets the processor first. ``stash``: a folder in the cache where Pagefind's files of this
        run are kept for the next (pagefind_reuse.py, pagefind_parts.py). ``known_pages``: the content keys of the
        pages the build knows (see ``plan_parts``)."""
        return_freed_memory()  # Pagefind's memory comes on top of this process's
        self.site_dir = site_dir
        self.yielding = yielding
        self.stash = stash
        self.known_pages = known_pages
        self.started = time.perf_counter()
        self.chunk_bytes = chunk_bytes
        self.clearing = _empty_bundle(site_dir)
        self.process: subprocess.Popen[str] | None = None
        self.stopped = False
        self.result: IndexedSite | SearchIndexError | None = None
        self.planned = threading.Event()
        self.thread = threading.Thread(target=self._index_all, name="pagefind", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """End Pagefind early (the build failed meanwhile, or a new build begins)."""
        self.stopped = True
        process = self.process
        if process is not None and process.poll() is None:
            process.kill()
        self.thread.join()

    def wait_for_plan(self) -> None:
        """Until the parts are planned (the indexed pages read, but for those known from the last plan): work in this
        process that begins sooner shares the interpreter with the planning and delays Pagefind (reading 10,000
        pages beside the link check: 2.2 s, alone 0.7 s)."""
        self.planned.wait()

    def finish(self) -> IndexedSite:
        """Wait for every part; Pagefind's output is made light to load and reproducible on the way."""
        self.thread.join()
        if isinstance(self.result, SearchIndexError):
            raise self.result
        assert self.result is not None
        return self.result

    def _index_all(self) -> None:
        try:
            try:
                facts = self.stash / FACTS_FILE if self.stash is not None else None
                parts = plan_parts(self.site_dir, known=self.known_pages, facts_file=facts)  # it reads the pages not known
            finally:
                self.planned.set()
            other_parts = frozenset(part.folder for part in parts[1:])
            self._cleared()
            _remove_stale_parts(self.site_dir / BUNDLE_DIR, other_parts)
            finished = [part for part in parts if has_finished(self.stash, part)]
            changed = [part for part in parts if part not in finished]
            # The unchanged parts are linked back from the cache while Pagefind indexes the others; each part's
            # output is finished while Pagefind indexes the next.
            with ThreadPoolExecutor(max_workers=1) as restorer, ThreadPoolExecutor(max_workers=1) as finisher:

                def index(part: Part) -> Future[int]:
                    return finisher.submit(self._finish_part, self._index_part(part, other_parts), len(parts))

                restoring = restorer.submit(self._restore_all, finished)
                finishing = [index(part) for part in changed]
                not_restored = restoring.result()
                finishing += [index(part) for part in not_restored]
                pages = sum(done.result() for done in finishing)
            taken = len(finished) - len(not_restored)
            pages += sum(len(part.pages) for part in finished) - sum(len(part.pages) for part in not_restored)
            self.result = IndexedSite(pages, time.perf_counter() - self.started, len(parts), taken)
        except SearchIndexError as error:
            self.result = error
        except PartSizeError as error:
            self.result = SearchIndexError(str(error))
        except (OSError, ValueError) as error:
            self.result = SearchIndexError(f"Der Suchindex konnte nicht geschrieben werden: {error}")

    def _restore_all(self, parts: list[Part]) -> list[Part]:
        """Put the finished files of ``parts`` from the cache in place; the parts that failed (Pagefind indexes them)."""
        failed = []
        for part in parts:
            if not restore_finished(self.stash, part, self._bundle(part)):
                failed.append(part)
        return failed

    def _bundle(self, part: Part) -> Path:
        return self.site_dir / BUNDLE_DIR / part.folder

    def _index_part(self, part: Part, other_parts: frozenset[str]) -> IndexedPart:
        """Pagefind over the pages of ``part``, its output as Pagefind leaves it (see ``_finish_part``). Stopped
        between its steps (see _go_on), the part is left unfinished: the next run indexes it again."""
        self._go_on()
        bundle = self._bundle(part)
        _empty_part(bundle, _folders_inside(part, other_parts) | {FRAGMENT_DIR})
        raw_stash = self.stash / part.folder if self.stash is not None else None
        restore(raw_stash, bundle)
        put_back = hashed_files(bundle)
        # Pagefind reads just this part's pages from the site (a glob of their folders).
        settings = {"site": str(self.site_dir.resolve()), "glob": part_glob(part), "output_path": str(bundle.resolve())}
        checked_in = raw_stash / CHECKED_FILE if raw_stash is not None else None
        log, wrong = self._run(settings, meanwhile=partial(mismatched, bundle, put_back, self._go_on, checked_in))
        try:
            if settle(bundle, wrong):
                # A file put back had the name of another content (rare): Pagefind writes the missing again.
                log, _ = self._run(settings)
        except PagefindFormatError as error:
            raise SearchIndexError(f"Die Ausgabe von Pagefind hat ein unbekanntes Format: {error}") from error
        return IndexedPart(part, bundle, raw_stash, log)

    def _finish_part(self, indexed: IndexedPart, parts: int) -> int:
        """Make the output of Pagefind for one part light to load and reproducible, and keep it in the cache; the
        number of pages indexed."""
        part, bundle, raw_stash = indexed.part, indexed.bundle, indexed.raw_stash
        self._go_on()
        try:
            keep_in_stash(bundle, raw_stash)
            self._go_on()
            # No query loads the entry of a word in nearly every page; it loads one chunk per word from every part.
            cut_heavy_chunks(bundle, self.chunk_bytes // parts, ChunkCuts(raw_stash / CUTS_FILE if raw_stash is not None else None))
            self._go_on()
            order_filters(bundle)  # two builds of the same site write the same files
        except PagefindFormatError as error:
            raise SearchIndexError(f"Die Ausgabe von Pagefind hat ein unbekanntes Format: {error}") from error
        if part.number > 1:
            _drop_program_files(bundle)
        self._go_on()
        keep_finished(self.stash, part, bundle)
        match = re.search(r"Indexed (\d+) page", indexed.log)
        return int(match.group(1)) if match else 0

    def _run(self, settings: dict[str, str], meanwhile: Callable[[], frozenset[str]] = frozenset) -> tuple[str, frozenset[str]]:
        """Pagefind with ``settings`` in its configuration file (read from its working folder); its output, and what
        ``meanwhile()`` gave, called while Pagefind runs."""
        # Files, not pipes: a full pipe would stop Pagefind while nobody reads it.
        with tempfile.TemporaryDirectory(prefix="pagefind-") as folder, tempfile.TemporaryFile("w+", encoding="utf-8") as output:
            Path(folder, CONFIG_FILE).write_text(json.dumps(settings), "utf-8")
            self._go_on()
            # The binary itself (the Python wrapper's imports took 0.2 s of each run), except where it yields: the
            # wrapper's start leaves time to lower its priority before the binary starts its threads, which inherit it.
            command = [sys.executable, "-m", "pagefind"] if self.yielding else [pagefind_executable()]
            self.process = subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.STDOUT, text=True)
            if self.yielding:
                with contextlib.suppress(OSError):
                    own = os.getpriority(os.PRIO_PROCESS, 0)
                    os.setpriority(os.PRIO_PROCESS, self.process.pid, min(own + YIELDING_NICENESS, 19))
            try:
                done = meanwhile()
            except BaseException:
                self.process.kill()
                self.process.wait()
                raise
            returncode = self.process.wait()
            output.seek(0)
            log = output.read()
        if returncode != 0:
            raise SearchIndexError(f"Pagefind ist fehlgeschlagen (Exit-Code {returncode}):\n{log}")
        return log, done

    def _go_on(self) -> None:
        """Raises once the index is stopped: a new build waits for this (mkdocs serve, each save)."""
        if self.stopped:
            raise SearchIndexError("Der Suchindex wurde abgebrochen.")

    def _cleared(self) -> None:
        if self.clearing is not None:
            self.clearing.wait()
            self.clearing = None


def pagefind_executable() -> str:
    """The Pagefind binary that ``python -m pagefind`` runs: ``PAGEFIND_BINARY_PATH``, else the pinned
    ``pagefind_bin``'s."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return configured
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return str(get_executable())


def return_freed_memory() -> None:
    """Hand the memory this process has freed back to the system: glibc's allocator keeps it otherwise (after a
    build that took 10,000 pages from the cache, 0.3 GB of the main process's 1.0 GB)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def _empty_bundle(site_dir: Path) -> subprocess.Popen[bytes] | None:
    """Pagefind adds to what its folder holds (a --dirty build keeps the folder): the old index goes first, deleted
    (in the returned process) outside the site folder, which the link check reads meanwhile. The page fragments
    and the folders of the other parts stay, emptied part by part before each is indexed."""
    bundle = site_dir / BUNDLE_DIR
    try:
        keep = frozenset({FRAGMENT_DIR, *(name for name in os.listdir(bundle) if is_part_folder(name))})
    except OSError:
        return None  # no index yet
    deleting = clear_in_background(bundle, beside=site_dir.parent, keep=keep)
    if deleting is None and bundle.is_dir():  # nothing there, or it could not be moved
        _empty_part(bundle, keep)
    return deleting


def _folders_inside(part: Part, other_parts: frozenset[str]) -> frozenset[str]:
    """The folders of other parts inside the folder of ``part``: the first part's folder holds all the others."""
    return other_parts if part.number == 1 else frozenset()


def _empty_part(bundle: Path, keep: frozenset[str]) -> None:
    """Delete what ``bundle`` holds except ``keep``."""
    if not bundle.is_dir():
        return
    for entry in bundle.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _remove_stale_parts(bundle: Path, part_folders: frozenset[str]) -> None:
    """The folders of parts the index no longer has (the archive has fewer pages, or parts are larger)."""
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(bundle):
            if is_part_folder(name) and name not in part_folders:
                shutil.rmtree(bundle / name, ignore_errors=True)


def _drop_program_files(bundle: Path) -> None:
    """A merged part needs only its index: the browser runs the first part's program (pagefind.js, the wasm)."""
    for entry in bundle.iterdir():
        if entry.is_file() and entry.name != ENTRY_FILE and not entry.name.endswith(".pf_meta"):
            entry.unlink()


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
        self.indexing.stop()
        self.thread.join()
