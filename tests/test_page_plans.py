"""Page plans taken from the last build (mkdocs serve) equal plans made afresh, after every kind of change.

Each test builds the catalog of tests/fixtures/site_corpus, plans its pages, changes one thing, and plans again
with the first plans as ``earlier``: every page's plan must equal a fresh plan of the changed catalog, and the
changed page's plan must differ from before (so the change is seen at all).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from build_support import SITE_CORPUS
from ratsdok import page_plans
from ratsdok.body_settings import BodyInfo
from ratsdok.build_cache import PageCache
from ratsdok.catalog import Catalog, build_catalog
from ratsdok.index_memo import IndexPagesMemo
from ratsdok.index_pages import plan_index_pages
from ratsdok.load import Corpus, load_corpus
from ratsdok.model import Drucksache, PaperType, RegisterEntry, sort_key_newest_first, without_text
from ratsdok.page_plans import PagePlan, PagePlans, PageSettings
from ratsdok.plan import plan_site
from ratsdok.render import render_body

SETTINGS = PageSettings("https://drucksachen.example.org/", BodyInfo("Testverband", "TV"), "Drucksachen des Testverbands")
TODAY = dt.date(2026, 1, 1)


def catalog_of(corpus: Corpus, today: dt.date = TODAY) -> Catalog:
    return build_catalog(corpus, lambda doc: render_body(doc.body), today)


def plan_all(catalog: Catalog, cache: PageCache, earlier: PagePlans | None = None, settings: PageSettings = SETTINGS) -> tuple[PagePlans, dict[str, PagePlan]]:
    plans = PagePlans(catalog, settings, cache, earlier=earlier)
    planned = {page.src_uri: plans.plan(page, None) for page in plan_site(catalog)}
    plans.done()
    return plans, planned


def with_documents(corpus: Corpus, documents: list[Drucksache]) -> Corpus:
    return dataclasses.replace(corpus, documents=tuple(sorted(documents, key=sort_key_newest_first)))


def replaced(corpus: Corpus, reference: str, **changes: object) -> Corpus:
    return with_documents(corpus, [dataclasses.replace(doc, **changes) if doc.reference == reference else doc for doc in corpus.documents])


def added(corpus: Corpus, reference: str, **changes: object) -> Corpus:
    """A new Drucksache, made from 99/11 with another number and the given fields."""
    template = corpus.by_reference()["99/11"]
    return with_documents(corpus, [*corpus.documents, dataclasses.replace(template, reference=reference, **changes)])


def renamed_topic(corpus: Corpus) -> Corpus:
    topics = dict(corpus.registers.topics)
    entry = topics["testthema"]
    topics["testthema"] = RegisterEntry(entry.id, "Umbenanntes Testthema", entry.short_name, entry.aliases, entry.organization_type, entry.classification)
    return dataclasses.replace(corpus, registers=dataclasses.replace(corpus.registers, topics=topics))


@pytest.fixture
def cache(tmp_path: Path) -> PageCache:
    return PageCache.open(tmp_path, "fingerprint", digested=(Drucksache,))


def test_a_site_loaded_again_takes_every_drucksache_page_plan(cache: PageCache) -> None:
    """A new load gives new, equal objects: equal inputs, so no Drucksache page is planned again."""
    first, before = plan_all(catalog_of(load_corpus(SITE_CORPUS)), cache)
    catalog = catalog_of(load_corpus(SITE_CORPUS))
    second, after = plan_all(catalog, cache, earlier=first)
    index_pages = len(after) - len(catalog.documents)
    assert len(catalog.documents) == 5 and index_pages > 0
    assert second.made == index_pages
    assert after == before


def mentioning_99_11(corpus: Corpus) -> Corpus:
    return replaced(corpus, "98/5", body="Siehe Drucksache 99/11.\n")


def unchanged(corpus: Corpus) -> Corpus:
    return corpus


# (the site before, what changes, the page whose plan it changes)
CHANGES: dict[str, tuple[Callable[[Corpus], Corpus], Callable[[Corpus], Corpus], str]] = {
    "its own text": (unchanged, lambda corpus: replaced(corpus, "99/11", body="Ein neuer Text.\n"), "drucksachen/99-11.md"),
    # The inquiry lists its answers with their titles.
    "the title of its answer": (unchanged, lambda corpus: replaced(corpus, "99/10-1", title="Neuer Titel der Antwort"), "drucksachen/99-10.md"),
    # The answer links its inquiry once that is published.
    "its inquiry published": (unchanged, lambda corpus: added(corpus, "99/12", paper_type=PaperType.INQUIRY), "drucksachen/99-12-1.md"),
    # 99/10's text names 99/999: published, the number becomes a link.
    "a Drucksache its text names published": (unchanged, lambda corpus: added(corpus, "99/999"), "drucksachen/99-10.md"),
    # "Erwähnt in": another text names 99/11.
    "a new mention in another text": (unchanged, mentioning_99_11, "drucksachen/99-11.md"),
    "the title of a Drucksache mentioning it": (mentioning_99_11, lambda corpus: replaced(corpus, "98/5", title="Neuer Titel"), "drucksachen/99-11.md"),
    "a mention taken back": (mentioning_99_11, lambda corpus: replaced(corpus, "98/5", body="Nichts.\n"), "drucksachen/99-11.md"),
    "its inquiry withdrawn": (unchanged, lambda corpus: with_documents(corpus, [doc for doc in corpus.documents if doc.reference != "99/10"]), "drucksachen/99-10-1.md"),
    "a topic's name in the register": (unchanged, renamed_topic, "drucksachen/99-10-1.md"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_plans_taken_from_the_last_build_equal_fresh_plans_after(change: str, cache: PageCache) -> None:
    start, make_change, changed_page = CHANGES[change]
    corpus = start(load_corpus(SITE_CORPUS))
    first, before = plan_all(catalog_of(corpus), cache)
    catalog = catalog_of(make_change(corpus))
    _, after = plan_all(catalog, cache, earlier=first)
    _, fresh = plan_all(catalog, cache)
    assert after == fresh
    assert after[changed_page] != before[changed_page]


def test_a_new_build_date_or_setting_plans_every_page_again(cache: PageCache) -> None:
    corpus = load_corpus(SITE_CORPUS)
    first, _ = plan_all(catalog_of(corpus), cache)
    later = catalog_of(corpus, today=TODAY + dt.timedelta(days=1))  # an open inquiry's age
    plans, after = plan_all(later, cache, earlier=first)
    assert plans.made == len(after)
    assert after == plan_all(later, cache)[1]
    renamed = dataclasses.replace(SETTINGS, site_name="Anderer Name")
    plans, after = plan_all(catalog_of(corpus), cache, earlier=first, settings=renamed)
    assert plans.made == len(after)
    assert after == plan_all(catalog_of(corpus), cache, settings=renamed)[1]


def test_only_the_pages_a_change_touches_are_planned_again(cache: PageCache) -> None:
    corpus = load_corpus(SITE_CORPUS)
    first, before = plan_all(catalog_of(corpus), cache)
    catalog = catalog_of(replaced(corpus, "99/10-1", title="Neuer Titel der Antwort"))
    plans, after = plan_all(catalog, cache, earlier=first)
    index_pages = len(after) - len(catalog.documents)
    assert plans.made == index_pages + 2  # the answer and its inquiry
    assert {uri for uri in after if after[uri] != before[uri] and uri.startswith("drucksachen/")} == {"drucksachen/99-10-1.md", "drucksachen/99-10.md"}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_page_keeps_its_key_only_while_what_it_shows_is_the_same(change: str, cache: PageCache) -> None:
    """A Drucksache page's key is made from its inputs, not from what it shows: the page cache and a --dirty
    rebuild rely on an equal key meaning an equal page."""
    start, make_change, changed_page = CHANGES[change]
    corpus = start(load_corpus(SITE_CORPUS))
    _, before = plan_all(catalog_of(corpus), cache)
    _, after = plan_all(catalog_of(make_change(corpus)), cache)
    assert after[changed_page].key != before[changed_page].key
    kept = [uri for uri in before.keys() & after.keys() if after[uri].key == before[uri].key]
    assert kept
    for uri in kept:
        assert after[uri].shown() == before[uri].shown(), uri


def test_keying_the_drucksache_pages_works_out_nothing_they_show(cache: PageCache, monkeypatch: pytest.MonkeyPatch) -> None:
    """A --dirty rebuild keys every page but renders only the changed ones."""
    catalog = catalog_of(load_corpus(SITE_CORPUS))
    shown: list[str] = []
    monkeypatch.setattr(page_plans, "document_view", lambda _catalog, doc: shown.append(doc.reference))
    _, planned = plan_all(catalog, cache)
    assert all(plan.key for plan in planned.values())
    assert shown == []
    assert planned["drucksachen/99-11.md"].view is None and shown == ["99/11"]  # worked out when asked for


def test_an_edited_text_changes_the_key_of_its_own_page_only(cache: PageCache) -> None:
    """Other pages show of a Drucksache its number, title, date and the like, never its text: its answer's page
    (which links it) is left as the last build wrote it."""
    corpus = load_corpus(SITE_CORPUS)
    _, before = plan_all(catalog_of(corpus), cache)
    inquiry = corpus.by_reference()["99/10"]
    _, after = plan_all(catalog_of(replaced(corpus, "99/10", body=inquiry.body.replace("Test-Radwege", "Probe-Radwege"))), cache)
    assert {uri for uri in before if after[uri].key != before[uri].key} == {"drucksachen/99-10.md"}


INDEX_CHANGES: dict[str, Callable[[Corpus], Catalog]] = {
    **{change: (lambda corpus, make=make_change: catalog_of(make(corpus))) for change, (_, make_change, _) in CHANGES.items()},
    "a Drucksache's date": lambda corpus: catalog_of(replaced(corpus, "98/5", date=dt.date(2024, 3, 1))),
    "a Drucksache's committee": lambda corpus: catalog_of(replaced(corpus, "99/11", consultations=())),
    "the build date": lambda corpus: catalog_of(corpus, today=TODAY + dt.timedelta(days=1)),
}

# Changes of texts only, which no index page shows.
TEXTS_ONLY = {"its own text", "a new mention in another text", "a mention taken back"}


@pytest.mark.parametrize("change", list(INDEX_CHANGES))
def test_index_pages_taken_from_the_last_build_equal_fresh_ones_after(change: str) -> None:
    corpus = load_corpus(SITE_CORPUS)
    memo = IndexPagesMemo()
    before = memo.plan(catalog_of(corpus))
    catalog = INDEX_CHANGES[change](corpus)
    after = memo.plan(catalog)
    assert after == plan_index_pages(catalog)
    assert memo.taken == (change in TEXTS_ONLY)
    assert memo.taken or after != before or change == "the build date"  # the change shows on an index page



def test_an_edited_text_plans_no_index_page_again(cache: PageCache) -> None:
    """A save that changes a text (the common case under mkdocs serve) plans its own page only."""
    corpus = load_corpus(SITE_CORPUS)
    memo = IndexPagesMemo()
    first = PagePlans(catalog_of(corpus), SETTINGS, cache)
    before = {page.src_uri: first.plan(page, None) for page in plan_site(first._catalog, memo)}
    first.done()
    catalog = catalog_of(replaced(corpus, "99/11", body="Ein neuer Text.\n"))
    plans = PagePlans(catalog, SETTINGS, cache, earlier=first)
    after = {page.src_uri: plans.plan(page, None) for page in plan_site(catalog, memo)}
    assert memo.taken and plans.made == 2  # its page, and the search page (planned every time)
    assert after == plan_all(catalog, cache)[1]
    assert {uri for uri in after if after[uri] != before[uri]} == {"drucksachen/99-11.md"}


def test_with_file_keys_for_the_drucksachen_a_page_keeps_its_key_only_while_its_file_is_unchanged(tmp_path: Path) -> None:
    """The build lets each Drucksache's file key stand for it in the page keys (Corpus.keyed_documents) instead of
    pickling it: a load of the unchanged files gives every page its key again; an edited text changes its own
    page's key only, an edited title also the pages that show the title (those around it, the index pages)."""
    site = tmp_path / "drucksachen"
    shutil.copytree(SITE_CORPUS, site)

    def keys_now() -> dict[str, str | None]:
        corpus = load_corpus(site, workers=1, cache_dir=tmp_path / "cache")
        cache = PageCache.open(tmp_path, "fingerprint", digested=(Drucksache,))
        cache.know_digests(corpus.keyed_documents())
        # All but the one with an original file: its key would not cover that file (ratsdok.load_cache).
        assert len(corpus.keyed_documents()) == len(corpus.documents) - 1 == 4
        return {uri: plan.key for uri, plan in plan_all(catalog_of(corpus), cache)[1].items()}

    def changed_since(before: dict[str, str | None]) -> set[str]:
        after = keys_now()
        return {uri for uri in after if after[uri] != before[uri]}

    first = keys_now()
    assert changed_since(first) == set()
    inquiry = site / "99" / "99-10.md"
    inquiry.write_text(inquiry.read_text("utf-8").replace("Wie viele Test-Radwege", "Wie viele Probe-Radwege"), "utf-8")
    assert changed_since(first) == {"drucksachen/99-10.md"}
    retitled = keys_now()
    inquiry.write_text(inquiry.read_text("utf-8").replace("titel: Testanfrage", "titel: Geänderte Testanfrage", 1), "utf-8")
    assert {"drucksachen/99-10.md", "drucksachen/99-10-1.md"} <= changed_since(retitled)  # its answer names it


def test_the_drucksachen_without_their_texts_are_digested_once_and_taken_from_the_cache_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page keys hold the Drucksachen around a page without their texts, by the digest of that value. A
    rebuild takes each digest from the last build's cache by the Drucksache's file key instead of copying and
    pickling the Drucksache again; an edited file is digested again, and the keys equal keys made afresh."""
    site = tmp_path / "drucksachen"
    shutil.copytree(SITE_CORPUS, site)
    derived: list[str] = []

    def counted(doc: Drucksache) -> Drucksache:
        derived.append(doc.reference)
        return without_text(doc)

    monkeypatch.setattr(page_plans, "without_text", counted)

    def keys_now(folder: str) -> dict[str, str | None]:
        corpus = load_corpus(site, workers=1, cache_dir=tmp_path / "cache")
        cache = PageCache.open(tmp_path / folder, "fingerprint", digested=(Drucksache,))
        cache.know_digests(corpus.keyed_documents())
        keys = {uri: plan.key for uri, plan in plan_all(catalog_of(corpus), cache)[1].items()}
        cache.prune()  # as each build does: it writes what the next one takes
        return keys

    def derived_now(folder: str) -> tuple[dict[str, str | None], set[str]]:
        derived.clear()
        keys = keys_now(folder)
        return keys, set(derived)

    first, at_first = derived_now("kept")
    # With an original file beside it: no file key. It may be digested again (where it is met as a neighbour
    # before its own page is keyed, which digests its value).
    unkeyed = {"99/10-1"}
    assert at_first > unkeyed
    unchanged, again = derived_now("kept")
    assert unchanged == first and again <= unkeyed

    inquiry = site / "99" / "99-10.md"
    inquiry.write_text(inquiry.read_text("utf-8").replace("Wie viele Test-Radwege", "Wie viele Probe-Radwege"), "utf-8")
    edited, again = derived_now("kept")
    assert "99/10" in again and again <= unkeyed | {"99/10"}
    assert edited == keys_now("fresh-1")
    assert {uri for uri in edited if edited[uri] != first[uri]} == {"drucksachen/99-10.md"}

    inquiry.write_text(inquiry.read_text("utf-8").replace("titel: Testanfrage", "titel: Geänderte Testanfrage", 1), "utf-8")
    retitled, _ = derived_now("kept")
    assert retitled == keys_now("fresh-2")
    assert retitled["drucksachen/99-10-1.md"] != edited["drucksachen/99-10-1.md"]  # its answer names it
