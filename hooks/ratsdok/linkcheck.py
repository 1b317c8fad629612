"""Check every internal link and resource reference in the built site.

MkDocs validates links written in Markdown; links from our templates and generated pages it never
sees. This runs after the build so the strict build fails on any broken internal link.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

_REFERENCE = re.compile(r"""\s(?:href|src)\s*=\s*["']([^"']*)["']""")
_ID = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True, slots=True, order=True)
class BrokenLink:
    page: str  # site-relative path of the HTML file
    target: str  # as written

    def __str__(self) -> str:
        return f"{self.page}: Verweis auf {self.target!r} führt ins Leere"


def find_broken_links(site_dir: Path, root_path: str = "/", skip: tuple[str, ...] = ()) -> list[BrokenLink]:
    """``root_path`` is where the site is served (the path of ``site_url``, e.g. ``/archiv/``): MkDocs writes
    the links of the 404 page absolute, below it. The top-level folders in ``skip`` are neither read nor link
    targets (the search index, written meanwhile)."""
    root = "/" + root_path.strip("/") + "/" if root_path.strip("/") else "/"
    files = set()
    for folder, subfolders, names in os.walk(site_dir):
        relative = os.path.relpath(folder, site_dir)
        if relative == ".":
            subfolders[:] = [name for name in subfolders if name not in skip]
            files.update(names)
        else:
            files.update(f"{Path(relative).as_posix()}/{name}" for name in names)
    broken: list[BrokenLink] = []
    # Pages in one folder share most of their links (theme assets, navigation): each is resolved once per folder.
    resolved: dict[tuple[str, str], str] = {}
    for page in sorted(name for name in files if name.endswith(".html")):
        folder = posixpath.dirname(page)
        text = (site_dir / page).read_text("utf-8", errors="replace")
        ids: set[str] | None = None
        for raw in _REFERENCE.findall(text):
            target = html.unescape(raw)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith("data:"):
                continue  # external, mailto:, tel: — not ours to check here
            if not parts.path:
                if parts.fragment:
                    ids = ids if ids is not None else set(_ID.findall(text))
                    if unquote(parts.fragment) not in ids:
                        broken.append(BrokenLink(page, target))
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if not (path + "/").startswith(root):
                    broken.append(BrokenLink(page, target))
                    continue
                path = "/" + path[len(root) :]
            target_file = resolved.get((folder, path))
            if target_file is None:
                target_file = resolved[folder, path] = _resolve(folder, path)
            if target_file not in files:
                broken.append(BrokenLink(page, target))
    return broken


def _resolve(folder: str, path: str) -> str:
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    resolved = posixpath.normpath(joined)
    if path.endswith("/") or resolved in (".", ""):
        resolved = posixpath.join(resolved, "index.html") if resolved not in (".", "") else "index.html"
    return resolved
