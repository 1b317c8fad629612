"""How ``make serve`` notices a saved Drucksache (hooks/corpus_watch.py): by the system's change notifications,
not by MkDocs' polling of every file; a change asks for a rebuild, reading files (every build does) does not."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_watch import POLLING_VARIABLE, stop_watching, watch_corpus
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveReloadServer]:
    served = tmp_path / "site"
    served.mkdir()
    live = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(served))
    yield live
    live.server_close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "drucksachen" / "15"
    folder.mkdir(parents=True)
    (folder / "15-1.md").write_text("---\nnummer: 15/1\n---\nText\n", encoding="utf-8")
    return folder.parent


def rebuild_wanted(server: LiveReloadServer, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with server._rebuild_cond:
            if server._want_rebuild:
                return True
        time.sleep(0.05)
    return False


def watching(server: LiveReloadServer, corpus: Path) -> Iterator[BaseObserver | None]:
    observer = watch_corpus(server, corpus)
    try:
        yield observer
    finally:
        stop_watching(observer)


def test_the_drucksachen_are_watched_by_notifications_and_mkdocs_keeps_polling_only_its_own_files(server: LiveReloadServer, corpus: Path) -> None:
    polling = server.observer
    for observer in watching(server, corpus):
        assert observer is not None and not isinstance(observer, PollingObserver)
        assert server.observer is polling  # MkDocs starts and stops its own observer
        assert not polling.emitters  # nothing below the Drucksachen is polled
        assert {emitter.watch.path for emitter in observer.emitters} == {str(corpus)}


def test_a_saved_or_added_drucksache_asks_for_a_rebuild(server: LiveReloadServer, corpus: Path) -> None:
    for _ in watching(server, corpus):
        with (corpus / "15" / "15-1.md").open("a", encoding="utf-8") as file:
            file.write("Nachtrag\n")
        assert rebuild_wanted(server, within=5)
        time.sleep(0.5)  # the write's last events (closed after writing) arrive
        with server._rebuild_cond:
            server._want_rebuild = False
        (corpus / "15" / "15-2.md").write_text("---\nnummer: 15/2\n---\n", encoding="utf-8")
        assert rebuild_wanted(server, within=5)


def test_reading_the_drucksachen_asks_for_no_rebuild(server: LiveReloadServer, corpus: Path) -> None:
    # Each build reads every file: were reading a change, each build would start the next one.
    for _ in watching(server, corpus):
        time.sleep(0.2)
        for file in corpus.rglob("*.md"):
            file.read_bytes()
        assert not rebuild_wanted(server, within=1)


def test_polling_can_be_asked_for(server: LiveReloadServer, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POLLING_VARIABLE, "1")
    for observer in watching(server, corpus):
        assert observer is None
        assert [emitter.watch.path for emitter in server.observer.emitters] == [str(corpus)]
