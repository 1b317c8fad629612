"""The data files' process (exports, OParl; hooks/site_hooks.py) starts with the catalog, before MkDocs empties the
site folder, and writes only once the build has opened the folder to it (in on_files)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import site_hooks
from build_support import SITE_CORPUS
from conftest import REPO
from mkdocs.config import load_config
from ratsdok.parallel import PROCESSES_VARIABLE


def test_the_data_files_are_made_from_the_start_but_written_only_once_the_site_folder_is_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRUCKSACHEN_DIR", str(SITE_CORPUS))
    monkeypatch.setenv("RATSDOK_CACHE_DIR", "")
    monkeypatch.setenv(PROCESSES_VARIABLE, "2")  # the small corpus in a second process, as a large one
    site = tmp_path / "site"
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(site))
    site_hooks.on_startup("build", dirty=False)
    try:
        site_hooks.on_config(config)
        making = site_hooks._state.data_files
        assert making is not None
        time.sleep(3)  # making them takes a fraction of that on this corpus
        assert not making.ready(), "the data files were handed over before the site folder was opened"
        assert not site.exists() or not any(site.iterdir())
        site_hooks._state.site_ready.open()
        keys = making.result()
    finally:
        if site_hooks._state.data_files is not None:
            site_hooks._state.data_files.stop()
    written = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    assert written == set(keys) and "api/drucksachen.csv" in written
    assert any(path.startswith("oparl/paper/") for path in written)
