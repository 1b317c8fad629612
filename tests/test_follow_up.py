"""The follow-up of a build under mkdocs serve (ratsdok.follow_up): its work runs in a thread, its error is reported."""

from __future__ import annotations

import threading

from ratsdok.follow_up import FollowUp


def test_waiting_returns_once_the_work_is_done() -> None:
    release = threading.Event()
    done: list[str] = []

    def work() -> None:
        release.wait(timeout=10)
        done.append("fertig")

    follow_up = FollowUp(work, report=lambda error: done.append(f"Fehler: {error}"))
    assert done == []  # the caller goes on while the work waits
    release.set()
    follow_up.wait()
    assert done == ["fertig"]


def test_an_error_of_the_work_is_reported_not_lost() -> None:
    reported: list[Exception] = []

    def work() -> None:
        raise OSError("Datenträger voll")

    follow_up = FollowUp(work, report=reported.append)
    follow_up.wait()
    assert [str(error) for error in reported] == ["Datenträger voll"]
