"""Valid HTML: the Nu Html Checker (vnu.jar, pinned in tests/browser/package-lock.json, run with Java) reports no
error on any page type of the built site, neither as built nor after the page's scripts ran (the search page
with its results, the menu button that replaces Material's label).

Errors in markup that Material for MkDocs writes and we cannot change without copying its base template are
listed one by one in THEME_ERRORS, each with its reason; nothing else is ignored.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from a11y_support import NARROW, PAGE_TYPES, VNU_JAR, PageType, load_page, require_file, require_java
from browser_support import MixedSite, browser_unavailable, in_ci, launch_chromium
from site_server import serve_site

try:
    from playwright.sync_api import Browser
except ImportError as error:
    if not in_ci():
        browser_unavailable(f"Playwright is not installed ({error}); run: .venv/bin/pip install -r requirements-dev.txt", module=True)
    Browser = None  # type: ignore[misc,assignment]

pytestmark = pytest.mark.build


@dataclass(frozen=True)
class ThemeError:
    message: str  # the checker's message, from its start
    extract: str  # a part of the offending markup as the checker quotes it
    reason: str


THEME_ERRORS = (
    ThemeError(
        "Attribute “autocomplete” is only allowed when the input type is",
        'data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off"',
        "Material's base.html (not a block we can override) puts autocomplete=off on the hidden checkbox of the "
        "navigation drawer, so that Firefox does not restore an open drawer on reload. Browsers ignore it otherwise.",
    ),
    ThemeError(
        "Attribute “autocomplete” is only allowed when the input type is",
        'data-md-toggle="search" type="checkbox" id="__search" autocomplete="off"',
        "The same in Material's base.html for the hidden checkbox of its search dialog (unused here: the header "
        "search is a plain form, overrides/partials/kopfsuche.html).",
    ),
)


@dataclass(frozen=True)
class Finding:
    page: str
    line: int | None
    message: str
    extract: str

    def known_theme_error(self) -> ThemeError | None:
        return next((known for known in THEME_ERRORS if self.message.startswith(known.message) and known.extract in self.extract), None)

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}\n    {self.extract.strip()}"


def check_html(files: list[Path]) -> list[Finding]:
    """All errors the Nu Html Checker reports for ``files`` (one Java start for all)."""
    command = [require_java(), "-jar", str(require_file(VNU_JAR, "vnu.jar")), "--format", "json", "--exit-zero-always", *map(str, files)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    report: dict[str, Any] = json.loads(completed.stderr or completed.stdout)
    return [
        Finding(Path(message["url"].removeprefix("file:")).name, message.get("lastLine"), message["message"], message.get("extract", ""))
        for message in report["messages"]
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]


def unexplained(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.known_theme_error() is None]


def file_of(site: Path, page_type: PageType) -> Path:
    path = page_type.path.split("?")[0]
    return site / (path if path.endswith(".html") else path + "index.html")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: Playwright's sync API allows one running instance at a time, and other test modules start their own.
    with launch_chromium() as launched:
        yield launched


def copies_named_by_type(files: dict[str, str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, html in files.items():
        target = folder / f"{name}.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written


def test_every_page_type_as_built_is_valid_html(mixed_site: MixedSite, tmp_path: Path) -> None:
    files = {page_type.name: file_of(mixed_site.site, page_type).read_text(encoding="utf-8") for page_type in PAGE_TYPES}
    findings = check_html(copies_named_by_type(files, tmp_path))
    problems = unexplained(findings)
    assert not problems, "the Nu Html Checker reports:\n" + "\n".join(map(str, problems))


def test_every_page_type_after_its_scripts_ran_is_valid_html(mixed_site: MixedSite, browser: Browser, tmp_path: Path) -> None:
    pages = {}
    with serve_site(mixed_site.site) as url:
        context = browser.new_context(locale="de-DE", viewport=NARROW, service_workers="block")  # type: ignore[arg-type]
        page = context.new_page()
        for page_type in PAGE_TYPES:
            load_page(page, url + page_type.path)
            pages[page_type.name] = "<!doctype html>\n" + page.evaluate("() => document.documentElement.outerHTML")
        context.close()
    assert 'class="md-header__button md-icon rd-menue"' in pages["startseite"], "the script did not put in the menu button"
    assert "rd-treffer__eintrag" in pages["suche-mit-treffern"], "no search results in the checked page"
    problems = unexplained(check_html(copies_named_by_type(pages, tmp_path)))
    assert not problems, "the Nu Html Checker reports:\n" + "\n".join(map(str, problems))


def test_the_theme_errors_are_each_still_needed(mixed_site: MixedSite, tmp_path: Path) -> None:
    """An entry of THEME_ERRORS that no longer matches anything (a Material update fixed it) must go."""
    findings = check_html(copies_named_by_type({"startseite": (mixed_site.site / "index.html").read_text(encoding="utf-8")}, tmp_path))
    used = {finding.known_theme_error() for finding in findings}
    assert used >= set(THEME_ERRORS), [known.extract for known in THEME_ERRORS if known not in used]


def test_a_real_error_is_reported(tmp_path: Path) -> None:
    """The checker runs and its errors reach the test: a page with a stray end tag fails."""
    broken = copies_named_by_type({"kaputt": '<!doctype html><html lang="de"><head><title>x</title></head><body><p>x</div></body></html>'}, tmp_path)
    findings = check_html(broken)
    assert any("Stray end tag “div”" in finding.message for finding in findings), findings
