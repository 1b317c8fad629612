"""Let Pagefind reuse the page fragments of the last index in the same folder (a --dirty build).

Pagefind (1.5.2) writes one ``fragment/<hash>.pf_fragment`` per page (its excerpt, title and filters) and does
not write a fragment whose file exists already: the name is a hash of the content. Keeping the fragments of the
previous index therefore spares writing (and compressing) 10,000 files when one page changed. Two things make
the result equal to an index written into an empty folder:

- fragments of pages that are gone or changed are deleted after the run (the meta file lists every page's);
- the name is only the first seven hex digits of a SHA-1, so a kept file could name different content: every
  kept fragment that the new index uses is checked against its content, and one that fails is deleted so that
  Pagefind writes it again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Any

from .pagefind_order import ENTRY_FILE, SIGNATURE, PagefindFormatError, read_pagefind_file

FRAGMENT_DIR = "fragment"
SUFFIX = ".pf_fragment"


def fragment_names(bundle: Path) -> frozenset[str]:
    """The fragments (names without suffix) in ``bundle`` before Pagefind runs."""
    try:
        return frozenset(name.removesuffix(SUFFIX) for name in os.listdir(bundle / FRAGMENT_DIR) if name.endswith(SUFFIX))
    except OSError:
        return frozenset()


def settle_fragments(bundle: Path, kept: frozenset[str]) -> list[str]:
    """Delete the fragments the new index does not use, and those of ``kept`` whose content is not what their
    name says; the names of the latter (Pagefind has to write them again)."""
    used = used_fragments(bundle)
    folder = bundle / FRAGMENT_DIR
    for name in fragment_names(bundle) - used:
        (folder / f"{name}{SUFFIX}").unlink()
    wrong = sorted(name for name in kept & used if not _content_matches(folder / f"{name}{SUFFIX}", name))
    for name in wrong:
        (folder / f"{name}{SUFFIX}").unlink()
    return wrong


def used_fragments(bundle: Path) -> frozenset[str]:
    """The fragment of every page in the index, as its meta files list them: ``[[hash, word count], …]``."""
    entry_file = bundle / ENTRY_FILE
    if not entry_file.is_file():
        return frozenset()
    used: set[str] = set()
    for language in json.loads(entry_file.read_text("utf-8"))["languages"].values():
        used.update(page[0] for page in _pages(read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")))
    return frozenset(used)


def _pages(meta: Any) -> list[Any]:
    for part in meta if isinstance(meta, list) else []:
        if (
            isinstance(part, list)
            and part
            and all(isinstance(page, list) and len(page) == 2 and isinstance(page[0], str) and isinstance(page[1], int) for page in part)
        ):
            return part
    raise PagefindFormatError("Pagefind-Metadaten ohne Liste der Seiten")


def _content_matches(file: Path, name: str) -> bool:
    try:
        return fragment_matches(file.read_bytes(), name)
    except OSError:
        return False


def fragment_matches(compressed: bytes, name: str) -> bool:
    """Pagefind names a fragment ``<language>_`` plus the start of the SHA-1 of its content, written as hex
    digits without leading zeros per byte (Rust's ``{:x?}``)."""
    try:
        data = gzip.decompress(compressed)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        return False
    if not data.startswith(SIGNATURE):
        return False
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(data[len(SIGNATURE) :]).digest())
    language = name.rsplit("_", 1)[0]
    return f"{language}_{digest}".startswith(name)
