"""How ``make serve`` notices that a Drucksache was saved.

MkDocs' server polls every watched file twice a second. For an archive of 10,000 Drucksachen that alone takes a
third of a core while the editor reads, and during each rebuild its thread competes with the build. The folder
of the Drucksachen is therefore watched with the system's change notifications (inotify, FSEvents, Windows'
directory notifications) and only MkDocs' own few files are polled. Where the system offers none, or they cannot
be set up, or the editor asks for polling (``POLLING_VARIABLE``, e.g. for a network drive that reports no
changes), the folder is polled as before.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.ratsdok")

POLLING_VARIABLE = "RATSDOK_AENDERUNGEN_ABFRAGEN"
# What changes a file. Notifications also report reading (opened, closed without writing): each build reads every
# Drucksache, and MkDocs rebuilds on any event.
CHANGES: list[type[FileSystemEvent]] = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, DirMovedEvent, FileClosedEvent]


def watch_corpus(server: LiveReloadServer, folder: Path) -> BaseObserver | None:
    """Rebuild on every change below ``folder``; the observer to stop at the end, when one was started here."""
    if os.environ.get(POLLING_VARIABLE, "") not in ("", "0"):
        server.watch(str(folder))
        return None
    native = Observer()
    if isinstance(native, PollingObserver):  # no notifications on this system
        server.watch(str(folder))
        return None
    # Set up (and fail) before MkDocs knows the folder: it cannot forget a watch whose setup failed.
    placeholder = FileSystemEventHandler()
    try:
        watch = native.schedule(placeholder, str(folder), recursive=True, event_filter=CHANGES)
        native.start()
    except OSError as error:  # e.g. the system's limit of watches reached
        log.warning("Änderungen an %s werden abgefragt statt gemeldet (%s).", folder, error.strerror or error)
        server.watch(str(folder))
        return None
    # MkDocs' own handler (it asks the server for a rebuild), on the same watch of the native observer.
    polling, server.observer = server.observer, _ChangesOnly(native)  # type: ignore[assignment]
    try:
        server.watch(str(folder))
    finally:
        server.observer = polling
    native.remove_handler_for_watch(placeholder, watch)
    return native


class _ChangesOnly:
    """What ``LiveReloadServer.watch`` uses of an observer, scheduling on ``observer`` for ``CHANGES`` only."""

    def __init__(self, observer: BaseObserver) -> None:
        self.observer = observer

    def schedule(self, handler: FileSystemEventHandler, path: str, **options: Any) -> ObservedWatch:
        return self.observer.schedule(handler, path, **options, event_filter=CHANGES)


def stop_watching(observer: BaseObserver | None) -> None:
    if observer is not None:
        observer.stop()
        observer.join(timeout=5)
