"""Check every internal link and resource reference in the built site.

MkDocs validates links written in Markdown; links from our templates and generated pages it never
sees. This runs after the build so the strict build fails on any broken internal link.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Links, resources and anchors in one pass over the page: the two passes before took 7 % of the processor time of a
# build of 10,000 Drucksachen (sampled with py-spy).
_ATTRIBUTE = re.compile(r"""\s(href|src|id)\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True, slots=True, order=True)
class BrokenLink:
    page: str  # site-relative path of the HTML file
    target: str  # as written

    def __str__(self) -> str:
        return f"{self.page}: Verweis auf {self.target!r} führt ins Leere"


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The internal links and references of one page, in order: each with the site file it needs, or None when
    it is broken whatever the site holds (an anchor missing on the page itself, a path outside the site)."""

    needs: tuple[tuple[str, str | None], ...]


def page_links(page: str, text: str, root_path: str = "/") -> PageLinks:
    """The links of the HTML ``text`` of ``page`` (site-relative path of the file); see ``find_broken_links``."""
    root = _root(root_path)
    folder = posixpath.dirname(page)
    needs: list[tuple[str, str | None]] = []
    references: list[str] = []
    ids: set[str] = set()
    for name, value in _ATTRIBUTE.findall(text):
        if name != "id":
            references.append(value)
        elif value:
            ids.add(value)
    for raw in references:
        target = sys.intern(html.unescape(raw))  # one string for a link on thousands of pages, kept until the check
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("data:"):
            continue  # external, mailto:, tel: — not ours to check here
        if not parts.path:
            if parts.fragment and unquote(parts.fragment) not in ids:
                needs.append((target, None))
            continue
        path = unquote(parts.path)
        if path.startswith("/"):
            if not (path + "/").startswith(root):
                needs.append((target, None))
                continue
            path = "/" + path[len(root) :]
        needs.append((target, _resolve(folder, path)))
    return PageLinks(tuple(needs))


def find_broken_links(
    site_dir: Path, root_path: str = "/", skip: tuple[str, ...] = (), checked: Mapping[str, PageLinks] | None = None
) -> list[BrokenLink]:
    """``root_path`` is where the site is served (the path of ``site_url``, e.g. ``/archiv/``): MkDocs writes
    the links of the 404 page absolute, below it. The top-level folders in ``skip`` are neither read nor link
    targets (the search index, written meanwhile). ``checked``: the links of pages already read from their text
    during the build (by site-relative path), so that only the other files are read here."""
    files = site_files(site_dir, skip)
    checked = checked or {}
    broken: list[BrokenLink] = []
    for page in sorted(name for name in files if name.endswith(".html")):
        links = checked.get(page)
        if links is None:
            links = page_links(page, (site_dir / page).read_text("utf-8", errors="replace"), root_path)
        broken.extend(BrokenLink(page, target) for target, needed in links.needs if needed is None or needed not in files)
    return broken


def site_files(site_dir: Path, skip: tuple[str, ...] = ()) -> set[str]:
    """Every file below ``site_dir`` as a site-relative path with "/", as ``os.walk`` finds them (symbolic links
    to folders are not followed, unreadable folders are left out), without the top-level folders in ``skip``.
    Built from the names directly: at 57,000 files, os.walk with a relative path per folder took three times as
    long."""
    files: set[str] = set()
    pending = [("", str(site_dir))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                files.add(prefix + entry.name)
            elif not entry.is_symlink() and (prefix or entry.name not in skip):
                pending.append((f"{prefix}{entry.name}/", entry.path))
    return files


def _root(root_path: str) -> str:
    return "/" + root_path.strip("/") + "/" if root_path.strip("/") else "/"


# Pages in one folder share most of their links (theme assets, navigation): each is resolved once per folder.
@lru_cache(maxsize=1 << 17)
def _resolve(folder: str, path: str) -> str:
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    resolved = posixpath.normpath(joined)
    if path.endswith("/") or resolved in (".", ""):
        resolved = posixpath.join(resolved, "index.html") if resolved not in (".", "") else "index.html"
    return resolved
