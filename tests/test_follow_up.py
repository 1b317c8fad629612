"""The follow-up of a build under mkdocs serve (ratsdok.follow_up): its work runs in a thread, is asked to hurry
when waited for, and its error is reported."""

from __future__ import annotations

import threading

from ratsdok.follow_up import FollowUp


def test_the_caller_goes_on_and_finishing_asks_the_work_to_hurry_and_waits_for_it() -> None:
    started = threading.Event()
    done: list[str] = []

    def work(hurry: threading.Event) -> None:
        started.set()
        done.append("eilig" if hurry.wait(timeout=30) else "ohne Eile")

    follow_up = FollowUp(work, report=lambda error: done.append(f"Fehler: {error}"))
    assert started.wait(timeout=10) and done == []  # the work runs beside the caller, not yet asked to hurry
    follow_up.finish()
    assert done == ["eilig"]


def test_an_error_of_the_work_is_reported_not_lost() -> None:
    reported: list[Exception] = []

    def work(hurry: threading.Event) -> None:
        raise OSError("Datenträger voll")

    FollowUp(work, report=reported.append).finish()
    assert [str(error) for error in reported] == ["Datenträger voll"]
