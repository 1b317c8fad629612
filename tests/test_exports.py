"""Open data exports (/api/…): the pure module on a hand-made catalog, read back field by field, then a strict build."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from build_support import SITE_CORPUS, BuildResult, parse_file, resolve_internal, run_mkdocs_build
from ratsdok.catalog import Catalog, build_catalog
from ratsdok.exports import CSV_COLUMNS, EXPORT_VERSION, LIST_CSV_URL, LIST_JSON_URL, export_paths, export_url, plan_exports
from ratsdok.load import Corpus
from ratsdok.model import Consultation, Drucksache, OriginalFile, PaperType, RegisterEntry, Registers, Responsibility, sort_key_newest_first
from ratsdok.render import render_body
from test_feeds import SITE_URL
from test_feeds import built_file as site_file

BASE = "https://drucksachen.example.org/archiv/"
# Everything a CSV or JSON writer can get wrong: quotes, both separators, line ends, markup, umlauts.
HOSTILE = 'Ärger "zitiert", a;b\nzweite Zeile\r\n<script>alert(1)</script> & ß'


def register(*entries: tuple[str, str]) -> dict[str, RegisterEntry]:
    return {key: RegisterEntry(key, name, f"{name} (kurz)", (), None, None) for key, name in entries}


REGISTERS = Registers(
    committees=register(("ausschuss-a", "Ausschuss A"), ("ausschuss-b", HOSTILE)),
    factions=register(("alpha", "Fraktion Älpha"), ("beta", "Fraktion Beta")),
    topics=register(("thema-a", "Thema A & B"), ("thema-b", "Thema B")),
)


def doc(reference: str, date: dt.date, **changes: Any) -> Drucksache:
    plain = Drucksache(
        reference=reference, paper_type=PaperType.INQUIRY, title=f"Titel {reference}", subject=f"Betreff {reference}", date=date,
        issuer="Fraktion Älpha", faction="alpha", answers=None, consultations=(), topics=(), responsibility=None, file_reference=None,
        original=None, related=(), body="", body_line=1, source_path=f"{reference}.md",
    )  # fmt: skip
    return dataclasses.replace(plain, **changes)


def catalog(documents: list[Drucksache], registers: Registers = REGISTERS) -> Catalog:
    ordered = tuple(sorted(documents, key=sort_key_newest_first))
    corpus = Corpus(Path("."), ordered, registers, (), len(ordered))
    return build_catalog(corpus, lambda document: render_body(document.body), dt.date(2026, 1, 1))


INQUIRY = doc("14/100", dt.date(2025, 3, 1), title=HOSTILE, subject=HOSTILE, topics=("thema-a",))
ANSWER = doc(
    "14/100-1",
    dt.date(2025, 4, 2),
    paper_type=PaperType.ANSWER,
    title="Antwort zu Radwegen",
    subject=HOSTILE,
    issuer="Der Regionaldirektor",
    answers="14/100",
    consultations=(
        Consultation("ausschuss-a", "zur Kenntnis", dt.date(2025, 4, 10), "7.3"),
        Consultation("ausschuss-b", "Beratung", None, None),
    ),
    topics=("thema-b", "thema-a"),
    responsibility=Responsibility("Bereich T", "Referat 1", "Muster, Erika", None),
    file_reference="AZ 1/2025",
    original=OriginalFile("https://dokumente.example.org/14-100-1.pdf", True, "ab" * 32),
    related=("14/99", "14/100"),
    body=f"## Antwort\n\nSiehe Drucksache 14/100 und Drucksache 14/98.\n\n{HOSTILE}\n",
)
MENTION = doc("14/120", dt.date(2025, 5, 5), faction="beta", body="Wir beziehen uns auf Drs. 14/100-1.\n", original=OriginalFile("14-120.pdf", False, "cd" * 32))
DOCUMENTS = [INQUIRY, ANSWER, MENTION]


def exported(documents: list[Drucksache] = DOCUMENTS, base_url: str = BASE) -> dict[str, str]:
    return plan_exports(catalog(documents), base_url)


@pytest.mark.parametrize("documents", [[], DOCUMENTS], ids=["none", "some"])
def test_the_paths_known_beforehand_are_those_of_the_files_made(documents: list[Drucksache]) -> None:
    """The build tells MkDocs of the files before they are made (in a second process)."""
    assert export_paths(catalog(documents)) == set(exported(documents))


def link(reference: str, title: str | None) -> dict[str, str | None]:
    slug = reference.replace("/", "-")
    if title is None:
        return {"nummer": reference, "titel": None, "url": None, "daten": None}
    return {"nummer": reference, "titel": title, "url": f"{BASE}drucksachen/{slug}/", "daten": f"{BASE}api/drucksachen/{slug}.json"}


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


# --- the pure module ---------------------------------------------------------------------------------------


def test_one_file_per_document_plus_the_list_as_json_and_csv() -> None:
    files = exported()
    assert sorted(files) == sorted(["api/drucksachen/14-100.json", "api/drucksachen/14-100-1.json", "api/drucksachen/14-120.json", LIST_JSON_URL, LIST_CSV_URL])
    assert export_url(ANSWER) == "api/drucksachen/14-100-1.json"
    assert (LIST_JSON_URL, LIST_CSV_URL) == ("api/drucksachen.json", "api/drucksachen.csv")


def test_the_document_export_holds_every_field_and_link() -> None:
    data = json.loads(exported()["api/drucksachen/14-100-1.json"])
    assert data == {
        "version": EXPORT_VERSION,
        "nummer": "14/100-1",
        "art": {"id": "fraktionsanfrage-antwort", "name": "Antwort auf eine Fraktionsanfrage"},
        "titel": "Antwort zu Radwegen",
        "betreff": HOSTILE,
        "datum": "2025-04-02",
        "wahlperiode": 14,
        "urheber": "Der Regionaldirektor",
        "fraktion": {"id": "alpha", "name": "Fraktion Älpha", "url": f"{BASE}fraktionen/alpha/"},
        "beratungsfolge": [
            {
                "gremium": {"id": "ausschuss-a", "name": "Ausschuss A", "url": f"{BASE}gremien/ausschuss-a/"},
                "sitzung": "2025-04-10",
                "status": "zur Kenntnis",
                "top": "7.3",
            },
            {"gremium": {"id": "ausschuss-b", "name": HOSTILE, "url": f"{BASE}gremien/ausschuss-b/"}, "sitzung": None, "status": "Beratung", "top": None},
        ],
        "themen": [
            {"id": "thema-b", "name": "Thema B", "url": f"{BASE}themen/thema-b/"},
            {"id": "thema-a", "name": "Thema A & B", "url": f"{BASE}themen/thema-a/"},
        ],
        "zustaendig": {"bereich": "Bereich T", "referat": "Referat 1", "sachbearbeitung": "Muster, Erika", "referatsleitung": None},
        "aktenzeichen": "AZ 1/2025",
        "original": {"url": "https://dokumente.example.org/14-100-1.pdf", "sha256": "ab" * 32},
        "url": f"{BASE}drucksachen/14-100-1/",
        "daten": f"{BASE}api/drucksachen/14-100-1.json",
        "anfrage": link("14/100", HOSTILE),
        "antworten": [],
        "bezuege": [link("14/99", None), link("14/100", HOSTILE)],
        "verweise": [link("14/100", HOSTILE), link("14/98", None)],
        "erwaehnt_in": [link("14/120", "Titel 14/120")],
        "text": ANSWER.body,
    }


def test_an_inquiry_names_its_answers_and_a_local_pdf_is_linked_below_the_page() -> None:
    files = exported()
    inquiry = json.loads(files["api/drucksachen/14-100.json"])
    assert inquiry["antworten"] == [link("14/100-1", "Antwort zu Radwegen")]
    assert (inquiry["anfrage"], inquiry["original"], inquiry["zustaendig"], inquiry["beratungsfolge"]) == (None, None, None, [])
    assert inquiry["erwaehnt_in"] == [link("14/100-1", "Antwort zu Radwegen")]
    assert inquiry["titel"] == HOSTILE
    mention = json.loads(files["api/drucksachen/14-120.json"])
    assert mention["original"] == {"url": f"{BASE}drucksachen/14-120/14-120.pdf", "sha256": "cd" * 32}
    assert mention["verweise"] == [link("14/100-1", "Antwort zu Radwegen")]


def test_the_list_is_newest_first_with_flat_fields() -> None:
    data = json.loads(exported()[LIST_JSON_URL])
    assert (data["version"], data["anzahl"]) == (EXPORT_VERSION, 3)
    assert [row["nummer"] for row in data["drucksachen"]] == ["14/120", "14/100-1", "14/100"]
    assert data["drucksachen"][1] == {
        "nummer": "14/100-1",
        "art": "fraktionsanfrage-antwort",
        "titel": "Antwort zu Radwegen",
        "betreff": HOSTILE,
        "datum": "2025-04-02",
        "wahlperiode": 14,
        "urheber": "Der Regionaldirektor",
        "fraktion": "alpha",
        "gremien": ["ausschuss-a", "ausschuss-b"],
        "themen": ["thema-b", "thema-a"],
        "anfrage": "14/100",
        "antworten": [],
        "aktenzeichen": "AZ 1/2025",
        "url": f"{BASE}drucksachen/14-100-1/",
        "daten": f"{BASE}api/drucksachen/14-100-1.json",
        "original": "https://dokumente.example.org/14-100-1.pdf",
    }
    assert data["drucksachen"][2]["antworten"] == ["14/100-1"]


def test_the_csv_reads_back_cell_by_cell_like_the_json_list() -> None:
    files = exported()
    text = files[LIST_CSV_URL]
    rows = read_csv(text)
    assert rows[0] == list(CSV_COLUMNS)
    listed = json.loads(files[LIST_JSON_URL])["drucksachen"]
    assert len(rows) == len(listed) + 1
    for row, entry in zip(rows[1:], listed, strict=True):
        expected = [", ".join(value) if isinstance(value, list) else "" if value is None else str(value) for value in (entry[c] for c in CSV_COLUMNS)]
        assert row == expected
    hostile = dict(zip(CSV_COLUMNS, rows[3], strict=True))
    assert hostile["titel"] == hostile["betreff"] == HOSTILE  # quotes, separators, line ends and umlauts survive
    assert hostile["antworten"] == "14/100-1"
    assert text.removeprefix("\ufeff").startswith("nummer;art;titel;")
    assert text.endswith("\r\n")


def test_the_csv_of_an_empty_site_has_its_header() -> None:
    files = exported([])
    assert read_csv(files[LIST_CSV_URL]) == [list(CSV_COLUMNS)]
    assert json.loads(files[LIST_JSON_URL]) == {"version": EXPORT_VERSION, "anzahl": 0, "drucksachen": []}


def test_exports_are_identical_for_the_same_corpus_and_only_urls_follow_the_base_url() -> None:
    first, again = exported(), exported(list(reversed(DOCUMENTS)))
    assert first == again
    moved = exported(base_url="https://anderswo.example/")
    for path, text in first.items():
        assert moved[path] == text.replace(BASE, "https://anderswo.example/"), path


def test_the_json_is_compact_utf8_with_a_final_newline() -> None:
    text = exported()["api/drucksachen/14-100.json"]
    assert "Ärger" in text and "\\u00c4" not in text
    assert text.endswith("}\n") and "\n" not in text[:-1]


# --- the built site ----------------------------------------------------------------------------------------

SLUGS = ["99-10-1", "99-10", "99-11", "99-12-1", "98-5"]  # tests/fixtures/site_corpus, newest first


def build_data_site(site_dir: Path, **environment: str) -> BuildResult:
    """A strict build of tests/fixtures/site_corpus published at ``SITE_URL``."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"SITE_URL": SITE_URL, **environment}.items():
            patch.setenv(name, value)
        result = run_mkdocs_build(site_dir, corpus=SITE_CORPUS)
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def export_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_data_site(tmp_path_factory.mktemp("export-site") / "site")


def test_every_drucksache_page_announces_its_json(export_site: BuildResult) -> None:
    for slug in SLUGS:
        page = export_site.page(f"drucksachen/{slug}/")
        head = parse_file(page).find("head")
        announced = [link for link in head.find_all("link") if link.attrs.get("type") == "application/json"]
        assert len(announced) == 1, slug
        assert announced[0].attrs["rel"] == "alternate"
        target, _ = resolve_internal(export_site.site, page, announced[0].attrs["href"])
        assert target == export_site.site / "api" / "drucksachen" / f"{slug}.json"
        assert json.loads(target.read_text("utf-8"))["daten"] == f"{SITE_URL}api/drucksachen/{slug}.json"
        # Visible too, for people: in the document's metadata list.
        (visible,) = [a for a in parse_file(page).find("dl", cls="rd-meta__liste").find_all("a") if a.attrs.get("type") == "application/json"]
        assert resolve_internal(export_site.site, page, visible.attrs["href"])[0] == target
        assert visible.text() == "Angaben und Text dieser Drucksache als JSON"


def test_an_empty_sitemap_beside_the_json_answers_materials_request(export_site: BuildResult) -> None:
    root = ET.fromstring((export_site.site / "api" / "drucksachen" / "sitemap.xml").read_bytes())
    assert (root.tag, list(root)) == ("{http://www.sitemaps.org/schemas/sitemap/0.9}urlset", [])


def test_built_exports_agree_with_each_other_and_every_link_resolves(export_site: BuildResult) -> None:
    site = export_site.site
    listed = json.loads((site / LIST_JSON_URL).read_text("utf-8"))["drucksachen"]
    assert [entry["nummer"].replace("/", "-") for entry in listed] == SLUGS
    rows = read_csv((site / LIST_CSV_URL).read_text("utf-8"))
    assert [row[0] for row in rows[1:]] == [entry["nummer"] for entry in listed]
    for entry in listed:
        data = json.loads(site_file(site, entry["daten"]).read_text("utf-8"))
        assert {key: data[key] for key in ("nummer", "titel", "betreff", "datum", "url", "daten")} == {
            key: entry[key] for key in ("nummer", "titel", "betreff", "datum", "url", "daten")
        }
        urls = [data["url"], data["daten"]] + ([data["original"]["url"]] if data["original"] else [])
        for other in (data["anfrage"], *data["antworten"], *data["bezuege"], *data["verweise"], *data["erwaehnt_in"]):
            urls += [other["url"], other["daten"]] if other and other["url"] else []
        for url in urls:
            assert site_file(site, url).is_file(), (entry["nummer"], url)
    hostile = json.loads((site / "api" / "drucksachen" / "99-11.json").read_text("utf-8"))
    assert hostile["titel"] == "Test \"><script>alert(1)</script> & 'Zitat'"
