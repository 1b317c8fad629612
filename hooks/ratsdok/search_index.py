"""Run Pagefind over the built site (the binary ships in the pinned ``pagefind_bin`` package)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .pagefind_chunks import CHUNK_BYTES, cut_heavy_chunks
from .pagefind_order import PagefindFormatError, order_filters

BUNDLE_DIR = "pagefind"
INDEXED_PAGES = "drucksachen/**/*.html"


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class IndexedSite:
    pages: int
    seconds: float


def build_search_index(site_dir: Path, chunk_bytes: int = CHUNK_BYTES) -> IndexedSite:
    """Index every page marked with ``data-pagefind-body`` into ``site_dir/pagefind/``."""
    started = time.perf_counter()
    # Only Drucksache pages carry data-pagefind-body; not reading the large listings saves a third of the time.
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--glob", INDEXED_PAGES, "--output-subdir", BUNDLE_DIR]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SearchIndexError(f"Pagefind ist fehlgeschlagen (Exit-Code {completed.returncode}):\n{completed.stderr or completed.stdout}")
    try:
        cut_heavy_chunks(site_dir / BUNDLE_DIR, chunk_bytes)  # no query loads the entry of a word in nearly every page
        order_filters(site_dir / BUNDLE_DIR)  # two builds of the same site write the same files
    except PagefindFormatError as error:
        raise SearchIndexError(f"Die Ausgabe von Pagefind hat ein unbekanntes Format: {error}") from error
    match = re.search(r"Indexed (\d+) page", completed.stdout)
    return IndexedSite(int(match.group(1)) if match else 0, time.perf_counter() - started)
