"""The search index in parts: Pagefind's memory and a rebuild's time grow with the pages of one index.

Pagefind (1.5.2) needs about 200 KB of memory per page it indexes, all at once while it writes (2.0 GB for
10,000 Drucksachen), and it has no incremental mode: one changed page means indexing every page again. So an
archive larger than ``PAGES_PER_PART`` is indexed in parts, one after another, each into its own folder
(``pagefind/`` for the first, ``pagefind/teil-2/`` … for the others); the search page merges them in the
browser (Pagefind's ``mergeIndex``). A part whose pages are all unchanged is not indexed again: its finished
files wait in the cache under a key of its pages' content.

The pages are dealt out in date order, one to each part in turn. Pagefind scores a sorted result by its place in
its index's date order, and the browser merges the parts' results by score, keeping the parts' order for equal
scores: with the pages dealt so, the place ``j`` in part ``p`` holds the page ``j × parts + p`` of the whole
date order, and the merged results come out in exactly that order (ascending; the search page reverses it for
"neueste zuerst"). Dealt in turn, the parts also hold alike pages, so their relevance scores compare.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .build_cache import code_digest, pickled_entries, read_entries, write_atomically

PAGES_PER_PART = 3_500  # about 700 MB of memory for Pagefind at the benchmark's pages
PART_SIZE_VARIABLE = "RATSDOK_SUCHINDEX_TEILGROESSE"  # pages per part, for tests and for measuring
PAGE_FOLDER = "drucksachen"
FINISHED_DIR = "fertig"  # in the stash: each part's finished files and key
FACTS_FILE = "seiten.pickle"  # in the stash: what the last plan read of each page, by the page's content key
_FACTS_CODE = b"PageFacts 1"  # raise when PageFacts changes
PART_PREFIX = "teil-"  # the folders of the parts after the first
_SORT_DATE = re.compile(rb'data-pagefind-sort="datum">([^<]*)<')
_INDEXED = b"data-pagefind-body"
_PLAIN_PAGE = re.compile(rf"{PAGE_FOLDER}/([A-Za-z0-9._-]+)/index\.html")
# What a part's finished files depend on besides its pages: Pagefind, and the code that shapes them.
_PAGEFIND_PACKAGES = ("pagefind", "pagefind_bin")


class PartSizeError(ValueError):
    pass


def pages_per_part() -> int:
    """``PAGES_PER_PART``, or the number in the environment variable ``PART_SIZE_VARIABLE``."""
    value = os.environ.get(PART_SIZE_VARIABLE, "").strip()
    if not value:
        return PAGES_PER_PART
    if not value.isdigit() or int(value) < 1:
        raise PartSizeError(f"{PART_SIZE_VARIABLE} muss eine ganze Zahl ab 1 sein, nicht „{value}“.")
    return int(value)


def part_count(pages: int, per_part: int | None = None) -> int:
    """How many parts an index of ``pages`` pages has (at least one)."""
    return max(1, math.ceil(pages / (per_part or pages_per_part())))


def part_folder(number: int) -> str:
    """The folder of part ``number`` (from 1) relative to Pagefind's folder; the first part is that folder."""
    return "" if number == 1 else f"{PART_PREFIX}{number}"


def is_part_folder(name: str) -> bool:
    return name.startswith(PART_PREFIX)


@dataclass(frozen=True, slots=True)
class Part:
    number: int  # from 1
    pages: tuple[str, ...]  # site-relative paths of its HTML files
    key: str  # digest of everything its index depends on

    @property
    def folder(self) -> str:
        return part_folder(self.number)


def plan_parts(site_dir: Path, per_part: int | None = None, *, known: Mapping[str, str] | None = None, facts_file: Path | None = None) -> list[Part]:
    """The Drucksache pages of ``site_dir`` that Pagefind indexes, dealt out to parts in date order.

    ``known``: the content key of each page the build knows (site-relative path -> key; a --dirty build's record,
    ratsdok.site_record). What an earlier plan read of a page with that key is kept in ``facts_file``: such a page
    is not read again (at 10,000 pages reading them all takes a second, while the build waits)."""
    remembered = read_entries(facts_file, _FACTS_CODE) if known and facts_file is not None else {}
    kept: dict[str, PageFacts] = {}
    dated: list[tuple[bytes, str, bytes]] = []
    folder = site_dir / PAGE_FOLDER
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(folder):
            relative = f"{PAGE_FOLDER}/{name}/index.html"
            key = known.get(relative) if known else None
            facts = remembered.get(key) if key else None
            if facts is None:
                try:
                    facts = page_facts((site_dir / relative).read_bytes())
                except (FileNotFoundError, NotADirectoryError):
                    continue
            if key:
                kept[key] = facts
            if facts.indexed:  # not e.g. the page left behind by a renumbered Drucksache
                dated.append((facts.date, relative, facts.digest))
    if known and facts_file is not None and kept != remembered:
        write_atomically(facts_file, pickled_entries(_FACTS_CODE, kept))
    dated.sort()
    count = part_count(len(dated), per_part)
    code = code_digest([Path(__file__).parent], _PAGEFIND_PACKAGES).hex()
    parts = []
    for number in range(1, count + 1):
        dealt = dated[number - 1 :: count]
        digest = hashlib.sha256(f"{code}|{number}|{count}".encode())
        for _, relative, content_digest in dealt:
            digest.update(relative.encode() + b"\0" + content_digest)
        parts.append(Part(number, tuple(relative for _, relative, _ in dealt), digest.hexdigest()))
    return parts


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What planning the parts reads of a page."""

    indexed: bool  # marked for Pagefind
    date: bytes  # its sort date
    digest: bytes  # of its content


def page_facts(content: bytes) -> PageFacts:
    date = _SORT_DATE.search(content)
    return PageFacts(_INDEXED in content, date.group(1) if date else b"", hashlib.sha256(content).digest())


def part_glob(part: Part) -> str:
    """Pagefind's glob for just the pages of ``part`` (relative to the site, so the pages keep their URLs). It can
    be long (about 12 characters a page): it goes to Pagefind in a configuration file, not on the command line."""
    folders = []
    for relative in part.pages:
        # Page folders are Drucksache numbers (digits and dashes); anything else would be read as a pattern.
        plain = _PLAIN_PAGE.fullmatch(relative)
        if plain is None:
            raise ValueError(f"unerwarteter Seitenpfad {relative}")
        folders.append(plain.group(1))
    return f"{PAGE_FOLDER}/{{{','.join(folders)}}}/index.html"


def has_finished(stash: Path | None, part: Part) -> bool:
    """Whether the cache holds the finished files of ``part`` under its present key."""
    if stash is None:
        return False
    try:
        return _finished(stash, part)[1].read_text("utf-8") == part.key
    except OSError:
        return False


def restore_finished(stash: Path | None, part: Part, bundle: Path) -> bool:
    """Make ``bundle`` hold the finished files of ``part`` from the last run (``has_finished``) and nothing else but
    the folders of other parts; False when that failed (then Pagefind indexes it). The files there already stay
    (a --dirty build's unchanged parts: linking their 6,700 files anew took 1.4–2 s of a rebuild at 10,000)."""
    if stash is None:
        return False
    try:
        _mirror_links(_finished(stash, part)[0], bundle)
    except OSError:
        return False
    return True


def keep_finished(stash: Path | None, part: Part, bundle: Path) -> None:
    """Keep (hard links to) the finished files of ``part`` with its key; a cache that cannot be written only
    costs time."""
    if stash is None:
        return
    kept, key_file = _finished(stash, part)
    with contextlib.suppress(OSError):
        key_file.unlink(missing_ok=True)  # no key while the files change
        _mirror_links(bundle, kept)
        key_file.write_text(part.key, "utf-8")


def _finished(stash: Path, part: Part) -> tuple[Path, Path]:
    folder = stash / FINISHED_DIR
    name = f"{PART_PREFIX}{part.number}"
    return folder / name, folder / f"{name}.schluessel"


def _mirror_links(source: Path, target: Path) -> None:
    """Make ``target`` hold hard links to exactly the files and folders below ``source``; the folders of other parts
    are neither copied nor touched. Files linked there already stay (after one edit nearly all of a part's
    thousands of files): told by the inode numbers the folder listings give, without reading each file's status."""
    pending = [(str(source), str(target))]
    while pending:
        origin, into = pending.pop()
        os.makedirs(into, exist_ok=True)
        same_device = os.stat(origin).st_dev == os.stat(into).st_dev
        present = {entry.name: entry for entry in os.scandir(into)}
        for entry in os.scandir(origin):
            if is_part_folder(entry.name):
                continue
            there = present.pop(entry.name, None)
            if entry.is_dir(follow_symlinks=False):
                if there is not None and not there.is_dir(follow_symlinks=False):
                    os.unlink(there.path)
                pending.append((entry.path, os.path.join(into, entry.name)))
                continue
            if there is not None:
                if same_device and there.inode() == entry.inode() and there.is_file(follow_symlinks=False):
                    continue
                _remove(there)
            os.link(entry.path, os.path.join(into, entry.name))
        for name, there in present.items():
            if not is_part_folder(name):
                _remove(there)


def _remove(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


