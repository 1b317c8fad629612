"""Render Material's navigation (the tabs and the drawer) once for all pages that show it alike.

Material renders the whole navigation into every page: 6 % of the processor time of a build of 10,000 Drucksachen
(sampled with py-spy). On a page that is not in the navigation no item is marked as active, so the navigation differs
between two such pages only in its links, which are relative to the page. Pages whose links to every page of the
navigation, the start page and the logo are the same get the same HTML: the templates (overrides/main.html) render
it for the first of them and take it from here for the others. Pages in the navigation are rendered as Material
renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

# Set (to anything) to render the navigation into every page anew, as Material does: the tests compare both builds.
EVERY_TIME_VARIABLE = "RATSDOK_NAVIGATION_JEDES_MAL"


class NavigationFragments:
    def __init__(self, nav: Navigation, config: MkDocsConfig, *, enabled: bool = True) -> None:
        homepage = config.extra.get("homepage") or (nav.homepage.url if nav.homepage else "")
        logo = config.theme.get("logo")
        self._targets = [page.url for page in nav.pages] + [homepage] + ([logo] if logo else [])
        self._in_nav = {id(page) for page in nav.pages}
        self._enabled = enabled
        self._fragments: dict[tuple[str, tuple[str, ...]], Any] = {}

    def key(self, page: Page) -> tuple[str, ...] | None:
        """What the navigation on ``page`` depends on; None for a page in the navigation (rendered each time)."""
        if not self._enabled or id(page) in self._in_nav:
            return None
        return tuple(normalize_url(target, page) for target in self._targets)

    def fragment(self, key: tuple[str, ...] | None, part: str, caller: Callable[[], Any]) -> Any:
        """For ``{% call %}`` in a template: the part's HTML rendered for the first page with this key (a template
        rendered without a page, such as 404.html, has no key)."""
        if not isinstance(key, tuple):
            return caller()
        found = self._fragments.get((part, key))
        if found is None:
            found = self._fragments[(part, key)] = caller()
        return found
