"""ratsdok.search_index: Pagefind over a site folder; under mkdocs serve at a lower priority."""

from __future__ import annotations

import os
from pathlib import Path

from ratsdok.search_index import YIELDING_NICENESS, RunningIndex

PAGE = '<!doctype html><html lang="de"><head><title>Probe</title></head><body><main data-pagefind-body><h1>Probe</h1><p>Radwege im Ruhrgebiet</p></main></body></html>'


def _site(tmp_path: Path) -> Path:
    page = tmp_path / "site" / "drucksachen" / "99-1" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, "utf-8")
    return tmp_path / "site"


def test_a_yielding_index_runs_at_lower_priority_and_still_indexes(tmp_path: Path) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    indexing = RunningIndex(_site(tmp_path), yielding=True)
    assert os.getpriority(os.PRIO_PROCESS, indexing.process.pid) == min(own + YIELDING_NICENESS, 19)
    assert indexing.finish().pages == 1


def test_a_build_index_keeps_the_priority_of_the_build(tmp_path: Path) -> None:
    indexing = RunningIndex(_site(tmp_path))
    assert os.getpriority(os.PRIO_PROCESS, indexing.process.pid) == os.getpriority(os.PRIO_PROCESS, 0)
    assert indexing.finish().pages == 1
