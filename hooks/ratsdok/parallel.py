"""Spread work over the machine's cores with forked processes, where that is safe and worth it."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per process, starting one costs more than it saves.
ITEMS_PER_EXTRA_WORKER = 1000
# Overrides the number of processes (tests use it to run the parallel paths on a small corpus).
PROCESSES_VARIABLE = "RATSDOK_PROZESSE"
DETACHED_NICENESS = 19  # added to the niceness of detached work (run_detached): the lowest priority there is


def run_in_processes(
    batch: Callable[..., list[Result]], items: Sequence[Item], *arguments: Any, workers: int | None = None
) -> list[Result]:
    """``batch(part, *arguments)`` for consecutive parts of ``items``, one per process; the results in order.

    Forking is cheap and needs no re-import of the main module, but is unsafe while other threads run
    (mkdocs serve): then, and where there is no fork, this process does it all.
    """
    if workers is None:
        workers = worker_count(len(items))
    if workers <= 1 or len(items) < 2 or not can_fork():
        return batch(items, *arguments)
    size = -(-len(items) // workers)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    # The forked processes inherit the parts and arguments; only their results are pickled.
    others = [in_forked_process(partial(batch, part, *arguments)) for part in parts[1:]]
    try:
        first = batch(parts[0], *arguments)  # this process takes a share too
        return first + [result for other in others for result in other.result()]
    finally:
        for other in others:
            other.stop()  # only where this process failed before taking the other's result


def worker_count(items: int) -> int:
    """How many processes should share ``items`` items of work."""
    configured = os.environ.get(PROCESSES_VARIABLE, "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(usable_cores(), 1 + items // ITEMS_PER_EXTRA_WORKER)


def can_fork() -> bool:
    """Forking copies only the thread that forks: unsafe while others run (mkdocs serve), and not everywhere possible."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


def run_detached(work: Callable[[], Any]) -> bool:
    """``work()`` in a forked grandchild that outlives this process (reaped by the system, not by us), with its
    standard streams on /dev/null so that nobody waits for its output, at the lowest priority: nobody waits for it
    either, while the build goes on (writing the caches of 10,000 loaded files and rendered texts took about 2 s of
    processor time in each rebuild, beside Pagefind); False when forking is not possible."""
    if not can_fork():
        return False
    try:
        child = os.fork()
    except OSError:
        return False
    if child:
        os.waitpid(child, 0)  # the child exits as soon as it has forked the grandchild
        return True
    try:
        if os.fork() == 0:
            os.setsid()
            with contextlib.suppress(OSError):
                os.nice(DETACHED_NICENESS)
            null = os.open(os.devnull, os.O_RDWR)
            for stream in (0, 1, 2):
                os.dup2(null, stream)
            work()
    finally:
        os._exit(0)  # neither copy may run the caller's code or its exit handlers


class Pending(Generic[Result]):
    """``work()``, computed in a forked process while this one goes on, or in this one when its result is asked
    for (see ``in_second_process``)."""

    def __init__(self, work: Callable[[], Result], forked: bool) -> None:
        self._work = work
        self._process: Any = None
        if forked:
            context = multiprocessing.get_context("fork")
            self._receiving, sending = context.Pipe(duplex=False)
            self._process = context.Process(target=_send_result, args=(work, sending), daemon=True)
            self._process.start()
            sending.close()

    def result(self) -> Result:
        """The result (work in this process runs now); the work's error is raised here."""
        if self._process is None:
            return self._work()
        try:
            status, value = self._receiving.recv()
        except EOFError:
            self._close()  # joined first: then its exit code is known
            raise RuntimeError(f"Der zweite Prozess endete ohne Ergebnis (Exit-Code {self._process.exitcode})") from None
        self._close()
        if status == "error":
            raise value
        result: Result = value
        return result

    def ready(self) -> bool:
        """Whether ``result`` would not wait: the forked process has handed its result over, or begun to."""
        return self._process is not None and (self._receiving.closed or self._receiving.poll())

    def stop(self) -> None:
        """Abandon the work (the build failed): the forked process is ended, not waited for."""
        if self._process is not None and not self._receiving.closed:
            self._process.terminate()
            self._close()

    def _close(self) -> None:
        self._process.join()
        self._receiving.close()


def in_second_process(work: Callable[[], Result], items: int) -> Pending[Result]:
    """Start ``work()`` in a forked process when there is enough work for a second core (``items`` as for
    ``worker_count``) and forking is safe; otherwise it runs when its result is asked for."""
    return Pending(work, forked=_worth_forking(items))


def in_forked_process(work: Callable[[], Result]) -> Pending[Result]:
    """Start ``work()`` in a forked process (the caller has made sure that forking is safe, see ``can_fork``)."""
    return Pending(work, forked=True)


def when_asked(work: Callable[[], Result]) -> Pending[Result]:
    """``work()`` in this process, when its result is asked for."""
    return Pending(work, forked=False)


def _worth_forking(items: int) -> bool:
    return worker_count(items) > 1 and can_fork()


def _send_result(work: Callable[[], Any], sending: Any) -> None:
    try:
        outcome: tuple[str, Any] = ("result", work())
    except BaseException as error:  # handed to the parent, which raises it
        outcome = ("error", error)
    sending.send(outcome)
    sending.close()
