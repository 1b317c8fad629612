"""scripts/measure_serve.py times real saves under mkdocs serve (a small generated corpus here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from generate_corpus import generate_corpus
from measure_serve import measure

pytestmark = pytest.mark.build


def test_each_save_is_timed_until_its_page_shows(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "corpus", 12, 2048)
    rows = measure(tmp_path / "corpus", tmp_path / "cache", edits=2, pause=0.5)
    assert [what for what, _, _ in rows] == ["first build", "save 1", "save 2"]
    assert all(seconds > 0 and megabytes > 0 for _, seconds, megabytes in rows)
    document = sorted(path for path in (tmp_path / "corpus").rglob("*.md") if "register" not in path.parts)[0]
    assert document.read_text("utf-8").count("Bearbeitungsprobe") == 2
