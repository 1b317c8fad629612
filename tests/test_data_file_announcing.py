"""The data files (exports, OParl) are announced to MkDocs as ``File.generated`` would make them, only faster
(hooks/site_hooks.py, ``DataFile.beside``)."""

from __future__ import annotations

from conftest import REPO
from mkdocs.config import load_config
from site_hooks import PUBLISHED, DataFile


def test_a_data_file_made_beside_another_is_the_file_mkdocs_would_make() -> None:
    config = load_config(str(REPO / "mkdocs.yml"), site_dir="/tmp/ausgabe", use_directory_urls=True)
    config.plugins._current_plugin = "hooks"  # as while MkDocs runs a hook
    first = DataFile.generated(config, "api/drucksachen.json", content="", inclusion=PUBLISHED)
    for path in ("oparl/paper/15-1066-1.json", "api/drucksachen/15-1066-1.json", "api/drucksachen.csv"):
        made = DataFile.generated(config, path, content="", inclusion=PUBLISHED)
        beside = first.beside(path)
        for shown in ("src_uri", "dest_uri", "url", "abs_dest_path", "abs_src_path", "name", "content_string", "edit_uri"):
            assert getattr(beside, shown) == getattr(made, shown), shown
        assert vars(beside) == vars(made)
        assert not beside.is_documentation_page() and beside.generated_by == "hooks"
