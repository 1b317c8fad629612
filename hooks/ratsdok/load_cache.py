"""A content-keyed cache of loaded files: checking an unchanged archive again reads it but parses nothing.

The result of loading one file depends on the file's bytes, its path (the file-name check, the path in every
message), the registers, the schemas and the code of this package, and the versions of PyYAML and jsonschema
(their wording reaches some messages). All of that goes into the key, so a changed input is simply a miss;
nothing is ever invalidated by hand. A file whose check reads another file (an original PDF given by ``pfad``)
is never cached. Checks across files (duplicate numbers, dates of answers, redirects) always run afresh.

One pickle holds the entries of the files of the last load; it is rewritten (atomically) after a load that saw
other files than it holds, so it never grows beyond the archive (loading another corpus replaces it). A missing, unreadable or foreign cache
is an empty one. A process that loads again and again (make serve) keeps the last load's entries in memory instead
(``keep_in_memory``): reading them back took a second at 10,000 files. It also notes each file's signature in
the file system (times, size, inode): a file unchanged by it is neither read nor keyed again.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .build_cache import CacheWrite, by_field_values, code_digest, wait_for_writer, write_cache_file
from .frontmatter import normalise_text
from .model import Consultation, Drucksache, OriginalFile, Responsibility
from .problems import Problem

_PACKAGE_DIR = Path(__file__).resolve().parent
CACHE_FILE = "loaded-files.pickle"
_FORMAT = 2  # raise when the pickled classes change in a way the code hash would not show


@dataclass
class LoadCache:
    file: Path
    context: bytes  # everything besides the file that the result depends on
    entries: dict[str, Any] = field(default_factory=dict)  # key -> LoadedFile, from the last load
    fresh: dict[str, Any] = field(default_factory=dict)  # what this load saw, written back by save()
    earlier_whole: dict[str, Any] = field(default_factory=dict)  # key -> LoadedFile with its text, kept in memory
    whole: dict[str, Any] = field(default_factory=dict)  # what this load returned, for the next one in this process
    # keep_in_memory: each file's key by its path, with its file system signature as seen before it was read
    earlier_seen: dict[str, tuple[FileSignature, str]] | None = None
    seen: dict[str, tuple[FileSignature, str]] = field(default_factory=dict)
    started_ns: int = field(default_factory=time.time_ns)

    def key(self, file: Path, root: Path, shown: str, raw: bytes) -> str | None:
        """None when the file must not be cached (its check reads another file)."""
        if b"pfad" in raw:
            return None
        digest = hashlib.sha256(self.context)
        for part in (str(file).encode(), str(root).encode(), shown.encode()):
            digest.update(len(part).to_bytes(8, "big") + part)
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str, raw: bytes) -> Any:
        """The entry of the file whose bytes are ``raw``, or None."""
        found = self.entries.get(key)
        if found is None:
            return None
        self.fresh[key] = found
        whole = self.earlier_whole.get(key)
        self.whole[key] = whole = whole if whole is not None else _with_body(found, raw)
        return whole

    def signature(self, file: Path) -> FileSignature | None:
        """keep_in_memory: what the file system tells of the file, taken before it is read (else None)."""
        return file_signature(file) if self.earlier_seen is not None else None

    def taken(self, file: Path, signature: FileSignature | None) -> tuple[str, Any] | None:
        """The key and entry of a file the last load in this process read, unchanged since by its signature (reading
        and keying 10,000 files took a second of each save under make serve); None: the file is to be read."""
        last = self.earlier_seen.get(str(file)) if self.earlier_seen is not None and signature is not None else None
        if last is None or last[0] != signature or (whole := self.earlier_whole.get(last[1])) is None:
            return None
        key = last[1]
        self.fresh[key] = self.entries[key]
        self.whole[key] = whole
        self.seen[str(file)] = last
        return key, whole

    def remember(self, file: Path, signature: FileSignature | None, key: str) -> None:
        """The key of a file read now, for the next load; not when the file changed within two seconds before this
        load began: a file system's clock may be that coarse, and a second change then keeps the signature."""
        if signature is not None and signature[0] < self.started_ns - RACY_NS:
            self.seen[str(file)] = (signature, key)

    def put(self, key: str, loaded: Any) -> None:
        self.fresh[key] = loaded  # its text is cut off when written (save): in the writing process, if in the background
        self.whole[key] = loaded

    def later(self) -> CacheWrite | None:
        """Its writing, to be done later (None: the file holds what this load saw)."""
        if self.fresh.keys() == self.entries.keys():
            return None
        return CacheWrite(self.file, self.save, len(self.fresh.keys() - self.entries.keys()))

    def save(self, *, in_background: bool = False) -> None:
        """Write what this load saw, unless that is what the file holds; a cache that cannot be written only costs
        time next time. ``in_background``: a detached copy of this process writes it (for 10,000 files the writing
        takes half a second); a load that starts meanwhile waits for it (``open_cache``)."""
        if self.fresh.keys() == self.entries.keys():
            return
        def pickled() -> bytes:
            entries = {key: _without_body(loaded) for key, loaded in self.fresh.items()}
            return pickle.dumps((_FORMAT, self.context, entries), protocol=pickle.HIGHEST_PROTOCOL)

        write_cache_file(self.file, pickled, in_background=in_background)


FileSignature = tuple[int, int, int, int, int]  # modified and changed (ns), size, inode, device
RACY_NS = 2_000_000_000


def file_signature(file: Path) -> FileSignature | None:
    try:
        stat = os.stat(file)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino, stat.st_dev)


# The cache of the last load in this process, by its file (keep_in_memory).
_kept: dict[Path, LoadCache] = {}


def open_cache(folder: Path, registers: object, *, keep_in_memory: bool = False) -> LoadCache:
    """The cache in ``folder``; ``registers`` as loaded for this corpus (their repr is part of every key).
    ``keep_in_memory``: the entries of the last load in this process that kept its entries are taken from memory
    (they are right whatever the file holds: the key is the whole input)."""
    cache = LoadCache(folder / CACHE_FILE, _context(registers))
    kept = _kept.get(cache.file) if keep_in_memory else None
    if keep_in_memory:
        _kept[cache.file] = cache
        cache.earlier_seen = {}
    if kept is not None and kept.context == cache.context:
        cache.entries, cache.earlier_whole, cache.earlier_seen = kept.fresh, kept.whole, kept.seen
        return cache
    wait_for_writer(cache.file)
    try:
        with cache.file.open("rb") as stored:
            version, context, entries = pickle.load(stored)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return cache
    if version == _FORMAT and context == cache.context and isinstance(entries, dict):
        cache.entries = entries
    return cache


def pickle_by_fields(cls: type) -> None:
    """Pickle a frozen dataclass as its class and field values: the default for slotted dataclasses calls
    ``dataclasses.fields`` for every object, which made writing the cache of 10,000 files take a second."""
    copyreg.pickle(cls, by_field_values(cls))


for _class in (Drucksache, Consultation, Responsibility, OriginalFile, Problem):
    pickle_by_fields(_class)


# The text of a document is most of an entry and is in the file, which is read for the key anyway: it is not
# stored but cut from the file again (the key guarantees the same bytes).
def _without_body(loaded: Any) -> Any:
    document = getattr(loaded, "document", None)
    return replace(loaded, document=replace(document, body="")) if document is not None and document.body else loaded


def _with_body(loaded: Any, raw: bytes) -> Any:
    document = getattr(loaded, "document", None)
    if document is None:
        return loaded
    body = normalise_text(raw).split("\n", document.body_line - 1)[-1]  # as split_front_matter cuts it
    return replace(loaded, document=replace(document, body=body))


def _context(registers: object) -> bytes:
    code = code_digest([_PACKAGE_DIR], ("PyYAML", "jsonschema"))
    return hashlib.sha256(code + repr(registers).encode()).digest()
