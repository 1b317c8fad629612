"""``mkdocs serve`` (what ``make serve`` runs) for an editor: a saved Drucksache shows, then the preview's search.

The search index of the preview is written in the background after each build (hooks/site_hooks.py): the changed
page is served first, the index follows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from build_support import SITE_CORPUS
from conftest import REPO
from measure_serve import free_port
from measure_serve import wait_for as wait_for_text

pytestmark = pytest.mark.build


def wait_for(url: str, text: str, log: Path) -> float:
    try:
        return wait_for_text(url, text, timeout=120)
    except TimeoutError as error:
        raise AssertionError(f"{error}:\n{log.read_text('utf-8')[-3000:]}") from error


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    corpus = tmp_path / "drucksachen"
    shutil.copytree(SITE_CORPUS, corpus)
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "DRUCKSACHEN_DIR": str(corpus), "RATSDOK_CACHE_DIR": str(tmp_path / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield f"http://127.0.0.1:{port}/", corpus, log
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_a_saved_drucksache_is_served_and_its_search_index_follows(serving: tuple[str, Path, Path]) -> None:
    base, corpus, log = serving
    wait_for(base + "drucksachen/99-10/", "Wie viele Test-Radwege", log)
    wait_for(base + "pagefind/pagefind-entry.json", '"page_count":5', log)
    document = corpus / "99" / "99-10.md"
    document.write_text(document.read_text("utf-8").replace("Wie viele Test-Radwege", "Wie viele Probe-Radwege"), "utf-8")
    wait_for(base + "drucksachen/99-10/", "Wie viele Probe-Radwege", log)
    wait_for(base + "pagefind/pagefind-entry.json", '"page_count":5', log)  # written again after the rebuild
    text = log.read_text("utf-8")
    assert text.count("Suchindex wird im Hintergrund erstellt") >= 2
    assert text.count("Suchindex: 5 Seite(n)") >= 2
    assert "ERROR" not in text and "Traceback" not in text
