"""Exports and OParl files made with what the last build made of each Drucksache (mkdocs serve) equal files made
afresh, after every kind of change that tests/test_page_plans.py makes."""

from __future__ import annotations

import pytest
from build_support import SITE_CORPUS
from ratsdok import document_memo
from ratsdok.body_settings import BodyInfo
from ratsdok.catalog import Catalog
from ratsdok.data_memos import DataMemos, made_ahead, memos_after
from ratsdok.document_memo import DocumentMemo
from ratsdok.exports import plan_exports
from ratsdok.load import load_corpus
from ratsdok.oparl import plan_oparl
from test_page_plans import CHANGES, catalog_of

BASE_URL = "https://drucksachen.example.org/"
BODY = BodyInfo("Testverband", "TV")
SYSTEM_NAME = "Drucksachen des Testverbands"


def data_files(catalog: Catalog, memos: DataMemos | None = None) -> dict[str, str]:
    exports_memo, oparl_memo = memos if memos is not None else (None, None)
    return plan_exports(catalog, BASE_URL, exports_memo) | plan_oparl(catalog, BASE_URL, BODY, SYSTEM_NAME, oparl_memo)


def memos_for(catalog: Catalog, earlier: DataMemos | None = None) -> DataMemos:
    return memos_after(catalog, BASE_URL, earlier)


def test_a_site_loaded_again_takes_what_was_made_of_every_drucksache() -> None:
    first_catalog = catalog_of(load_corpus(SITE_CORPUS))
    first = memos_for(first_catalog)
    before = data_files(first_catalog, first)
    assert before == data_files(first_catalog)
    catalog = catalog_of(load_corpus(SITE_CORPUS))  # new, equal objects
    second = memos_for(catalog, first)
    assert data_files(catalog, second) == before
    assert [memo.made for memo in first] == [5, 5] and [memo.made for memo in second] == [0, 0]
    other_base = (DocumentMemo(catalog, "https://anders.example.org/", first[0]),)
    other_base[0].get(catalog.documents[0], lambda: "neu")
    assert other_base[0].made == 1  # what is made for another address is not taken


@pytest.mark.parametrize("change", list(CHANGES))
def test_data_files_made_with_the_last_builds_equal_fresh_ones_after(change: str) -> None:
    start, make_change, _ = CHANGES[change]
    corpus = start(load_corpus(SITE_CORPUS))
    first_catalog = catalog_of(corpus)
    first = memos_for(first_catalog)
    before = data_files(first_catalog, first)
    catalog = catalog_of(make_change(corpus))
    taken = data_files(catalog, memos_for(catalog, first))
    assert taken == data_files(catalog)
    assert taken != before


def test_a_memo_not_kept_makes_everything_and_leaves_nothing_to_take(monkeypatch: pytest.MonkeyPatch) -> None:
    """A single build (not make serve) only makes each result: nothing is compared or held for a next build."""
    catalog = catalog_of(load_corpus(SITE_CORPUS))
    fresh = plan_exports(catalog, BASE_URL)
    single = DocumentMemo[str](catalog, BASE_URL, keep=False)
    with monkeypatch.context() as patched:
        patched.setattr(document_memo, "document_inputs", None)  # not asked for
        assert plan_exports(catalog, BASE_URL, single) == fresh
    after = DocumentMemo[str](catalog, BASE_URL, single)
    plan_exports(catalog, BASE_URL, after)
    assert single.made == after.made == 5


def test_what_is_made_ahead_leaves_the_next_data_files_nothing_to_make() -> None:
    """mkdocs serve: after the first build (whose data files come from a second process) the server makes each
    Drucksache's export and OParl objects ahead (ratsdok.data_memos), so the first save makes only what it changed."""
    catalog = catalog_of(load_corpus(SITE_CORPUS))
    ahead = made_ahead(catalog, BASE_URL, None, stop=lambda: False)
    assert [memo.made for memo in ahead] == [5, 5]
    again = catalog_of(load_corpus(SITE_CORPUS))  # the next build's, equal
    memos = memos_after(again, BASE_URL, ahead)
    assert data_files(again, memos) == data_files(again)
    assert [memo.made for memo in memos] == [0, 0]


def test_making_ahead_stops_when_asked_and_what_it_made_is_taken() -> None:
    """The next build asks the follow-up to stop (a save): what was made until then is taken, the rest made."""
    catalog = catalog_of(load_corpus(SITE_CORPUS))
    asked = iter([False, False, True])
    ahead = made_ahead(catalog, BASE_URL, None, stop=lambda: next(asked))
    assert [memo.made for memo in ahead] == [2, 2]
    memos = memos_after(catalog, BASE_URL, ahead)
    assert data_files(catalog, memos) == data_files(catalog)
    assert [memo.made for memo in memos] == [3, 3]
    earlier = made_ahead(catalog, BASE_URL, memos, stop=lambda: False)
    assert [memo.made for memo in earlier] == [0, 0]  # made ahead with the last memos: taken from them
