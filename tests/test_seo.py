"""Search-engine metadata: descriptions, Open Graph, JSON-LD, robots.txt and the sitemap's dates.

Unit tests on the pure module, then a strict build of tests/fixtures/site_corpus (with hostile titles)
below a sub-path, read back page by page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from build_support import SITE_CORPUS, BuildResult, Element, parse_file, run_mkdocs_build, site_pages
from generate_corpus import generate_corpus
from ratsdok.catalog import build_catalog
from ratsdok.load import load_corpus
from ratsdok.model import Drucksache, RegisterKind
from ratsdok.plain_text import TEXT_START_LENGTH, plain_text, plain_text_start
from ratsdok.render import render_body
from ratsdok.seo import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    document_description,
    robots_txt,
    script_json,
    shorten,
)
from site_config import read_site_config

SITE_URL = "https://drucksachen.example.org/archiv/"
BUILD_DAY_EPOCH = "1893456000"  # 2030-01-01: a "today" no document has
BUILD_DAY = "2030-01-01"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

BODY = read_site_config()["extra"]["koerperschaft"]
PUBLISHER = {"@type": "GovernmentOrganization", "name": BODY["name"], **({"url": BODY["website"]} if BODY.get("website") else {})}


# --- the pure module ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("kurz", 20, "kurz"),
        ("genau zwanzig Zeich.", 20, "genau zwanzig Zeich."),
        ("ein Satz mit vielen Wörtern darin", 20, "ein Satz mit vielen…"),
        ("Satz, mit Komma danach", 11, "Satz, mit…"),
        ("Donaudampfschifffahrtsgesellschaft", 10, "Donaudamp…"),
    ],
)
def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_plain_text_drops_headings_labels_tags_and_reference_marks() -> None:
    body = render_body("## Anfrage\n\nSiehe Drucksache 14/1780 &amp; <b>mehr</b>.\n\n## Antwort\n\n### 1. Frage eins?\n\nDie *Antwort*.\n")
    assert plain_text(body.html) == "Siehe Drucksache 14/1780 & <b>mehr</b>. Die Antwort."


def test_plain_text_start_is_the_start_of_the_plain_text_of_every_body(tmp_path: Path) -> None:
    # Generated bodies (questions, answers, lists, references) and the repository's own, at lengths around
    # what a description needs and more than any one part of the HTML gives.
    generate_corpus(tmp_path, 60)
    markdowns = [doc.body for doc in load_corpus(tmp_path).documents + load_corpus(SITE_CORPUS).documents]
    markdowns.append("## Anfrage\n\n" + "### Zwischentitel ohne Absatz, lang genug\n\n" * 80 + "Erst hier &amp; *Text*.\n\n" * 40)
    markdowns.append("> " + "Zitat 14/1780 " * 400 + "\n\n- Punkt\n\n  mit Absatz\n\n- " + "zwei " * 300)
    checked = 0
    for markdown in markdowns:
        html = render_body(markdown).html
        whole = plain_text(html)
        for length in (1, 161, 500, 3000, len(whole), len(whole) + 10):
            assert plain_text_start(html, length) == whole[:length]
            checked += 1
    assert checked > 300


def corpus_documents() -> tuple[list[Drucksache], dict[str, str]]:
    corpus = load_corpus(SITE_CORPUS)
    catalog = build_catalog(corpus, lambda doc: render_body(doc.body), dt.date(2026, 1, 1))
    return list(catalog.documents), {ref: body.text_start for ref, body in catalog.bodies.items()}


def test_a_rendered_body_keeps_the_start_of_its_plain_text_for_the_description() -> None:
    """Kept with the rendered text (and in its cache), so a build does not read it from the HTML again."""
    documents = load_corpus(SITE_CORPUS).documents
    assert documents
    for doc in documents:
        body = render_body(doc.body)
        assert body.text_start == plain_text(body.html)[:TEXT_START_LENGTH]
        assert len(body.text_start) == min(TEXT_START_LENGTH, len(plain_text(body.html)))


def test_document_descriptions_are_between_50_and_160_characters_and_start_with_the_number() -> None:
    documents, bodies = corpus_documents()
    for doc in documents:
        description = document_description(doc, bodies[doc.reference], "Testseite")
        assert DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX, description
        assert description.startswith(f"Drucksache {doc.reference} vom "), description


def test_a_short_document_description_is_padded_to_the_minimum() -> None:
    documents, _ = corpus_documents()
    tiny = dataclasses.replace(documents[0], subject="Kurz")
    description = document_description(tiny, "", "Testseite")
    assert len(description) >= DESCRIPTION_MIN
    assert "Kurz" in description and "Testseite" in description


def test_script_json_cannot_close_the_script_element_and_reads_back_unchanged() -> None:
    value = {"name": "</script><script>alert(1)</script> & <!-- x", "ä": ["ß"]}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_robots_txt_names_the_absolute_sitemap() -> None:
    assert robots_txt(SITE_URL).splitlines()[-1] == f"Sitemap: {SITE_URL}sitemap.xml"


# --- the built site ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seo_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_URL)
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY_EPOCH)
        result = run_mkdocs_build(tmp_path_factory.mktemp("seo-site") / "site", corpus=SITE_CORPUS)
    assert result.returncode == 0, result.log
    return result


def content_pages(site: Path) -> list[Path]:
    """Every page with content: not the 404 page, not redirect stubs."""
    return [path for path in site_pages(site) if path.name == "index.html" and not _is_redirect(parse_file(path))]


def _is_redirect(root: Element) -> bool:
    return any(meta.attrs.get("http-equiv") == "refresh" for meta in root.find_all("meta"))


def url_of(site: Path, page: Path) -> str:
    relative = page.parent.relative_to(site).as_posix()
    return SITE_URL + ("" if relative == "." else relative + "/")


def meta(root: Element, *, name: str | None = None, prop: str | None = None) -> list[str]:
    return [
        element.attrs.get("content", "")
        for element in root.find_all("meta")
        if (name is not None and element.attrs.get("name") == name) or (prop is not None and element.attrs.get("property") == prop)
    ]


def json_ld_objects(root: Element) -> list[dict[str, object]]:
    scripts = [script for script in root.find_all("script") if script.attrs.get("type") == "application/ld+json"]
    objects: list[dict[str, object]] = []
    for script in scripts:
        raw = "".join(child for child in script.children if isinstance(child, str))
        assert "<" not in raw, raw
        objects += json.loads(raw)
    return objects


def documents_by_url() -> dict[str, Drucksache]:
    return {SITE_URL + doc.url: doc for doc in load_corpus(SITE_CORPUS).documents}


def test_every_page_has_one_canonical_url_and_the_sitemap_lists_exactly_those(seo_site: BuildResult) -> None:
    canonical = set()
    for page in content_pages(seo_site.site):
        root = parse_file(page)
        links = [link.attrs["href"] for link in root.find_all("link") if link.attrs.get("rel") == "canonical"]
        assert links == [url_of(seo_site.site, page)], page
        canonical.add(links[0])
    sitemap = ET.parse(seo_site.site / "sitemap.xml").getroot()
    locations = [url.findtext(f"{SITEMAP_NS}loc") for url in sitemap.iter(f"{SITEMAP_NS}url")]
    assert len(locations) == len(set(locations))
    assert set(locations) == canonical


def test_sitemap_lastmod_is_the_document_date_never_the_build_date(seo_site: BuildResult) -> None:
    documents = documents_by_url()
    sitemap = ET.parse(seo_site.site / "sitemap.xml").getroot()
    lastmods = {url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod") for url in sitemap.iter(f"{SITEMAP_NS}url")}
    for url, doc in documents.items():
        assert lastmods[url] == doc.date.isoformat(), url
    assert BUILD_DAY not in lastmods.values()
    newest = max(doc.date for doc in documents.values()).isoformat()
    assert lastmods[SITE_URL] == newest  # the start page lists the newest answers
    assert lastmods[SITE_URL + "jahre/"] == newest
    assert lastmods[SITE_URL + "jahre/2024/"] == "2024-12-31"
    assert lastmods[SITE_URL + "ueber/"] is None  # an editorial page has no document date


def test_a_listing_changes_when_an_inquiry_in_it_is_answered() -> None:
    corpus = load_corpus(SITE_CORPUS)
    catalog = build_catalog(corpus, lambda doc: render_body(doc.body), dt.date(2026, 1, 1))
    inquiry, answer = catalog.by_reference["99/10"], catalog.by_reference["99/10-1"]
    assert catalog.newest_change([inquiry]) == answer.date > inquiry.date
    assert catalog.newest_change([]) is None


def test_robots_txt_points_to_the_sitemap_on_the_deployed_site(seo_site: BuildResult) -> None:
    text = (seo_site.site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in text.splitlines()
    assert "Disallow: /" not in text.splitlines()


def test_descriptions_are_unique_escaped_and_within_bounds(seo_site: BuildResult) -> None:
    documents = documents_by_url()
    seen: dict[str, str] = {}
    for page in content_pages(seo_site.site):
        url = url_of(seo_site.site, page)
        root = parse_file(page)
        descriptions = meta(root, name="description")
        assert len(descriptions) == 1, url
        description = descriptions[0]
        if url in documents or "/gremien/" in url or "/jahre/" in url or "/suche/" in url:
            assert DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX, (url, description)
            assert description not in seen, f"{url} and {seen.get(description)}: {description}"
        seen[description] = url
        assert meta(root, prop="og:description") == [description], url
        doc = documents.get(url)
        if doc is not None:
            assert description.startswith(f"Drucksache {doc.reference} vom "), description
    hostile = parse_file(seo_site.site / "drucksachen" / "99-11" / "index.html")
    # The attribute parser unescapes: the markup is text in the description, never a tag of the page.
    assert '"><script>alert(2)</script>' in meta(hostile, name="description")[0]
    executable = [script for script in hostile.find_all("script") if script.attrs.get("type") != "application/ld+json"]
    assert not any("alert(2)" in "".join(str(c) for c in script.children) for script in executable)


def test_open_graph_on_every_page(seo_site: BuildResult) -> None:
    documents = documents_by_url()
    for page in content_pages(seo_site.site):
        url = url_of(seo_site.site, page)
        root = parse_file(page)
        assert meta(root, prop="og:url") == [url]
        assert meta(root, prop="og:locale") == ["de_DE"]
        assert meta(root, prop="og:type") == (["article"] if url in documents else ["website"]), url
        (image,) = meta(root, prop="og:image")
        assert image.startswith(SITE_URL) and (seo_site.site / image.removeprefix(SITE_URL)).is_file(), image
        (title,) = meta(root, prop="og:title")
        doc = documents.get(url)
        if doc is not None:
            assert title == f"{doc.title} (Drucksache {doc.reference})"
            assert root.find("title").text().startswith(title)


def test_json_ld_report_and_breadcrumbs_on_every_drucksache(seo_site: BuildResult) -> None:
    corpus = load_corpus(SITE_CORPUS)
    topic_names = {key: entry.name for key, entry in corpus.registers.of(RegisterKind.TOPICS).items()}
    for url, doc in documents_by_url().items():
        root = parse_file(seo_site.site / doc.url / "index.html")
        objects = json_ld_objects(root)
        reports = [obj for obj in objects if obj["@type"] == "Report"]
        assert len(reports) == 1, url
        report = reports[0]
        assert report["@context"] == "https://schema.org"
        assert report["identifier"] == doc.reference
        assert report["name"] == doc.title
        assert report["datePublished"] == doc.date.isoformat()
        assert report["url"] == url
        assert report["inLanguage"] == "de-DE"
        assert report["publisher"] == PUBLISHER
        assert [thing["name"] for thing in report.get("about", [])] == [topic_names[topic] for topic in doc.topics]  # type: ignore[index,union-attr]
        assert not any(obj["@type"] in ("QAPage", "FAQPage") for obj in objects)
        (breadcrumbs,) = [obj for obj in objects if obj["@type"] == "BreadcrumbList"]
        items = breadcrumbs["itemListElement"]
        assert isinstance(items, list)
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))
        assert items[0]["item"] == SITE_URL and items[-1]["item"] == url
        for item in items:
            target = item["item"].removeprefix(SITE_URL)
            assert (seo_site.site / target / "index.html").is_file(), item


def test_index_pages_carry_breadcrumbs_but_no_report(seo_site: BuildResult) -> None:
    root = parse_file(seo_site.site / "gremien" / "index.html")
    objects = json_ld_objects(root)
    assert [obj["@type"] for obj in objects] == ["BreadcrumbList"]


def test_german_date_labels_in_listings(seo_site: BuildResult) -> None:
    root = parse_file(seo_site.site / "jahre" / "2025" / "index.html")
    rows = [span.text() for span in root.find_all("span", cls="rd-eintrag__meta")]
    assert rows and all(re.match(r"Drucksache \S+ vom \d{1,2}\. \w+ \d{4} · ", row) for row in rows), rows


def test_the_preview_image_is_a_1200_by_630_png_of_the_site_itself() -> None:
    image = Path(__file__).resolve().parent.parent / "docs" / "assets" / "images" / "vorschau.png"
    data = image.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1200, 630)


GERMAN_DATE = re.compile(r"\b\d{1,2}\. (?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}\b")
DATE_LABELS = ("Datum der Drucksache", "Sitzung am")  # labels of the metadata list and the Beratungsfolge table
DATE_LEAD = re.compile(r"(?:\bvom|\bam|Datum der Drucksache:|Stand:)\s*$")  # "Drucksache 14/2048-1 vom …", "Beantwortet am …"


def _text_before(element: Element, stop: Element) -> str:
    """The text of ``element`` up to ``stop``."""
    parts: list[str] = []

    def walk(node: Element) -> bool:
        for child in node.children:
            if child is stop:
                return True
            if isinstance(child, str):
                parts.append(child)
            elif walk(child):
                return True
        return False

    walk(element)
    return " ".join("".join(parts).split())


def _not_shown(element: Element) -> bool:
    return "rd-text" in element.classes or "hidden" in element.attrs or element.tag in ("script", "style", "time")


def date_label_problems(root: Element, where: str) -> list[str]:
    """Every date the site itself shows (not the documents' own text) says which date it is."""
    problems = []
    for time in root.find_all("time"):
        parent = time.parent
        assert parent is not None
        if parent.tag == "dd":
            siblings = [child for child in parent.parent.children if isinstance(child, Element)] if parent.parent else []
            label = siblings[siblings.index(parent) - 1].text()
            ok = bool(label)  # the term of a description list names its value ("Datum der Drucksache")
        elif (cell := next((a for a in time.ancestors() if a.tag == "td"), None)) is not None:
            ok = cell.attrs.get("data-label") in DATE_LABELS
        else:
            ok = bool(DATE_LEAD.search(_text_before(parent, time)))
        if not ok:
            problems.append(f"{where}: <time> {time.text()!r} without a label")
    for element in root.iter():
        # Not the documents' own text, not hidden data for the search index.
        if any(_not_shown(node) for node in (element, *element.ancestors())):
            continue
        for child in element.children:
            if isinstance(child, str):
                for match in GERMAN_DATE.finditer(child):
                    if not DATE_LEAD.search(" ".join(child[: match.start()].split())):
                        problems.append(f"{where}: {child.strip()!r}")
    return problems


def test_every_date_shown_says_which_date_it_is(seo_site: BuildResult) -> None:
    problems = []
    for page in content_pages(seo_site.site):
        problems += date_label_problems(parse_file(page), page.relative_to(seo_site.site).as_posix())
    assert not problems, "\n".join(problems[:20])


def test_the_date_label_check_finds_an_unlabelled_date() -> None:
    from build_support import parse_html

    root = parse_html('<main><p>Drucksache 1/2 · <time datetime="2025-06-04">4. Juni 2025</time></p><p>Stand 4. Juni 2025</p></main>')
    assert len(date_label_problems(root, "probe")) == 2
    labelled = parse_html('<main><p>Drucksache 1/2 vom <time datetime="2025-06-04">4. Juni 2025</time>, beantwortet am 5. Juni 2025</p></main>')
    assert date_label_problems(labelled, "probe") == []
