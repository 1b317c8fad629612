"""The catalog: groupings, answers and answer times, medians, open inquiries, "Erwähnt in".

A small corpus with its own registers is written to a temporary directory; every expectation below
is computed by hand from the dates and numbers in ``CORPUS``. The last test builds the catalog of a
generated corpus and checks that links in bodies and "Erwähnt in" lists agree document by document.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import TempCorpus
from generate_corpus import generate_corpus
from ratsdok.catalog import Catalog, build_catalog, build_date
from ratsdok.counts import german_number
from ratsdok.document_pages import document_view
from ratsdok.listings import PAGE_SIZE, PageLink, days_text, listing_row, page_url, paginate, pagination
from ratsdok.load import Corpus, load_corpus
from ratsdok.model import Drucksache, slug_for
from ratsdok.render import render_body

REGISTERS = {
    "gremien.yml": "- id: ausschuss-a\n  name: Ausschuss A\n- id: ausschuss-b\n  name: Ausschuss B\n- id: ausschuss-leer\n  name: Ausschuss ohne Drucksachen\n",
    "fraktionen.yml": "- id: alpha\n  name: Fraktion Alpha\n- id: beta\n  name: Fraktion Beta\n- id: leer\n  name: Fraktion ohne Drucksachen\n",
    "themen.yml": "- id: thema-a\n  name: Thema A\n- id: thema-b\n  name: Thema B\n- id: thema-leer\n  name: Thema ohne Drucksachen\n",
}


def drucksache(
    reference: str,
    art: str,
    datum: str,
    *,
    fraktion: str | None = None,
    anfrage: str | None = None,
    gremien: Iterable[str] = (),
    themen: Iterable[str] = (),
    bezuege: Iterable[str] = (),
    status: str = "öffentlich",
    body: str = "Text.\n",
) -> str:
    lines = ["---", f'nummer: "{reference}"', f"art: {art}", f"titel: Titel {reference}", f"betreff: Betreff {reference}", f"datum: {datum}", f"status: {status}"]
    if fraktion:
        lines.append(f"fraktion: {fraktion}")
    if anfrage:
        lines.append(f'anfrage: "{anfrage}"')
    if gremien := list(gremien):
        lines.append("beratungsfolge:")
        for gremium in gremien:
            lines += [f"  - gremium: {gremium}", "    status: zur Kenntnis"]
    if themen := list(themen):
        lines += ["themen:", *(f"  - {thema}" for thema in themen)]
    if bezuege := list(bezuege):
        lines += ["bezuege:", *(f'  - "{reference}"' for reference in bezuege)]
    lines += ["urheber: Der Regionaldirektor", "---", ""]
    return "\n".join(lines) + "\n" + body


A, B = "ausschuss-a", "ausschuss-b"
INQUIRY, ANSWER = "fraktionsanfrage", "fraktionsanfrage-antwort"

# reference -> file content. Answer times: alpha 15, 10, 30 days (median 15); beta 5, 20 (median 12,5).
CORPUS = {
    # Fraktion Alpha
    "14/100": drucksache("14/100", INQUIRY, "2025-05-20", fraktion="alpha", gremien=[A], themen=["thema-a"]),
    "14/100-1": drucksache(
        "14/100-1", ANSWER, "2025-06-04", fraktion="alpha", anfrage="14/100", gremien=[A], themen=["thema-a"], body="Zur Anfrage (Drucksache 14/100):\n\nAntwort.\n"
    ),
    "14/101": drucksache("14/101", INQUIRY, "2025-03-01", fraktion="alpha", gremien=[A]),
    "14/101-1": drucksache("14/101-1", ANSWER, "2025-03-11", fraktion="alpha", anfrage="14/101", gremien=[A]),
    "14/102": drucksache("14/102", INQUIRY, "2025-01-02", fraktion="alpha", gremien=[A]),
    "14/102-1": drucksache("14/102-1", ANSWER, "2025-02-01", fraktion="alpha", anfrage="14/102", gremien=[A]),
    "14/103": drucksache("14/103", INQUIRY, "2025-06-10", fraktion="alpha", gremien=[A]),  # open
    "14/104": drucksache("14/104", INQUIRY, "2025-06-10", fraktion="alpha", gremien=[A, A]),  # open; committee twice in the Beratungsfolge
    # Fraktion Beta
    "14/200": drucksache("14/200", INQUIRY, "2024-11-01", fraktion="beta", gremien=[B], themen=["thema-b"]),
    "14/200-1": drucksache("14/200-1", ANSWER, "2024-11-06", fraktion="beta", anfrage="14/200", gremien=[B]),
    "14/201": drucksache("14/201", INQUIRY, "2024-12-01", fraktion="beta", gremien=[B]),
    "14/201-1": drucksache("14/201-1", ANSWER, "2024-12-21", fraktion="beta", anfrage="14/201", gremien=[B]),
    "14/202": drucksache("14/202", INQUIRY, "2024-10-15", fraktion="beta"),  # open
    # An answer whose inquiry is not published: no answer time, not in any median.
    "14/203-1": drucksache("14/203-1", ANSWER, "2025-01-10", fraktion="beta", anfrage="14/203", gremien=[B]),
    # An inquiry whose answer is not public: still open.
    "13/5": drucksache("13/5", INQUIRY, "2019-06-01", fraktion="beta", themen=["thema-b"]),
    "13/5-1": drucksache("13/5-1", ANSWER, "2019-07-01", fraktion="beta", anfrage="13/5", status="nichtöffentlich"),
    # Other papers, and the mentions of 14/100
    "14/300": drucksache(
        "14/300",
        "beschlussvorlage",
        "2025-04-01",
        gremien=[A, B],
        themen=["thema-a", "thema-b"],
        body="Bezug: Drucksache 14/100 und 14/999. Diese Vorlage (Drucksache 14/300) ersetzt nichts.\n",
    ),
    "14/301": drucksache("14/301", "fraktionsantrag", "2025-06-10", fraktion="alpha", bezuege=["14/100", "14/998"]),
    "14/302": drucksache("14/302", "informationsvorlage", "2025-06-11", status="nichtöffentlich", body="Zu Drucksache 14/100.\n"),
    "14/303": drucksache(
        "14/303",
        "informationsvorlage",
        "2025-06-12",
        body="Nur als Code: `Drucksache 14/100`, als Link: [Drucksache 14/101](https://example.org/).\n\n```\nDrs. 14/102\n```\n",
    ),
    "15/1": drucksache("15/1", "informationsvorlage", "2025-06-20", themen=["thema-a"], body="Vgl. Drucksachen 14/101-1 und 14/201-1.\n"),
}
UNPUBLISHED = {"13/5-1", "14/302"}
TODAY = dt.date(2025, 7, 1)


def write_corpus(corpus: TempCorpus, references: Iterable[str]) -> None:
    for name, content in REGISTERS.items():
        corpus.write(f"register/{name}", content)
    for reference in references:
        corpus.write(f"{reference.split('/')[0]}/{slug_for(reference)}.md", CORPUS[reference])


def catalog_of(loaded: Corpus, today: dt.date = TODAY) -> Catalog:
    return build_catalog(loaded, lambda doc: render_body(doc.body), today)


@pytest.fixture
def catalog(corpus: TempCorpus) -> Catalog:
    write_corpus(corpus, CORPUS)
    loaded = corpus.load()
    assert {problem.path for problem in loaded.problems} == {f"drucksachen/{r.split('/')[0]}/{slug_for(r)}.md" for r in UNPUBLISHED}
    assert len(loaded.documents) == len(CORPUS) - len(UNPUBLISHED)
    return catalog_of(loaded)


def refs(documents: Iterable[Drucksache]) -> list[str]:
    return [doc.reference for doc in documents]


# --- groupings ---------------------------------------------------------------------------------------


def test_documents_are_newest_first_and_same_date_by_higher_number(catalog: Catalog) -> None:
    assert refs(catalog.documents) == [
        "15/1", "14/303", "14/301", "14/104", "14/103", "14/100-1", "14/100", "14/300", "14/101-1", "14/101",
        "14/102-1", "14/203-1", "14/102", "14/201-1", "14/201", "14/200-1", "14/200", "14/202", "13/5",
    ]  # fmt: skip


def test_groupings_by_register(catalog: Catalog) -> None:
    assert refs(catalog.by_faction["alpha"]) == ["14/301", "14/104", "14/103", "14/100-1", "14/100", "14/101-1", "14/101", "14/102-1", "14/102"]
    assert refs(catalog.by_faction["beta"]) == ["14/203-1", "14/201-1", "14/201", "14/200-1", "14/200", "14/202", "13/5"]
    # A committee listed twice in one Beratungsfolge lists the document once.
    assert refs(catalog.by_committee[A]) == ["14/104", "14/103", "14/100-1", "14/100", "14/300", "14/101-1", "14/101", "14/102-1", "14/102"]
    assert refs(catalog.by_committee[B]) == ["14/300", "14/203-1", "14/201-1", "14/201", "14/200-1", "14/200"]
    assert refs(catalog.by_topic["thema-a"]) == ["15/1", "14/100-1", "14/100", "14/300"]
    assert refs(catalog.by_topic["thema-b"]) == ["14/300", "14/200", "13/5"]


def test_every_register_id_has_an_entry_even_without_documents(catalog: Catalog) -> None:
    assert list(catalog.by_committee) == [A, B, "ausschuss-leer"]
    assert list(catalog.by_faction) == ["alpha", "beta", "leer"]
    assert list(catalog.by_topic) == ["thema-a", "thema-b", "thema-leer"]
    assert catalog.by_committee["ausschuss-leer"] == catalog.by_faction["leer"] == catalog.by_topic["thema-leer"] == ()


def test_every_register_id_has_an_entry_in_an_empty_corpus(corpus: TempCorpus) -> None:
    write_corpus(corpus, [])
    catalog = catalog_of(corpus.load())
    assert catalog.by_committee == {A: (), B: (), "ausschuss-leer": ()}
    assert catalog.by_faction == {"alpha": (), "beta": (), "leer": ()}
    assert catalog.by_topic == {"thema-a": (), "thema-b": (), "thema-leer": ()}
    assert (catalog.by_year, catalog.by_term, catalog.answers_to, catalog.mentioned_in) == ({}, {}, {}, {})


def test_years_and_terms_newest_first(catalog: Catalog) -> None:
    assert list(catalog.by_year) == [2025, 2024, 2019]
    assert refs(catalog.by_year[2024]) == ["14/201-1", "14/201", "14/200-1", "14/200", "14/202"]
    assert refs(catalog.by_year[2019]) == ["13/5"]
    assert list(catalog.by_term) == [15, 14, 13]
    assert refs(catalog.by_term[15]) == ["15/1"]
    assert refs(catalog.by_term[13]) == ["13/5"]
    assert sum(len(docs) for docs in catalog.by_year.values()) == sum(len(docs) for docs in catalog.by_term.values()) == len(catalog.documents)


def snapshot(catalog: Catalog) -> dict[str, object]:
    groups = ("by_committee", "by_faction", "by_topic", "by_year", "by_term", "answers_to", "mentioned_in")
    result: dict[str, object] = {name: [(key, refs(docs)) for key, docs in getattr(catalog, name).items()] for name in groups}
    result["documents"] = refs(catalog.documents)
    return result


def test_groupings_do_not_depend_on_the_order_files_were_written(tmp_path: Path, catalog: Catalog) -> None:
    reversed_corpus = TempCorpus(tmp_path / "umgekehrt")
    write_corpus(reversed_corpus, reversed(list(CORPUS)))
    again = catalog_of(reversed_corpus.load())
    assert snapshot(again) == snapshot(catalog)
    assert snapshot(catalog_of(reversed_corpus.load())) == snapshot(again)


# --- answers and answer times ------------------------------------------------------------------------


def test_answers_to_and_answer_times(catalog: Catalog) -> None:
    assert {key: refs(docs) for key, docs in catalog.answers_to.items()} == {
        "14/100": ["14/100-1"],
        "14/101": ["14/101-1"],
        "14/102": ["14/102-1"],
        "14/200": ["14/200-1"],
        "14/201": ["14/201-1"],
        "14/203": ["14/203-1"],  # the inquiry is not published; the key does no harm
    }
    days = {doc.reference: time.days for doc in catalog.documents if (time := catalog.answer_time(doc)) is not None}
    assert days == {"14/100": 15, "14/101": 10, "14/102": 30, "14/200": 5, "14/201": 20}
    answered = {doc.reference: time.days for doc in catalog.documents if (time := catalog.answered(doc)) is not None}
    assert answered == {"14/100-1": 15, "14/101-1": 10, "14/102-1": 30, "14/200-1": 5, "14/201-1": 20}


def test_inquiry_without_answer_and_other_papers_have_no_answer_time(catalog: Catalog) -> None:
    for reference in ("14/103", "14/202", "13/5", "14/300", "15/1"):
        assert catalog.answer_time(catalog.by_reference[reference]) is None
    assert catalog.answered(catalog.by_reference["14/203-1"]) is None  # its inquiry is not published
    assert catalog.answered(catalog.by_reference["14/300"]) is None


@pytest.mark.parametrize(
    ("inquiry", "answer", "days"),
    [("2025-05-20", "2025-06-04", 15), ("2024-02-28", "2024-03-01", 2), ("2024-12-31", "2025-01-01", 1), ("2025-06-04", "2025-06-04", 0)],
)
def test_answer_time_in_days(corpus: TempCorpus, inquiry: str, answer: str, days: int) -> None:
    write_corpus(corpus, [])
    corpus.write("14/14-1.md", drucksache("14/1", INQUIRY, inquiry, fraktion="alpha"))
    corpus.write("14/14-1-1.md", drucksache("14/1-1", ANSWER, answer, fraktion="alpha", anfrage="14/1"))
    catalog = catalog_of(corpus.load())
    time = catalog.answer_time(catalog.by_reference["14/1"])
    assert time is not None
    assert (time.answer.reference, time.days) == ("14/1-1", days)


def test_answer_time_picks_the_first_answer(corpus: TempCorpus) -> None:
    write_corpus(corpus, [])
    corpus.write("14/14-1.md", drucksache("14/1", INQUIRY, "2025-05-20", fraktion="alpha"))
    # The later answer has the lower supplement and is written first: the date decides.
    corpus.write("14/14-1-1.md", drucksache("14/1-1", ANSWER, "2025-07-01", fraktion="alpha", anfrage="14/1"))
    corpus.write("14/14-1-2.md", drucksache("14/1-2", ANSWER, "2025-06-04", fraktion="alpha", anfrage="14/1"))
    corpus.write("14/14-1-3.md", drucksache("14/1-3", ANSWER, "2025-08-01", fraktion="alpha", anfrage="14/1"))
    catalog = catalog_of(corpus.load())
    assert refs(catalog.answers_to["14/1"]) == ["14/1-2", "14/1-1", "14/1-3"]  # oldest first
    time = catalog.answer_time(catalog.by_reference["14/1"])
    assert time is not None
    assert (time.answer.reference, time.days) == ("14/1-2", 15)
    assert catalog.open_inquiries(catalog.documents) == []
    # The median describes how long an inquiry waits: later answers to it do not count again.
    assert catalog.median_answer_days(catalog.documents) == (15, 1)


def test_answers_on_the_same_day_first_is_the_lower_number(corpus: TempCorpus) -> None:
    write_corpus(corpus, [])
    corpus.write("14/14-1.md", drucksache("14/1", INQUIRY, "2025-05-20", fraktion="alpha"))
    corpus.write("14/14-1-2.md", drucksache("14/1-2", ANSWER, "2025-06-04", fraktion="alpha", anfrage="14/1"))
    corpus.write("14/14-1-1.md", drucksache("14/1-1", ANSWER, "2025-06-04", fraktion="alpha", anfrage="14/1"))
    catalog = catalog_of(corpus.load())
    assert refs(catalog.answers_to["14/1"]) == ["14/1-1", "14/1-2"]


# --- medians -----------------------------------------------------------------------------------------


def test_median_per_faction(catalog: Catalog) -> None:
    assert catalog.median_answer_days(catalog.by_faction["alpha"]) == (15, 3)  # 10, 15, 30
    assert catalog.median_answer_days(catalog.by_faction["beta"]) == (12.5, 2)  # 5, 20; 14/203-1 has no inquiry here
    assert catalog.median_answer_days(catalog.by_faction["leer"]) == (None, 0)


def test_median_per_committee(catalog: Catalog) -> None:
    assert catalog.median_answer_days(catalog.by_committee[A]) == (15, 3)  # 14/100-1: 15, 14/101-1: 10, 14/102-1: 30
    assert catalog.median_answer_days(catalog.by_committee[B]) == (12.5, 2)  # 14/201-1: 20, 14/200-1: 5; not 14/203-1
    assert catalog.median_answer_days(catalog.by_committee["ausschuss-leer"]) == (None, 0)
    assert catalog.median_answer_days(catalog.by_topic["thema-b"]) == (None, 0)  # inquiries only: nothing answered here


def test_median_over_the_whole_corpus_and_its_display(catalog: Catalog) -> None:
    median, count = catalog.median_answer_days(catalog.documents)
    assert (median, count) == (15, 5)  # 5, 10, 15, 20, 30
    even, even_count = catalog.median_answer_days(catalog.by_faction["beta"])
    assert even is not None
    assert (days_text(median), days_text(even), even_count) == ("15 Tage", "12,5 Tage", 2)


# --- open inquiries and the build date ---------------------------------------------------------------


def test_open_inquiries_newest_first(catalog: Catalog) -> None:
    # 13/5 has an answer that is not public, so it is open. Same date: the higher number first.
    assert refs(catalog.open_inquiries(catalog.documents)) == ["14/104", "14/103", "14/202", "13/5"]
    assert refs(catalog.open_inquiries(catalog.by_faction["alpha"])) == ["14/104", "14/103"]
    assert refs(catalog.open_inquiries(catalog.by_committee[B])) == []


def test_age_of_open_inquiries_relative_to_the_source_date_epoch(corpus: TempCorpus, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(corpus, CORPUS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC).timestamp())))
    catalog = catalog_of(corpus.load(), build_date())
    assert catalog.today == dt.date(2025, 7, 1)
    ages = {doc.reference: catalog.age_days(doc) for doc in catalog.open_inquiries(catalog.documents)}
    assert ages == {"13/5": 2222, "14/202": 259, "14/103": 21, "14/104": 21}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 6, 10, tzinfo=dt.UTC).timestamp())))
    later = catalog_of(corpus.load(), build_date())
    assert later.age_days(later.by_reference["14/103"]) == 0


def test_build_date_uses_the_utc_day_of_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2025-06-30 23:30 UTC is already 1 July in Berlin: the build date must not depend on the machine.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC).timestamp())))
    if hasattr(time, "tzset"):
        monkeypatch.setenv("TZ", "Europe/Berlin")
        time.tzset()
    try:
        assert build_date() == dt.date(2025, 6, 30)
    finally:
        monkeypatch.delenv("TZ", raising=False)
        if hasattr(time, "tzset"):
            time.tzset()


@pytest.mark.parametrize("value", [None, "", "nicht-gesetzt", "-5", "1.5"])
def test_build_date_without_a_usable_source_date_epoch_is_today(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    before = dt.date.today()
    assert build_date() in (before, dt.date.today())


# --- "Erwähnt in" --------------------------------------------------------------------------------------


def test_mentioned_in(catalog: Catalog) -> None:
    assert {key: refs(docs) for key, docs in catalog.mentioned_in.items()} == {
        # 14/301 by bezuege, 14/100-1 and 14/300 by their text. Not 14/302 (not public), not 14/303 (code and link only).
        "14/100": ["14/301", "14/100-1", "14/300"],
        "14/101-1": ["15/1"],
        "14/201-1": ["15/1"],
    }


def test_mentioned_in_never_lists_the_document_itself_or_unpublished_numbers(catalog: Catalog) -> None:
    assert catalog.bodies["14/300"].references == ("14/100", "14/999", "14/300")
    assert catalog.by_reference["14/301"].related == ("14/100", "14/998")
    assert "14/300" not in catalog.mentioned_in
    assert not {"14/998", "14/999", "14/302", "13/5-1"} & set(catalog.mentioned_in)
    assert set(catalog.mentioned_in) <= set(catalog.by_reference)
    for reference, documents in catalog.mentioned_in.items():
        assert reference not in refs(documents)
        assert len(set(refs(documents))) == len(documents)


def test_a_document_mentioned_in_text_and_bezuege_is_listed_once(corpus: TempCorpus) -> None:
    write_corpus(corpus, [])
    corpus.write("14/14-1.md", drucksache("14/1", "informationsvorlage", "2025-01-01"))
    corpus.write("14/14-2.md", drucksache("14/2", "informationsvorlage", "2025-01-02", bezuege=["14/1"], body="Drs. 14/1, nochmals Drucksache 14/1.\n"))
    catalog = catalog_of(corpus.load())
    assert refs(catalog.mentioned_in["14/1"]) == ["14/2"]


# --- listings: day counts, rows, pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "dative", "text"),
    [
        (0, False, "0 Tage"),
        (0, True, "0 Tagen"),  # "nach 0 Tagen"
        (1, False, "1 Tag"),
        (1, True, "1 Tag"),  # "nach 1 Tag"
        (1.0, True, "1 Tag"),
        (2, False, "2 Tage"),
        (2, True, "2 Tagen"),
        (15.0, False, "15 Tage"),  # a median of an odd count is a whole number
        (12.5, False, "12,5 Tage"),  # decimal comma
        (12.5, True, "12,5 Tagen"),
        (0.5, False, "0,5 Tage"),
        (2222, True, "2.222 Tagen"),  # thousands grouped with a full stop
        (1234.5, False, "1.234,5 Tage"),
    ],
)
def test_days_text(days: float, dative: bool, text: str) -> None:
    assert days_text(days, dative=dative) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (999, "999"), (1000, "1.000"), (2942, "2.942"), (10000, "10.000"), (1234567, "1.234.567"), (12.5, "12,5"), (3.0, "3")],
)
def test_german_number(value: float, text: str) -> None:
    assert german_number(value) == text


def test_listing_rows_show_answer_status(catalog: Catalog) -> None:
    def status(reference: str) -> tuple[str | None, str | None, bool]:
        row = listing_row(catalog.by_reference[reference], catalog)
        return row.status, row.status_url, row.is_open

    assert status("14/100") == ("Beantwortet am 4. Juni 2025 (nach 15 Tagen)", "drucksachen/14-100-1/", False)
    assert status("14/103") == ("Offen seit 21 Tagen", None, True)
    assert status("13/5") == ("Offen seit 2.222 Tagen", None, True)
    assert status("14/100-1") == ("Antwort nach 15 Tagen", None, False)
    assert status("14/203-1") == (None, None, False)  # its inquiry is not published
    assert status("14/300") == (None, None, False)
    row = listing_row(catalog.by_reference["14/100"], catalog)
    assert (row.reference, row.url, row.title, row.date, row.date_iso, row.paper_type) == (
        "14/100", "drucksachen/14-100/", "Titel 14/100", "20. Mai 2025", "2025-05-20", "Fraktionsanfrage",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, [0]),  # an empty listing still has its first page
        (1, [1]),
        (PAGE_SIZE - 1, [PAGE_SIZE - 1]),
        (PAGE_SIZE, [PAGE_SIZE]),
        (PAGE_SIZE + 1, [PAGE_SIZE, 1]),
        (2 * PAGE_SIZE, [PAGE_SIZE, PAGE_SIZE]),
        (2 * PAGE_SIZE + 50, [PAGE_SIZE, PAGE_SIZE, 50]),
    ],
)
def test_paginate(count: int, sizes: list[int]) -> None:
    items = list(range(count))
    pages = paginate(items, "gremien/ausschuss-a/")  # type: ignore[arg-type]
    assert [url for url, _, _ in pages] == ["gremien/ausschuss-a/", *(f"gremien/ausschuss-a/seite-{n}/" for n in range(2, len(sizes) + 1))]
    assert [len(chunk) for _, chunk, _ in pages] == sizes
    assert [number for _, _, number in pages] == list(range(1, len(sizes) + 1))
    assert [item for _, chunk, _ in pages for item in chunk] == items  # nothing lost, order kept


def test_page_size_keeps_pages_small() -> None:
    assert PAGE_SIZE == 100


def test_pagination_links() -> None:
    assert pagination("jahre/2025/", 1, 1) is None
    assert pagination("jahre/2025/", 1, 0) is None
    first = pagination("jahre/2025/", 1, 3)
    assert first is not None
    assert first.pages == (PageLink(1, "jahre/2025/"), PageLink(2, "jahre/2025/seite-2/"), PageLink(3, "jahre/2025/seite-3/"))
    assert (first.previous, first.next) == (None, PageLink(2, "jahre/2025/seite-2/"))
    middle = pagination("jahre/2025/", 2, 3)
    assert middle is not None
    assert (middle.previous, middle.next) == (PageLink(1, "jahre/2025/"), PageLink(3, "jahre/2025/seite-3/"))
    last = pagination("jahre/2025/", 3, 3)
    assert last is not None
    assert (last.previous, last.next) == (PageLink(2, "jahre/2025/seite-2/"), None)
    assert page_url("offene-anfragen/", 1) == "offene-anfragen/"
    assert page_url("offene-anfragen/", 12) == "offene-anfragen/seite-12/"


# --- links in bodies and "Erwähnt in" agree, on a generated corpus ----------------------------------------

_LINK = re.compile(r'<a class="rd-verweis" href="\.\./([^"/]+)/">([^<]+)</a>')
_BEZUEGE = re.compile(r'^bezuege:\n(?:  - "[^"]+"\n)+', re.M)


@pytest.fixture(scope="module")
def generated_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """600 generated documents, varied so that the text and ``bezuege`` are independent sources:
    every second document loses its ``bezuege`` (its text still mentions them); every fifth mentions
    an unpublished number and itself in an extra paragraph."""
    root = tmp_path_factory.mktemp("generiert")
    generate_corpus(root, 600, seed=7)
    for index, file in enumerate(sorted(root.glob("*/*.md"))):
        text = file.read_text("utf-8")
        if index % 2 == 0:
            text = _BEZUEGE.sub("", text, count=1)
        if index % 5 == 0:
            own = re.search(r'^nummer: "([^"]+)"$', text, re.M)
            assert own is not None
            text += f"\nSiehe auch Drucksache 12/9999 und diese Drucksache {own.group(1)}.\n"
        file.write_text(text, "utf-8")
    loaded = load_corpus(root)
    assert loaded.problems == ()
    assert len(loaded.documents) == 600
    return build_catalog(loaded, lambda doc: render_body(doc.body), dt.date(2025, 12, 31))


def test_links_in_bodies_and_mentioned_in_agree_on_a_generated_corpus(generated_catalog: Catalog) -> None:
    catalog = generated_catalog
    by_slug = {doc.slug: doc for doc in catalog.documents}
    linked: set[tuple[str, str]] = set()  # (A, B): A's body links to B
    listed: set[tuple[str, str]] = set()  # (A, B): A lists B in bezuege
    for doc in catalog.documents:
        html = document_view(catalog, doc).body_html
        assert "\x00" not in html
        for slug, text in _LINK.findall(html):
            target = by_slug[slug]  # every link points to a published document
            assert target.reference == text
            assert target is not doc
            linked.add((doc.reference, target.reference))
        listed.update((doc.reference, other) for other in doc.related)
    mentioned = {(doc.reference, target) for target, docs in catalog.mentioned_in.items() for doc in docs}

    assert linked | listed == mentioned

    # Not vacuous: many links, and links and bezuege each contribute pairs the other does not.
    assert len(linked) >= 100
    assert len(linked - listed) >= 50
    assert len(listed - linked) >= 20
    assert len(catalog.mentioned_in) >= 150
    unpublished = [ref for doc in catalog.documents for ref in catalog.bodies[doc.reference].references if ref not in catalog.by_reference]
    assert len(unpublished) >= 100  # "12/9999": marked, never linked, never a key
    assert "12/9999" not in catalog.mentioned_in
    self_mentions = [doc for doc in catalog.documents if doc.reference in catalog.bodies[doc.reference].references]
    assert len(self_mentions) >= 100
    assert all(doc not in catalog.mentioned_in.get(doc.reference, ()) for doc in self_mentions)


def test_an_answer_dated_before_its_inquiry_is_a_problem_and_not_published(corpus: TempCorpus) -> None:
    write_corpus(corpus, [])
    corpus.write("14/14-1.md", drucksache("14/1", INQUIRY, "2025-05-20", fraktion="alpha"))
    corpus.write("14/14-1-1.md", drucksache("14/1-1", ANSWER, "2025-05-02", fraktion="alpha", anfrage="14/1"))
    loaded = corpus.load()
    assert [str(problem) for problem in loaded.problems] == [
        "drucksachen/14/14-1-1.md:6: datum: liegt vor dem Datum der beantworteten Anfrage „14/1“ (2025-05-20); bitte beide Daten prüfen"
    ]
    assert [doc.reference for doc in loaded.documents] == ["14/1"]
