"""Fixtures and helpers for the browser tests (tests/test_search_browser.py): headless Chromium via Playwright.

The test module wraps these in its fixtures: ``launch_chromium`` once per session, ``watched_page`` per
test, ``build_mixed_site`` once per session.

Playwright's own browser download does not work here: the tests drive Debian's ``chromium`` at
``/usr/bin/chromium`` (``RATSDOK_CHROMIUM`` names another executable). Under ``CI=true`` a missing
browser or Playwright is an error of every browser test, never a skip; outside CI they are skipped
with the reason.

The site under test is built once per session from a MIXED corpus: the synthetic corpus
(scripts/generate_corpus.py, 200 documents) plus the real Drucksache 14/2048-1 with the real register
entries merged into the synthetic registers, plus one document whose title contains markup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
import yaml
from build_support import REAL_DOCUMENT_14_2048_1, REPO, run_mkdocs_build
from generate_corpus import generate_corpus
from ratsdok.load import load_corpus
from ratsdok.model import Drucksache

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("RATSDOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000  # per action/expectation: the site is local, a slow step is a failure

SYNTHETIC_COUNT = 200
SYNTHETIC_SEED = 2048
REAL_SLUG = "14-2048-1"
REAL_TITLE = "Verbesserung der Bildungssituation"
REAL_COMMITTEE = "digitalisierung-bildung-innovation"
# A fixture document whose title carries markup; its body has a word found nowhere else.
MARKUP_SLUG = "15-9001"
MARKUP_TITLE = "Probe <img src=x onerror=alert(1)> Markup"
MARKUP_BODY_MARKUP = "<img src=x onerror=alert(2)>"
MARKUP_WORD = "Markupprobe"
MARKUP_DOCUMENT = f"""---
# TEST DATA for tests/test_search_browser.py: a title with markup must be shown as text in the results.
nummer: "15/9001"
art: informationsvorlage
titel: "{MARKUP_TITLE}"
betreff: "Betreff {MARKUP_TITLE}"
datum: 2025-05-02
status: öffentlich
beratungsfolge:
  - gremium: verbandsausschuss
    sitzung: 2025-05-20
    status: zur Kenntnis
themen:
  - finanzen
urheber: Der Regionaldirektor
---

## Sachverhalt

Die {MARKUP_WORD} zeigt {MARKUP_BODY_MARKUP} und <b>fett</b> als Text.
"""


# --- browser availability ---------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def browser_unavailable(reason: str, *, module: bool = False) -> NoReturn:
    """Under CI the browser tests must not silently vanish: fail. Locally: skip with the reason
    (``module=True`` at import time of a test module)."""
    if in_ci():
        pytest.fail(f"CI=true, but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Headless Debian Chromium (for a session-scoped fixture)."""
    try:
        from playwright.sync_api import Error, expect, sync_playwright
    except ImportError as error:
        browser_unavailable(f"Playwright is not installed ({error}); run: .venv/bin/pip install -r requirements-dev.txt")
    executable = Path(CHROMIUM)
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        browser_unavailable(f"no Chromium at {executable} (install it: apt-get install chromium; or set RATSDOK_CHROMIUM)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        except Error as error:
            browser_unavailable(f"Chromium at {executable} does not start: {error}")
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class PageWatch:
    """What a page did that a test should know about: dialogs (alert), script errors, failed requests, every request."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)  # errors containing one of these are part of the test

    def unexpected_errors(self) -> list[str]:
        return [error for error in self.errors if not any(part in error for part in self.expected)]


@contextmanager
def watched_page(browser: Browser, watch: PageWatch) -> Iterator[Page]:
    """A fresh German browser context. Afterwards any alert/confirm, script error or HTTP error fails the test."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_response(response: Any) -> None:
        if response.status >= 400:
            watch.errors.append(f"HTTP {response.status} {response.url}")

    def on_console(message: Any) -> None:
        if message.type == "error":
            watch.errors.append(f"console error: {message.text}")

    def on_request_failed(request: Any) -> None:
        # The browser itself cancels requests of a page it leaves (say, its favicon while the next page loads):
        # that is no fault of the site; refused, broken or HTTP-failed requests still count.
        if request.failure != "net::ERR_ABORTED":
            watch.errors.append(f"request failed: {request.url} ({request.failure})")

    new_page.on("dialog", on_dialog)
    new_page.on("pageerror", lambda error: watch.errors.append(f"script error: {error}"))
    new_page.on("console", on_console)
    new_page.on("requestfailed", on_request_failed)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.on("response", on_response)
    try:
        yield new_page
    finally:
        context.close()
    assert not watch.dialogs, f"the page opened dialogs: {watch.dialogs}"
    assert not watch.unexpected_errors(), "problems while the test ran:\n" + "\n".join(watch.unexpected_errors())


# --- the mixed corpus and its site ------------------------------------------------------------------


@dataclass(frozen=True)
class MixedSite:
    corpus: Path
    site: Path
    documents: tuple[Drucksache, ...]
    texts: dict[str, str]  # slug -> the whole source file

    def document(self, slug: str) -> Drucksache:
        return next(doc for doc in self.documents if doc.slug == slug)

    def slugs_in_committee(self, committee: str) -> set[str]:
        return {doc.slug for doc in self.documents if any(row.committee == committee for row in doc.consultations)}


def write_mixed_corpus(target: Path) -> None:
    """Synthetic corpus + the real 14/2048-1 + the markup fixture; real register entries merged by id."""
    generate_corpus(target, SYNTHETIC_COUNT, SYNTHETIC_SEED)
    destination = target / "14" / REAL_DOCUMENT_14_2048_1.name
    if destination.exists():
        raise AssertionError(f"the synthetic corpus already has {destination.name}")
    shutil.copyfile(REAL_DOCUMENT_14_2048_1, destination)
    markup = target / "15" / f"{MARKUP_SLUG}.md"
    markup.parent.mkdir(exist_ok=True)
    markup.write_text(MARKUP_DOCUMENT, encoding="utf-8")
    for register in sorted((REPO / "drucksachen" / "register").glob("*.yml")):
        synthetic = yaml.safe_load((target / "register" / register.name).read_text(encoding="utf-8"))
        real = {entry["id"]: entry for entry in yaml.safe_load(register.read_text(encoding="utf-8"))}
        merged = [real.pop(entry["id"], entry) for entry in synthetic] + list(real.values())
        text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)
        (target / "register" / register.name).write_text("# Synthetic test data merged with the real register.\n" + text, encoding="utf-8")


def build_mixed_site(root: Path) -> MixedSite:
    """Write the mixed corpus below ``root`` and build it strictly (about 6 s)."""
    corpus = root / "corpus"
    write_mixed_corpus(corpus)
    loaded = load_corpus(corpus)
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    result = run_mkdocs_build(root / "site", corpus=corpus)
    assert result.returncode == 0, result.log
    assert (result.site / "pagefind" / "pagefind.js").is_file(), "the build wrote no search index"
    texts = {path.stem: path.read_text(encoding="utf-8") for path in corpus.glob("*/*.md")}
    return MixedSite(corpus, result.site, loaded.documents, texts)


# --- the search page --------------------------------------------------------------------------------

# The search has finished: a final status, and for a non-empty result its first results are listed.
_SEARCH_DONE = """() => {
  const status = document.getElementById("rd-suche-status");
  const text = status ? status.textContent.trim() : "";
  if (!text || text.includes("läuft")) return false;
  return !/^[\\d.]+ Treffer/.test(text) || document.querySelectorAll("#rd-treffer > li").length > 0;
}"""


@dataclass(frozen=True)
class Result:
    title: str
    href: str  # the attribute as written
    url: str  # resolved
    meta: str
    excerpt: str


def wait_for_search(page: Page) -> str:
    """Wait for the search to finish; the status text."""
    page.wait_for_function(_SEARCH_DONE)
    return status_text(page)


def status_text(page: Page) -> str:
    return " ".join(page.locator("#rd-suche-status").inner_text().split())


def shown_results(page: Page) -> list[Result]:
    rows = page.eval_on_selector_all(
        "#rd-treffer > li",
        """items => items.map(item => {
          const link = item.querySelector("a");
          return {title: link.textContent, href: link.getAttribute("href"), url: link.href,
                  meta: item.querySelector(".rd-eintrag__meta")?.textContent ?? "",
                  excerpt: item.querySelector(".rd-treffer__auszug")?.textContent ?? ""};
        })""",
    )
    return [Result(**row) for row in rows]


def show_more(page: Page, times: int = 1) -> list[Result]:
    """Press "Weitere Treffer anzeigen" ``times`` times, each time until the next results are listed."""
    more = page.get_by_role("button", name="Weitere Treffer anzeigen")
    for _ in range(times):
        before = page.locator("#rd-treffer > li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#rd-treffer > li').length > {before}")
    return shown_results(page)


def load_all_results(page: Page, limit: int = 50) -> list[Result]:
    """Press "Weitere Treffer anzeigen" until every result is listed."""
    more = page.get_by_role("button", name="Weitere Treffer anzeigen")
    for _ in range(limit):
        if not more.is_visible():
            return shown_results(page)
        show_more(page)
    raise AssertionError(f"still more results after {limit} presses of the button")


def wait_until_scripts_idle(page: Page) -> None:
    """The search script has loaded Pagefind and listens to the form (no network activity left)."""
    page.wait_for_load_state("networkidle")


_GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember")


def result_date(result: Result) -> dt.date:
    """The date in "Drucksache 14/2048-1 vom 4. Juni 2025 · Art"."""
    match = re.search(r"(\d{1,2})\. (\w+) (\d{4})", result.meta)
    assert match, f"no date in {result.meta!r}"
    return dt.date(int(match.group(3)), _GERMAN_MONTHS.index(match.group(2)) + 1, int(match.group(1)))


def slug_of(url: str) -> str:
    match = re.search(r"/drucksachen/([^/]+)/$", url)
    assert match, f"not a Drucksache URL: {url}"
    return match.group(1)
