"""A static OParl 1.1 interface below ``/oparl/``: System, Body, LegislativeTerm, Organization, Paper.

Every object is one JSON file and its ``id`` is that file's absolute URL (``oparl/system.json`` is
the entry point). Paper embeds its Consultations and its main File; those are also published on
their own, with their back-references. The Body's object lists are paginated (``PAGE_SIZE``) as
``…/<list>.json``, ``…/<list>-2.json`` and so on, oldest first, so a new Drucksache only changes
the last page. Lists the site has nothing for (persons, meetings, …) are published empty, because
the specification requires a Body to link them.

``created`` and ``modified`` (required by the specification's text, not by its schemas) derive
from document dates, never from the build time, so two builds write identical files:

- Paper, its Consultations and its File: created = the document's date; the Paper's modified is the
  newest date among itself and the Drucksachen it lists as related (a later answer changes it).
- Organization and LegislativeTerm: the oldest and the newest date of their documents.
- System and Body: the oldest and the newest date of all documents.

A date is written as midnight UTC; a site without any documents uses ``EMPTY_FEED_DATE``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from .body_settings import BodyInfo
from .catalog import Catalog
from .document_memo import DocumentMemo
from .exports import original_url, to_json
from .feeds import EMPTY_FEED_DATE
from .index_pages import term_title
from .model import Consultation, Drucksache, RegisterKind, sort_key_newest_first
from .urls import entry_url, term_url

OPARL_VERSION = "https://schema.oparl.org/1.1/"
OPARL_URL = "oparl/"
SYSTEM_URL = f"{OPARL_URL}system.json"
BODIES_URL = f"{OPARL_URL}bodies.json"
BODY_URL = f"{OPARL_URL}body.json"
LISTS_URL = f"{OPARL_URL}body/"
PAGE_SIZE = 100
# Organization types when the register does not name one (OParl's suggested values).
DEFAULT_ORGANIZATION_TYPES = {RegisterKind.COMMITTEES: "Gremium", RegisterKind.FACTIONS: "Fraktion"}
# Body property -> list file name; the lists this site has no objects for stay empty.
BODY_LISTS = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "agendaItem": "agendaItem",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislativeTerm",
    "membership": "membership",
}


def oparl_type(name: str) -> str:
    return f"{OPARL_VERSION}{name}"


def paper_url(doc: Drucksache) -> str:
    return f"{OPARL_URL}paper/{doc.slug}.json"


def consultation_url(doc: Drucksache, position: int) -> str:
    """``position`` counts the Beratungsfolge rows from 1."""
    return f"{OPARL_URL}consultation/{doc.slug}_{position}.json"


def file_url(doc: Drucksache) -> str:
    return f"{OPARL_URL}file/{doc.slug}.json"


def organization_url(kind: RegisterKind, entry_id: str) -> str:
    return f"{OPARL_URL}organization/{kind.value}/{entry_id}.json"


def legislative_term_url(term: int) -> str:
    return f"{OPARL_URL}legislativeTerm/{term}.json"


def list_page_url(name: str, page: int) -> str:
    return f"{LISTS_URL}{name}.json" if page == 1 else f"{LISTS_URL}{name}-{page}.json"


def timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00+00:00"


@dataclass(frozen=True, slots=True)
class DocumentObjects:
    """A Drucksache's OParl objects (its Paper embeds the others) and their own files' JSON, by site path."""

    paper: dict[str, Any]
    consultations: list[dict[str, Any]]
    file: dict[str, Any] | None
    texts: dict[str, str]


def plan_oparl(catalog: Catalog, base_url: str, body: BodyInfo, system_name: str, memo: DocumentMemo[DocumentObjects] | None = None) -> dict[str, str]:
    """Site-relative path -> JSON text, for every OParl file. ``base_url`` is absolute, with a trailing slash.
    ``memo``: each Drucksache's objects are taken from it where its inputs are unchanged (mkdocs serve); it must be
    made for this catalog and ``base_url``."""
    objects = _Objects(catalog, base_url)
    oldest_first = sorted(catalog.documents, key=sort_key_newest_first, reverse=True)
    made = memo if memo is not None else DocumentMemo[DocumentObjects](catalog, base_url, keep=False)
    documents = [made.get(doc, partial(objects.of_document, doc)) for doc in oldest_first]
    made.done()
    papers = [document.paper for document in documents]
    consultations = [consultation for document in documents for consultation in document.consultations]
    files = [document.file for document in documents if document.file is not None]
    organizations = [objects.organization(kind, key) for kind in DEFAULT_ORGANIZATION_TYPES for key in catalog.registers.of(kind)]
    terms = [objects.legislative_term(term) for term in sorted(catalog.by_term)]
    body_object = objects.body(body, terms)
    contents: dict[str, list[dict[str, Any]]] = {name: [] for name in BODY_LISTS.values()}
    contents.update(organization=organizations, paper=papers, consultation=consultations, file=files, legislativeTerm=terms)

    output: dict[str, dict[str, Any]] = {SYSTEM_URL: objects.system(system_name)}
    output.update(_list_pages(base_url, [body_object], lambda _page: BODIES_URL))  # one Body: never a second page
    for name, items in contents.items():
        output.update(_list_pages(base_url, items, partial(list_page_url, name)))
    for item in (body_object, *organizations, *terms):
        output[objects.path(item)] = item
    texts = {path: to_json(data) for path, data in output.items()}
    for document in documents:
        texts.update(document.texts)
    return dict(sorted(texts.items()))


def document_objects(catalog: Catalog, base_url: str) -> Callable[[Drucksache], DocumentObjects]:
    """What ``plan_oparl`` makes of each Drucksache of ``catalog`` (for its memo)."""
    return _Objects(catalog, base_url).of_document


def oparl_paths(catalog: Catalog) -> set[str]:
    """The site path of every file ``plan_oparl`` makes of ``catalog``, known without making them (the build tells
    MkDocs of them while they are made in a second process)."""
    documents = catalog.documents
    lists = {name: 0 for name in BODY_LISTS.values()}
    organizations = [organization_url(kind, key) for kind in DEFAULT_ORGANIZATION_TYPES for key in catalog.registers.of(kind)]
    papers = [paper_url(doc) for doc in documents]
    consultations = [consultation_url(doc, position) for doc in documents for position in range(1, len(doc.consultations) + 1)]
    files = [file_url(doc) for doc in documents if doc.original is not None]
    terms = [legislative_term_url(term) for term in catalog.by_term]
    lists.update(organization=len(organizations), paper=len(papers), consultation=len(consultations), file=len(files), legislativeTerm=len(terms))
    list_pages = [list_page_url(name, page) for name, items in lists.items() for page in range(1, _page_count(items) + 1)]
    return {SYSTEM_URL, BODIES_URL, BODY_URL, *organizations, *papers, *consultations, *files, *terms, *list_pages}


class _Objects:
    """Builds the OParl objects of one catalog below one base URL."""

    def __init__(self, catalog: Catalog, base_url: str) -> None:
        self.catalog = catalog
        self.base = base_url
        self.dates = [doc.date for doc in catalog.documents]

    def url(self, path: str) -> str:
        return self.base + path

    def path(self, item: dict[str, Any]) -> str:
        """The site path of an object's own file."""
        return str(item["id"]).removeprefix(self.base)

    def of_document(self, doc: Drucksache) -> DocumentObjects:
        paper = self.paper(doc)
        consultations = [self.consultation(doc, position, row) for position, row in enumerate(doc.consultations, 1)]
        file = self.file(doc, standalone=True) if doc.original is not None else None
        own = [paper, *consultations, *([file] if file is not None else [])]
        return DocumentObjects(paper, consultations, file, {self.path(item): to_json(item) for item in own})

    def system(self, name: str) -> dict[str, Any]:
        return {
            "id": self.url(SYSTEM_URL),
            "type": oparl_type("System"),
            "oparlVersion": OPARL_VERSION,
            "name": name,
            "body": self.url(BODIES_URL),
            "website": self.base,
            "web": self.base,
            **self._dated(self.dates),
        }

    def body(self, info: BodyInfo, terms: list[dict[str, Any]]) -> dict[str, Any]:
        names = {"name": info.name}
        if info.short_name and info.short_name != info.name:
            names["shortName"] = info.short_name
        if info.website:
            names["website"] = info.website
        return {
            "id": self.url(BODY_URL),
            "type": oparl_type("Body"),
            "system": self.url(SYSTEM_URL),
            **names,
            **{prop: self.url(list_page_url(name, 1)) for prop, name in BODY_LISTS.items()},
            "legislativeTerm": terms,
            "web": self.base,
            **self._dated(self.dates),
        }

    def legislative_term(self, term: int) -> dict[str, Any]:
        return {
            "id": self.url(legislative_term_url(term)),
            "type": oparl_type("LegislativeTerm"),
            "body": self.url(BODY_URL),
            "name": term_title(term),
            "web": self.url(term_url(term)),
            **self._dated(doc.date for doc in self.catalog.by_term[term]),
        }

    def organization(self, kind: RegisterKind, key: str) -> dict[str, Any]:
        entry = self.catalog.registers.of(kind)[key]
        documents = (self.catalog.by_committee if kind is RegisterKind.COMMITTEES else self.catalog.by_faction)[key]
        data: dict[str, Any] = {"id": self.url(organization_url(kind, key)), "type": oparl_type("Organization"), "body": self.url(BODY_URL), "name": entry.name}
        if entry.short_name and entry.short_name != entry.name:
            data["shortName"] = entry.short_name
        data["organizationType"] = entry.organization_type or DEFAULT_ORGANIZATION_TYPES[kind]
        if entry.classification:
            data["classification"] = entry.classification
        data["web"] = self.url(entry_url(kind, key))
        return data | self._dated(doc.date for doc in documents or self.catalog.documents)

    def paper(self, doc: Drucksache) -> dict[str, Any]:
        related = self._related(doc)
        data: dict[str, Any] = {
            "id": self.url(paper_url(doc)),
            "type": oparl_type("Paper"),
            "body": self.url(BODY_URL),
            "name": doc.title,
            "reference": doc.reference,
            "date": doc.date.isoformat(),
            "paperType": doc.paper_type.label,
        }
        if related:
            data["relatedPaper"] = [self.url(paper_url(other)) for other in related]
        if doc.faction:
            data["originatorOrganization"] = [self.url(organization_url(RegisterKind.FACTIONS, doc.faction))]
        if doc.consultations:
            data["consultation"] = [self.consultation(doc, position, row) for position, row in enumerate(doc.consultations, 1)]
        if doc.original is not None:
            data["mainFile"] = self.file(doc, standalone=False)
        if doc.topics:
            topics = self.catalog.registers.topics
            data["keyword"] = [topics[topic].name for topic in doc.topics]
        data["web"] = self.url(doc.url)
        data["created"] = timestamp(doc.date)
        data["modified"] = timestamp(max([doc.date, *(other.date for other in related)]))
        return data

    def consultation(self, doc: Drucksache, position: int, row: Consultation) -> dict[str, Any]:
        return {
            "id": self.url(consultation_url(doc, position)),
            "type": oparl_type("Consultation"),
            "paper": self.url(paper_url(doc)),
            "organization": [self.url(organization_url(RegisterKind.COMMITTEES, row.committee))],
            "role": row.role,
            **self._dated([doc.date]),
        }

    def file(self, doc: Drucksache, *, standalone: bool) -> dict[str, Any]:
        """The official PDF. Only a standalone File names its Paper: the specification forbids the back-reference when embedded."""
        assert doc.original is not None
        access = original_url(doc, self.base)
        name = PurePosixPath(doc.original.location).name
        data: dict[str, Any] = {
            "id": self.url(file_url(doc)),
            "type": oparl_type("File"),
            "name": f"Drucksache {doc.reference}",
            "fileName": name,
        }
        mime_type = mimetypes.guess_type(name, strict=True)[0]
        if mime_type:
            data["mimeType"] = mime_type
        data["date"] = doc.date.isoformat()
        data["accessUrl"] = access
        if not doc.original.is_url:
            data["downloadUrl"] = access  # published beside the page; an external URL may be a landing page
        if standalone:
            data["paper"] = [self.url(paper_url(doc))]
        return data | self._dated([doc.date])

    def _related(self, doc: Drucksache) -> list[Drucksache]:
        """Published Drucksachen this one answers, is answered by, names in ``bezuege`` or mentions in its text."""
        references = [doc.answers or "", *(answer.reference for answer in self.catalog.answers_to.get(doc.reference, ()))]
        references += [*doc.related, *self.catalog.bodies[doc.reference].references]
        published = self.catalog.by_reference
        return [published[reference] for reference in dict.fromkeys(references) if reference in published and reference != doc.reference]

    def _dated(self, dates: Iterable[dt.date]) -> dict[str, str]:
        ordered = sorted(dates) or [EMPTY_FEED_DATE]
        return {"created": timestamp(ordered[0]), "modified": timestamp(ordered[-1])}


def _list_pages(base_url: str, items: Sequence[dict[str, Any]], page_url: Callable[[int], str]) -> dict[str, dict[str, Any]]:
    """One external object list, split into pages of ``PAGE_SIZE``; an empty list is one empty page."""
    total_pages = _page_count(len(items))
    pages: dict[str, dict[str, Any]] = {}
    for page in range(1, total_pages + 1):
        links = {"first": base_url + page_url(1)}
        if page > 1:
            links["prev"] = base_url + page_url(page - 1)
        links["self"] = base_url + page_url(page)
        if page < total_pages:
            links["next"] = base_url + page_url(page + 1)
        links["last"] = base_url + page_url(total_pages)
        pages[page_url(page)] = {
            "data": list(items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
            "pagination": {"totalElements": len(items), "elementsPerPage": PAGE_SIZE, "currentPage": page, "totalPages": total_pages},
            "links": links,
        }
    return pages


def _page_count(items: int) -> int:
    return max(1, -(-items // PAGE_SIZE))
