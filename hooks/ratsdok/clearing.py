"""Empty the site folder at once and delete its old contents meanwhile in another process.

Before a build MkDocs deletes everything in the site folder; for an archive of 10,000 Drucksachen that is 57,000
files and seconds of waiting for the disk. Moving the entries to a sibling folder takes a moment, and a separate
process deletes them while the build runs. Entries whose name starts with a dot stay, as MkDocs keeps them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

_DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def clear_in_background(
    folder: Path, beside: Path | None = None, keep: frozenset[str] = frozenset()
) -> subprocess.Popen[bytes] | None:
    """Move the entries of ``folder`` aside (into a hidden folder in ``beside``, by default the parent) and start
    deleting them; None when there was nothing to move or they cannot be moved (then MkDocs deletes them itself,
    as always). Entries named in ``keep`` stay."""
    try:
        entries = [entry for entry in os.listdir(folder) if not entry.startswith(".") and entry not in keep]
    except OSError:
        return None
    if not entries:
        return None
    aside = (beside or folder.parent) / f".{folder.name}.alt-{os.getpid()}"
    try:
        aside.mkdir()
    except OSError:
        return None
    for entry in entries:
        with suppress(OSError):  # what cannot be moved stays, and MkDocs deletes it
            os.rename(folder / entry, aside / entry)
    if not any(aside.iterdir()):
        aside.rmdir()
        return None
    return subprocess.Popen([sys.executable, "-c", _DELETE, str(aside)], stdin=subprocess.DEVNULL)
