"""Load a corpus directory: registers plus every Drucksache file, each parsed and checked once.

A file with any problem is not published; every problem is reported. Nothing is dropped silently:
each ``.md`` file ends up either as exactly one document or with at least one problem.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build_cache import CacheWrite
from .coerce import coerce
from .frontmatter import SplitFile, normalise_text, split_front_matter
from .load_cache import LoadCache, open_cache, pickle_by_fields
from .model import (
    Consultation,
    Drucksache,
    OriginalFile,
    PaperType,
    Registers,
    Responsibility,
    sort_key_newest_first,
)
from .parallel import run_in_processes
from .problems import Problem, quote
from .redirects import REDIRECTS_FILE, Redirect, check_redirects, load_redirects
from .registers import REGISTER_DIR, load_registers
from .schema_check import load_inlined_schema, validate_against_schema
from .strict_yaml import parse_yaml
from .urls import main_page_urls
from .validate import validate_document


@dataclass(frozen=True, slots=True)
class Corpus:
    root: Path
    documents: tuple[Drucksache, ...]  # newest first
    registers: Registers
    problems: tuple[Problem, ...]  # sorted by path and line
    files_seen: int
    redirects: tuple[Redirect, ...] = ()
    # With a cache: each Drucksache's file key (its bytes, path, the registers and the loader's code), by
    # source_path. A Drucksache follows from its key, so the key can stand for its value (ratsdok.build_cache).
    source_keys: dict[str, str] = field(default_factory=dict, compare=False)  # not part of what was loaded

    def keyed_documents(self) -> list[tuple[Drucksache, bytes]]:
        """Each Drucksache with its file key (see ``source_keys``), where it has one."""
        keys = self.source_keys
        return [(doc, keys[doc.source_path].encode()) for doc in self.documents if doc.source_path in keys]

    def by_reference(self) -> dict[str, Drucksache]:
        return {document.reference: document for document in self.documents}


def display_path(path: Path) -> str:
    """Path as an editor sees it: relative to the working directory when below it."""
    text, below = str(path), os.getcwd() + os.sep
    if os.sep == "/" and text.startswith("/") and "/." not in text:  # the common cases, without relpath's work
        return text[len(below) :] if text.startswith(below) else text
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def find_document_files(root: Path) -> list[Path]:
    """All Markdown files below ``root`` except the registers, in a stable order.

    ``.MD`` counts too: such a file must not be skipped silently (its name check then reports it).
    """
    found = []
    for folder, subfolders, names in os.walk(root):
        if folder == str(root):
            subfolders[:] = [name for name in subfolders if name != REGISTER_DIR]
        found += [Path(folder, name) for name in names if os.path.splitext(name)[1].lower() == ".md"]
    return sorted(found, key=lambda path: path.parts)  # the order of Path's comparison, without its cost


def load_corpus(
    root: Path,
    workers: int | None = None,
    cache_dir: Path | None = None,
    *,
    save_in_background: bool = False,
    keep_in_memory: bool = False,
    later: list[CacheWrite] | None = None,
) -> Corpus:
    """``workers``: processes that load files (default: one per core for a large corpus, else one);
    ``cache_dir``: where results of unchanged files are kept between runs (default: no cache);
    ``save_in_background``: the cache is written by a detached process (the check shows its result meanwhile);
    ``keep_in_memory``: the next load in this process takes the cache from memory (load_cache.open_cache);
    ``later``: the cache is not written but its writing added to this list."""
    root = root.resolve()
    shown_root = display_path(root)
    if not root.is_dir():
        problem = Problem(shown_root, 1, "Verzeichnis", "Das Verzeichnis der Drucksachen existiert nicht")
        return Corpus(root, (), Registers({}, {}, {}), (problem,), 0)
    registers, problems = load_registers(root, shown_root)
    files = find_document_files(root)
    documents: list[Drucksache] = []
    claims: list[NumberClaim] = []
    date_lines: dict[str, int] = {}
    cache = open_cache(cache_dir, registers, keep_in_memory=keep_in_memory) if cache_dir is not None else None
    source_keys: dict[str, str] = {}
    for key, loaded in _load_keyed(files, root, registers, workers, cache):
        problems.extend(loaded.problems)
        if loaded.document is not None:
            documents.append(loaded.document)
            date_lines[loaded.document.source_path] = loaded.date_line
            if key is not None:
                source_keys[loaded.document.source_path] = key
        if loaded.claim is not None:
            claims.append(loaded.claim)
    duplicate_problems = find_duplicate_numbers(claims)
    if duplicate_problems:
        problems.extend(duplicate_problems)
        duplicated = {problem.path for problem in duplicate_problems}
        documents = [document for document in documents if document.source_path not in duplicated]
    date_problems = find_answers_before_inquiries(documents, date_lines)
    if date_problems:
        problems.extend(date_problems)
        documents = [document for document in documents if document.source_path not in {p.path for p in date_problems}]
    documents.sort(key=sort_key_newest_first)
    shown_redirects = f"{shown_root}/{REDIRECTS_FILE}"
    redirects, redirect_problems = load_redirects(root, shown_redirects)
    problems += redirect_problems
    redirect_problems = check_redirects(redirects, main_page_urls(tuple(documents), registers), shown_redirects)
    problems += redirect_problems
    broken_lines = {problem.line for problem in redirect_problems}
    redirects = [redirect for redirect in redirects if redirect.line not in broken_lines]  # never write a wrong one
    if cache is not None and later is not None:
        write = cache.later()
        if write is not None:
            later.append(write)
    elif cache is not None:
        cache.save(in_background=save_in_background)
    return Corpus(root, tuple(documents), registers, tuple(sorted(problems)), len(files), tuple(redirects), source_keys)


def load_documents(
    files: Sequence[Path], root: Path, registers: Registers, workers: int | None = None, cache: LoadCache | None = None
) -> list[LoadedFile]:
    """``load_document`` for each file, in order; what ``cache`` holds is taken from it."""
    return [loaded for _, loaded in _load_keyed(files, root, registers, workers, cache)]


def _load_keyed(files: Sequence[Path], root: Path, registers: Registers, workers: int | None, cache: LoadCache | None) -> Keyed:
    """``load_documents``, each result with the file's key in ``cache`` (None without one)."""
    if cache is None or not cache.entries:  # nothing to reuse: the worker processes read and key the files too
        keyed = _load_in_processes(files, root, registers, workers, cache)
        for key, result in keyed:
            if cache is not None and key is not None:
                cache.put(key, result)
        return keyed
    loaded: dict[int, LoadedFile] = {}
    keys: list[str | None] = []
    for index, file in enumerate(files):
        signature = cache.signature(file)
        taken = cache.taken(file, signature)
        if taken is not None:
            key, loaded[index] = taken
            keys.append(key)
            continue
        raw = _read(file)
        key = cache.key(file, root, display_path(file), raw) if raw is not None else None
        keys.append(key)
        if key is None or raw is None:
            continue
        cache.remember(file, signature, key)
        if (found := cache.get(key, raw)) is not None:
            loaded[index] = found
    missing = [index for index in range(len(files)) if index not in loaded]
    for index, (_, result) in zip(missing, _load_in_processes([files[index] for index in missing], root, registers, workers), strict=True):
        loaded[index] = result
        if (key := keys[index]) is not None:
            cache.put(key, result)
    return [(keys[index], loaded[index]) for index in range(len(files))]


def _read(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None  # load_document words the problem


def _load_in_processes(files: Sequence[Path], root: Path, registers: Registers, workers: int | None, cache: LoadCache | None = None) -> Keyed:
    """A large corpus is split across processes."""
    return run_in_processes(_load_batch, files, root, registers, cache, workers=workers)


def _load_batch(files: Sequence[Path], root: Path, registers: Registers, cache: LoadCache | None) -> Keyed:
    if cache is None:
        return [(None, load_document(file, root, registers)) for file in files]
    keyed: Keyed = []
    for file in files:
        raw = _read(file)
        key = cache.key(file, root, display_path(file), raw) if raw is not None else None
        keyed.append((key, load_document(file, root, registers, raw)))
    return keyed


@dataclass(frozen=True, slots=True)
class NumberClaim:
    """A file's nummer, kept even when the file has other problems, to find duplicates."""

    reference: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class LoadedFile:
    document: Drucksache | None  # None when the file has problems
    claim: NumberClaim | None
    problems: list[Problem]
    date_line: int = 1  # for checks across files


pickle_by_fields(NumberClaim)
pickle_by_fields(LoadedFile)
Keyed = list[tuple[str | None, LoadedFile]]  # (cache key, result) of each file; no key without a cache


def load_document(file: Path, root: Path, registers: Registers, raw: bytes | None = None) -> LoadedFile:
    """Parse and check one file (``raw``: its bytes, when already read); collect all of its problems."""
    shown = display_path(file)
    try:
        text = normalise_text(file.read_bytes() if raw is None else raw)
    except UnicodeDecodeError as error:
        return LoadedFile(None, None, [Problem(shown, 1, "Datei", f"keine gültige UTF-8-Datei (Byte {error.start}); bitte als UTF-8 speichern")])
    except OSError as error:
        return LoadedFile(None, None, [Problem(shown, 1, "Datei", f"nicht lesbar ({error.strerror})")])
    split, problems = split_front_matter(text, shown)
    if split is None:
        return LoadedFile(None, None, problems)
    node, problems = parse_yaml(split.front_matter, shown, split.front_matter_line)
    if node is None:
        return LoadedFile(None, None, problems or [Problem(shown, 1, "Front Matter", "Die Kopfdaten sind leer")])
    coerced = coerce(node, load_inlined_schema("drucksache"), shown, root_line=1)
    problems += coerced.problems
    if not isinstance(coerced.value, dict):
        problems.append(Problem(shown, 2, "Front Matter", "Die Kopfdaten müssen Felder der Form „name: wert“ sein"))
        return LoadedFile(None, None, problems)
    already_reported = {(problem.line, problem.field) for problem in coerced.problems}
    problems += [
        problem
        for problem in validate_against_schema(coerced, "drucksache", shown)
        if (problem.line, problem.field) not in already_reported
    ]
    problems += validate_document(coerced.value, coerced, registers, file, root, shown)
    reference = coerced.value.get("nummer")
    claim = NumberClaim(reference, shown, coerced.line_of(("nummer",))) if isinstance(reference, str) and reference else None
    if problems:
        return LoadedFile(None, claim, sorted(set(problems)))
    return LoadedFile(build_model(coerced.value, split, shown), claim, [], coerced.line_of(("datum",)))


def build_model(data: dict[str, Any], split: SplitFile, path: str) -> Drucksache:
    """Map validated German front matter onto the model (the only place that knows both)."""
    responsible = data.get("zustaendig")
    original = data.get("original")
    return Drucksache(
        reference=data["nummer"],
        paper_type=PaperType(data["art"]),
        title=data["titel"],
        subject=data["betreff"],
        date=dt.date.fromisoformat(data["datum"]),
        issuer=data["urheber"],
        faction=data.get("fraktion"),
        answers=data.get("anfrage"),
        consultations=tuple(
            Consultation(
                committee=row["gremium"],
                role=row["status"],
                meeting_date=dt.date.fromisoformat(row["sitzung"]) if "sitzung" in row else None,
                agenda_item=row.get("top"),
            )
            for row in data.get("beratungsfolge", ())
        ),
        topics=tuple(data.get("themen", ())),
        responsibility=Responsibility(
            department=responsible.get("bereich"),
            unit=responsible.get("referat"),
            clerk=responsible.get("sachbearbeitung"),
            unit_head=responsible.get("referatsleitung"),
        )
        if responsible
        else None,
        file_reference=data.get("aktenzeichen"),
        original=OriginalFile(
            location=original.get("url") or original["pfad"], is_url="url" in original, sha256=original["sha256"]
        )
        if original
        else None,
        related=tuple(data.get("bezuege", ())),
        body=split.body,
        body_line=split.body_line,
        source_path=path,
    )


def find_duplicate_numbers(claims: list[NumberClaim]) -> list[Problem]:
    """The same nummer in several files: report it in each file, naming the others."""
    by_reference: dict[str, list[NumberClaim]] = defaultdict(list)
    for claim in claims:
        by_reference[claim.reference].append(claim)
    problems = []
    for reference, group in by_reference.items():
        if len(group) < 2:
            continue
        for claim in group:
            others = ", ".join(quote(other.path) for other in group if other is not claim)
            problems.append(Problem(claim.path, claim.line, "nummer", f"Nummer {quote(reference)} ist auch in {others} vergeben"))
    return problems


def find_answers_before_inquiries(documents: list[Drucksache], date_lines: dict[str, int]) -> list[Problem]:
    """An answer dated before its inquiry is a typo in one of the two dates."""
    by_reference = {document.reference: document for document in documents}
    problems = []
    for answer in documents:
        inquiry = by_reference.get(answer.answers or "")
        if inquiry is not None and answer.date < inquiry.date:
            problems.append(
                Problem(
                    answer.source_path,
                    date_lines[answer.source_path],
                    "datum",
                    f"liegt vor dem Datum der beantworteten Anfrage {quote(inquiry.reference)} ({inquiry.date.isoformat()}); "
                    "bitte beide Daten prüfen",
                )
            )
    return problems
