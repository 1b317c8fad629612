"""What a ``--dirty`` build wrote into its site folder, so that the next one (``make serve``) leaves the rest alone.

MkDocs' ``--dirty`` mode skips a page or file when ``File.is_modified()`` says it is unchanged; by itself it compares
file dates, which is wrong for generated pages (an answer's page changes when the title of its inquiry does). The
record keeps, for each generated output, the key of what it was made from (a page's cache key with the build
fingerprint, a data file's content digest). An output is left alone when its key is the same and the site folder
still holds what the recorded build wrote: a random marker in the folder, removed before any build writes and
written after a successful ``--dirty`` build, has to match the record. Outputs of the recorded build that this
build does not have are deleted (a removed Drucksache, its exports).
"""

from __future__ import annotations

import hashlib
import pickle
import secrets
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from .build_cache import write_atomically

RECORD_FILE = "ausgabe.pickle"
MARKER_FILE = ".ratsdok-ausgabe"  # hidden, as MkDocs keeps such entries; clean builds (deployments) write none
_FORMAT = 1


@dataclass(frozen=True)
class SiteRecord:
    site_dir: str
    marker: str
    keys: Mapping[str, str] = field(default_factory=dict)  # by the output's path in the site folder
    files: frozenset[str] = frozenset()  # every file the build wrote, by its path in the site folder

    def unchanged(self, path: str, key: str) -> bool:
        return self.keys.get(path) == key


NO_RECORD = SiteRecord(site_dir="", marker="")


def content_key(content: str | bytes) -> str:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def forget(site_dir: Path) -> None:
    """Before a build writes: until it has finished, the folder no longer matches any record."""
    with suppress(OSError):
        (site_dir / MARKER_FILE).unlink()


def previous_build(cache_root: Path, site_dir: Path) -> SiteRecord:
    """The record of the last ``--dirty`` build if ``site_dir`` still holds its output, else an empty one."""
    try:
        with (cache_root / RECORD_FILE).open("rb") as stored:
            version, record = pickle.load(stored)
        marker = (site_dir / MARKER_FILE).read_text("ascii")
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, UnicodeDecodeError):
        return NO_RECORD
    if version != _FORMAT or not isinstance(record, SiteRecord):
        return NO_RECORD
    if record.site_dir != str(site_dir.resolve()) or not record.marker or record.marker != marker:
        return NO_RECORD
    return record


def remember(cache_root: Path, site_dir: Path, keys: Mapping[str, str], files: Iterable[str]) -> None:
    """After a successful ``--dirty`` build: the record first, then the marker that makes it valid."""
    record = SiteRecord(str(site_dir.resolve()), secrets.token_hex(16), dict(keys), frozenset(files))
    write_atomically(cache_root / RECORD_FILE, pickle.dumps((_FORMAT, record), protocol=pickle.HIGHEST_PROTOCOL))
    if (cache_root / RECORD_FILE).is_file():
        write_atomically(site_dir / MARKER_FILE, record.marker.encode("ascii"))


def remove_stale(site_dir: Path, previous: SiteRecord, current: Iterable[str]) -> int:
    """Delete what the recorded build wrote and this one does not (with folders left empty); how many files."""
    stale = previous.files - set(current)
    remove_outputs(site_dir, stale)
    return len(stale)


def remove_outputs(site_dir: Path, paths: Iterable[str]) -> None:
    """Delete these files of the site folder (by their paths in it), and the folders they leave empty."""
    for path in sorted(paths):
        file = site_dir / path
        with suppress(OSError):
            file.unlink()
            parent = file.parent
            while parent != site_dir:
                parent.rmdir()  # fails, and ends the loop, where the folder still holds something
                parent = parent.parent


def write_outputs(site_dir: Path, contents: Mapping[str, str], keys: Mapping[str, str], previous: SiteRecord) -> int:
    """Write each file of ``contents`` (by its path in the site folder) as MkDocs writes a generated file, except
    where ``previous`` shows the folder holds it already (same key in ``keys``); how many files were written."""
    folders: set[Path] = set()
    written = 0
    for path, content in contents.items():
        if previous.unchanged(path, keys.get(path, "")):
            continue
        file = site_dir / path
        if file.parent not in folders:
            file.parent.mkdir(parents=True, exist_ok=True)
            folders.add(file.parent)
        file.write_text(content, "utf-8")
        written += 1
    return written
