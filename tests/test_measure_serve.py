"""scripts/measure_serve.py times real saves under mkdocs serve (a small generated corpus here) and polls pages patiently."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from generate_corpus import generate_corpus
from measure_serve import measure, page_text


def test_a_file_cut_short_while_it_is_rewritten_counts_as_not_there_yet() -> None:
    """The server announces the file's old length and sends fewer bytes: the poller asks again instead of failing."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def answer_short() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 171\r\n\r\n{\"page_count\"")

        answering = threading.Thread(target=answer_short)
        answering.start()
        assert page_text(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json") == ""
        answering.join()


@pytest.mark.build
def test_each_save_is_timed_until_its_page_shows(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "corpus", 12, 2048)
    rows = measure(tmp_path / "corpus", tmp_path / "cache", edits=2, pause=0.5)
    assert [what for what, _, _ in rows] == ["first build", "save 1", "save 2"]
    assert all(seconds > 0 and megabytes > 0 for _, seconds, megabytes in rows)
    document = sorted(path for path in (tmp_path / "corpus").rglob("*.md") if "register" not in path.parts)[0]
    assert document.read_text("utf-8").count("Bearbeitungsprobe") == 2
