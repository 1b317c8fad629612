"""Atom 1.0 feeds: all Drucksachen, and one per committee, faction and topic (``/feeds/…``).

Each feed holds the newest ``FEED_SIZE`` documents of its list, newest first. Everything in a feed
derives from the documents, never from the build time, so two builds of the same corpus write
identical feeds:

- ``<updated>`` of an entry is the document's date (midnight UTC); the feed's is its newest entry's
  date, and for a feed without entries the newest date of the whole site (``EMPTY_FEED_DATE`` if
  the site has no document at all).
- Ids are tag URIs (RFC 4151), not URLs: ``tag:<authority>:drucksache/<slug>`` for an entry and
  ``tag:<authority>:feeds/<kind>/<id>`` for a feed. The authority (``rvr.ruhr,2025``: a domain
  and a date on which the body owned it) is set once in ``mkdocs.yml`` and never changes, so the ids
  survive a move of the site to another host or sub-path, a wrong ``site_url`` in one build, and
  renamed display names (only the permanent number and register ids go in).

Absolute links need the site's base URL, which the caller passes in (``site_url``). The XML is
built with ``xml.etree.ElementTree``, which escapes every value.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from .catalog import Catalog
from .index_pages import SECTIONS
from .model import Drucksache, RegisterKind, slug_for
from .urls import entry_url, register_url

FEED_SIZE = 50
FEEDS_URL = "feeds/"
ALL_FEED_URL = f"{FEEDS_URL}drucksachen.xml"
EMPTY_FEED_DATE = dt.date(1970, 1, 1)
ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"

_TAG_AUTHORITY = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*\.[a-z]{2,},\d{4}(?:-\d{2}(?:-\d{2})?)?$")

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM_NS)


class FeedConfigError(ValueError):
    """The base URL or the tag authority is unusable."""


@dataclass(frozen=True, slots=True)
class Feed:
    url: str  # site-relative, e.g. "feeds/gremien/testrat.xml"
    key: str  # the permanent part of the feed id, e.g. "feeds/gremien/testrat"
    title: str
    page_url: str  # site-relative URL of the page the feed belongs to ("" for the start page)
    documents: tuple[Drucksache, ...]  # newest first, at most FEED_SIZE


@dataclass(frozen=True, slots=True)
class FeedLink:
    """What a page needs to announce its feed: ``<link rel="alternate">`` and a visible link."""

    title: str
    url: str  # site-relative


def feed_url(kind: RegisterKind, entry_id: str) -> str:
    return f"{FEEDS_URL}{kind.value}/{entry_id}.xml"


def plan_feeds(catalog: Catalog, site_name: str) -> list[Feed]:
    """The feed of all Drucksachen, then one per register entry (also without documents), in register order."""
    feeds = [Feed(ALL_FEED_URL, "feeds/drucksachen", site_name, "", catalog.documents[:FEED_SIZE])]
    for section in SECTIONS:
        documents_of = _documents_of(catalog, section.kind)
        for key, entry in catalog.registers.of(section.kind).items():
            feeds.append(
                Feed(
                    feed_url(section.kind, key),
                    f"feeds/{section.kind.value}/{key}",
                    f"{site_name} – {section.singular}: {entry.name}",
                    entry_url(section.kind, key),
                    documents_of[key][:FEED_SIZE],
                )
            )
    return feeds


def feed_links(feeds: list[Feed]) -> dict[str, FeedLink]:
    """Page URL -> the feed it announces."""
    return {feed.page_url: FeedLink(feed.title, feed.url) for feed in feeds}


def entry_id(authority: str, document: Drucksache) -> str:
    return f"tag:{authority}:drucksache/{slug_for(document.reference)}"


def feed_id(authority: str, feed: Feed) -> str:
    return f"tag:{authority}:{feed.key}"


def check_feed_config(base_url: str, authority: str) -> str:
    """The base URL with a trailing slash; raises ``FeedConfigError`` for a relative URL or a malformed authority."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedConfigError(f"site_url: {base_url!r} ist keine absolute http(s)-Adresse (erwartet z. B. 'https://drucksachen.example.org/')")
    if not _TAG_AUTHORITY.match(authority):
        raise FeedConfigError(f"extra.feeds.kennung: {authority!r} ist keine Tag-Kennung (erwartet Domain,Datum, z. B. 'rvr.ruhr,2025')")
    return base_url if base_url.endswith("/") else base_url + "/"


def render_feed(feed: Feed, catalog: Catalog, *, base_url: str, authority: str) -> str:
    """The feed as an Atom 1.0 document (UTF-8 XML text)."""
    base = check_feed_config(base_url, authority)
    newest = feed.documents[0].date if feed.documents else (catalog.documents[0].date if catalog.documents else EMPTY_FEED_DATE)
    root = ET.Element(_atom("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "de"})
    _text(root, "id", feed_id(authority, feed))
    _text(root, "title", feed.title)
    _text(root, "updated", _timestamp(newest))
    _link(root, "self", base + feed.url, ATOM_TYPE)
    _link(root, "alternate", base + feed.page_url, "text/html")
    topics = catalog.registers.topics
    for doc in feed.documents:
        entry = ET.SubElement(root, _atom("entry"))
        _text(entry, "id", entry_id(authority, doc))
        _text(entry, "title", f"{doc.reference}: {doc.title}")
        _text(entry, "updated", _timestamp(doc.date))
        _text(entry, "published", _timestamp(doc.date))
        _link(entry, "alternate", base + doc.url, "text/html")
        author = ET.SubElement(entry, _atom("author"))
        _text(author, "name", doc.issuer)
        _text(entry, "summary", doc.subject).set("type", "text")
        ET.SubElement(entry, _atom("category"), {"term": doc.paper_type.value, "label": xml_safe(doc.paper_type.label)})
        for topic in doc.topics:
            label = topics[topic].name if topic in topics else topic
            ET.SubElement(entry, _atom("category"), {"term": topic, "label": xml_safe(label), "scheme": base + register_url(RegisterKind.TOPICS)})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False).join(('<?xml version="1.0" encoding="utf-8"?>\n', "\n"))


class RenderedFeeds:
    """mkdocs serve: each feed as the last build rendered it, taken again while all it shows is the same (the
    unchanged Drucksachen are the same objects, ratsdok.load_cache; rendering the 30 feeds took 0.2 s per save)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[tuple[object, ...], str]] = {}

    def render(self, feed: Feed, catalog: Catalog, *, base_url: str, authority: str) -> str:
        newest_of_site = catalog.documents[0].date if catalog.documents and not feed.documents else None
        shown = (feed, newest_of_site, catalog.registers.topics, base_url, authority)
        last = self._last.get(feed.url)
        text = last[1] if last is not None and last[0] == shown else render_feed(feed, catalog, base_url=base_url, authority=authority)
        self._last[feed.url] = (shown, text)
        return text


def _documents_of(catalog: Catalog, kind: RegisterKind) -> dict[str, tuple[Drucksache, ...]]:
    return {RegisterKind.COMMITTEES: catalog.by_committee, RegisterKind.FACTIONS: catalog.by_faction, RegisterKind.TOPICS: catalog.by_topic}[kind]


def _atom(tag: str) -> str:
    return f"{{{ATOM_NS}}}{tag}"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, _atom(tag))
    element.text = xml_safe(text)
    return element


def xml_safe(text: str) -> str:
    """Without the characters XML 1.0 cannot carry at all (control characters, lone surrogates); ElementTree would write them as they are."""
    return _NOT_XML.sub("", text)


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, _atom("link"), {"rel": rel, "type": media_type, "href": href})


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
