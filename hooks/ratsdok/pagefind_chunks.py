"""Cut Pagefind's heavy word-index chunks again, so that a first query loads little, whatever word it searches.

Pagefind (1.5.2) fills each index chunk with words in alphabetical order until it holds 20,000 "units" (one per
page a word is on, one per occurrence), and the word that crosses the line stays in. A word that stands in nearly
every page ("der": 400 KB at 10,000 Drucksachen) so drags the words just before it into one heavy chunk:
searching "deutlich" loaded the chunk of "die", about 200 KB compressed. Here every chunk larger than
``CHUNK_BYTES`` is cut into consecutive parts of at most that size, and a word larger than that gets a part of
its own, so it is only loaded when it is searched. The words' bytes are copied as Pagefind wrote them, and no cut
separates words that begin alike while they fit a chunk together (see group_words).

A chunk is CBOR (see pagefind_order.py): ``[[word, …]]``, each word ``[text, [page, …], [variant, …]]``, each
page ``[number, [location, …], [location, …]]`` of integers, each variant ``[text, [page, …]]``. The pages of a
word are skipped with one regular expression instead of decoding millions of integers in Python.

When one Drucksache changed, Pagefind writes nearly every chunk as last time: the cuts of the last run are kept
(``ChunkCuts``, in the cache beside Pagefind's files) by the digest of the chunk cut, and such a chunk is neither
read word by word nor compressed again (at 10,000 Drucksachen about a second per part of the index).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .build_cache import code_digest, pickled_entries, read_entries, write_atomically
from .pagefind_order import (
    ENTRY_FILE,
    SIGNATURE,
    PagefindFormatError,
    decode_head,
    encode_head,
    meta_part,
    read_pagefind_file,
    replace_meta,
    write_compressed,
    write_entry,
)

CHUNK_BYTES = 100_000  # uncompressed; about 40 KB as transferred
CUTS_FILE = "zerlegt.pickle"  # beside Pagefind's files in the cache: the cuts of the last run (ChunkCuts)
_CUTS_FORMAT = b"ChunkCuts 1"  # raise when Piece changes
_LEVEL = 6  # of the new chunks' compression: 1.5 % larger than 9, 3 times faster

_INT = rb"(?>[\x00-\x17\x20-\x37]|[\x18\x38][\s\S]|[\x19\x39][\s\S]{2}|[\x1a\x3a][\s\S]{4}|[\x1b\x3b][\s\S]{8})"
# Integers one after another; a run of one-byte integers (the most) is taken at once.
_INTS = rb"(?:[\x00-\x17\x20-\x37]++|[\x18\x38][\s\S]|[\x19\x39][\s\S]{2}|[\x1a\x3a][\s\S]{4}|[\x1b\x3b][\s\S]{8})*+"
_ARRAY_HEAD = rb"(?>[\x80-\x97]|\x98[\s\S]|\x99[\s\S]{2}|\x9a[\s\S]{4})"
# Any number of pages: an array of three items, an integer and two arrays of integers. It stops before the next
# word (an array whose first item is a text) and before the list of variants (an array of arrays). Nothing taken
# is given back (atomic groups, possessive repeats): the encoding leaves one way to read it (reading the words of
# a part's heavy chunks at 10,000 Drucksachen: 0.89 s with backtracking, 0.67 s without).
_PAGES = re.compile(rb"(?:\x83" + _INT + rb"(?:" + _ARRAY_HEAD + _INTS + rb"){2})*+")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Piece:
    """One of the chunks a heavy chunk is cut into."""

    first: str  # its first word
    last: str  # its last word
    digest: str  # SHA-256 of its content (it names the chunk)
    compressed: bytes  # the file as written


class ChunkCuts:
    """The pieces of every heavy chunk of one run, by the digest of the chunk and the limit, from a file of the last
    run (``None``: nothing kept). The file holds the chunks of the last run only; a damaged one is an empty one."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.earlier: dict[str, tuple[Piece, ...]] = read_entries(file, _cuts_code()) if file is not None else {}
        self.now: dict[str, tuple[Piece, ...]] = {}

    def get(self, key: str) -> tuple[Piece, ...] | None:
        found = self.earlier.get(key)
        if found is not None:
            self.now[key] = found
        return found

    def put(self, key: str, pieces: tuple[Piece, ...]) -> None:
        self.now[key] = pieces

    def save(self) -> None:
        if self.file is not None and self.now.keys() != self.earlier.keys():
            write_atomically(self.file, pickled_entries(_cuts_code(), self.now))


@cache
def _cuts_code() -> bytes:
    return _CUTS_FORMAT + code_digest([Path(__file__).parent], ())


def cut_heavy_chunks(bundle: Path, limit: int = CHUNK_BYTES, cuts: ChunkCuts | None = None) -> int:
    """Cut the heavy chunks of every language in ``bundle`` (the ``pagefind/`` folder); the number of new chunks.
    ``cuts``: those of the last run, taken where a chunk is the same, and kept for the next (saved here)."""
    cuts = cuts if cuts is not None else ChunkCuts(None)
    entry_file = bundle / ENTRY_FILE
    if not entry_file.is_file():
        return 0
    entry = json.loads(entry_file.read_text("utf-8"))
    written = 0
    taken: set[str] = set()  # names of chunks written in this run (their files may not exist yet)
    made: list[tuple[str, list[tuple[str, str, str, Future[bytes]]]]] = []  # cut in this run, kept in ``cuts``
    # zlib lets other threads run: the new chunks are compressed and written while the next chunk is cut.
    with ThreadPoolExecutor(max_workers=2) as writers:
        writes: list[Future[Any]] = []
        for language in entry["languages"].values():
            meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
            # The part of the meta file that lists the index chunks: [[from, to, hash], …].
            chunks = meta_part(meta, bundle / "index", ".pf_index", 3, "der Index-Teile")
            recut: list[list[str]] = []
            for chunk in chunks:
                first, name = chunk[0], chunk[2]
                file = bundle / "index" / f"{name}.pf_index"
                data = gzip.decompress(file.read_bytes())
                if len(data) <= limit + len(SIGNATURE):  # small enough
                    recut.append(chunk)
                    continue
                key = f"{limit}:{hashlib.sha256(data).hexdigest()}"
                kept = cuts.get(key)
                pieces = _cut(data, file.name, limit) if kept is None else [(p.first, p.last, p.digest, p.compressed) for p in kept]
                if len(pieces) < 2:  # one word alone already
                    cuts.put(key, ())
                    recut.append(chunk)
                    continue
                if kept is None:
                    made.append((key, []))
                bounds = chunk_bounds([(piece_first, piece_last) for piece_first, piece_last, _, _ in pieces])
                bounds[0] = (first, bounds[0][1])  # against the chunk before: as it was
                file.unlink()
                prefix = name.split("_", 1)[0]
                for (piece_first, piece_last, digest, content), (bound_first, bound_last) in zip(pieces, bounds, strict=True):
                    new_file = bundle / "index" / f"{_free_name(bundle, prefix, digest, taken)}.pf_index"
                    if kept is None:  # content is the chunk itself
                        compressing = writers.submit(write_compressed, new_file, content, _LEVEL)
                        made[-1][1].append((piece_first, piece_last, digest, compressing))
                        writes.append(compressing)
                    else:  # content is the file as written last time
                        writes.append(writers.submit(new_file.write_bytes, content))
                    recut.append([bound_first, bound_last, new_file.stem])
                    written += 1
            if written:
                chunks[:] = recut
                replace_meta(bundle, language, meta)
        for write in writes:
            write.result()  # a failed write fails here
    for key, fresh in made:
        cuts.put(key, tuple(Piece(piece_first, piece_last, digest, done.result()) for piece_first, piece_last, digest, done in fresh))
    write_entry(entry_file, entry)
    cuts.save()
    return written


def _cut(data: bytes, name: str, limit: int) -> list[tuple[str, str, str, bytes]]:
    """The groups of a heavy chunk's words as (first word, last word, digest of the content, content); one group
    where the chunk is one word alone."""
    groups = group_words(chunk_words(data, name), limit)
    pieces = []
    for group in groups:
        content = SIGNATURE + b"\x81" + encode_head(4, len(group)) + b"".join(data[word.start : word.end] for word in group)
        pieces.append((group[0].text, group[-1].text, hashlib.sha256(content).hexdigest(), content))
    return pieces


def chunk_words(data: bytes, name: str = "chunk") -> list[Word]:
    """The words of one decompressed chunk file with their byte ranges."""
    at = len(SIGNATURE)
    if not data.startswith(SIGNATURE) or data[at] != 0x81:
        raise PagefindFormatError(f"{name}: kein Index-Teil")
    major, count, at = decode_head(data, at + 1)
    if major != 4:
        raise PagefindFormatError(f"{name}: keine Liste von Wörtern")
    words = []
    for _ in range(count):
        start = at
        major, fields, at = decode_head(data, at)
        if major != 4 or fields != 3:
            raise PagefindFormatError(f"{name}: unerwarteter Eintrag an Byte {start}")
        text, at = _text(data, at, name)
        at = _skip_pages(data, at, name)
        major, variants, at = decode_head(data, at)
        if major != 4:
            raise PagefindFormatError(f"{name}: unerwartete Varianten an Byte {at}")
        for _ in range(variants):
            major, variant_fields, at = decode_head(data, at)
            if major != 4 or variant_fields != 2:
                raise PagefindFormatError(f"{name}: unerwartete Variante an Byte {at}")
            _, at = _text(data, at, name)
            at = _skip_pages(data, at, name)
        words.append(Word(text, start, at))
    if at != len(data):
        raise PagefindFormatError(f"{name}: Daten nach dem Ende")
    return words


def group_words(words: list[Word], limit: int) -> list[list[Word]]:
    """Consecutive groups of at most ``limit`` bytes; a larger word is a group of its own.

    Pagefind loads one chunk per search term and finds there every word the term begins: "haushalt" also finds
    "haushaltsplan". So a run of words is cut where neighbours have the least in common, and every family of
    words that begin alike and fit the limit together stays in one group (Pagefind's own cuts fall anywhere).
    """
    groups: list[list[Word]] = []
    current: list[Word] = []
    for piece in _pieces(words, limit):
        if current and _size(current) + _size(piece) > limit:
            groups.append(current)
            current = []
        current += piece
    if current:
        groups.append(current)
    return groups


def _pieces(words: list[Word], limit: int) -> list[list[Word]]:
    """``words`` cut at their weakest joints (shortest common beginning), again in each part still too large."""
    if len(words) == 1 or _size(words) <= limit:
        return [words]
    joints = [_common_length(before.text, after.text) for before, after in itertools.pairwise(words)]
    weakest = min(joints)
    pieces: list[list[Word]] = []
    start = 0
    for end, joint in enumerate(joints, 1):
        if joint == weakest:
            pieces += _pieces(words[start:end], limit)
            start = end
    return pieces + _pieces(words[start:], limit)


def _size(words: list[Word]) -> int:
    return sum(word.end - word.start for word in words)


def chunk_bounds(firsts_and_lasts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(from, to)`` of consecutive chunks. Pagefind cuts both bounds between two chunks to one character past
    their common beginning, so a term between the two words goes to the chunk after; but then the last word itself
    lies beyond its chunk's "to" and is only found by Pagefind's second lookup, which it does only when no term of
    the query was found at the first. Here "to" is the whole last word, "from" cut as Pagefind cuts it."""
    bounds = [[first, last] for first, last in firsts_and_lasts]
    for before, after in itertools.pairwise(bounds):
        after[0] = after[0][: _common_length(before[1], after[0]) + 1]
    return [(first, last) for first, last in bounds]


def _common_length(left: str, right: str) -> int:
    return len(os.path.commonprefix([left, right]))  # noqa: RUF071 - characters, not path parts, are meant


def _text(data: bytes, at: int, name: str) -> tuple[str, int]:
    major, length, at = decode_head(data, at)
    if major != 3:
        raise PagefindFormatError(f"{name}: Wort erwartet an Byte {at}")
    return data[at : at + length].decode("utf-8"), at + length


def _skip_pages(data: bytes, at: int, name: str) -> int:
    major, _, at = decode_head(data, at)
    match = _PAGES.match(data, at)
    if major != 4 or match is None:
        raise PagefindFormatError(f"{name}: unerwartete Seitenliste an Byte {at}")
    return match.end()


def _free_name(bundle: Path, prefix: str, digest: str, taken: set[str]) -> str:
    length = 7  # as Pagefind names its chunks; longer on a collision, as Pagefind does
    while (name := f"{prefix}_{digest[:length]}") in taken or (bundle / "index" / f"{name}.pf_index").exists():
        length += 1
    taken.add(name)
    return name
