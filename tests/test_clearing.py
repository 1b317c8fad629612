"""ratsdok.clearing: the site folder is empty at once, its old contents are deleted by another process."""

from __future__ import annotations

from pathlib import Path

from ratsdok.clearing import clear_in_background


def test_entries_move_aside_and_are_deleted_hidden_ones_stay(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "drucksachen" / "14-1").mkdir(parents=True)
    (site / "drucksachen" / "14-1" / "index.html").write_text("<p>alt</p>")
    (site / "index.html").write_text("<p>alt</p>")
    (site / ".git").mkdir()
    deleting = clear_in_background(site)
    assert deleting is not None
    assert sorted(path.name for path in site.iterdir()) == [".git"]  # empty at once, but for hidden entries
    assert deleting.wait() == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # the moved contents are gone too


def test_nothing_to_clear(tmp_path: Path) -> None:
    assert clear_in_background(tmp_path / "fehlt") is None
    (tmp_path / "leer").mkdir()
    assert clear_in_background(tmp_path / "leer") is None
    assert sorted(path.name for path in tmp_path.iterdir()) == ["leer"]


def test_the_moved_entries_can_wait_elsewhere(tmp_path: Path) -> None:
    """The search index of a --dirty build is cleared into the site's parent folder, not into the site."""
    site = tmp_path / "site"
    (site / "pagefind" / "fragment").mkdir(parents=True)
    (site / "pagefind" / "fragment" / "de_1.pf_fragment").write_bytes(b"alt")
    deleting = clear_in_background(site / "pagefind", beside=tmp_path)
    assert deleting is not None
    assert list((site / "pagefind").iterdir()) == []
    assert sorted(path.name for path in site.iterdir()) == ["pagefind"]  # nothing waits inside the site
    assert deleting.wait() == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
