"""Shared fixtures: a temporary corpus with a copy of the real registers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import MixedSite, build_mixed_site
from ratsdok.load import Corpus, load_corpus

REPO = Path(__file__).resolve().parent.parent


class TempCorpus:
    """``<tmp>/drucksachen`` with ``register/`` copied from the repository; the working directory is ``<tmp>``,
    so problems name files as editors see them: ``drucksachen/14/14-2048-1.md``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, content: str | bytes) -> Path:
        """Write a file below the corpus root (str as UTF-8, bytes as they are)."""
        file = self.root / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return file

    def load(self) -> Corpus:
        return load_corpus(self.root)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TempCorpus:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "drucksachen"
    shutil.copytree(REPO / "drucksachen" / "register", root / "register")
    return TempCorpus(root)


@pytest.fixture(scope="session")
def mixed_site(tmp_path_factory: pytest.TempPathFactory) -> MixedSite:
    """The mixed corpus (tests/browser_support.py) built once for the search, accessibility and HTML tests."""
    return build_mixed_site(tmp_path_factory.mktemp("mixed"))
