"""The search as a visitor uses it: /suche/ in headless Chromium over a built site (Pagefind index included).

The site is the mixed corpus of tests/browser_support.py (200 synthetic documents, the real 14/2048-1, one
title with markup), built and served once per session. Under CI=true a missing browser fails these tests.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from browser_support import (
    MARKUP_BODY_MARKUP,
    MARKUP_SLUG,
    MARKUP_TITLE,
    MARKUP_WORD,
    REAL_COMMITTEE,
    REAL_SLUG,
    REAL_TITLE,
    MixedSite,
    PageWatch,
    browser_unavailable,
    in_ci,
    launch_chromium,
    load_all_results,
    result_date,
    show_more,
    shown_results,
    slug_of,
    status_text,
    wait_for_search,
    wait_until_scripts_idle,
    watched_page,
)
from build_support import run_mkdocs_build
from ratsdok.pagefind_chunks import cut_heavy_chunks
from ratsdok.pagefind_parts import PART_SIZE_VARIABLE
from site_server import serve_site

try:
    from playwright.sync_api import Browser, Locator, Page, expect
except ImportError as error:
    if not in_ci():
        browser_unavailable(f"Playwright is not installed ({error}); run: .venv/bin/pip install -r requirements-dev.txt", module=True)
    # Under CI the module loads on, and every test fails in the browser fixture with the reason.
    Browser = Locator = Page = expect = None  # type: ignore[misc,assignment]

pytestmark = pytest.mark.build

# Occurs in 14/2048-1 only as "Bildungsbericht", "Bildungsberichts", "Bildungsberichtes": found by stemming alone.
INFLECTED = "Bildungsberichten"
COMMON_WORD = "Verwaltung"  # in most synthetic documents
NO_MATCH = "Quastenflosser"
FILTER_LABELS = ("Gremium", "Fraktion", "Thema", "Jahr", "Art", "Reihenfolge")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: Playwright's sync API allows one running instance at a time, and other test modules start their own.
    with launch_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site_url(mixed_site: MixedSite) -> Iterator[str]:
    """``http://127.0.0.1:<port>/`` serving the mixed site."""
    with serve_site(mixed_site.site) as url:
        yield url


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser: Browser, watch: PageWatch) -> Iterator[Page]:
    with watched_page(browser, watch) as new_page:
        yield new_page


def search_form(page: Page) -> Locator:
    """The form on /suche/ (the header has a search form too)."""
    return page.get_by_role("main").get_by_role("search")


def query_of(page: Page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query, keep_blank_values=True)


def open_search(page: Page, site_url: str, query: str = "") -> str:
    page.goto(f"{site_url}suche/{query}")
    wait_until_scripts_idle(page)
    return wait_for_search(page) if query else ""


# --- words in nearly every document ----------------------------------------------------------------


def test_words_in_nearly_every_document_are_left_out_and_named(page: Page, site_url: str) -> None:
    index_requests: list[str] = []
    page.on("request", lambda request: index_requests.append(request.url) if request.url.endswith(".pf_index") else None)
    status = open_search(page, site_url, "?q=die+Bildungsberichte+der")
    assert status == "1 Treffer für „Bildungsberichte“. Nicht gesucht, weil zu allgemein: „die“, „der“."
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]
    expect(search_form(page).get_by_role("searchbox", name="Suchbegriff")).to_have_value("die Bildungsberichte der")

    # Only such words: a hint, and the index is not even asked (its entries for them are the heaviest).
    index_requests.clear()
    status = open_search(page, site_url, "?q=Der+und+die")
    assert status == (
        "„Der“, „und“, „die“ sind zu allgemein für eine Suche: solche Wörter stehen in fast jeder Drucksache."
        " Bitte geben Sie einen genaueren Suchbegriff ein."
    )
    assert shown_results(page) == [] and index_requests == []
    assert open_search(page, site_url, "?q=x").startswith("„x“ ist zu allgemein für eine Suche")


def test_a_quoted_phrase_keeps_every_word(page: Page, site_url: str) -> None:
    assert open_search(page, site_url, '?q="Verbesserung der Bildungssituation"') == "1 Treffer für „Verbesserung der Bildungssituation“."
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]
    # The same words in another order are no phrase of the text.
    assert open_search(page, site_url, '?q="Bildungssituation der Verbesserung"').startswith("Keine Treffer für")
    # German quotation marks make a phrase as well.
    assert open_search(page, site_url, "?q=„Bildungssituation der Verbesserung“").startswith("Keine Treffer für")
    assert open_search(page, site_url, "?q=„Verbesserung der Bildungssituation“") == "1 Treffer für „Verbesserung der Bildungssituation“."


# --- 1. type an inflected word, submit, filter ------------------------------------------------------


def test_inflected_word_finds_the_document_and_filters_narrow_the_result(page: Page, site_url: str, mixed_site: MixedSite) -> None:
    # Precondition: only stemming can find it.
    assert INFLECTED.casefold() not in "".join(mixed_site.texts.values()).casefold()
    assert [slug for slug, text in mixed_site.texts.items() if "Bildungsbericht" in text] == [REAL_SLUG]

    open_search(page, site_url)
    form = search_form(page)
    page.evaluate("window.__sameDocument = true")
    form.get_by_role("searchbox", name="Suchbegriff").fill(INFLECTED)
    form.get_by_role("searchbox", name="Suchbegriff").press("Enter")
    expect(page.get_by_role("status")).to_have_text(f"1 Treffer für „{INFLECTED}“.")
    wait_for_search(page)
    assert query_of(page) == [("q", INFLECTED)], "the URL holds the query, without empty parameters"
    assert page.evaluate("window.__sameDocument") is True, "the search ran without reloading the page"
    [result] = shown_results(page)
    assert result.title == REAL_TITLE
    assert result.href == f"/drucksachen/{REAL_SLUG}/"
    assert result.meta == "Drucksache 14/2048-1 vom 4. Juni 2025 · Antwort auf eine Fraktionsanfrage"
    assert re.search(r"Bildungsbericht\w*", result.excerpt), result.excerpt
    assert page.locator("#rd-treffer mark").count() >= 1, "the excerpt highlights the match"

    # A filter that keeps it: its committee.
    form.get_by_role("combobox", name="Gremium").select_option(REAL_COMMITTEE)
    form.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("status")).to_have_text(f"1 Treffer für „{INFLECTED}“ (Gremium: Ausschuss für Digitalisierung, Bildung und Innovation).")
    wait_for_search(page)
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]
    assert query_of(page) == [("q", INFLECTED), ("gremium", REAL_COMMITTEE)]

    # A filter that removes it: another year.
    form.get_by_role("combobox", name="Jahr").select_option("2024")
    form.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Keine Treffer für „{INFLECTED}“ (Gremium: Ausschuss für Digitalisierung, Bildung und Innovation, Jahr: 2024). "
        "Versuchen Sie einen anderen Suchbegriff oder weniger Filter."
    )
    expect(page.locator("#rd-treffer > li")).to_have_count(0)
    expect(page.get_by_role("button", name="Weitere Treffer anzeigen")).to_be_hidden()
    assert query_of(page) == [("q", INFLECTED), ("gremium", REAL_COMMITTEE), ("jahr", "2024")]

    # The year of the document keeps it again.
    form.get_by_role("combobox", name="Jahr").select_option("2025")
    form.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^1 Treffer .*Jahr: 2025\)\.$"))
    wait_for_search(page)
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]
    page.get_by_role("link", name=REAL_TITLE).click()
    page.wait_for_url(f"{site_url}drucksachen/{REAL_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(REAL_TITLE)


# --- 2. the header search ---------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["", f"drucksachen/{REAL_SLUG}/"], ids=["start-page", "drucksache-page"])
def test_header_search_opens_the_search_page_with_results(page: Page, site_url: str, start: str) -> None:
    page.goto(site_url + start)
    header = page.get_by_role("banner")
    field = header.get_by_role("searchbox", name="Suchbegriff")
    field.fill(INFLECTED)
    field.press("Enter")
    page.wait_for_url(f"{site_url}suche/?q={INFLECTED}")
    assert wait_for_search(page) == f"1 Treffer für „{INFLECTED}“."
    expect(search_form(page).get_by_role("searchbox", name="Suchbegriff")).to_have_value(INFLECTED)
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]


# --- 3. a shared link; back and forward -------------------------------------------------------------


def test_shared_link_restores_the_form_and_back_restores_the_previous_search(page: Page, site_url: str) -> None:
    open_search(page, site_url, "?q=Bildungsbericht&jahr=2025")
    form = search_form(page)
    expect(form.get_by_role("searchbox", name="Suchbegriff")).to_have_value("Bildungsbericht")
    expect(form.get_by_role("combobox", name="Jahr")).to_have_value("2025")
    for label in ("Gremium", "Fraktion", "Thema", "Art", "Reihenfolge"):
        expect(form.get_by_role("combobox", name=label)).to_have_value("")
    assert status_text(page) == "1 Treffer für „Bildungsbericht“ (Jahr: 2025)."
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]

    # The same link with another year: the filter applies, no result.
    open_search(page, site_url, "?q=Bildungsbericht&jahr=2024")
    expect(form.get_by_role("combobox", name="Jahr")).to_have_value("2024")
    assert status_text(page).startswith("Keine Treffer für „Bildungsbericht“ (Jahr: 2024).")

    # A second search, then back: the first one returns, form and results.
    open_search(page, site_url, "?q=Bildungsbericht&jahr=2025")
    form.get_by_role("searchbox", name="Suchbegriff").fill(COMMON_WORD)
    form.get_by_role("combobox", name="Jahr").select_option("")
    form.get_by_role("searchbox", name="Suchbegriff").press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile(rf"^\d+ Treffer für „{COMMON_WORD}“\.$"))
    assert query_of(page) == [("q", COMMON_WORD)]
    wait_for_search(page)
    assert len(shown_results(page)) == 10

    page.go_back()
    expect(page.get_by_role("status")).to_have_text("1 Treffer für „Bildungsbericht“ (Jahr: 2025).")
    wait_for_search(page)
    assert query_of(page) == [("q", "Bildungsbericht"), ("jahr", "2025")]
    expect(form.get_by_role("searchbox", name="Suchbegriff")).to_have_value("Bildungsbericht")
    expect(form.get_by_role("combobox", name="Jahr")).to_have_value("2025")
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]

    page.go_forward()
    expect(page.get_by_role("status")).to_have_text(re.compile(rf"^\d+ Treffer für „{COMMON_WORD}“\.$"))
    expect(form.get_by_role("searchbox", name="Suchbegriff")).to_have_value(COMMON_WORD)
    expect(form.get_by_role("combobox", name="Jahr")).to_have_value("")


# --- 4. sorting -------------------------------------------------------------------------------------


def test_sorting_by_date(page: Page, site_url: str) -> None:
    status = open_search(page, site_url, f"?q={COMMON_WORD}&sortierung=neueste")
    total = int(status.split()[0])
    assert total > 60, status
    expect(search_form(page).get_by_role("combobox", name="Reihenfolge")).to_have_value("neueste")
    show_more(page, 2)
    expect(page.locator("#rd-treffer > li")).to_have_count(30)
    newest = [result_date(r) for r in shown_results(page)]
    assert newest == sorted(newest, reverse=True), newest
    assert len(set(newest)) > 20

    # Chosen in the form this time.
    search_form(page).get_by_role("combobox", name="Reihenfolge").select_option(label="älteste zuerst")
    search_form(page).get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"sortierung=aelteste"))
    wait_for_search(page)
    assert status_text(page) == status, "the order changes the order only, not the result"
    show_more(page, 2)
    expect(page.locator("#rd-treffer > li")).to_have_count(30)
    oldest = [result_date(r) for r in shown_results(page)]
    assert oldest == sorted(oldest), oldest
    assert oldest[-1] < newest[-1], "the oldest 30 and the newest 30 of more than 60 do not overlap"


# --- 5. the pre-filtered link of a committee page ---------------------------------------------------


def test_committee_page_links_to_its_documents_in_the_search(page: Page, site_url: str, mixed_site: MixedSite) -> None:
    expected = mixed_site.slugs_in_committee(REAL_COMMITTEE)
    assert REAL_SLUG in expected and 10 < len(expected) < len(mixed_site.documents)
    page.goto(f"{site_url}gremien/{REAL_COMMITTEE}/")
    page.get_by_role("link", name="In den Drucksachen dieses Eintrags suchen").click()
    page.wait_for_url(f"{site_url}suche/?gremium={REAL_COMMITTEE}")
    wait_until_scripts_idle(page)
    assert wait_for_search(page) == f"{len(expected)} Treffer (Gremium: Ausschuss für Digitalisierung, Bildung und Innovation)."
    expect(search_form(page).get_by_role("combobox", name="Gremium")).to_have_value(REAL_COMMITTEE)
    found = [slug_of(r.url) for r in load_all_results(page)]
    assert len(found) == len(set(found)) == len(expected)
    assert set(found) == expected


# --- 6. labels, keyboard, live region, "Weitere Treffer anzeigen" -----------------------------------


def test_form_is_labelled_and_works_with_the_keyboard(page: Page, site_url: str) -> None:
    open_search(page, site_url)
    form = search_form(page)
    expect(form).to_have_accessible_name("Drucksachen durchsuchen")
    field = form.get_by_role("searchbox", name="Suchbegriff")
    expect(field).to_have_accessible_description(re.compile(r"^Durchsucht den vollständigen Text aller \d+ Drucksachen\."))
    controls = [field] + [form.get_by_role("combobox", name=label, exact=True) for label in FILTER_LABELS]
    controls.append(form.get_by_role("button", name="Suchen", exact=True))
    for control in controls:
        expect(control).to_have_count(1)
        expect(control).to_be_visible()
    expect(page.get_by_label("Jahr", exact=True)).to_have_attribute("name", "jahr")
    expect(form.get_by_role("group", name="Ergebnisse eingrenzen")).to_be_visible()

    # Tab from the field reaches every control once, in document order, with nothing in between.
    in_order = form.evaluate("f => [...f.querySelectorAll('input, select, button')].map(e => e.id || e.textContent.trim())")
    assert len(in_order) == len(controls)
    field.focus()
    reached = [page.evaluate("document.activeElement.id")]
    for _ in range(len(controls) - 1):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert reached == in_order

    # Type, tab to the button, press it.
    field.fill(COMMON_WORD)
    field.focus()
    for _ in range(len(controls)):
        if page.evaluate("document.activeElement.textContent.trim()") == "Suchen":
            break
        page.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Suchen", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_have_count(1)
    expect(status).to_have_text(re.compile(rf"^\d+ Treffer für „{COMMON_WORD}“\.$"))
    expect(status).to_have_attribute("aria-live", "polite")
    wait_for_search(page)
    first_page = shown_results(page)
    assert len(first_page) == 10

    # "Weitere Treffer anzeigen" by keyboard: ten more, focus on the first new one.
    more = page.get_by_role("button", name="Weitere Treffer anzeigen")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#rd-treffer > li")).to_have_count(20)
    both_pages = shown_results(page)
    assert both_pages[:10] == first_page
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.getAttribute('href')]")
    assert focused == ["A", both_pages[10].href]
    expect(page.locator("#rd-treffer > li").nth(10).get_by_role("link")).to_be_focused()


# --- 7. below a sub-path ----------------------------------------------------------------------------


def test_search_works_below_a_sub_path(page: Page, mixed_site: MixedSite, watch: PageWatch) -> None:
    with serve_site(mixed_site.site, "/projekt/") as base:
        page.goto(f"{base}drucksachen/{REAL_SLUG}/")
        field = page.get_by_role("banner").get_by_role("searchbox", name="Suchbegriff")
        field.fill(INFLECTED)
        field.press("Enter")
        page.wait_for_url(f"{base}suche/?q={INFLECTED}")
        assert wait_for_search(page) == f"1 Treffer für „{INFLECTED}“."
        [result] = shown_results(page)
        assert result.href == f"/projekt/drucksachen/{REAL_SLUG}/"
        open_search(page, base, f"?q={COMMON_WORD}")
        show_more(page)
        expect(page.locator("#rd-treffer > li")).to_have_count(20)
        hrefs = [r.href for r in shown_results(page)]
        assert all(re.fullmatch(r"/projekt/drucksachen/[0-9-]+/", href) for href in hrefs), hrefs
        page.locator("#rd-treffer a").nth(15).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.url.startswith(f"{base}drucksachen/")
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")  # before this server stops
    own = urlsplit(base).netloc
    inside = [url for url in watch.requests if urlsplit(url).netloc == own and urlsplit(url).path.startswith("/projekt/")]
    outside = [url for url in watch.requests if urlsplit(url).scheme in ("http", "https") and url not in inside]
    assert len(watch.requests) > 10 and not outside, f"requests outside /projekt/: {outside}"


# --- 7b. the index as cut for light first queries ----------------------------------------------------

# Terms of both kinds: found in a chunk by Pagefind's first lookup, and (last words of Pagefind's own chunks) by its
# second; several terms together; a term in nearly every document and one in a single document.
CUT_QUERIES = (INFLECTED, COMMON_WORD, "Haushalt", "Bildungsbericht Region", "Verwaltung Kosten Region", "Ruhr", "Stiftung", "Maßnahmen")


def test_finely_cut_index_finds_the_same(page: Page, mixed_site: MixedSite, tmp_path_factory: pytest.TempPathFactory) -> None:
    cut = tmp_path_factory.mktemp("fein") / "site"
    shutil.copytree(mixed_site.site, cut)
    # 4,000 bytes cut Pagefind's 9 chunks of this site into about 160, while every family of words that begin like
    # a query here ("haushalt", "haushaltsplan", …: 3.3 KB) still fits one chunk, as at 100 KB in a large archive.
    assert cut_heavy_chunks(cut / "pagefind", 4_000) > 100

    def searches(site: Path) -> list[tuple[str, list[str]]]:
        seen = []
        with serve_site(site) as base:
            for query in CUT_QUERIES:
                status = open_search(page, base, f"?q={quote(query)}")
                seen.append((status, [slug_of(result.url) for result in shown_results(page)]))
            page.goto("about:blank")  # before this server stops
        return seen

    original, recut = searches(mixed_site.site), searches(cut)
    assert recut == original
    assert all(re.match(r"\d+ Treffer", status) for status, _ in original), original


def test_an_index_in_parts_finds_and_orders_as_one_index(
    page: Page, mixed_site: MixedSite, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large archive's index comes in parts merged in the browser (ratsdok/pagefind_parts.py): the same results,
    the dates in exactly the order of one index, whichever part a result comes from."""
    monkeypatch.setenv(PART_SIZE_VARIABLE, "45")  # 202 documents: 5 parts
    built = run_mkdocs_build(tmp_path_factory.mktemp("teile") / "site", corpus=mixed_site.corpus)
    assert built.returncode == 0, built.log
    assert "(5 Teile, 0 davon unverändert übernommen)" in built.log
    assert sorted(path.name for path in (built.site / "pagefind").glob("teil-*")) == ["teil-2", "teil-3", "teil-4", "teil-5"]

    def searches(site: Path) -> list[tuple[str, list[str], list[dt.date]]]:
        seen = []
        with serve_site(site) as base:
            for query in (f"?q={COMMON_WORD}&sortierung=aelteste", f"?q={COMMON_WORD}&sortierung=neueste", "?jahr=2024&sortierung=neueste"):
                status = open_search(page, base, query)
                results = load_all_results(page)
                seen.append((status, sorted(slug_of(result.url) for result in results), [result_date(result) for result in results]))
            for query in CUT_QUERIES:
                status = open_search(page, base, f"?q={quote(query)}")
                seen.append((status, [], []))
            page.goto("about:blank")  # before this server stops
        return seen

    merged, single = searches(built.site), searches(mixed_site.site)
    assert merged == single
    oldest, newest, in_2024 = merged[:3]
    assert oldest[2] == sorted(oldest[2]) and newest[2] == sorted(newest[2], reverse=True) and len(set(oldest[2])) > 20
    assert in_2024[2] == sorted(in_2024[2], reverse=True) and {date.year for date in in_2024[2]} == {2024}


# --- 8. nothing from other hosts --------------------------------------------------------------------


def test_search_contacts_no_other_host(page: Page, site_url: str, watch: PageWatch) -> None:
    open_search(page, site_url)
    field = search_form(page).get_by_role("searchbox", name="Suchbegriff")
    field.fill(COMMON_WORD)
    field.press("Enter")
    wait_for_search(page)
    show_more(page)
    expect(page.locator("#rd-treffer > li")).to_have_count(20)
    search_form(page).get_by_role("combobox", name="Jahr").select_option("2025")
    search_form(page).get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Jahr: 2025"))
    wait_for_search(page)
    page.wait_for_load_state("networkidle")
    own = urlsplit(site_url).netloc
    assert any("/pagefind/" in url for url in watch.requests), "the search loaded nothing from the index?"
    foreign = [url for url in watch.requests if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own]
    assert not foreign, f"requests to other hosts: {foreign}"


def test_search_page_is_light_and_its_menu_still_works(page: Page, site_url: str, watch: PageWatch) -> None:
    # Material's script bundle (39 KB compressed) is left out of the search page; the drawer does without it.
    open_search(page, site_url, f"?q={COMMON_WORD}")
    assert not [url for url in watch.requests if "/bundle." in url]
    page.set_viewport_size({"width": 375, "height": 740})
    menu = page.get_by_role("banner").get_by_role("button", name="Navigation")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Gremien")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()


# --- 9. markup in a title is text --------------------------------------------------------------------


def test_markup_in_titles_and_texts_is_shown_as_text(page: Page, site_url: str, watch: PageWatch) -> None:
    status = open_search(page, site_url, f"?q={MARKUP_WORD}")
    assert status == f"1 Treffer für „{MARKUP_WORD}“."
    [result] = shown_results(page)
    assert result.title == MARKUP_TITLE
    assert slug_of(result.url) == MARKUP_SLUG
    assert MARKUP_BODY_MARKUP in result.excerpt
    expect(page.get_by_role("link", name=MARKUP_TITLE)).to_have_count(1)
    assert page.locator("main img, main b").count() == 0, "markup from the index became elements"
    assert page.locator("#rd-treffer mark").count() >= 1
    page.wait_for_timeout(300)  # a broken <img> would have fired onerror by now
    assert watch.dialogs == []

    # Searching for the markup itself is harmless too.
    open_search(page, site_url, "?q=onerror")
    assert page.locator("main img").count() == 0
    assert watch.dialogs == []


# --- 10. no result ----------------------------------------------------------------------------------


def test_no_result_says_so_in_german(page: Page, site_url: str, mixed_site: MixedSite) -> None:
    assert NO_MATCH.casefold() not in "".join(mixed_site.texts.values()).casefold()
    status = open_search(page, site_url, f"?q={NO_MATCH}")
    assert status == f"Keine Treffer für „{NO_MATCH}“. Versuchen Sie einen anderen Suchbegriff oder weniger Filter."
    expect(page.locator("#rd-treffer > li")).to_have_count(0)
    expect(page.get_by_role("button", name="Weitere Treffer anzeigen")).to_be_hidden()


# --- 11. impatient visitors: a second search before the first has finished, a double click ---------------


def test_only_the_latest_search_is_shown_and_a_double_click_loads_one_batch(page: Page, site_url: str) -> None:
    open_search(page, site_url)
    # Two submissions in a row (Enter pressed twice while typing): the first, slower search must not win.
    page.evaluate(
        """([first, second]) => {
          const form = document.getElementById("rd-suche"), field = document.getElementById("rd-suchbegriff");
          field.value = first; form.requestSubmit(); field.value = second; form.requestSubmit();
        }""",
        [COMMON_WORD, "Bildungsbericht"],
    )
    expect(page.get_by_role("status")).to_have_text("1 Treffer für „Bildungsbericht“.")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert status_text(page) == "1 Treffer für „Bildungsbericht“."
    assert [slug_of(r.url) for r in shown_results(page)] == [REAL_SLUG]

    open_search(page, site_url, f"?q={COMMON_WORD}")
    page.get_by_role("button", name="Weitere Treffer anzeigen").dblclick()
    expect(page.locator("#rd-treffer > li")).to_have_count(20)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    hrefs = [r.href for r in shown_results(page)]
    assert len(hrefs) == len(set(hrefs)) == 20, hrefs


# --- 12. a connection that drops while searching -----------------------------------------------------------


def test_a_failed_load_is_reported_not_shown_as_an_empty_result(page: Page, site_url: str, watch: PageWatch) -> None:
    # The aborted requests below (Pagefind runs in the page, without its worker: the browser logs each).
    watch.expected += ["/pagefind/fragment/", "script error: Failed to fetch", "Failed to load resource: net::ERR_FAILED"]
    open_search(page, site_url)
    page.route("**/pagefind/fragment/*", lambda route: route.abort())
    field = search_form(page).get_by_role("searchbox", name="Suchbegriff")
    field.fill(COMMON_WORD)
    field.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Die Suche ist gerade nicht verfügbar. Bitte laden Sie die Seite später neu.")
    expect(page.locator("#rd-treffer > li")).to_have_count(0)
    expect(page.get_by_role("button", name="Weitere Treffer anzeigen")).to_be_hidden()

    page.unroute("**/pagefind/fragment/*")
    page.reload()
    expect(page.get_by_role("status")).to_have_text(re.compile(rf"^\d+ Treffer für „{COMMON_WORD}“\.$"))
    expect(page.locator("#rd-treffer > li")).to_have_count(10)
    page.route("**/pagefind/fragment/*", lambda route: route.abort())
    page.get_by_role("button", name="Weitere Treffer anzeigen").click()
    expect(page.get_by_role("status")).to_have_text("Weitere Treffer konnten gerade nicht geladen werden. Bitte laden Sie die Seite später neu.")
    expect(page.locator("#rd-treffer > li")).to_have_count(10)
    expect(page.get_by_role("button", name="Weitere Treffer anzeigen")).to_be_visible()
    assert watch.errors, "the aborted requests were not noticed"


def test_changing_a_filter_searches_at_once_and_the_page_has_one_search_form(page: Page, site_url: str) -> None:
    open_search(page, site_url, "?q=Bildungsbericht")
    expect(page.get_by_role("status")).to_have_text("1 Treffer für „Bildungsbericht“.")
    search_form(page).get_by_role("combobox", name="Jahr").select_option("2024")  # no button pressed
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Keine Treffer für „Bildungsbericht“ \(Jahr: 2024\)\."))
    assert "jahr=2024" in page.url
    assert page.title().startswith("„Bildungsbericht“ – ")
    # The header's search form is left out on the search page: one form, one "Suchbegriff" field.
    assert page.get_by_role("search").count() == 1
    assert page.get_by_label("Suchbegriff").count() == 1
