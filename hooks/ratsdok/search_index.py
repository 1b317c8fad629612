"""Run Pagefind over the built site (the binary ships in the pinned ``pagefind_bin`` package)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .pagefind_order import PagefindFormatError, order_filters

BUNDLE_DIR = "pagefind"


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class IndexedSite:
    pages: int
    seconds: float


def build_search_index(site_dir: Path) -> IndexedSite:
    """Index every page marked with ``data-pagefind-body`` into ``site_dir/pagefind/``."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SearchIndexError(f"Pagefind ist fehlgeschlagen (Exit-Code {completed.returncode}):\n{completed.stderr or completed.stdout}")
    try:
        order_filters(site_dir / BUNDLE_DIR)  # two builds of the same site write the same files
    except PagefindFormatError as error:
        raise SearchIndexError(f"Die Ausgabe von Pagefind hat ein unbekanntes Format: {error}") from error
    match = re.search(r"Indexed (\d+) page", completed.stdout)
    return IndexedSite(int(match.group(1)) if match else 0, time.perf_counter() - started)
