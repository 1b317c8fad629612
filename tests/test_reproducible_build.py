"""Two clean builds of the same corpus with the same SOURCE_DATE_EPOCH write identical files.

Every file of the site is compared byte by byte. The one known exception is in Pagefind's output: Pagefind
(1.5.2) writes the values of each filter in the order of a Rust HashMap, which is seeded anew in every run. So
``pagefind/filter/*.pf_filter`` may hold the same values in another order, and because file names are content
hashes, the names of those files, the ``pf_meta`` file that lists them and ``pagefind-entry.json`` that names
the meta file differ too. For exactly these files the test decodes Pagefind's format and proves that nothing but
that order and those names differ.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from build_support import run_mkdocs_build
from conftest import REPO

pytestmark = pytest.mark.build

CORPUS = REPO / "tests" / "fixtures" / "site_corpus"
EPOCH = "1767225600"
PAGEFIND = "pagefind/"
# Written in HashMap order by Pagefind, or naming such a file (see the module docstring).
HASH_ORDERED = re.compile(r"^pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$")
SIGNATURE = b"pagefind_dcd"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    sites = []
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        for name in ("erster", "zweiter"):
            site = tmp_path_factory.mktemp(name) / "site"
            result = run_mkdocs_build(site, corpus=CORPUS)
            assert result.returncode == 0, result.output[-3000:]
            sites.append(site)
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return sites[0], sites[1]


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_the_site_files_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = (files_of(site) for site in two_builds)
    compared = [name for name in first.keys() | second.keys() if not HASH_ORDERED.match(name)]
    differing = sorted(name for name in compared if first.get(name) != second.get(name))
    assert not differing, "differ between two clean builds:\n" + "\n".join(differing)
    assert len(compared) > 100  # HTML pages, feeds, exports, assets, Pagefind's fragments and index chunks


def test_pagefind_differs_only_in_the_order_of_filter_values(two_builds: tuple[Path, Path]) -> None:
    first, second = (pagefind_filters(site) for site in two_builds)
    assert first == second
    assert set(first) == {"gremium", "fraktion", "thema", "jahr", "art"}


def test_the_pagefind_meta_differs_only_in_the_filter_file_names(two_builds: tuple[Path, Path]) -> None:
    first, second = (pagefind_meta(site) for site in two_builds)
    assert without_filter_names(first) == without_filter_names(second)
    entries = [json.loads((site / PAGEFIND / "pagefind-entry.json").read_text("utf-8")) for site in two_builds]
    for entry in entries:
        for language in entry["languages"].values():
            language.pop("hash")
    assert entries[0] == entries[1]


# --- Pagefind's files: gzip, a signature, then CBOR ---------------------------------------------------------


def pagefind_filters(site: Path) -> dict[str, dict[str, list[int]]]:
    """Every filter with its values and their pages, in a fixed order."""
    filters: dict[str, dict[str, list[int]]] = {}
    for file in sorted((site / PAGEFIND / "filter").iterdir()):
        name, values = decode_pagefind(file)
        filters[name] = {value: pages for value, pages in values}
    return filters


def pagefind_meta(site: Path) -> list[Any]:
    [meta] = (site / PAGEFIND).glob("pagefind.*.pf_meta")
    decoded: list[Any] = decode_pagefind(meta)
    return decoded


def without_filter_names(meta: list[Any]) -> list[Any]:
    """The meta file without the hash names of the filter files (pairs of filter name and file name), whose
    order is the HashMap's too."""
    return [sorted(entry[0] for entry in part) if is_filter_list(part) else part for part in meta]


def is_filter_list(part: Any) -> bool:
    names = {"gremium", "fraktion", "thema", "jahr", "art"}
    return isinstance(part, list) and bool(part) and all(isinstance(entry, list) and entry[:1] and entry[0] in names for entry in part)


def decode_pagefind(file: Path) -> Any:
    data = gzip.decompress(file.read_bytes())
    assert data.startswith(SIGNATURE), file
    value, end = decode_cbor(data, len(SIGNATURE))
    assert end == len(data), file
    return value


def decode_cbor(data: bytes, at: int) -> tuple[Any, int]:
    """The subset of CBOR (RFC 8949) Pagefind writes: unsigned integers, byte and text strings, arrays, maps."""
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        width = 1 << (info - 24)
        argument, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        raise AssertionError(f"unexpected CBOR item at byte {at - 1}")
    if major == 0:
        return argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw.decode("utf-8") if major == 3 else raw), at + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (2 if major == 5 else 1)):
            item, at = decode_cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    raise AssertionError(f"unexpected CBOR major type {major}")
