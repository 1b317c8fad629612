"""A page the build emits, with the typed data its template shows.

Nothing here knows MkDocs: the hook turns each ``SitePage`` into a generated file and hands ``data``
to the page's template. Titles and data are plain text; templates escape them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .render import TocEntry

START = "Start"


@dataclass(frozen=True, slots=True)
class Crumb:
    title: str
    url: str | None  # None for the current page


@dataclass(frozen=True, slots=True)
class SitePage:
    src_uri: str  # the virtual Markdown file MkDocs turns into ``url``
    url: str  # site-relative, e.g. "gremien/planungsausschuss/"
    template: str
    title: str
    breadcrumbs: tuple[Crumb, ...]
    data: Any
    toc: tuple[TocEntry, ...] = ()
    reference: str | None = None  # set for Drucksache pages
    updated: dt.date | None = None  # the newest date of what the page shows (sitemap lastmod); never the build date


def src_uri_for(url: str) -> str:
    """``gremien/x/`` -> ``gremien/x/index.md``; Drucksache pages keep ``drucksachen/<slug>.md``."""
    return f"{url}index.md"


def crumbs(*trail: tuple[str, str], current: str) -> tuple[Crumb, ...]:
    return (Crumb(START, ""), *(Crumb(title, url) for title, url in trail), Crumb(current, None))
