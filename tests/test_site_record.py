"""The record of a --dirty build is trusted only for the folder it was made for, while that folder holds it."""

from __future__ import annotations

from pathlib import Path

from ratsdok.site_record import (
    MARKER_FILE,
    NO_RECORD,
    RECORD_FILE,
    SiteRecord,
    content_key,
    forget,
    previous_build,
    remember,
    remove_stale,
    write_outputs,
)


def _recorded(tmp_path: Path) -> tuple[Path, Path]:
    cache, site = tmp_path / "cache", tmp_path / "site"
    site.mkdir(parents=True)
    remember(cache, site, {"a/index.html": "k1", "api/a.json": content_key("{}")}, ["a/index.html", "api/a.json"])
    return cache, site


def test_the_record_of_the_same_folder_is_read_back(tmp_path: Path) -> None:
    cache, site = _recorded(tmp_path)
    record = previous_build(cache, site)
    assert record.unchanged("a/index.html", "k1")
    assert not record.unchanged("a/index.html", "k2")
    assert record.unchanged("api/a.json", content_key("{}")) and not record.unchanged("api/a.json", content_key("[]"))
    assert record.files == {"a/index.html", "api/a.json"}


def test_another_folder_a_lost_marker_or_a_damaged_record_are_not_trusted(tmp_path: Path) -> None:
    cache, site = _recorded(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / MARKER_FILE).write_text((site / MARKER_FILE).read_text())
    assert previous_build(cache, other) is NO_RECORD  # the record names its folder
    forget(site)  # every build starts so
    assert previous_build(cache, site) is NO_RECORD
    cache2, site2 = _recorded(tmp_path / "zwei")
    (cache2 / RECORD_FILE).write_bytes(b"kaputt")
    assert previous_build(cache2, site2) is NO_RECORD


def test_an_unwritable_cache_leaves_no_marker(tmp_path: Path) -> None:
    blocked = tmp_path / "blockiert"
    blocked.write_text("a file where the cache folder should be")
    site = tmp_path / "site"
    site.mkdir()
    remember(blocked, site, {}, [])
    assert not (site / MARKER_FILE).exists()


def test_what_the_last_build_wrote_and_this_one_does_not_is_deleted(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for path in ("drucksachen/a/index.html", "drucksachen/a/a.pdf", "drucksachen/b/index.html", "api/a.json"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path)
    (site / "drucksachen" / "b" / "eigene-datei.txt").write_text("not written by a build")
    written = {"drucksachen/a/index.html", "drucksachen/a/a.pdf", "drucksachen/b/index.html", "api/a.json"}
    removed = remove_stale(site, SiteRecord(str(site), "m", {}, frozenset(written)), ["api/a.json"])
    assert removed == 3
    assert not (site / "drucksachen" / "a").exists()  # emptied folders go
    assert (site / "drucksachen" / "b" / "eigene-datei.txt").is_file()  # a folder still holding something stays
    assert (site / "api" / "a.json").is_file()


def test_outputs_are_written_except_those_the_record_shows_unchanged(tmp_path: Path) -> None:
    contents = {"api/drucksachen/14-1.json": '{"titel": "Größe"}', "api/drucksachen/14-2.json": "{}", "oparl/system.json": "[]"}
    keys = {path: content_key(content) for path, content in contents.items()}
    assert write_outputs(tmp_path, contents, keys, NO_RECORD) == 3
    assert {path: (tmp_path / path).read_text("utf-8") for path in contents} == contents
    (tmp_path / "api/drucksachen/14-1.json").write_text("alt", "utf-8")
    (tmp_path / "oparl/system.json").write_text("alt", "utf-8")
    changed = {**contents, "oparl/system.json": '["neu"]'}
    previous = SiteRecord(str(tmp_path), "marke", keys)
    assert write_outputs(tmp_path, changed, {**keys, "oparl/system.json": content_key('["neu"]')}, previous) == 1
    assert (tmp_path / "api/drucksachen/14-1.json").read_text("utf-8") == "alt"  # same key: left as it is
    assert (tmp_path / "oparl/system.json").read_text("utf-8") == '["neu"]'
