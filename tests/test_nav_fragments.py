"""Material's navigation, rendered once for the pages that show it alike, is what Material renders into each page."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from build_support import SITE_CORPUS, files_of, run_mkdocs_build
from nav_fragments import EVERY_TIME_VARIABLE, NavigationFragments


def _navigation() -> Any:
    pages = [SimpleNamespace(url=url) for url in ("", "gremien/", "themen/", "ueber/")]
    return SimpleNamespace(pages=pages, homepage=pages[0])


def _config(logo: str | None = None) -> Any:
    return SimpleNamespace(extra={}, theme={"logo": logo} if logo else {})


def test_pages_with_the_same_links_to_the_navigation_share_a_key() -> None:
    nav = _navigation()
    fragments = NavigationFragments(nav, _config("assets/logo.svg"))
    first, second = SimpleNamespace(url="drucksachen/14-1/"), SimpleNamespace(url="drucksachen/14-2-1/")
    assert fragments.key(first) == fragments.key(second) is not None
    # The same depth, but below a page of the navigation: its links to gremien/ are shorter.
    assert fragments.key(SimpleNamespace(url="gremien/ausschuss/")) != fragments.key(SimpleNamespace(url="themen/abfall/"))
    assert fragments.key(SimpleNamespace(url="jahre/2025/")) != fragments.key(SimpleNamespace(url="jahre/2025/seite-2/"))
    assert fragments.key(nav.pages[1]) is None  # in the navigation: its item is marked as the current one


def test_a_fragment_is_rendered_once_per_key_and_part() -> None:
    fragments = NavigationFragments(_navigation(), _config())
    rendered: list[str] = []

    def render(text: str) -> Any:
        return lambda: rendered.append(text) or text

    key = fragments.key(SimpleNamespace(url="drucksachen/14-1/"))
    assert fragments.fragment(key, "nav", render("A")) == "A"
    assert fragments.fragment(key, "nav", render("B")) == "A"
    assert fragments.fragment(key, "tabs", render("C")) == "C"
    assert fragments.fragment(None, "nav", render("D")) == "D"  # a page in the navigation
    assert fragments.fragment("nicht gesetzt", "nav", render("E")) == "E"  # a template without a page (404.html)
    assert rendered == ["A", "C", "D", "E"]
    assert NavigationFragments(_navigation(), _config(), enabled=False).key(SimpleNamespace(url="drucksachen/14-1/")) is None


@pytest.mark.build
def test_the_site_is_the_same_as_with_the_navigation_rendered_into_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    sites = {}
    for every_time in ("", "1"):
        monkeypatch.setenv(EVERY_TIME_VARIABLE, every_time)
        result = run_mkdocs_build(tmp_path / f"site{every_time}", corpus=SITE_CORPUS)
        assert result.returncode == 0, result.log[-3000:]
        sites[every_time] = files_of(result.site)
    assert sites[""].keys() == sites["1"].keys()
    differing = sorted(name for name in sites[""] if sites[""][name] != sites["1"][name])
    assert not differing, differing
