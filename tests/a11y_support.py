"""Helpers for the accessibility, privacy and HTML tests (tests/test_accessibility.py, tests/test_html_validity.py).

The checkers are pinned npm packages in tests/browser/ (package.json + package-lock.json; ``make test`` runs
``npm ci`` there): axe-core is injected into each page, vnu.jar (the Nu Html Checker) runs with Java. Like the
browser, a missing checker fails every test under ``CI=true`` and skips it otherwise.

The page types below are paths in the mixed site of tests/browser_support.py (built once per session).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from browser_support import REAL_COMMITTEE, REAL_SLUG, browser_unavailable
from build_support import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHECKERS = REPO / "tests" / "browser" / "node_modules"
AXE_SCRIPT = CHECKERS / "axe-core" / "axe.min.js"
VNU_JAR = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The axe results of every checked page land here as JSON (CI uploads the folder as an artifact).
AXE_REPORT_DIR = Path(os.environ.get("RATSDOK_AXE_REPORT", str(REPO / "reports" / "axe")))

# WCAG 2.1 level A and AA, as BITV 2.0 requires through EN 301 549.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 740}
REFLOW = {"width": 320, "height": 640}  # WCAG 1.4.10: 320 CSS pixels without scrolling in two directions

LEGAL_PAGES = {
    "barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "leichte-sprache/": "Leichte Sprache",
    "gebaerdensprache/": "Gebärdensprache",
    "impressum/": "Impressum",
    "datenschutz/": "Datenschutz",
}


@dataclass(frozen=True)
class PageType:
    name: str  # a file-name friendly id, also the pytest id
    path: str  # relative to the site root, as a visitor's URL


PAGE_TYPES = (
    PageType("startseite", ""),
    PageType("drucksache", f"drucksachen/{REAL_SLUG}/"),
    PageType("uebersicht-gremien", "gremien/"),
    PageType("eintrag-gremium", f"gremien/{REAL_COMMITTEE}/"),
    PageType("eintrag-fraktion", "fraktionen/gruene/"),
    PageType("eintrag-thema", "themen/bildung/"),
    PageType("uebersicht-jahre", "jahre/"),
    PageType("liste-jahr", "jahre/2025/"),
    PageType("liste-wahlperiode", "wahlperioden/14/"),
    PageType("offene-anfragen", "offene-anfragen/"),
    PageType("suche-mit-treffern", "suche/?q=Verwaltung"),
    PageType("ueber", "ueber/"),
    *(PageType(path.strip("/"), path) for path in LEGAL_PAGES),
    PageType("seite-nicht-gefunden", "404.html"),
)


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        browser_unavailable(f"{what} is missing at {path} (run: make test, or: cd tests/browser && npm ci --ignore-scripts)")
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        browser_unavailable("no Java runtime for vnu.jar (install it: apt-get install default-jre-headless)")
    return java


def load_page(page: Page, url: str, *, until_idle: bool = False) -> None:
    """Open ``url`` (its scripts have run); the search page has listed its results; ``until_idle``: no request left."""
    page.goto(url)
    if until_idle:
        page.wait_for_load_state("networkidle")
    if "/suche/?q=" in url:
        page.wait_for_function("() => document.querySelectorAll('#rd-treffer > li').length > 0")


def run_axe(page: Page) -> dict[str, Any]:
    """axe-core's full result for the page as it is now, restricted to the WCAG 2.1 A/AA rules."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(require_file(AXE_SCRIPT, "axe-core")))
    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations", "incomplete"]}
    # Colours are measured as they end: a button's 125 ms hover transition, caught halfway on a busy machine, once
    # read as a contrast of 3:1 between two in-between colours.
    page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")
    result: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
    return result


def save_axe_report(name: str, result: dict[str, Any]) -> Path:
    AXE_REPORT_DIR.mkdir(parents=True, exist_ok=True)
    target = AXE_REPORT_DIR / f"{name}.json"
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def describe_violations(result: dict[str, Any]) -> str:
    """One line per rule and failing element, readable in a test failure."""
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            lines.append(f"{violation['id']} ({violation['impact']}): {target}: {node['failureSummary']!r}")
    return "\n".join(lines)


_SAFE = re.compile(r"[^a-z0-9-]+")


def report_name(*parts: str) -> str:
    return "_".join(_SAFE.sub("-", part.lower()).strip("-") for part in parts)
