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
from .plain_text import TEXT_START_LENGTH
from .search_page import SearchPage
from .site_pages import SitePage

DESCRIPTION_MIN = 50
DESCRIPTION_MAX = TEXT_START_LENGTH - 1  # the start of each body's plain text is kept one character longer
ELLIPSIS = "…"
SCHEMA_ORG = "https://schema.org"

_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True, slots=True)
class HeadMetadata:
    description: str  # plain text
    og_type: str  # "article" for a Drucksache, "website" otherwise
    json_ld: str  # one JSON array of objects, safe inside <script>


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


def document_description(doc: Drucksache, text_start: str, site_name: str) -> str:
    """``text_start``: the start of the plain text of its body (``RenderedBody.text_start``)."""
    lead = f"Drucksache {doc.reference} vom {german_date(doc.date)}: {doc.subject.strip()}"
    text = text_start[: DESCRIPTION_MAX + 1]  # as much as shorten() can use
    return _at_least(shorten(f"{lead} – {text}" if text else lead), f"{doc.paper_type.label}, {site_name}")


def page_description(page: SitePage, catalog: Catalog, site_name: str) -> str:
    """A description for any generated page."""
    data = page.data
    if isinstance(data, Drucksache):
        return document_description(data, catalog.bodies[data.reference].text_start, site_name)
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
