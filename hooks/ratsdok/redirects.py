"""The redirect map (``umleitungen.yml`` in the corpus): old path -> new path, for renumbering.

Each old path becomes a small HTML page that forwards to the new one. An old path may not be a
page of its own, and the new path must be a page the site publishes.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .coerce import coerce
from .problems import Problem, quote
from .schema_check import load_schema, validate_against_schema
from .strict_yaml import parse_yaml

REDIRECTS_FILE = "umleitungen.yml"


@dataclass(frozen=True, slots=True)
class Redirect:
    old: str  # site-relative, with trailing slash
    new: str
    line: int


def load_redirects(corpus_root: Path, shown: str) -> tuple[list[Redirect], list[Problem]]:
    """Read the optional redirect map; syntax and form only (targets are checked against the plan)."""
    file = corpus_root / REDIRECTS_FILE
    if not file.is_file():
        return [], []
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(shown, 1, "Umleitungen", f"Datei nicht lesbar ({error})")]
    node, problems = parse_yaml(text, shown)
    if node is None:
        return [], problems
    coerced = coerce(node, load_schema("umleitungen"), shown)
    problems += coerced.problems + validate_against_schema(coerced, "umleitungen", shown)
    # field_name() calls the root "Front Matter"; the redirect map has none.
    problems = [Problem(p.path, p.line, "Umleitungen", p.message) if p.field == "Front Matter" else p for p in problems]
    if problems:
        return [], problems
    redirects = [Redirect(item["alt"], item["neu"], coerced.line_of((index,))) for index, item in enumerate(coerced.value)]
    return redirects, []


def check_redirects(redirects: list[Redirect], page_urls: set[str], shown: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for redirect in redirects:
        if redirect.old in page_urls:
            problems.append(Problem(shown, redirect.line, "alt", f"{quote(redirect.old)} ist eine bestehende Seite und kann nicht umgeleitet werden"))
        if redirect.new not in page_urls:
            problems.append(Problem(shown, redirect.line, "neu", f"{quote(redirect.new)} ist keine Seite dieser Website"))
        if redirect.old in seen:
            problems.append(Problem(shown, redirect.line, "alt", f"{quote(redirect.old)} ist mehrfach eingetragen"))
        seen.add(redirect.old)
    return problems


def redirect_page(redirect: Redirect) -> str:
    """A static page at the old path that forwards to the new one (relative, so sub-paths work)."""
    target = html.escape(posixpath.relpath(redirect.new, redirect.old) + "/", quote=True)
    return (
        '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        "<title>Diese Seite ist umgezogen</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n</head>\n<body>\n'
        f'<p>Diese Seite ist umgezogen. Die neue Adresse lautet: <a href="{target}">{html.escape(redirect.new)}</a></p>\n'
        "</body>\n</html>\n"
    )
