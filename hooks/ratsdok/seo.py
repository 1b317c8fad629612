"""What search engines and link previews read: meta description, Open Graph type, JSON-LD, robots.txt.

- Every generated page gets a description of 50–160 characters. A Drucksache's starts with its
  number, so no two are alike; an index page's starts with its (unique) title.
- JSON-LD: a Drucksache is a schema.org ``Report`` published by a ``GovernmentOrganization``
  (not ``QAPage``/``FAQPage``: their rich results require answers submitted by users); every
  generated page also carries its breadcrumb trail as a ``BreadcrumbList``.
- Texts are plain here; templates escape them for HTML attributes. JSON-LD is emitted verbatim into
  ``<script>``, so ``<``, ``>`` and ``&`` are written as JSON escapes: no value can close the script.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from .body_settings import BodyInfo
from .catalog import Catalog
from .counts import german_number
from .dates import german_date
from .index_pages import EntryPage, ListPage, Overview
from .model import Drucksache
from .reference_links import resolve_references
from .search_page import SearchPage
from .site_pages import SitePage

DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 160
ELLIPSIS = "…"
SCHEMA_ORG = "https://schema.org"

_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.DOTALL)
_ANSWER_LABEL = re.compile(r'<p class="rd-antwort-label">.*?</p>', re.DOTALL)
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|dl|dt|dd|div|section|blockquote|pre|table|tr|td|th|br|hr)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_FIRST_CUT = 600  # characters of HTML; often enough for a description
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True, slots=True)
class HeadMetadata:
    description: str  # plain text
    og_type: str  # "article" for a Drucksache, "website" otherwise
    json_ld: str  # one JSON array of objects, safe inside <script>


def plain_text(body_html: str) -> str:
    """The running text of a rendered body: no headings, question labels, tags or reference marks."""
    text = resolve_references(body_html, lambda _reference: None)
    text = _ANSWER_LABEL.sub(" ", _HEADING.sub(" ", text))
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))  # inline tags join, block tags separate
    return _SPACE.sub(" ", html.unescape(text)).strip()


def plain_text_start(body_html: str, length: int) -> str:
    """``plain_text(body_html)[:length]``, read from as little of the HTML as gives that much text.

    The HTML is cut right after a ``</p>``: no heading, label, tag, entity or reference mark spans such a
    point (headings and marks hold inline text only, the label ends at its first ``</p>``), so the plain
    text of the part is the start of the whole's. A description needs 160 characters of bodies of 10 KB and
    more: for the 10,000 bodies of the benchmark 0.4 s instead of 1.8 s, on the one core that plans the pages."""
    wanted = _FIRST_CUT
    while (end := body_html.find("</p>", wanted)) >= 0:
        cut = end + len("</p>")
        text = plain_text(body_html[:cut])
        if len(text) >= length:
            return text[:length]
        wanted = 2 * cut
    return plain_text(body_html)[:length]


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else cut[:-1]
    return cut.rstrip(" ,;:–-") + ELLIPSIS


def _at_least(text: str, padding: str) -> str:
    """Short descriptions are padded with the site's name: search engines replace very short ones."""
    return text if len(text) >= DESCRIPTION_MIN else shorten(f"{text} – {padding}")


def document_description(doc: Drucksache, body_html: str, site_name: str) -> str:
    lead = f"Drucksache {doc.reference} vom {german_date(doc.date)}: {doc.subject.strip()}"
    text = plain_text_start(body_html, DESCRIPTION_MAX + 1)  # as much as shorten() can use
    return _at_least(shorten(f"{lead} – {text}" if text else lead), f"{doc.paper_type.label}, {site_name}")


def page_description(page: SitePage, catalog: Catalog, site_name: str) -> str:
    """A description for any generated page."""
    data = page.data
    if isinstance(data, Drucksache):
        return document_description(data, catalog.bodies[data.reference].html, site_name)
    if isinstance(data, EntryPage):
        count = "keine Drucksache" if not data.count else f"{german_number(data.count)} Drucksache{'n' if data.count != 1 else ''}"
        detail = f"{data.kind_label} {data.heading}: {count}, die neuesten zuerst, mit Antwortzeiten und offenen Anfragen."
    elif isinstance(data, ListPage):
        detail = f"{page.title}: {data.total_text}"
    elif isinstance(data, Overview):
        detail = f"{page.title}: {data.intro}"
    elif isinstance(data, SearchPage):
        detail = f"Volltextsuche in {german_number(data.total)} Drucksachen, mit Filtern nach Gremium, Fraktion, Thema, Jahr und Art."
    else:
        detail = page.title
    return _at_least(shorten(detail), site_name)


def json_ld(page: SitePage, catalog: Catalog, *, base_url: str, publisher: BodyInfo) -> str:
    """The page's structured data: a ``Report`` for a Drucksache, and the ``BreadcrumbList``."""
    objects: list[dict[str, Any]] = []
    if isinstance(page.data, Drucksache):
        objects.append(_report(page.data, catalog, base_url + page.url, publisher))
    if page.breadcrumbs:
        objects.append(
            {
                "@context": SCHEMA_ORG,
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": position, "name": crumb.title, "item": base_url + (page.url if crumb.url is None else crumb.url)}
                    for position, crumb in enumerate(page.breadcrumbs, 1)
                ],
            }
        )
    return script_json(objects)


def _report(doc: Drucksache, catalog: Catalog, url: str, publisher: BodyInfo) -> dict[str, Any]:
    organization: dict[str, Any] = {"@type": "GovernmentOrganization", "name": publisher.name}
    if publisher.website:
        organization["url"] = publisher.website
    topics = catalog.registers.topics
    # What the page's meta tags already say (description, title) is not repeated: every byte counts 10,000 times.
    report: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Report",
        "identifier": doc.reference,
        "name": doc.title,
        "datePublished": doc.date.isoformat(),
        "inLanguage": "de-DE",
        "genre": doc.paper_type.label,
        "publisher": organization,
        "url": url,
    }
    if doc.topics:
        report["about"] = [{"@type": "Thing", "name": topics[topic].name if topic in topics else topic} for topic in doc.topics]
    return report


def script_json(value: object) -> str:
    """JSON that can stand inside ``<script type="application/ld+json">`` as it is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&]", lambda match: _JSON_UNSAFE[match.group()], text)


def plan_head(page: SitePage, catalog: Catalog, *, base_url: str, publisher: BodyInfo, site_name: str) -> HeadMetadata:
    description = page_description(page, catalog, site_name)
    return HeadMetadata(
        description=description,
        og_type="article" if isinstance(page.data, Drucksache) else "website",
        json_ld=json_ld(page, catalog, base_url=base_url, publisher=publisher),
    )


def robots_txt(base_url: str) -> str:
    """Everything may be crawled; the sitemap is named with its absolute URL (as the protocol requires)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"
