"""Make Pagefind's filter files reproducible: the same site gives the same bytes in every build.

Pagefind (1.5.2) writes the values of each filter, and the list of filters in its meta file, in the order of
a Rust HashMap, which is seeded anew in every run. The files name themselves by a hash of their content, so
two builds of the same site differ in a handful of files: ``filter/*.pf_filter``, the ``pf_meta`` file that
lists them and ``pagefind-entry.json`` that names the meta file. Here the filters and their values are put
in sorted order and the files renamed by a hash of the new content, in Pagefind's naming scheme. The browser
part reads the names from the entry and meta files and checks no hash, so the search works as before.

The files are gzip-compressed: a signature, then CBOR (RFC 8949), of which Pagefind uses unsigned integers,
negative integers, strings and arrays.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"


class PagefindFormatError(ValueError):
    """Pagefind wrote something this module does not know; its output is left as it is."""


def order_filters(bundle: Path) -> None:
    """Sort the filters of every language in ``bundle`` (the ``pagefind/`` folder) and rename what changed."""
    entry_file = bundle / ENTRY_FILE
    if not entry_file.is_file() or not any((bundle / "filter").glob("*.pf_filter")):
        return  # nothing indexed, or no page with a filter
    entry = json.loads(entry_file.read_text("utf-8"))
    for language in entry["languages"].values():
        meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
        # The part of the meta file that pairs each filter name with its file: [[name, hash], …].
        filters = meta_part(meta, bundle / "filter", ".pf_filter", 2, "der Filter")
        renamed = [[name, _rewrite_filter(bundle, name, file)] for name, file in sorted(filters)]
        filters[:] = renamed
        replace_meta(bundle, language, meta)
    write_entry(entry_file, entry)


def write_entry(entry_file: Path, entry: Any) -> None:
    """As Pagefind writes it: compact, with the characters as they are."""
    entry_file.write_text(json.dumps(entry, separators=(",", ":"), ensure_ascii=False), "utf-8")


def meta_part(meta: Any, folder: Path, suffix: str, width: int, what: str) -> list[Any]:
    """The list in the meta file whose items are ``width`` texts each, the last naming a file in ``folder``."""
    for part in meta if isinstance(meta, list) else []:
        if (
            isinstance(part, list)
            and part
            and all(isinstance(item, list) and len(item) == width and all(isinstance(value, str) for value in item) for item in part)
            and all((folder / f"{item[-1]}{suffix}").is_file() for item in part)
        ):
            return part
    raise PagefindFormatError(f"Pagefind-Metadaten ohne Liste {what}")


def _rewrite_filter(bundle: Path, name: str, old_hash: str) -> str:
    old_file = bundle / "filter" / f"{old_hash}.pf_filter"
    decoded = read_pagefind_file(old_file)
    if not (isinstance(decoded, list) and len(decoded) == 2 and decoded[0] == name and isinstance(decoded[1], list)):
        raise PagefindFormatError(f"unerwarteter Inhalt in {old_file.name}")
    decoded[1].sort(key=lambda value: value[0])
    content = encode_pagefind(decoded)
    new_hash = f"{old_hash.split('_', 1)[0]}_{hashlib.sha256(content).hexdigest()[:7]}"
    old_file.unlink()
    write_compressed(bundle / "filter" / f"{new_hash}.pf_filter", content)
    return new_hash


def replace_meta(bundle: Path, language: dict[str, Any], meta: Any) -> None:
    """Write ``meta`` as the language's meta file, named by its content; ``language`` (in the entry) names it."""
    content = encode_pagefind(meta)
    (bundle / f"pagefind.{language['hash']}.pf_meta").unlink()
    prefix = language["hash"].split("_", 1)[0]
    language["hash"] = f"{prefix}_{hashlib.sha256(content).hexdigest()[:10]}"
    write_compressed(bundle / f"pagefind.{language['hash']}.pf_meta", content)


def write_compressed(file: Path, content: bytes, level: int = 9) -> bytes:
    """Write ``content`` gzip-compressed, as Pagefind does; the bytes written."""
    compressed = gzip.compress(content, compresslevel=level, mtime=0)
    file.write_bytes(compressed)
    return compressed


def read_pagefind_file(file: Path) -> Any:
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PagefindFormatError(f"{file.name} ist keine Pagefind-Datei")
    value, end = decode_cbor(data, len(SIGNATURE))
    if end != len(data):
        raise PagefindFormatError(f"{file.name}: Daten nach dem Ende")
    return value


def encode_pagefind(value: Any) -> bytes:
    return SIGNATURE + encode_cbor(value)


def decode_cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item from ``data[at:]`` and the offset after it."""
    start = at
    major, argument, at = decode_head(data, at)
    if major == 0:
        return argument, at
    if major == 1:  # in index chunks: markers of a word's weight among its locations
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw.decode("utf-8") if major == 3 else raw), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = decode_cbor(data, at)
            items.append(item)
        return items, at
    raise PagefindFormatError(f"CBOR: unbekannter Typ {major} an Byte {start}")


def decode_head(data: bytes, at: int) -> tuple[int, int, int]:
    """Major type, argument and the offset after the head of the CBOR item at ``at``."""
    head = data[at]
    info = head & 0x1F
    if info < 24:
        return head >> 5, info, at + 1
    if info > 27:
        raise PagefindFormatError(f"CBOR: unbekannte Länge an Byte {at}")
    width = 1 << (info - 24)
    return head >> 5, int.from_bytes(data[at + 1 : at + 1 + width], "big"), at + 1 + width


def encode_cbor(value: Any) -> bytes:
    """The shortest encoding of each item, as Pagefind writes it."""
    if isinstance(value, bool) or value is None:
        raise PagefindFormatError(f"CBOR: {value!r} kommt bei Pagefind nicht vor")
    if isinstance(value, int):
        return encode_head(0, value) if value >= 0 else encode_head(1, -1 - value)
    if isinstance(value, bytes):
        return encode_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return encode_head(3, len(raw)) + raw
    if isinstance(value, list):
        return encode_head(4, len(value)) + b"".join(encode_cbor(item) for item in value)
    raise PagefindFormatError(f"CBOR: {type(value).__name__} kommt bei Pagefind nicht vor")


def encode_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * width):
            return bytes([major << 5 | info]) + argument.to_bytes(width, "big")
    raise PagefindFormatError(f"CBOR: Zahl zu groß ({argument})")
