"""ratsdok.parallel: work spread over forked processes comes back complete and in order."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

from ratsdok.parallel import run_in_processes
from ratsdok.render import render_bodies, render_body


def squares_with_pid(numbers: Sequence[int], offset: int) -> list[tuple[int, int]]:
    return [(number * number + offset, os.getpid()) for number in numbers]


def test_two_processes_give_every_result_in_order() -> None:
    results = run_in_processes(squares_with_pid, list(range(2001)), 1, workers=2)
    assert [value for value, _ in results] == [n * n + 1 for n in range(2001)]
    assert len({pid for _, pid in results}) == 2 and results[0][1] == os.getpid()


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


def test_bodies_rendered_in_processes_equal_those_rendered_one_by_one() -> None:
    texts = [f"## Anfrage {n}\n\n1. Frage {n}?\n\n## Antwort\n\n### 1. Frage {n}?\n\nText mit Drucksache 14/{n}.\n" for n in range(2500)]
    assert render_bodies(texts) == [render_body(text) for text in texts]
