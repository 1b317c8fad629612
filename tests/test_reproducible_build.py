"""Two clean builds of the same corpus with the same SOURCE_DATE_EPOCH write identical files.

Every file of the site is compared byte by byte, Pagefind's search index included: Pagefind itself writes its
filter files in a random order (a Rust HashMap), which ``ratsdok.pagefind_order`` puts in sorted order.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import pytest
from build_support import files_of, run_mkdocs_build
from conftest import REPO
from ratsdok.pagefind_order import SIGNATURE, decode_cbor, encode_cbor, read_pagefind_file

pytestmark = pytest.mark.build

CORPUS = REPO / "tests" / "fixtures" / "site_corpus"
EPOCH = "1767225600"


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


def test_every_file_is_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = (files_of(site) for site in two_builds)
    differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert not differing, "differ between two clean builds:\n" + "\n".join(differing)
    assert any(name.startswith("pagefind/filter/") for name in first)
    assert len(first) > 100  # HTML pages, feeds, exports, assets and the search index


def test_filters_and_their_values_are_sorted_and_named_by_their_content(two_builds: tuple[Path, Path]) -> None:
    site, _ = two_builds
    filters = sorted((site / "pagefind" / "filter").iterdir())
    names = []
    for file in filters:
        name, values = read_pagefind_file(file)
        names.append(name)
        assert [value for value, _ in values] == sorted(value for value, _ in values), name
        content = gzip.decompress(file.read_bytes())
        assert file.stem == "de_" + hashlib.sha256(content).hexdigest()[:7]
    assert sorted(names) == ["art", "fraktion", "gremium", "jahr", "thema"]
    [meta] = (site / "pagefind").glob("pagefind.*.pf_meta")
    assert meta.name == f"pagefind.de_{hashlib.sha256(gzip.decompress(meta.read_bytes())).hexdigest()[:10]}.pf_meta"
    assert meta.name.removeprefix("pagefind.").removesuffix(".pf_meta") in (site / "pagefind" / "pagefind-entry.json").read_text("utf-8")


@pytest.mark.parametrize(
    "value",
    [0, 23, 24, 255, 256, 65_535, 65_536, 2**32, "", "jahr", "ü" * 30, b"\x00\x01", [], [1, ["a", [2, 3]]], list(range(30))],
)
def test_cbor_round_trip(value: object) -> None:
    encoded = encode_cbor(value)
    assert decode_cbor(encoded) == (value, len(encoded))


def test_the_shortest_cbor_encoding_as_pagefind_writes_it() -> None:
    assert encode_cbor(23) == b"\x17" and encode_cbor(24) == b"\x18\x18" and encode_cbor(256) == b"\x19\x01\x00"
    assert SIGNATURE + encode_cbor(["jahr", [["2018", [9, 13]]]]) == b"pagefind_dcd\x82djahr\x81\x82d2018\x82\t\r"
