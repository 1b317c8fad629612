"""MkDocs' ``--dirty`` mode (``make serve``) driven by the record of the last build instead of file dates.

By itself ``--dirty`` skips a page or file whose source is older than its output, which is wrong for generated
pages (their source is the whole archive). Here each file's ``is_modified()`` answers from ``ratsdok.site_record``:
a generated page or data file is skipped when its key is the one the last build recorded; every other
documentation page is rendered again (the start page shows the newest documents).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from mkdocs.structure.files import File, Files
from ratsdok.site_record import SiteRecord

# MkDocs' warnings that --dirty leaves pages and files stale: here every generated output is checked, and what a
# build no longer has is deleted.
_STALE_WARNINGS = ("A 'dirty' build is being performed", "The directory contains stale files")


def quiet_stale_warnings() -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(_without_stale_warnings)


def mark_outputs(
    files: Files, record: SiteRecord, output_keys: Mapping[str, str], page_keys: Mapping[str, str], links_of: Callable[[str], Any]
) -> dict[str, tuple[File, Any]]:
    """Tell MkDocs what to read, render and write. ``output_keys``: this build's key of each generated output, by
    its path in the site; ``page_keys``: the page cache's key of each generated page, by ``src_uri``; ``links_of``:
    the links read from the page with that key, or None. Returns the generated pages left as they are, by
    ``src_uri``, with their links (a page whose links are not known is rendered, for the link check)."""
    unchanged: dict[str, tuple[File, Any]] = {}
    for file in files:
        path = file.dest_uri
        page_key = page_keys.get(file.src_uri)
        if page_key is not None:
            links = links_of(page_key) if record.unchanged(path, output_keys[path]) else None
            if links is not None:
                unchanged[file.src_uri] = (file, links)
            _set_modified(file, links is None)
        elif file.is_documentation_page():
            _set_modified(file, True)
        elif path in output_keys and record.unchanged(path, output_keys[path]):
            _set_modified(file, False)
    return unchanged


def _set_modified(file: File, modified: bool) -> None:
    file.is_modified = (lambda: modified)  # type: ignore[method-assign]


def _without_stale_warnings(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(_STALE_WARNINGS)
