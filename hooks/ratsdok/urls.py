"""Permanent, site-relative URLs (with trailing slash), derived from numbers and register ids."""

from __future__ import annotations

from .model import Drucksache, RegisterKind, Registers

YEARS_URL = "jahre/"
TERMS_URL = "wahlperioden/"
OPEN_INQUIRIES_URL = "offene-anfragen/"


def register_url(kind: RegisterKind) -> str:
    """The register's file stem is its URL segment: gremien, fraktionen, themen."""
    return f"{kind.value}/"


def entry_url(kind: RegisterKind, entry_id: str) -> str:
    return f"{register_url(kind)}{entry_id}/"


def year_url(year: int) -> str:
    return f"{YEARS_URL}{year}/"


def term_url(term: int) -> str:
    return f"{TERMS_URL}{term}/"


def main_page_urls(documents: tuple[Drucksache, ...], registers: Registers) -> set[str]:
    """The first page of everything the site publishes (what a redirect may point to)."""
    urls = {"", YEARS_URL, TERMS_URL, OPEN_INQUIRIES_URL}
    urls.update(doc.url for doc in documents)
    for kind in RegisterKind:
        urls.add(register_url(kind))
        urls.update(entry_url(kind, key) for key in registers.of(kind))
    urls.update(year_url(doc.date.year) for doc in documents)
    urls.update(term_url(doc.legislative_term) for doc in documents)
    return urls
