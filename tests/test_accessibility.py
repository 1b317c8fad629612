"""Accessibility (BITV 2.0 / WCAG 2.1 AA) and privacy of the built site, checked in headless Chromium.

Every page type (tests/a11y_support.PAGE_TYPES) at 1280 and 375 px, the mobile navigation drawer open and the
search in use: zero axe-core violations for WCAG 2.1 A/AA (the results are saved as JSON in reports/axe/).
Keyboard: the skip link comes first and moves to the content; every control is reachable with Tab and shows a
visible focus. Reflow at 320 px without horizontal scrolling. Structure: one h1, landmarks, a title that starts
with the page's heading, the legal pages linked in every footer. Privacy: no request leaves the local server.
Print: a Drucksache prints without navigation and with its address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from a11y_support import (
    LEGAL_PAGES,
    NARROW,
    PAGE_TYPES,
    REFLOW,
    WIDE,
    PageType,
    describe_violations,
    load_page,
    report_name,
    run_axe,
    save_axe_report,
)
from browser_support import REAL_SLUG, REAL_TITLE, MixedSite, browser_unavailable, in_ci, launch_chromium
from site_server import serve_site

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError as error:
    if not in_ci():
        browser_unavailable(f"Playwright is not installed ({error}); run: .venv/bin/pip install -r requirements-dev.txt", module=True)
    Browser = Page = expect = None  # type: ignore[misc,assignment]

pytestmark = pytest.mark.build

VIEWPORTS = {"1280": WIDE, "375": NARROW}
PAGE_IDS = [page_type.name for page_type in PAGE_TYPES]
# Pages whose every control is walked with the Tab key (the listings repeat the same rows).
KEYBOARD_PAGES = [
    page_type for page_type in PAGE_TYPES if page_type.name in {"startseite", "drucksache", "liste-jahr", "suche-mit-treffern", "impressum", "seite-nicht-gefunden"}
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: Playwright's sync API allows one running instance at a time, and other test modules start their own.
    with launch_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site_url(mixed_site: MixedSite) -> Iterator[str]:
    with serve_site(mixed_site.site) as url:
        yield url


def open_page(browser: Browser, viewport: dict[str, int]) -> Page:
    context = browser.new_context(locale="de-DE", viewport=viewport, service_workers="block")  # type: ignore[arg-type]
    return context.new_page()


@pytest.fixture
def pages(browser: Browser) -> Iterator[Any]:
    """A factory of fresh pages at a given viewport; their contexts are closed after the test."""
    opened: list[Page] = []

    def make(viewport: dict[str, int]) -> Page:
        page = open_page(browser, viewport)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.context.close()


def axe_problems(page: Page, name: str) -> list[str]:
    """Run axe-core, save its result as ``reports/axe/<name>.json``; one line per violation and element."""
    result = run_axe(page)
    save_axe_report(name, result)
    assert result["testEngine"]["version"], "axe-core did not run"
    return [f"axe: {line}" for line in describe_violations(result).splitlines()]


def assert_no_violations(page: Page, name: str) -> None:
    problems = axe_problems(page, name)
    assert not problems, f"on {page.url}:\n" + "\n".join(problems)


def structure_problems(page: Page, page_type: PageType, site_url: str) -> list[str]:
    """One h1; the title starts with it; banner, main, contentinfo and navigation landmarks; the legal pages in the footer."""
    problems = []
    headings = [" ".join(text.split()) for text in page.locator("h1").all_inner_texts()]
    if len(headings) != 1:
        problems.append(f"structure: {len(headings)} h1 headings: {headings}")
    else:
        heading = headings[0]
        if page_type.name == "suche-mit-treffern":
            heading = f"„Verwaltung“ – {heading}"  # the search page's title names the query first
        if not page.title().startswith(heading):
            problems.append(f"structure: the title {page.title()!r} does not start with the heading {heading!r}")
    counts = page.evaluate(_LANDMARKS)
    for landmark, count in counts.items():
        if count < 1 or (landmark in ("main", "banner", "contentinfo") and count != 1):
            problems.append(f"structure: {count} {landmark} landmarks")
    footer_links = page.evaluate("() => [...document.querySelectorAll('footer a')].map(a => [a.textContent.trim(), new URL(a.href).pathname])")
    base = urlsplit(site_url).path
    for path, title in LEGAL_PAGES.items():
        if [title, base + path] not in footer_links:
            problems.append(f"structure: the footer does not link {title!r} to {base + path}")
    return problems


# Landmarks as the accessibility tree sees them: top-level header/footer are banner/contentinfo.
_LANDMARKS = """() => {
  const outsideSections = selector => [...document.querySelectorAll(selector)].filter(element =>
    !element.parentElement.closest("main, article, section, aside, nav")).length;
  return {banner: outsideSections("header, [role=banner]"), main: document.querySelectorAll("main, [role=main]").length,
          contentinfo: outsideSections("footer, [role=contentinfo]"), navigation: document.querySelectorAll("nav, [role=navigation]").length};
}"""


def reflow_problems(page: Page) -> list[str]:
    page.set_viewport_size(REFLOW)
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})")
    if widths["scroll"] > widths["client"]:
        return [f"reflow: the page is {widths['scroll']} px wide at {widths['client']} px"]
    return []


def foreign_requests(requested: list[str], site_url: str) -> list[str]:
    local = urlsplit(site_url).netloc
    return [f"privacy: request to another host: {url}" for url in requested if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != local]


def check_skip_link(page: Page) -> None:
    """From a fresh page: Tab reaches the skip link first; it shows; Enter moves the focus to the content."""
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Zum Inhalt springen")
    expect(skip).to_be_in_viewport()
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")  # shown after a short fade
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#inhalt$"))
    expect(page.locator(":focus")).to_have_id("inhalt")
    page.keyboard.press("Tab")
    after_content = """() => {
      const content = document.getElementById("inhalt"), next = document.activeElement;
      return content.contains(next) || Boolean(content.compareDocumentPosition(next) & Node.DOCUMENT_POSITION_FOLLOWING);
    }"""
    assert page.evaluate(after_content), "Tab after the skip link went back before the content"


# --- every page type: one visit at 1280 px, one at 375 px (and 320 px) -----------------------------


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=PAGE_IDS)
def test_wide_page_has_no_axe_violations_a_clean_structure_and_a_working_skip_link(pages: Any, site_url: str, page_type: PageType) -> None:
    page = pages(WIDE)
    load_page(page, site_url + page_type.path)
    problems = structure_problems(page, page_type, site_url) + axe_problems(page, report_name(page_type.name, "1280"))
    assert not problems, f"on {page.url}:\n" + "\n".join(problems)
    check_skip_link(page)


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=PAGE_IDS)
def test_narrow_page_has_no_axe_violations_no_foreign_request_and_reflows_at_320_px(pages: Any, site_url: str, page_type: PageType) -> None:
    page = pages(NARROW)
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    load_page(page, site_url + page_type.path, until_idle=True)
    if page_type.name == "suche-mit-treffern":
        page.get_by_role("button", name="Weitere Treffer anzeigen").click()
        page.wait_for_load_state("networkidle")
    assert requested, "no request was recorded"
    problems = axe_problems(page, report_name(page_type.name, "375")) + foreign_requests(requested, site_url) + reflow_problems(page)
    assert not problems, f"on {page.url}:\n" + "\n".join(problems)


def test_a_long_german_compound_in_a_heading_fits_a_phone_in_one_line(pages: Any, site_url: str) -> None:
    """A committee's name as the page heading did not fit 375 px and broke inside the word ("Verbandsversammlun / g")."""
    page = pages(NARROW)
    load_page(page, site_url + PAGE_TYPES[0].path)
    heading = page.locator("h1").first
    heading.evaluate("element => { element.textContent = 'Verbandsversammlung' }")
    lines = heading.evaluate("element => Math.round(element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight))")
    assert lines == 1


@pytest.mark.parametrize("page_type", [PAGE_TYPES[0], PAGE_TYPES[1]], ids=["startseite", "drucksache"])
def test_no_axe_violations_with_the_navigation_drawer_open(pages: Any, site_url: str, page_type: PageType) -> None:
    page = pages(NARROW)
    load_page(page, site_url + page_type.path)
    menu = page.get_by_role("banner").get_by_role("button", name="Navigation", exact=True)
    drawer = page.locator(".md-sidebar--primary")
    expect(drawer).not_to_be_in_viewport()
    menu.focus()
    page.keyboard.press("Space")
    expect(drawer).to_be_in_viewport(ratio=1)
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(drawer.get_by_role("link", name="Gremien")).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).not_to_be_in_viewport()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(drawer).to_be_in_viewport(ratio=1)
    assert_no_violations(page, report_name(page_type.name, "375", "navigation-offen"))


def test_the_menu_button_is_shown_only_where_the_navigation_is_a_drawer(pages: Any, site_url: str) -> None:
    for viewport, shown in ((NARROW, True), (WIDE, False)):
        page = pages(viewport)
        load_page(page, site_url)
        menu = page.get_by_role("banner").get_by_role("button", name="Navigation", exact=True)
        expect(menu).to_be_visible() if shown else expect(menu).to_be_hidden()
        expect(page.locator("label.md-header__button[for='__drawer']")).to_have_count(0)  # replaced by the button


def test_no_axe_violations_while_typing_in_the_header_search(pages: Any, site_url: str) -> None:
    page = pages(WIDE)
    load_page(page, site_url + f"drucksachen/{REAL_SLUG}/")
    field = page.get_by_role("banner").get_by_role("searchbox", name="Suchbegriff")
    field.fill("Bildung")
    expect(field).to_be_focused()
    assert_no_violations(page, report_name("kopfsuche", "1280", "eingabe"))


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_no_axe_violations_with_filtered_search_results(pages: Any, site_url: str, width: str) -> None:
    page = pages(VIEWPORTS[width])
    load_page(page, site_url + "suche/?q=Verwaltung&art=fraktionsanfrage-antwort&sortierung=neueste")
    page.get_by_role("button", name="Weitere Treffer anzeigen").click()
    page.wait_for_function("() => document.querySelectorAll('#rd-treffer > li').length > 10")
    assert_no_violations(page, report_name("suche-gefiltert", width))


# --- structure --------------------------------------------------------------------------------------


def test_the_drucksache_title_starts_with_its_title(pages: Any, site_url: str) -> None:
    page = pages(WIDE)
    load_page(page, site_url + f"drucksachen/{REAL_SLUG}/")
    assert page.title().startswith(f"{REAL_TITLE} ")


# --- keyboard ---------------------------------------------------------------------------------------

# Elements a keyboard user must be able to reach: visible, enabled and not taken out of the tab order.
_FOCUSABLE_CONTROLS = """() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
  return [...document.querySelectorAll(selector)].filter(element =>
    !element.disabled && element.tabIndex >= 0 && !element.closest("[inert], [hidden]")
    && element.checkVisibility({visibilityProperty: true}) && element.getClientRects().length > 0
  ).map((element, index) => { element.dataset.rdFokus = String(index); return index; });
}"""

# After a Tab: which control has the focus, and how it looks with and without the focus (a visible focus
# indicator changes at least one of these properties). The control gets the focus back, so Tab goes on from it.
_FOCUS_STEP = """() => {
  const element = document.activeElement;
  const marker = element?.dataset?.rdFokus;
  if (marker === undefined) return {marker: null, html: element ? element.outerHTML.slice(0, 120) : "", body: element === document.body};
  const look = () => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : "";
    return [outline, style.boxShadow, style.backgroundColor, style.color, style.textDecorationLine, style.borderColor].join(" | ");
  };
  const focused = look();
  element.blur();
  const blurred = look();
  element.focus();
  return {marker: Number(marker), html: element.outerHTML.slice(0, 120), body: false, visible: focused !== blurred};
}"""


@dataclass(frozen=True)
class TabWalk:
    missing: list[str]  # visible controls that Tab never reached
    unexpected: list[str]  # focused elements that are not visible controls
    invisible: list[str]  # controls that look the same with and without the focus


def walk_with_tab(page: Page) -> TabWalk:
    """Press Tab through the whole page (from a fresh load) and note what a keyboard user would miss."""
    controls = set(page.evaluate(_FOCUSABLE_CONTROLS))
    assert controls, "no focusable control found"
    reached: set[int] = set()
    unexpected: list[str] = []
    invisible: list[str] = []
    for _ in range(len(controls) + 40):  # bounded: a few stops may be outside the candidate list
        page.keyboard.press("Tab")
        step = page.evaluate(_FOCUS_STEP)
        if step["marker"] is None:
            if step["body"]:
                break  # past the last control
            unexpected.append(step["html"])
            continue
        if step["marker"] in reached:
            break
        reached.add(step["marker"])
        if not step["visible"]:
            invisible.append(step["html"])
    missing = [page.locator(f"[data-rd-fokus='{index}']").evaluate("element => element.outerHTML.slice(0, 120)") for index in sorted(controls - reached)]
    return TabWalk(missing, unexpected, invisible)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", KEYBOARD_PAGES, ids=[page_type.name for page_type in KEYBOARD_PAGES])
def test_every_control_is_reachable_by_tab_and_shows_its_focus(pages: Any, site_url: str, page_type: PageType, width: str) -> None:
    page = pages(VIEWPORTS[width])
    load_page(page, site_url + page_type.path)
    walk = walk_with_tab(page)
    assert not walk.missing, "not reachable with Tab:\n" + "\n".join(walk.missing)
    assert not walk.unexpected, "focus went to elements that are not visible controls:\n" + "\n".join(walk.unexpected)
    assert not walk.invisible, "no visible focus:\n" + "\n".join(walk.invisible)


# Control pages: the checks find what they are meant to find.
_BAD_KEYBOARD_PAGE = """<!doctype html><html lang="de"><head><title>Probe</title>
<style>:focus { outline: none } [hidden] { display: inline-block; opacity: 0 }</style></head><body>
<a href="#a">Ohne sichtbaren Fokus</a>
<a href="#b" style="outline: 2px solid blue">Mit Rahmen auch ohne Fokus</a>
<button hidden>Versteckt, aber fokussierbar</button>
<input aria-label="Falle" onkeydown="if (event.key === 'Tab') event.preventDefault()">
<a href="#c">Hinter der Falle</a></body></html>"""


def test_the_tab_walk_finds_an_invisible_focus_a_hidden_stop_and_an_unreachable_control(pages: Any) -> None:
    page = pages(WIDE)
    page.set_content(_BAD_KEYBOARD_PAGE)
    walk = walk_with_tab(page)
    assert [html.split(">")[1].split("<")[0] for html in walk.invisible] == ["Ohne sichtbaren Fokus", "Mit Rahmen auch ohne Fokus", ""]
    assert [html.split(">")[1].split("<")[0] for html in walk.unexpected] == ["Versteckt, aber fokussierbar"]
    assert [html.split(">")[1].split("<")[0] for html in walk.missing] == ["Hinter der Falle"]


def test_every_request_to_another_host_is_named() -> None:
    requested = ["http://127.0.0.1:8123/", "data:image/png;base64,AA", "https://fonts.googleapis.com/css?family=Roboto", "http://127.0.0.1:9999/x.js"]
    assert foreign_requests(requested, "http://127.0.0.1:8123/") == [
        "privacy: request to another host: https://fonts.googleapis.com/css?family=Roboto",
        "privacy: request to another host: http://127.0.0.1:9999/x.js",
    ]


def test_axe_reports_a_contrast_violation_on_a_control_page(pages: Any) -> None:
    page = pages(WIDE)
    page.set_content('<!doctype html><html lang="de"><head><title>Probe</title></head><body><main><h1>Probe</h1><p style="color: #aaa">Blass</p></main></body></html>')
    result = run_axe(page)  # not saved: the report holds the site's pages only
    assert [violation["id"] for violation in result["violations"]] == ["color-contrast"]


# --- print ------------------------------------------------------------------------------------------


def test_a_drucksache_prints_without_navigation_and_with_its_address(pages: Any, site_url: str, mixed_site: MixedSite) -> None:
    page = pages(WIDE)
    load_page(page, site_url + f"drucksachen/{REAL_SLUG}/")
    address = page.locator(".rd-druckadresse")
    expect(address).to_be_hidden()  # on screen the address bar shows it
    page.emulate_media(media="print")
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical and canonical.endswith(f"/drucksachen/{REAL_SLUG}/")
    expect(address).to_be_visible()
    expect(address).to_contain_text(canonical)
    for hidden in ("banner", "navigation", "search", "contentinfo"):
        for index in range(page.get_by_role(hidden).count()):
            region = page.get_by_role(hidden).nth(index)
            if region.evaluate("element => element.closest('.rd-druckadresse, .rd-text') !== null"):
                continue
            expect(region).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(REAL_TITLE)
    expect(page.locator(".rd-text")).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
