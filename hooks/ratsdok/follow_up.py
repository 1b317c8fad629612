"""Work that follows a build in a thread, so that what waits for the build need not wait for it too.

Under ``mkdocs serve`` an editor waits for the page of a saved Drucksache: the build hands the rest of its work
(the data files, the record of the site folder, the page cache's upkeep, the link check) to a follow-up, and the
preview shows the page meanwhile. The next build asks the follow-up to hurry (to leave out what may be left out)
and waits for it before it begins.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator


class FollowUp:
    """``work(hurry)`` in a thread; ``hurry`` is set once someone waits for it (see ``finish``). An exception the
    work raises is handed to ``report`` (the thread has no caller to raise it to)."""

    def __init__(self, work: Callable[[threading.Event], None], report: Callable[[Exception], None]) -> None:
        self._work = work
        self._report = report
        self._hurry = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nachlauf", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._work(self._hurry)
        except Exception as error:  # handed on: a thread's exception would only be printed
            self._report(error)

    def finish(self) -> None:
        """Ask the work to hurry, and wait until it is done."""
        self._hurry.set()
        self._thread.join()


class NoFollowUp:
    """Nothing follows (no build yet, or a build that finished its work itself)."""

    def finish(self) -> None:
        pass


NOTHING_FOLLOWS = NoFollowUp()


@contextlib.contextmanager
def collected_then_paused() -> Iterator[None]:
    """One full collection now, then the cyclic garbage collector off until the block ends (it is on after it).

    The follow-up frees the last build this way: MkDocs' navigation holds cycles. Left on, the collector set off by
    the data files' allocations scanned the whole archive again and again: at 10,000 Drucksachen 2 s of each save's
    follow-up, against 1–2 s for the one collection; the next save's build waited for the difference."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
