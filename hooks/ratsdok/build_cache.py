"""Content-keyed caches of a build, so a rebuild after one edit renders again only what the edit changed.

A page's HTML depends on two things. What is the same for every page of a build: the resolved MkDocs
configuration, the templates, the editorial pages, the code of the hooks, the versions of the libraries that
render, the build date; that is the build fingerprint. And what the hooks hand the template for this page: the
planned page with its data, the document view with the titles of the documents it links and of those that link
it, the head metadata, the feed link. A page's key is the fingerprint plus those inputs pickled, so a change of
anything the page shows is simply a miss; nothing is ever invalidated by hand.

The rendered texts of the Drucksachen are cached the same way, keyed by the text and the code that renders it.
A cache that cannot be read or written only costs time: every failure is a miss.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import partial
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from types import ModuleType
from typing import Any

from .parallel import run_detached

PAGES_FOLDER = "seiten"
BODIES_FILE = "rendered-bodies.pickle"
LINKS_FILE = "links.pickle"  # beside the pages of one fingerprint
DERIVED_FILE = "abgeleitet.pickle"  # beside them: digests of values derived from digested objects (derived_digest)
_FORMAT = b"1"  # raise when the layout of the cache changes in a way the code digest would not show


def digest_files(paths: Iterable[Path], root: Path) -> bytes:
    """One digest of the files' paths (relative to ``root``) and bytes."""
    digest = hashlib.sha256(_FORMAT)
    for path in sorted(paths):
        name = path.relative_to(root).as_posix().encode()
        content = path.read_bytes()
        digest.update(len(name).to_bytes(8, "big") + name + len(content).to_bytes(8, "big") + content)
    return digest.digest()


def files_below(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts]


def code_digest(folders: Iterable[Path], packages: Iterable[str]) -> bytes:
    """Every file in ``folders`` by content, the installed versions of ``packages`` and Python's."""
    digest = hashlib.sha256(_FORMAT + sys.version.encode())
    for folder in folders:
        digest.update(digest_files(files_below(folder), folder) if folder.is_dir() else b"-")  # by content, not place
    for package in packages:
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
    return digest.digest()


def build_fingerprint(*, settings: Mapping[str, Any], code: bytes, build_date: str) -> str:
    """``settings``: the resolved configuration (environment values included); ``code``: see ``code_digest``."""
    digest = hashlib.sha256(code)
    digest.update(canonical(settings).encode())
    digest.update(build_date.encode())
    return digest.hexdigest()


def canonical(value: Any, depth: int = 0) -> str:
    """A text that is the same for equal settings in every process: a repr would write sets (and objects that hold
    them) in an order that changes with each process's string hashing."""
    if depth > 8 or value is None or isinstance(value, bool | int | float | str | bytes):
        return repr(value)
    if isinstance(value, ModuleType):
        return f"<module {value.__name__}>"
    if isinstance(value, Mapping):
        items = sorted((canonical(key, depth + 1), canonical(item, depth + 1)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(item, depth + 1) for item in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(canonical(item, depth + 1) for item in value) + "]"
    if hasattr(value, "__dict__"):
        return type(value).__name__ + canonical(vars(value), depth + 1)
    return repr(value)


def pickled(value: Any, reducers: _Reducers | None = None) -> bytes:
    """Bytes that depend only on the value, not on which of its parts happen to be the same object: the pickler's
    memo (which writes a repeated object as a back-reference) is off. Only hashed, never unpickled."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS if reducers is None else reducers
    pickler.fast = True  # no memo; the page inputs hold no cycles
    pickler.dump(value)
    return buffer.getvalue()


class _Reducers(dict[type, Callable[[Any], Any]]):
    """The pickler's table of how to write an object of each class, filled as classes are met: a dataclass as its
    class and field values (the default for slotted dataclasses calls ``dataclasses.fields`` for every object, half
    the time of keying 10,000 pages); any other class as by default. Classes themselves the pickler writes without
    asking (a ``reducer_override`` was asked for every class and date too: a third slower).

    An object of a class in ``digested`` is written as its class and the digest of its value, computed once per
    object: a Drucksache stands in its page's data and again in the page's view (a quarter of keying its page)."""

    def __init__(self, digested: tuple[type, ...] = ()) -> None:
        super().__init__()
        self.digested = digested
        self._digests: dict[int, tuple[Any, bytes]] = {}  # by id(); the object is held, so its id is not reused

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        reduce: Callable[[Any], Any] = _by_default
        if cls in self.digested:
            reduce = self._by_digest
        elif is_dataclass(cls):
            reduce = by_field_values(cls)
        self[cls] = reduce
        return reduce

    def know(self, obj: Any, digest: bytes) -> None:
        """``digest`` stands for the value of ``obj`` (of a ``digested`` class): it must change whenever the value
        does, and no other value of the class may have it."""
        self._digests[id(obj)] = (obj, digest)

    def digest_of(self, obj: Any) -> bytes | None:
        """The digest that stands for ``obj`` (``know``, or computed for a key), or None."""
        known = self._digests.get(id(obj))
        return known[1] if known is not None else None

    def _by_digest(self, obj: Any) -> Any:
        known = self._digests.get(id(obj))
        if known is None:
            known = self._digests[id(obj)] = (obj, hashlib.sha256(pickled(obj)).digest())  # its value, field by field
        return (type(obj), (known[1],))


def by_field_values(cls: type) -> Callable[[Any], Any]:
    """A reducer that writes a dataclass of ``cls`` as its class and field values (for the pickler and copyreg)."""
    names = [item.name for item in fields(cls)]
    if len(names) != 1:
        get = attrgetter(*names) if names else (lambda obj: ())
        return lambda obj: (cls, get(obj))
    single = attrgetter(names[0])
    return lambda obj: (cls, (single(obj),))


def _by_default(obj: Any) -> Any:
    if isinstance(obj, type):  # a class of another metaclass (an Enum): by its name, as the pickler would
        return obj.__qualname__
    return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


_REDUCERS = _Reducers()


@dataclass
class PageCache:
    """Rendered pages of the builds of one fingerprint, one file per page key, and the links read from each."""

    folder: Path  # .cache/ratsdok/seiten/<fingerprint>
    reducers: _Reducers = field(default_factory=_Reducers)  # how the keys' inputs are pickled (see _Reducers)
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0
    _links: _EntriesFile = field(init=False)  # by page key
    _derived: _EntriesFile = field(init=False)  # by the digest that stands for the object (derived_digest)
    _derived_used: set[bytes] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._links, self._derived = _EntriesFile(self.folder / LINKS_FILE), _EntriesFile(self.folder / DERIVED_FILE)

    @classmethod
    def open(cls, cache_root: Path, fingerprint: str, *, digested: tuple[type, ...] = (), earlier: PageCache | None = None) -> PageCache:
        """``digested``: classes of values that many pages' inputs hold (see _Reducers); ``earlier``: the cache of
        the last build in this process, whose links are taken instead of reading them again (a third of a second at
        10,000 pages) when it is of this folder."""
        cache = cls(cache_root / PAGES_FOLDER / fingerprint, _Reducers(digested))
        if earlier is not None and earlier.folder == cache.folder:
            cache._links, cache._derived = earlier._links, earlier._derived
            cache._links.added = cache._derived.added = 0
        return cache

    def key(self, *inputs: Any) -> str:
        return hashlib.sha256(pickled(inputs, self.reducers)).hexdigest()

    def know_digests(self, digests: Iterable[tuple[Any, bytes]]) -> None:
        """Digests that stand for the values of objects of the ``digested`` classes in the keys (see _Reducers.know):
        a Drucksache's file key instead of pickling it (a tenth of a --dirty rebuild at 10,000)."""
        for obj, digest in digests:
            self.reducers.know(obj, digest)

    def derived_digest(self, obj: Any, derive: Callable[[Any], Any]) -> bytes:
        """The digest of ``derive(obj)``, kept between builds by the digest that stands for ``obj`` (its file key, see
        ``know_digests``): a rebuild takes it instead of deriving and pickling again (copying and pickling the
        Drucksachen without their texts that the page keys hold was a third of keying 10,000 pages). ``derive``
        must be the same function in every build of this cache's code (the fingerprint holds the code)."""
        stands_for = self.reducers.digest_of(obj)
        if stands_for is None:
            return hashlib.sha256(pickled(derive(obj))).digest()
        digest: bytes | None = self._derived.get(stands_for)
        if digest is None:
            digest = hashlib.sha256(pickled(derive(obj))).digest()
            self._derived.put(stands_for, digest)
        self._derived_used.add(stands_for)
        return digest

    def get(self, key: str) -> str | None:
        self.used.add(key)
        try:
            output = (self.folder / key).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            self.misses += 1
            return None
        self.hits += 1
        return output

    def keep(self, key: str) -> None:
        """The page is still in the site folder from the last build (``--dirty``): keep its entry, unread."""
        self.used.add(key)
        self.hits += 1

    def put(self, key: str, output: str) -> None:
        self.used.add(key)
        write_atomically(self.folder / key, output.encode("utf-8"))

    def links(self, key: str) -> Any:
        """What was read of the links of the page with this key, or None."""
        return self._links.get(key)

    def put_links(self, key: str, links: Any) -> None:
        """Keep the links of this page (nothing to write when they are known already)."""
        if self.links(key) != links:
            self._links.put(key, links)

    def prune(self, later: list[CacheWrite] | None = None) -> None:
        """Keep only the pages of this build: the cache never grows beyond one site. Folders of other
        fingerprints (another configuration, template, code version or day) are removed. ``later``: the links
        and derived digests are not written but their writing added to this list (mkdocs serve: writing the links
        of 10,000 pages took half a second per save)."""
        try:
            for entry in self.folder.parent.iterdir():
                if entry.is_dir() and entry != self.folder:
                    _remove_tree(entry)
            for entry in self.folder.iterdir():
                if entry.name not in self.used and entry.name not in (LINKS_FILE, DERIVED_FILE):
                    entry.unlink(missing_ok=True)
        except OSError:
            pass
        for entries, used in ((self._links, self.used), (self._derived, self._derived_used)):
            write = entries.keep_only(used)
            if write is None:
                continue
            if later is None:
                write.write()
            else:
                later.append(write)


class _EntriesFile:
    """A file of entries beside the pages (the links of each page, derived digests), read when first asked for;
    pruning keeps the entries of this build, which the next build in this process takes (PageCache.open)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.added = 0  # entries put that the file does not hold
        self._entries: dict[Any, Any] | None = None

    def get(self, key: Any) -> Any:
        if self._entries is None:
            self._entries = dict(read_entries(self.file, b""))
        return self._entries.get(key)

    def put(self, key: Any, value: Any) -> None:
        self.get(key)  # read first: the others stay
        assert self._entries is not None
        self._entries[key] = value
        self.added += 1

    def keep_only(self, used: set[Any]) -> CacheWrite | None:
        """Drop the entries not in ``used``; the writing of the file where it would differ, or None."""
        if self._entries is None:
            return None  # never read: nothing asked for, nothing to change
        kept = {key: value for key, value in self._entries.items() if key in used}
        changed = self.added or len(kept) != len(self._entries)
        self._entries, added, self.added = kept, self.added, 0
        if not changed:
            return None
        file = self.file
        return CacheWrite(file, lambda: write_atomically(file, pickled_entries(b"", kept)), added)


@dataclass(frozen=True)
class CacheWrite:
    """A cache file left to be written later (``later`` of cached_renders and load_corpus)."""

    file: Path
    write: Callable[[], None]
    new_entries: int  # entries the file does not hold yet (the others were in it, or are dropped)

    def after(self, earlier: CacheWrite | None) -> CacheWrite:
        """This write in place of ``earlier``, of the same file and never done: the file lacks what both added."""
        return self if earlier is None else replace(self, new_entries=self.new_entries + earlier.new_entries)


# The rendered texts of the last build in this process, by their cache file (cached_renders, keep_in_memory).
_kept_renders: dict[Path, tuple[bytes, dict[str, Any]]] = {}


def cached_renders(
    texts: Sequence[str],
    render: Callable[[Sequence[str]], list[Any]],
    cache_root: Path | None,
    code: bytes,
    *,
    save_in_background: bool = False,
    keep_in_memory: bool = False,
    later: list[CacheWrite] | None = None,
) -> list[Any]:
    """``render(texts)``, taking the result of every text rendered before (same text, same code) from the cache
    and rendering only the others. The cache holds the texts of the last build only; ``save_in_background``: a
    detached process writes it (see ``write_cache_file``); ``keep_in_memory``: the next call in this process takes
    them from memory (make serve: reading them back took half a second at 10,000 texts); ``later``: the cache is
    not written but its writing added to this list."""
    if cache_root is None:
        return render(texts)
    file = cache_root / BODIES_FILE
    kept = _kept_renders.get(file) if keep_in_memory else None
    if kept is not None and kept[0] == code:
        stored = kept[1]
    else:
        wait_for_writer(file)
        stored = read_entries(file, code)
    keys = [hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() for text in texts]
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in stored}
    rendered = dict(zip(missing, render(list(missing.values())), strict=True))
    results = [stored[key] if key in stored else rendered[key] for key in keys]
    current = dict(zip(keys, results, strict=True))
    if keep_in_memory:
        _kept_renders[file] = (code, current)
    if current.keys() != stored.keys():
        write = partial(write_cache_file, file, lambda: pickled_entries(code, current), in_background=save_in_background)
        if later is not None:
            later.append(CacheWrite(file, write, len(current.keys() - stored.keys())))
        else:
            write()
    return results


def read_entries(file: Path, code: bytes) -> dict[str, Any]:
    """The entries ``pickled_entries`` wrote for ``code`` (what they depend on); none when the file is missing,
    damaged, of another format or for other code."""
    try:
        with file.open("rb") as stored:
            version, stored_code, entries = pickle.load(stored)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return entries if version == _FORMAT and stored_code == code and isinstance(entries, dict) else {}


def pickled_entries(code: bytes, entries: dict[str, Any]) -> bytes:
    return pickle.dumps((_FORMAT, code, entries), protocol=pickle.HIGHEST_PROTOCOL)


def write_atomically(file: Path, content: bytes) -> None:
    """Readers see the old file or the new one, never half of it; a failure leaves the old one."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as output:
            output.write(content)
        os.replace(temporary, file)
    except OSError:
        pass


def _remove_tree(folder: Path) -> None:
    for entry in folder.iterdir():
        entry.unlink(missing_ok=True)
    folder.rmdir()


# A cache file being written in the background is announced by this file beside it; a reader waits for it, but not
# for one left behind by a writer that died (older than WRITER_PATIENCE).
WRITING_SUFFIX = ".wird-geschrieben"
WRITER_PATIENCE = 30.0


def write_cache_file(file: Path, content: Callable[[], bytes], *, in_background: bool = False) -> None:
    """``write_atomically(file, content())``; ``in_background``: by a detached copy of this process (where forking is
    possible), so the caller goes on at once, announced beside the file until it is written (``wait_for_writer``)."""
    announced = _announce_writing(file) if in_background else None

    def write() -> None:
        try:
            write_atomically(file, content())
        finally:
            if announced is not None:
                announced.unlink(missing_ok=True)

    if not (in_background and run_detached(write)):
        write()


def _announce_writing(file: Path) -> Path | None:
    announced = file.with_name(file.name + WRITING_SUFFIX)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        announced.touch()
    except OSError:
        return None
    return announced


def wait_for_writer(file: Path) -> None:
    """Wait while a detached process writes ``file`` (``write_cache_file``)."""
    announced = file.with_name(file.name + WRITING_SUFFIX)
    while True:
        try:
            age = time.time() - announced.stat().st_mtime
        except OSError:
            return  # no writer at work
        if age > WRITER_PATIENCE:
            return
        time.sleep(0.05)
