"""ratsdok.parallel: work spread over forked processes comes back complete and in order."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from build_support import SITE_CORPUS, files_of, run_mkdocs_build
from ratsdok.parallel import (
    DETACHED_NICENESS,
    PROCESSES_VARIABLE,
    in_forked_process,
    in_second_process,
    run_detached,
    run_in_processes,
    when_asked,
    worker_count,
)
from ratsdok.render import render_bodies, render_body


def squares_with_pid(numbers: Sequence[int], offset: int) -> list[tuple[int, int]]:
    return [(number * number + offset, os.getpid()) for number in numbers]


def test_two_processes_give_every_result_in_order() -> None:
    results = run_in_processes(squares_with_pid, list(range(2001)), 1, workers=2)
    assert [value for value, _ in results] == [n * n + 1 for n in range(2001)]
    assert len({pid for _, pid in results}) == 2 and results[0][1] == os.getpid()


def fail_in_other_process(numbers: Sequence[int], parent: int) -> list[int]:
    if os.getpid() != parent:
        raise ValueError(f"Fehler bei {numbers[0]}")
    return list(numbers)


def test_an_error_in_another_process_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="Fehler bei 1001"):
        run_in_processes(fail_in_other_process, list(range(2002)), os.getpid(), workers=2)


def test_one_process_while_other_threads_run() -> None:
    # Forking while another thread runs (as under mkdocs serve) is unsafe: everything stays in this process.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = run_in_processes(squares_with_pid, list(range(3000)), 0, workers=2)
    finally:
        stop.set()
        thread.join()
    assert {pid for _, pid in results} == {os.getpid()}


def test_small_work_stays_in_this_process() -> None:
    assert {pid for _, pid in run_in_processes(squares_with_pid, list(range(50)), 0)} == {os.getpid()}


def test_work_started_in_a_second_process_returns_its_result_later() -> None:
    pending = in_second_process(lambda: {"pid": os.getpid(), "daten": "x" * 3_000_000}, 5000)  # more than a pipe holds
    result = pending.result()
    assert result["pid"] != os.getpid() and result["daten"] == "x" * 3_000_000


def test_forked_work_is_ready_once_it_has_handed_over_its_result(tmp_path: Path) -> None:
    go_on = tmp_path / "weiter"

    def waiting() -> str:
        while not go_on.exists():
            time.sleep(0.01)
        return "fertig"

    pending = in_forked_process(waiting)
    time.sleep(0.2)
    assert not pending.ready()
    go_on.touch()
    deadline = time.monotonic() + 20
    while not pending.ready() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pending.ready() and pending.result() == "fertig"
    assert not when_asked(lambda: 1).ready()  # work in this process runs only when asked


def test_an_error_in_the_second_process_reaches_the_caller() -> None:
    def failing() -> None:
        raise ValueError("Exportdatei kollidiert")

    pending = in_second_process(failing, 5000)
    with pytest.raises(ValueError, match="Exportdatei kollidiert"):
        pending.result()


def test_little_work_or_other_threads_keep_the_work_in_this_process() -> None:
    assert in_second_process(os.getpid, 10).result() == os.getpid()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert in_second_process(os.getpid, 5000).result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_work_when_asked_runs_in_this_process_only_then() -> None:
    ran: list[int] = []
    pending = when_asked(lambda: ran.append(os.getpid()) or len(ran))
    assert ran == []
    assert pending.result() == 1 and ran == [os.getpid()]


def test_a_process_that_ends_without_a_result_is_reported_with_its_exit_code() -> None:
    with pytest.raises(RuntimeError, match="Exit-Code 3"):
        in_forked_process(lambda: os._exit(3)).result()


def test_detached_work_runs_at_the_lowest_priority(tmp_path: Path) -> None:
    """Nobody waits for detached work (a cache written after the build): it takes only what the build leaves."""
    told = tmp_path / "prioritaet"

    def tell_niceness() -> None:
        (tmp_path / "entwurf").write_text(str(os.getpriority(os.PRIO_PROCESS, 0)))
        (tmp_path / "entwurf").replace(told)

    assert run_detached(tell_niceness)
    deadline = time.monotonic() + 10
    while not told.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert int(told.read_text()) == min(os.getpriority(os.PRIO_PROCESS, 0) + DETACHED_NICENESS, 19)


def test_stopped_work_is_ended_not_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "marker"

    def slow() -> int:
        time.sleep(20)
        marker.write_text("zu spät")
        return os.getpid()

    pending = in_forked_process(slow)
    started = time.monotonic()
    pending.stop()
    assert time.monotonic() - started < 5
    time.sleep(0.2)
    assert not marker.exists()


def test_bodies_rendered_in_processes_equal_those_rendered_one_by_one() -> None:
    texts = [f"## Anfrage {n}\n\n1. Frage {n}?\n\n## Antwort\n\n### 1. Frage {n}?\n\nText mit Drucksache 14/{n}.\n" for n in range(2500)]
    assert render_bodies(texts) == [render_body(text) for text in texts]


def test_the_process_count_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROCESSES_VARIABLE, "2")
    assert worker_count(3) == 2
    monkeypatch.setenv(PROCESSES_VARIABLE, "1")
    assert worker_count(100_000) == 1
    monkeypatch.delenv(PROCESSES_VARIABLE)
    assert worker_count(10) == 1  # too little work to start a process


@pytest.mark.build
def test_a_build_shared_by_two_processes_writes_what_one_process_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading, rendering the texts and rendering the pages (hooks/page_workers.py) in two processes, forced on the
    small fixture corpus, gives the files of a build in one process."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    sites = {}
    for processes in ("1", "2"):
        monkeypatch.setenv(PROCESSES_VARIABLE, processes)
        result = run_mkdocs_build(tmp_path / processes, corpus=SITE_CORPUS)
        assert result.returncode == 0, result.log[-3000:]
        sites[processes] = files_of(result.site)
        delegated = re.search(r"(\d+) Seite\(n\) in einem zweiten Prozess erzeugt", result.log)
        assert (delegated is not None) == (processes == "2")
        assert "Page skipped" not in result.log  # MkDocs' note on the pages it leaves to the second process
    assert delegated is not None and int(delegated[1]) > 5
    differing = sorted(name for name in sites["1"].keys() | sites["2"].keys() if sites["1"].get(name) != sites["2"].get(name))
    assert not differing, differing
