"""Let Pagefind reuse the files of its last index instead of writing them again.

Pagefind (1.5.2) names its page fragments (``fragment/``), word-index chunks (``index/``), filter files
(``filter/``) and meta file (``pagefind.<hash>.pf_meta``) by a hash of their content, and does not write such a
file when it exists already. When one Drucksache changed, nearly all of them are the same as last time; writing
(and compressing) them again took a quarter of Pagefind's time at 10,000 documents. So:

- before Pagefind runs, its files of the last run are put back into the folder: the fragments stay in the site
  folder of a --dirty build, and a copy of everything Pagefind wrote (hard links, before the build shortens and
  renames some of them) waits in the cache (``stash``);
- after it ran, the files its new index does not use are deleted (its meta file lists them), and every file put
  back that the new index uses is checked against its name: the name is only the first hex digits of a SHA-1,
  so it could name other content (or a write cut off). A file that fails is deleted and Pagefind writes it again.

The result equals an index written into an empty folder.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .build_cache import pickled_entries, read_entries, write_atomically
from .pagefind_order import ENTRY_FILE, SIGNATURE, PagefindFormatError, meta_part, read_pagefind_file

FRAGMENT_DIR = "fragment"
# Folder and suffix of each kind of hashed file; the meta files lie in the bundle itself.
_KINDS = {FRAGMENT_DIR: ".pf_fragment", "index": ".pf_index", "filter": ".pf_filter"}
_META_PREFIX, _META_SUFFIX = "pagefind.", ".pf_meta"
CHECKED_FILE = "geprueft.pickle"  # beside the files of a part in the cache: those found right (see mismatched)
_CHECKED_CODE = b"checked 1"  # raise when what identifies a file changes


def hashed_files(bundle: Path) -> frozenset[str]:
    """Pagefind's content-named files in ``bundle`` (paths relative to it)."""
    found: set[str] = set()
    for folder, suffix in _KINDS.items():
        with contextlib.suppress(OSError):
            found.update(f"{folder}/{name}" for name in os.listdir(bundle / folder) if name.endswith(suffix))
    with contextlib.suppress(OSError):
        found.update(name for name in os.listdir(bundle) if name.startswith(_META_PREFIX) and name.endswith(_META_SUFFIX))
    return frozenset(found)


def restore(stash: Path | None, bundle: Path) -> None:
    """Put the files of ``stash`` that ``bundle`` lacks into it (as hard links; what cannot be linked Pagefind
    writes anew)."""
    if stash is None:
        return
    present = hashed_files(bundle)
    for relative in hashed_files(stash) - present:
        target = bundle / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(stash / relative, target)
        except OSError:
            continue


def mismatched(bundle: Path, put_back: frozenset[str], go_on: Callable[[], None] = lambda: None, checked_in: Path | None = None) -> frozenset[str]:
    """Those files of ``put_back`` whose content is not what their name says. Read while Pagefind runs, which never
    writes a file that exists (after it, checking a part's thousands of files took half a second of a rebuild).
    ``go_on`` is called before each file is read (to stop there, it raises). ``checked_in`` keeps the files found
    right: one that is still the same file (device, inode, size, time of its last change) is not read again (reading
    a part's 3,300 fragments took 1.6–2 s of processor time in each rebuild at 10,000 Drucksachen)."""
    known = read_entries(checked_in, _CHECKED_CODE) if checked_in is not None else {}
    wrong, right = set(), {}
    for relative in sorted(put_back):
        go_on()
        file = bundle / relative
        try:
            found = file.stat()
        except OSError:
            wrong.add(relative)
            continue
        # Not load_cache.file_signature: its change time moves with every hard link made or removed (the cache's
        # copies are linked in and out each run), which would have every such file read again.
        identity = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)
        if known.get(relative) == identity or _content_matches(file):
            right[relative] = identity
        else:
            wrong.add(relative)
    if checked_in is not None and right != known:
        write_atomically(checked_in, pickled_entries(_CHECKED_CODE, right))
    return frozenset(wrong)


def settle(bundle: Path, wrong: frozenset[str]) -> list[str]:
    """Delete Pagefind's files its new index does not use, and those of ``wrong`` (see ``mismatched``) it uses; the
    paths of the latter (Pagefind has to write them again)."""
    used = used_files(bundle)
    for relative in hashed_files(bundle) - used:
        (bundle / relative).unlink()
    rewrite = sorted(wrong & used)
    for relative in rewrite:
        (bundle / relative).unlink()
    return rewrite


def keep_in_stash(bundle: Path, stash: Path | None) -> None:
    """Make ``stash`` hold (hard links to) exactly the files of Pagefind's index in ``bundle``, before they are
    shortened and renamed (pagefind_chunks, pagefind_order). A stash that cannot be written only costs time."""
    if stash is None:
        return
    wanted, held = hashed_files(bundle), hashed_files(stash)
    for relative in held - wanted:
        with contextlib.suppress(OSError):
            (stash / relative).unlink()
    for relative in wanted:
        source, copy = bundle / relative, stash / relative
        try:
            if relative in held and os.path.samefile(source, copy):
                continue
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.unlink(missing_ok=True)
            os.link(source, copy)
        except OSError:
            continue


def used_files(bundle: Path) -> frozenset[str]:
    """The files of the index in ``bundle`` as its entry and meta files name them."""
    entry_file = bundle / ENTRY_FILE
    if not entry_file.is_file():
        return frozenset()
    used: set[str] = set()
    for language in json.loads(entry_file.read_text("utf-8"))["languages"].values():
        meta_name = f"{_META_PREFIX}{language['hash']}{_META_SUFFIX}"
        meta = read_pagefind_file(bundle / meta_name)
        used.add(meta_name)
        used.update(f"{FRAGMENT_DIR}/{page[0]}{_KINDS[FRAGMENT_DIR]}" for page in _pages(meta))
        used.update(f"index/{chunk[-1]}.pf_index" for chunk in meta_part(meta, bundle / "index", ".pf_index", 3, "der Indexteile"))
        with contextlib.suppress(PagefindFormatError):  # an index without filters
            used.update(f"filter/{item[-1]}.pf_filter" for item in meta_part(meta, bundle / "filter", ".pf_filter", 2, "der Filter"))
    return frozenset(used)


def _pages(meta: Any) -> list[Any]:
    """The part of the meta file that lists each page's fragment: ``[[hash, word count], …]``."""
    for part in meta if isinstance(meta, list) else []:
        if (
            isinstance(part, list)
            and part
            and all(isinstance(page, list) and len(page) == 2 and isinstance(page[0], str) and isinstance(page[1], int) for page in part)
        ):
            return part
    raise PagefindFormatError("Pagefind-Metadaten ohne Liste der Seiten")


def _content_matches(file: Path) -> bool:
    name = file.name.removeprefix(_META_PREFIX).rsplit(".", 1)[0]
    try:
        return content_matches(file.read_bytes(), name)
    except OSError:
        return False


def content_matches(compressed: bytes, name: str) -> bool:
    """Pagefind names a file ``<language>_`` plus the start of the SHA-1 of its content (after the signature),
    written as hex digits without leading zeros per byte (Rust's ``{:x?}``)."""
    try:
        data = gzip.decompress(compressed)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        return False
    if not data.startswith(SIGNATURE):
        return False
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(data[len(SIGNATURE) :]).digest())
    language = name.rsplit("_", 1)[0]
    return f"{language}_{digest}".startswith(name)
