"""The follow-up of a build under mkdocs serve (ratsdok.follow_up): its work runs in a thread, is asked to hurry
when waited for, and its error is reported."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from ratsdok.follow_up import FollowUp, collected_then_paused


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


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_follow_up_frees_the_last_build_at_once_then_works_without_the_collector() -> None:
    gc.disable()  # as a --dirty build under mkdocs serve leaves it
    try:
        freed: list[str] = []
        first, second = _Node(), _Node()
        first.other, second.other = second, first  # a cycle, as MkDocs' navigation has them
        weakref.finalize(first, freed.append, "frei")
        del first, second
        assert freed == []  # only the collector frees a cycle
        with collected_then_paused():
            assert freed == ["frei"]
            assert not gc.isenabled()  # the work's allocations set off no collection
        assert gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_on_again_after_work_that_failed() -> None:
    with pytest.raises(OSError), collected_then_paused():
        raise OSError("Datenträger voll")
    assert gc.isenabled()
