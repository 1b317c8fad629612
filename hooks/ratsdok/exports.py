"""Open data exports below ``/api/``: one JSON file per Drucksache, the list as JSON and as CSV.

- ``api/drucksachen/<slug>.json``: all metadata, the text (Markdown), links to the page, the PDF,
  the inquiry or its answers, the Drucksachen it refers to and those that mention it.
- ``api/drucksachen.json``: the list of all Drucksachen (newest first) with the main fields.
- ``api/drucksachen.csv``: the same list as a table for spreadsheets.

Keys are the front-matter keys editors know (German, ASCII). Every JSON file carries ``version``
(``EXPORT_VERSION``, the major version of this format): within a major version fields are only
added, never renamed or removed. Output depends only on the corpus and the base URL, never on the
build time, and is serialised with a fixed key order, so two builds write identical files.

The CSV is written for German spreadsheets: UTF-8 with a byte order mark (so Excel reads the
umlauts), ``;`` as separator (Excel's list separator in German locales), CRLF line ends and quotes
as RFC 4180 prescribes. Several values in one cell are separated by ``, ``.
"""

from __future__ import annotations

import csv
import io
import json
from functools import partial
from typing import Any
from urllib.parse import urljoin

from .catalog import Catalog
from .document_memo import DocumentMemo
from .document_pages import original_href_of
from .model import Drucksache, RegisterEntry, RegisterKind
from .urls import entry_url

EXPORT_VERSION = 1
API_URL = "api/"
DOCUMENTS_EXPORT_URL = f"{API_URL}drucksachen/"
LIST_JSON_URL = f"{API_URL}drucksachen.json"
LIST_CSV_URL = f"{API_URL}drucksachen.csv"
CSV_COLUMNS = (
    "nummer", "art", "titel", "betreff", "datum", "wahlperiode", "urheber", "fraktion", "gremien", "themen",
    "anfrage", "antworten", "aktenzeichen", "url", "daten", "original",
)  # fmt: skip
CSV_SEPARATOR = ";"
CSV_VALUE_SEPARATOR = ", "
_BOM = "\ufeff"


def export_url(document: Drucksache) -> str:
    """Site-relative URL of the document's JSON export, permanent like the page URL."""
    return f"{DOCUMENTS_EXPORT_URL}{document.slug}.json"


def plan_exports(catalog: Catalog, base_url: str, memo: DocumentMemo[str] | None = None) -> dict[str, str]:
    """Site-relative path -> file content, for every export file. ``base_url`` is absolute, with a trailing slash.
    ``memo``: the Drucksachen's exports are taken from it where their inputs are unchanged (mkdocs serve); it must
    be made for this catalog and ``base_url``."""
    made = memo if memo is not None else DocumentMemo[str](catalog, base_url, keep=False)
    files = {export_url(doc): made.get(doc, partial(export_text, catalog, doc, base_url)) for doc in catalog.documents}
    made.done()
    rows = [list_entry(catalog, doc, base_url) for doc in catalog.documents]
    files[LIST_JSON_URL] = to_json({"version": EXPORT_VERSION, "anzahl": len(rows), "drucksachen": rows})
    files[LIST_CSV_URL] = render_csv(rows)
    return files


def export_paths(catalog: Catalog) -> set[str]:
    """The site path of every file ``plan_exports`` makes of ``catalog``, known without making them."""
    return {LIST_JSON_URL, LIST_CSV_URL, *(export_url(doc) for doc in catalog.documents)}


def export_text(catalog: Catalog, doc: Drucksache, base_url: str) -> str:
    """The content of the Drucksache's JSON export file."""
    return to_json(document_export(catalog, doc, base_url))


def to_json(data: dict[str, Any]) -> str:
    """Compact UTF-8 JSON in the given key order, one line, with a final newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def document_export(catalog: Catalog, doc: Drucksache, base_url: str) -> dict[str, Any]:
    registers = catalog.registers
    responsibility = doc.responsibility
    body = catalog.bodies[doc.reference]
    answers = catalog.answers_to.get(doc.reference, ())
    return {
        "version": EXPORT_VERSION,
        "nummer": doc.reference,
        "art": {"id": doc.paper_type.value, "name": doc.paper_type.label},
        "titel": doc.title,
        "betreff": doc.subject,
        "datum": doc.date.isoformat(),
        "wahlperiode": doc.legislative_term,
        "urheber": doc.issuer,
        "fraktion": _entry(registers.factions, RegisterKind.FACTIONS, doc.faction, base_url) if doc.faction else None,
        "beratungsfolge": [
            {
                "gremium": _entry(registers.committees, RegisterKind.COMMITTEES, row.committee, base_url),
                "sitzung": row.meeting_date.isoformat() if row.meeting_date else None,
                "status": row.role,
                "top": row.agenda_item,
            }
            for row in doc.consultations
        ],
        "themen": [_entry(registers.topics, RegisterKind.TOPICS, topic, base_url) for topic in doc.topics],
        "zustaendig": None
        if responsibility is None
        else {
            "bereich": responsibility.department,
            "referat": responsibility.unit,
            "sachbearbeitung": responsibility.clerk,
            "referatsleitung": responsibility.unit_head,
        },
        "aktenzeichen": doc.file_reference,
        "original": None if doc.original is None else {"url": original_url(doc, base_url), "sha256": doc.original.sha256},
        "url": base_url + doc.url,
        "daten": base_url + export_url(doc),
        "anfrage": _document_link(catalog, doc.answers, base_url) if doc.answers else None,
        "antworten": [_document_link(catalog, answer.reference, base_url) for answer in answers],
        "bezuege": [_document_link(catalog, reference, base_url) for reference in doc.related],
        "verweise": [_document_link(catalog, reference, base_url) for reference in body.references if reference != doc.reference],
        "erwaehnt_in": [_document_link(catalog, other.reference, base_url) for other in catalog.mentioned_in.get(doc.reference, ())],
        "text": doc.body,
    }


def list_entry(catalog: Catalog, doc: Drucksache, base_url: str) -> dict[str, Any]:
    """The main fields of a Drucksache, flat: register ids instead of objects (names are in the document's export)."""
    return {
        "nummer": doc.reference,
        "art": doc.paper_type.value,
        "titel": doc.title,
        "betreff": doc.subject,
        "datum": doc.date.isoformat(),
        "wahlperiode": doc.legislative_term,
        "urheber": doc.issuer,
        "fraktion": doc.faction,
        "gremien": list(doc.committees),
        "themen": list(doc.topics),
        "anfrage": doc.answers,
        "antworten": [answer.reference for answer in catalog.answers_to.get(doc.reference, ())],
        "aktenzeichen": doc.file_reference,
        "url": base_url + doc.url,
        "daten": base_url + export_url(doc),
        "original": original_url(doc, base_url),
    }


def render_csv(rows: list[dict[str, Any]]) -> str:
    """The list as CSV text (the byte order mark included): one header row with ``CSV_COLUMNS``, then one row per Drucksache."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return _BOM + out.getvalue()


def original_url(doc: Drucksache, base_url: str) -> str | None:
    """Absolute URL of the official PDF: its own URL, or the copy published beside the page."""
    href = original_href_of(doc)
    return urljoin(base_url, href) if href is not None else None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return CSV_VALUE_SEPARATOR.join(str(item) for item in value)
    return str(value)


def _entry(entries: dict[str, RegisterEntry], kind: RegisterKind, entry_id: str, base_url: str) -> dict[str, str]:
    entry = entries[entry_id]
    return {"id": entry.id, "name": entry.name, "url": base_url + entry_url(kind, entry.id)}


def _document_link(catalog: Catalog, reference: str, base_url: str) -> dict[str, str | None]:
    """Another Drucksache; title and links are null when it is not published here."""
    target = catalog.by_reference.get(reference)
    if target is None:
        return {"nummer": reference, "titel": None, "url": None, "daten": None}
    return {"nummer": reference, "titel": target.title, "url": base_url + target.url, "daten": base_url + export_url(target)}
