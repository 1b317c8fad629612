"""The static OParl 1.1 interface (/oparl/…), validated against OParl's published JSON schemas and the specification's text.

The schemas come from the OParl/spec repository: ``OPARL_SCHEMA_DIR`` (relative to the repository root or absolute),
by default ``../shared/oparl/schema``. Without them the schema tests skip, and fail under ``CI=true``.
The schemas embed objects only through their own ``schema`` annotation; ``schema_validators`` turns each into a
``$ref`` resolved from a registry of the local files, so an embedded Consultation or File is validated too.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from build_support import REPO, SITE_CORPUS, BuildResult
from ratsdok.body_settings import BodyConfigError, BodyInfo, body_info
from ratsdok.model import Drucksache, PaperType
from ratsdok.oparl import (
    BODY_LISTS,
    OPARL_VERSION,
    PAGE_SIZE,
    SYSTEM_URL,
    oparl_paths,
    plan_oparl,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from test_exports import DOCUMENTS, HOSTILE, SITE_URL, build_data_site, catalog, doc, site_file

BASE = "https://drucksachen.example.org/archiv/"
BODY = BodyInfo("Regionalverband Ruhr", "RVR")
SYSTEM_NAME = "Drucksachen des Ruhrparlaments"
REQUIRED_BODY_LISTS = ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file", "locationList", "legislativeTermList", "membership")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Loader = Callable[[str], dict[str, Any]]


# --- the schemas -------------------------------------------------------------------------------------------


def schema_dir() -> Path:
    configured = Path(os.environ.get("OPARL_SCHEMA_DIR") or REPO.parent / "shared" / "oparl" / "schema")
    return configured if configured.is_absolute() else REPO / configured


def _format_checker() -> jsonschema.FormatChecker:
    """OParl's ``url`` is an absolute http(s) URL; ``date-time`` and ``date`` are checked strictly (RFC 3339)."""
    checker = jsonschema.FormatChecker()

    @checker.checks("url")
    def is_url(value: object) -> bool:
        parts = urlsplit(str(value))
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        return not isinstance(value, str) or (bool(_RFC3339.match(value)) and dt.datetime.fromisoformat(value).tzinfo is not None)

    @checker.checks("date", raises=ValueError)
    def is_date(value: object) -> bool:
        return not isinstance(value, str) or (bool(_DATE.match(value)) and dt.date.fromisoformat(value) is not None)

    return checker


def _with_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """``{"type": "object", "schema": "File.json"}`` (also as array items) gets ``"$ref": "File.json"``."""
    schema = copy.deepcopy(schema)
    for prop in schema.get("properties", {}).values():
        target = prop.get("items") if prop.get("type") == "array" and isinstance(prop.get("items"), dict) else prop
        if target.get("type") == "object" and str(target.get("schema", "")).endswith(".json"):
            target["$ref"] = target["schema"]
    return schema


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.protocols.Validator]:
    folder = schema_dir()
    if not (folder / "Paper.json").is_file():
        reason = f"OParl 1.1 JSON schemas not found in {folder} (set OPARL_SCHEMA_DIR to the schema folder of OParl/spec)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    schemas = {path.stem: _with_refs(json.loads(path.read_text("utf-8"))) for path in sorted(folder.glob("*.json"))}
    registry: Registry[Any] = Registry().with_resources(
        (f"{name}.json", Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in schemas.items()
    )
    checker = _format_checker()
    return {name: jsonschema.Draft202012Validator(schema, registry=registry, format_checker=checker) for name, schema in schemas.items()}


def schema_errors(validators: dict[str, jsonschema.protocols.Validator], obj: dict[str, Any]) -> list[str]:
    name = str(obj.get("type", "")).removeprefix(OPARL_VERSION)
    if name not in validators:
        return [f"{obj.get('id')}: unknown type {obj.get('type')!r}"]
    return [f"{obj.get('id')}: {'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validators[name].iter_errors(obj)]


def test_the_validator_rejects_what_the_schemas_forbid(validators: dict[str, jsonschema.protocols.Validator]) -> None:
    """The checks below can fail: wrong types, relative URLs and bad timestamps, also inside embedded objects."""
    paper = {"id": f"{BASE}oparl/paper/1.json", "type": f"{OPARL_VERSION}Paper", "created": "2025-01-01T00:00:00+00:00"}
    assert schema_errors(validators, paper) == []
    assert schema_errors(validators, {**paper, "id": "oparl/paper/1.json"})
    assert schema_errors(validators, {**paper, "created": "2025-01-01"})
    assert schema_errors(validators, {**paper, "date": "1. Januar 2025"})
    assert schema_errors(validators, {**paper, "mainFile": {"id": f"{BASE}f.json", "type": f"{OPARL_VERSION}File"}})  # accessUrl missing
    assert schema_errors(validators, {**paper, "consultation": [{"id": f"{BASE}c.json", "type": f"{OPARL_VERSION}Consultation", "role": 1}]})
    assert schema_errors(validators, {"id": f"{BASE}s.json", "type": f"{OPARL_VERSION}System", "oparlVersion": "1.1", "body": f"{BASE}b.json"})


# --- checks on a whole interface, read through ``load(url)`` --------------------------------------------------


def objects_in(data: Any) -> Iterator[dict[str, Any]]:
    """Every OParl object in a JSON value, embedded ones included."""
    if isinstance(data, dict):
        if str(data.get("type", "")).startswith(OPARL_VERSION):
            yield data
        for value in data.values():
            yield from objects_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from objects_in(item)


def urls_in(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from urls_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from urls_in(item)
    elif isinstance(data, str) and data.startswith(("http://", "https://")):
        yield data


def read_list(load: Loader, first: str) -> list[dict[str, Any]]:
    """All objects of an external list, following ``next``; checks pagination and links on every page."""
    items: list[dict[str, Any]] = []
    url, page, seen = first, 1, []
    while True:
        data = load(url)
        assert set(data) == {"data", "pagination", "links"}, url
        pagination, links = data["pagination"], data["links"]
        assert (pagination["currentPage"], pagination["elementsPerPage"], links["self"], links["first"]) == (page, PAGE_SIZE, url, first), url
        assert links.get("prev") == (seen[-1] if seen else None), url
        items += data["data"]
        seen.append(url)
        if page == pagination["totalPages"]:
            assert "next" not in links and links["last"] == url, url
            assert len(data["data"]) <= PAGE_SIZE and (data["data"] or page == 1), url
            break
        assert len(data["data"]) == PAGE_SIZE, url
        url, page = links["next"], page + 1
    assert pagination["totalElements"] == len(items), first
    assert len({item["id"] for item in items}) == len(items), first
    return items


def check_interface(load: Loader, base: str, validators: dict[str, jsonschema.protocols.Validator]) -> dict[str, list[dict[str, Any]]]:
    """Entry point, Body and every list, by the schemas and the specification's text; returns the lists by Body property."""
    system = load(base + SYSTEM_URL)
    assert system["id"] == base + SYSTEM_URL
    assert system["oparlVersion"] == OPARL_VERSION
    bodies = read_list(load, system["body"])
    assert len(bodies) == 1
    body = load(bodies[0]["id"])
    assert body == bodies[0]
    assert body["system"] == system["id"]
    lists = {prop: read_list(load, body[prop]) for prop in REQUIRED_BODY_LISTS}
    assert {item["id"] for item in lists["legislativeTermList"]} == {term["id"] for term in body["legislativeTerm"]}
    problems = []
    for obj in [system, body, *(item for items in lists.values() for item in items)]:
        problems += schema_errors(validators, obj)
        for embedded in objects_in(obj):
            assert {"created", "modified"} <= set(embedded), embedded["id"]
            assert embedded["created"] <= embedded["modified"], embedded["id"]
            assert load(embedded["id"])["id"] == embedded["id"]  # every id is where the object is
        for url in urls_in(obj):
            if url.startswith(base + "oparl/"):
                load(url)
    assert problems == []
    for item in [*lists["organization"], *lists["legislativeTermList"], *lists["paper"]]:
        assert item["body"] == body["id"], item["id"]
    for paper in lists["paper"]:
        assert load(paper["id"]) == paper
        for consultation in paper.get("consultation", []):
            assert consultation["paper"] == paper["id"]
            assert load(consultation["id"]) == consultation
        if "mainFile" in paper:
            assert "paper" not in paper["mainFile"]  # a back-reference only outside the Paper
            assert load(paper["mainFile"]["id"]) == {**paper["mainFile"], "paper": [paper["id"]]}
    assert [c["id"] for c in lists["consultation"]] == [c["id"] for paper in lists["paper"] for c in paper.get("consultation", [])]
    assert [f["id"] for f in lists["file"]] == [paper["mainFile"]["id"] for paper in lists["paper"] if "mainFile" in paper]
    return lists


def planned_loader(files: dict[str, str], base: str) -> Loader:
    def load(url: str) -> dict[str, Any]:
        assert url.startswith(base), url
        path = url.removeprefix(base)
        assert path in files, url
        data: dict[str, Any] = json.loads(files[path])
        return data

    return load


# --- the pure module ---------------------------------------------------------------------------------------


def planned(documents: list[Drucksache], body: BodyInfo = BODY) -> dict[str, str]:
    return plan_oparl(catalog(documents), BASE, body, SYSTEM_NAME)


def test_a_hand_made_catalog_gives_a_valid_interface(validators: dict[str, jsonschema.protocols.Validator]) -> None:
    files = planned(DOCUMENTS)
    lists = check_interface(planned_loader(files, BASE), BASE, validators)
    papers = {paper["reference"]: paper for paper in lists["paper"]}
    assert list(papers) == ["14/100", "14/100-1", "14/120"]  # oldest first
    answer = papers["14/100-1"]
    assert (answer["name"], answer["date"], answer["paperType"]) == ("Antwort zu Radwegen", "2025-04-02", "Antwort auf eine Fraktionsanfrage")
    assert answer["relatedPaper"] == [f"{BASE}oparl/paper/14-100.json"]  # the inquiry; 14/99 and 14/98 are not published
    assert answer["originatorOrganization"] == [f"{BASE}oparl/organization/fraktionen/alpha.json"]
    assert [(c["organization"], c["role"]) for c in answer["consultation"]] == [
        ([f"{BASE}oparl/organization/gremien/ausschuss-a.json"], "zur Kenntnis"),
        ([f"{BASE}oparl/organization/gremien/ausschuss-b.json"], "Beratung"),
    ]
    assert answer["keyword"] == ["Thema B", "Thema A & B"]
    assert answer["mainFile"]["accessUrl"] == "https://dokumente.example.org/14-100-1.pdf"
    assert "downloadUrl" not in answer["mainFile"]  # an external address may be a landing page
    assert papers["14/120"]["mainFile"]["downloadUrl"] == f"{BASE}drucksachen/14-120/14-120.pdf"
    assert papers["14/100"]["name"] == HOSTILE
    assert answer["web"] == f"{BASE}drucksachen/14-100-1/"
    organizations = {org["id"].removeprefix(f"{BASE}oparl/organization/"): org for org in lists["organization"]}
    assert organizations["gremien/ausschuss-b.json"]["name"] == HOSTILE
    assert (organizations["gremien/ausschuss-a.json"]["organizationType"], organizations["fraktionen/beta.json"]["organizationType"]) == ("Gremium", "Fraktion")
    assert organizations["fraktionen/alpha.json"]["shortName"] == "Fraktion Älpha (kurz)"
    assert [term["name"] for term in lists["legislativeTermList"]] == ["14. Wahlperiode"]
    assert all(lists[prop] == [] for prop in ("person", "meeting", "agendaItem", "locationList", "membership"))


def test_created_and_modified_come_from_document_dates() -> None:
    files = planned(DOCUMENTS)

    def dates(path: str) -> tuple[str, str]:
        data = json.loads(files[path])
        return data["created"][:10], data["modified"][:10]

    assert dates("oparl/paper/14-100.json") == ("2025-03-01", "2025-04-02")  # its answer; 14/120 mentions only the answer
    assert dates("oparl/paper/14-100-1.json") == ("2025-04-02", "2025-04-02")
    assert dates("oparl/paper/14-120.json") == ("2025-05-05", "2025-05-05")
    assert dates("oparl/consultation/14-100-1_2.json") == ("2025-04-02", "2025-04-02")
    assert dates("oparl/organization/fraktionen/alpha.json") == ("2025-03-01", "2025-04-02")
    assert dates("oparl/organization/gremien/ausschuss-a.json") == ("2025-04-02", "2025-04-02")
    assert dates("oparl/organization/fraktionen/beta.json") == ("2025-05-05", "2025-05-05")
    assert dates("oparl/organization/gremien/ausschuss-b.json") == ("2025-04-02", "2025-04-02")
    assert dates(SYSTEM_URL) == dates("oparl/body.json") == dates("oparl/legislativeTerm/14.json") == ("2025-03-01", "2025-05-05")
    assert json.loads(files["oparl/paper/14-100.json"])["created"] == "2025-03-01T00:00:00+00:00"


def test_an_inquiry_is_modified_by_its_later_answer_only() -> None:
    inquiry = doc("14/1", dt.date(2025, 1, 1))
    before = planned([inquiry])
    after = planned([inquiry, doc("14/1-1", dt.date(2025, 2, 1), paper_type=PaperType.ANSWER, answers="14/1")])
    assert json.loads(before["oparl/paper/14-1.json"])["modified"] == "2025-01-01T00:00:00+00:00"
    assert json.loads(after["oparl/paper/14-1.json"])["modified"] == "2025-02-01T00:00:00+00:00"


def test_long_lists_are_paginated_oldest_first_and_a_new_document_only_changes_the_last_page(validators: dict[str, jsonschema.protocols.Validator]) -> None:
    start = dt.date(2020, 1, 1)
    documents = [doc(f"14/{n}", start + dt.timedelta(days=n)) for n in range(1, 2 * PAGE_SIZE + 51)]
    files = planned(documents)
    lists = check_interface(planned_loader(files, BASE), BASE, validators)
    assert [paper["reference"] for paper in lists["paper"]] == [f"14/{n}" for n in range(1, 2 * PAGE_SIZE + 51)]
    assert {"oparl/body/paper.json", "oparl/body/paper-2.json", "oparl/body/paper-3.json"} <= set(files)
    assert "oparl/body/paper-4.json" not in files
    last = json.loads(files["oparl/body/paper-3.json"])
    assert last["pagination"] == {"totalElements": 250, "elementsPerPage": PAGE_SIZE, "currentPage": 3, "totalPages": 3}
    assert last["links"] == {
        "first": f"{BASE}oparl/body/paper.json",
        "prev": f"{BASE}oparl/body/paper-2.json",
        "self": f"{BASE}oparl/body/paper-3.json",
        "last": f"{BASE}oparl/body/paper-3.json",
    }
    grown = planned([*documents, doc("14/999", dt.date(2026, 1, 1))])
    first_page, second_page = json.loads(grown["oparl/body/paper.json"]), json.loads(files["oparl/body/paper.json"])
    assert first_page["data"] == second_page["data"]
    assert json.loads(grown["oparl/body/paper-3.json"])["data"][-1]["reference"] == "14/999"


def paginated_documents(count: int) -> list[Drucksache]:
    """``count`` Drucksachen, every third with two consultations, every fifth with an original."""
    start = dt.date(2020, 1, 1)
    documents = []
    for n in range(1, count + 1):
        rows = (DOCUMENTS[1].consultations if n % 3 == 0 else ())
        documents.append(doc(f"14/{n}", start + dt.timedelta(days=n), consultations=rows, original=DOCUMENTS[1].original if n % 5 == 0 else None))
    return documents


@pytest.mark.parametrize("documents", [[], DOCUMENTS, paginated_documents(2 * PAGE_SIZE + 50)], ids=["none", "hand-made", "paginated"])
def test_the_paths_known_beforehand_are_those_of_the_files_made(documents: list[Drucksache]) -> None:
    """The build tells MkDocs of the files before they are made (in a second process)."""
    assert oparl_paths(catalog(documents)) == set(planned(documents))


def test_a_site_without_documents_is_a_valid_empty_interface(validators: dict[str, jsonschema.protocols.Validator]) -> None:
    files = planned([])
    lists = check_interface(planned_loader(files, BASE), BASE, validators)
    assert lists["paper"] == [] and lists["legislativeTermList"] == []
    assert len(lists["organization"]) == 4  # the registers' committees and factions
    assert json.loads(files[SYSTEM_URL])["created"] == "1970-01-01T00:00:00+00:00"


def test_the_output_is_deterministic_and_ids_follow_the_base_url() -> None:
    files = planned(DOCUMENTS)
    assert files == planned(list(reversed(DOCUMENTS)))
    moved = plan_oparl(catalog(DOCUMENTS), "https://anderswo.example/", BODY, SYSTEM_NAME)
    assert moved == {path: text.replace(BASE, "https://anderswo.example/") for path, text in files.items()}
    assert all(text.endswith("\n") and "\n" not in text[:-1] for text in files.values())


def test_the_body_takes_its_names_from_the_configuration() -> None:
    assert body_info({"koerperschaft": {"name": " Regionalverband Ruhr ", "kurzname": "RVR"}}) == BodyInfo("Regionalverband Ruhr", "RVR")
    assert body_info({"koerperschaft": {"name": "Regionalverband Ruhr"}}) == BodyInfo("Regionalverband Ruhr", None)
    configured = body_info({"koerperschaft": {"name": "RVR", "kurzname": "RVR", "website": "https://www.rvr.ruhr/"}})
    assert configured == BodyInfo("RVR", "RVR", "https://www.rvr.ruhr/")
    assert json.loads(planned([], configured)["oparl/body.json"])["website"] == "https://www.rvr.ruhr/"
    with pytest.raises(BodyConfigError, match=r"^extra\.koerperschaft\.website: 'www\.rvr\.ruhr' ist keine absolute"):
        body_info({"koerperschaft": {"name": "RVR", "website": "www.rvr.ruhr"}})
    for extra in ({}, {"koerperschaft": "RVR"}, {"koerperschaft": {"name": " "}}, {"koerperschaft": {"kurzname": "RVR"}}):
        with pytest.raises(BodyConfigError, match=r"^extra\.koerperschaft\.name: fehlt"):
            body_info(extra)
    body = json.loads(planned([], BodyInfo("Stadt", "Stadt"))["oparl/body.json"])
    assert body["name"] == "Stadt" and "shortName" not in body  # the specification: name and shortName should differ
    assert set(BODY_LISTS) == set(REQUIRED_BODY_LISTS)


# --- the built site ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oparl_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_data_site(tmp_path_factory.mktemp("oparl-site") / "site")


def site_loader(site: Path) -> Loader:
    def load(url: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(site_file(site, url).read_text("utf-8"))
        return data

    return load


def test_every_oparl_file_of_the_built_site_is_valid_and_reachable(oparl_site: BuildResult, validators: dict[str, jsonschema.protocols.Validator]) -> None:
    site = oparl_site.site
    load = site_loader(site)
    lists = check_interface(load, SITE_URL, validators)
    reached = {SYSTEM_URL, "oparl/bodies.json", "oparl/body.json"}
    for items in lists.values():
        reached |= {item["id"].removeprefix(SITE_URL) for item in items}
    problems = []
    # The one address outside the site: the body's own website (extra.koerperschaft.website), when configured.
    body_website = json.loads((site / "oparl" / "body.json").read_text("utf-8")).get("website")
    for path in sorted((site / "oparl").rglob("*.json")):
        relative = path.relative_to(site).as_posix()
        data = json.loads(path.read_text("utf-8"))
        if "data" in data:
            assert data["links"]["self"] == SITE_URL + relative
            reached.add(relative)
        else:
            assert data["id"] == SITE_URL + relative
        for obj in objects_in(data):
            problems += schema_errors(validators, obj)
        for url in urls_in(data):
            assert url.startswith(SITE_URL) or url.startswith("https://schema.oparl.org/1.1/") or url == body_website, (relative, url)
            if url.startswith(SITE_URL):
                assert site_file(site, url).is_file(), (relative, url)
    assert problems == []
    assert reached == {path.relative_to(site).as_posix() for path in (site / "oparl").rglob("*.json")}  # nothing unreachable


def test_built_papers_carry_the_documents(oparl_site: BuildResult) -> None:
    load = site_loader(oparl_site.site)
    answer = load(f"{SITE_URL}oparl/paper/99-10-1.json")
    assert (answer["reference"], answer["name"], answer["date"]) == ("99/10-1", "Testanfrage zu Radwegen", "2025-06-04")
    assert answer["relatedPaper"] == [f"{SITE_URL}oparl/paper/99-10.json"]
    assert site_file(oparl_site.site, answer["mainFile"]["accessUrl"]).read_bytes() == (SITE_CORPUS / "99" / "99-10-1.pdf").read_bytes()
    assert answer["consultation"][0]["organization"] == [f"{SITE_URL}oparl/organization/gremien/testausschuss.json"]
    assert load(f"{SITE_URL}oparl/paper/99-11.json")["name"] == "Test \"><script>alert(1)</script> & 'Zitat'"
    system = load(f"{SITE_URL}{SYSTEM_URL}")
    assert (system["name"], system["website"]) == (SYSTEM_NAME, SITE_URL)
    body = load(f"{SITE_URL}oparl/body.json")
    assert (body["name"], body["shortName"]) == ("Regionalverband Ruhr", "RVR")  # extra.koerperschaft in mkdocs.yml


def test_two_builds_write_identical_exports_and_oparl_files(oparl_site: BuildResult, tmp_path: Path) -> None:
    again = build_data_site(tmp_path / "site", SOURCE_DATE_EPOCH="1893456000")  # another "today": must not matter

    def data_files(site: Path) -> dict[str, bytes]:
        return {path.relative_to(site).as_posix(): path.read_bytes() for folder in ("api", "oparl") for path in sorted((site / folder).rglob("*")) if path.is_file()}

    first = data_files(oparl_site.site)
    assert first and data_files(again.site) == first


def test_ci_validates_against_the_pinned_oparl_schemas() -> None:
    """GitHub Actions checks out OParl/spec at a fixed commit and points OPARL_SCHEMA_DIR at its schema folder."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "website.yml").read_text("utf-8"))
    job = workflow["jobs"]["pruefen"]
    spec = [step["with"] for step in job["steps"] if step.get("with", {}).get("repository") == "OParl/spec"]
    assert spec == [{"repository": "OParl/spec", "ref": "0ca34358433b781faf1e006abdeb3653e4401d95", "path": ".oparl-spec", "persist-credentials": False}]
    assert job["env"]["OPARL_SCHEMA_DIR"] == f"{spec[0]['path']}/schema"
