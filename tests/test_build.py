"""Real ``mkdocs build`` runs: the fixture corpus (tests/fixtures/site_corpus), a non-public document, the real corpus.

Each corpus is built once per module; the tests inspect the HTML in the built site.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from build_support import (
    SITE_CORPUS,
    BuildResult,
    Element,
    compare_words,
    first_problem,
    ids_of,
    is_external,
    parse_file,
    references,
    resolve_internal,
    run_mkdocs_build,
    search_bundle_texts,
    search_fragments,
    site_pages,
    source_words_14_2048_1,
    visible_words,
)

pytestmark = pytest.mark.build

HOSTILE_TITLE = "Test \"><script>alert(1)</script> & 'Zitat'"
HOSTILE_BETREFF = 'Betreff "><script>alert(2)</script> & Co. <b>fett</b>'
HOSTILE_FACTION = "Fraktion \"><script>alert(1)</script> & 'Zitat'"
HOSTILE_TOP = '"><script>3</script>'
HOSTILE_URHEBER = 'Der "Test" & <i>Urheber</i>'
HOSTILE_AKTENZEICHEN = 'AZ "><script>4</script>'
HOSTILE_HEADING = "Antrag \"><script>alert(5)</script> & 'Co'"

# slug -> (nummer, titel, datum): what tests/fixtures/site_corpus contains.
FIXTURE_DOCUMENTS = {
    "98-5": ("98/5", "Testvorlage ohne Beratungsfolge", dt.date(2024, 12, 31)),
    "99-10": ("99/10", "Testanfrage zu Radwegen", dt.date(2025, 5, 20)),
    "99-10-1": ("99/10-1", "Testanfrage zu Radwegen", dt.date(2025, 6, 4)),
    "99-11": ("99/11", HOSTILE_TITLE, dt.date(2025, 4, 1)),
    "99-12-1": ("99/12-1", "Testanfrage mit Unterfragen", dt.date(2025, 3, 1)),
}
GERMAN_DATES = {
    "98-5": "31. Dezember 2024",
    "99-10": "20. Mai 2025",
    "99-10-1": "4. Juni 2025",
    "99-11": "1. April 2025",
    "99-12-1": "1. März 2025",
}
MAX_PAGE_BYTES = 40 * 1024

# --- builds ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """``mkdocs build --strict -f <repo>/mkdocs.yml`` with DRUCKSACHEN_DIR=tests/fixtures/site_corpus."""
    result = run_mkdocs_build(tmp_path_factory.mktemp("fixture-site") / "site", corpus=SITE_CORPUS)
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """``mkdocs build --strict`` of the repository as it is (default corpus drucksachen/)."""
    result = run_mkdocs_build(tmp_path_factory.mktemp("real-site") / "site")
    assert result.returncode == 0, result.log
    return result


@cache
def parsed(path: Path) -> Element:
    return parse_file(path)


def page(result: BuildResult, slug: str) -> Element:
    path = result.page(f"drucksachen/{slug}/")
    assert path.is_file(), f"{path} was not built"
    return parsed(path)


def article(root: Element) -> Element:
    return root.find("article")


def meta(root: Element) -> dict[str, Element]:
    """The document's header data: <dt> label -> <dd>, from the first description list of the article."""
    entries: dict[str, Element] = {}
    label = None
    for child in article(root).find("dl").children:
        if isinstance(child, Element) and child.tag == "dt":
            label = child.text()
        elif isinstance(child, Element) and child.tag == "dd" and label is not None:
            entries[label] = child
    return entries


def meta_value(root: Element, label_pattern: str) -> Element:
    entries = meta(root)
    matches = [dd for label, dd in entries.items() if re.search(label_pattern, label)]
    assert len(matches) == 1, f"expected one entry matching {label_pattern!r} in {list(entries)}"
    return matches[0]


def toc_links(root: Element) -> list[tuple[str, str, int]]:
    """(href, text, depth) of the page's table of contents (depth 1 = top level)."""
    toc = next(nav for nav in root.find_all("nav") if "md-nav--secondary" in nav.classes)
    lists = {element for element in toc.iter() if element.tag == "ul"}
    return [(link.attrs["href"], link.text(), sum(1 for a in link.ancestors() if a in lists)) for link in toc.find_all("a")]


def beratungsfolge_table(root: Element) -> Element:
    tables = article(root).find_all("table")
    assert len(tables) == 1
    return tables[0]


def table_rows(table: Element) -> list[list[str]]:
    return [[cell.text() for cell in row.iter() if cell.tag == "td"] for row in table.find("tbody").find_all("tr")]


def resolves_to(result: BuildResult, page_path: Path, link: Element) -> Path:
    target, _ = resolve_internal(result.site, page_path, link.attrs["href"])
    return target


# --- the fixture corpus ----------------------------------------------------------------------------------


def test_a_page_for_every_fixture_document_and_nothing_else(fixture_site: BuildResult) -> None:
    built = sorted(path.parent.name for path in (fixture_site.site / "drucksachen").glob("*/index.html"))
    assert built == sorted(FIXTURE_DOCUMENTS)
    assert sorted(path.name for path in (fixture_site.site / "drucksachen").iterdir()) == sorted(FIXTURE_DOCUMENTS)
    # The official PDF is copied next to the page of 99/10-1, nothing else is.
    assert sorted(p.name for p in (fixture_site.site / "drucksachen" / "99-10-1").iterdir()) == ["99-10-1.pdf", "index.html"]


def test_build_log_reports_the_number_of_published_documents(fixture_site: BuildResult) -> None:
    counts = re.findall(r"(\d+) Drucksache(?:\(n\)|n)? veröffentlicht", fixture_site.log)
    assert counts == [str(len(FIXTURE_DOCUMENTS))], fixture_site.log


@pytest.mark.parametrize("slug", sorted(FIXTURE_DOCUMENTS))
def test_page_basics(fixture_site: BuildResult, slug: str) -> None:
    root = page(fixture_site, slug)
    nummer, titel, datum = FIXTURE_DOCUMENTS[slug]
    assert root.find("html").attrs.get("lang") == "de"
    h1 = root.find_all("h1")
    assert len(h1) == 1
    assert h1[0].text() == titel
    title = root.find("title").text()
    assert title.startswith(titel)
    assert nummer in title
    ids = ids_of(root)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates
    assert meta_value(root, r"Nr\.|Nummer").text() == nummer
    date = meta_value(root, r"Datum")
    assert date.text() == GERMAN_DATES[slug]
    assert date.find("time").attrs["datetime"] == datum.isoformat()


@pytest.mark.parametrize("slug", sorted(FIXTURE_DOCUMENTS))
def test_toc_links_point_to_headings_on_the_page(fixture_site: BuildResult, slug: str) -> None:
    root = page(fixture_site, slug)
    ids = set(ids_of(root))
    for href, _, _ in toc_links(root):
        assert href.startswith("#") and href[1:] in ids


def test_answer_page_shows_all_header_data(fixture_site: BuildResult) -> None:
    root = page(fixture_site, "99-10-1")
    header = article(root).find("header")
    assert "Antwort auf die Anfrage der Testfraktion Blau-Gelb: Testanfrage zu Radwegen" in header.text()
    assert meta_value(root, r"^Art").text() == "Antwort auf eine Fraktionsanfrage"
    assert meta_value(root, r"Fraktion").text() == "Testfraktion Blau-Gelb"
    assert meta_value(root, r"Urheber").text() == "Der Testdirektor"
    assert meta_value(root, r"Themen").text() == "Testthema Verkehr, Prüfthema Umwelt & Klima"
    assert meta_value(root, r"Bereich").text() == "Bereich T Testwesen"
    assert meta_value(root, r"Referat$").text() == "T1 Radwege und Prüfungen"
    assert meta_value(root, r"Referatsleitung").text() == "Beispiel, Max"
    assert meta_value(root, r"Sachbearbeitung").text() == "Muster, Erika"
    assert meta_value(root, r"Aktenzeichen").text() == "T1-99-10/2025"
    original = meta_value(root, r"Original").find("a")
    target = resolves_to(fixture_site, fixture_site.page("drucksachen/99-10-1/"), original)
    assert target == fixture_site.site / "drucksachen" / "99-10-1" / "99-10-1.pdf"
    assert target.read_bytes() == (SITE_CORPUS / "99" / "99-10-1.pdf").read_bytes()


def test_beratungsfolge_is_a_table_with_column_headers(fixture_site: BuildResult) -> None:
    root = page(fixture_site, "99-10")
    table = beratungsfolge_table(root)
    headers = table.find("thead").find_all("th")
    assert [th.text() for th in headers] == ["Gremium", "Sitzung am", "Beratungsstatus", "TOP"]
    assert all(th.attrs.get("scope") == "col" for th in headers)
    assert table_rows(table) == [["Testausschuss für Prüfungen & Qualität", "12. Juni 2025", "Beratung", "7.2"]]
    assert table.find("time").attrs["datetime"] == "2025-06-12"


def test_beratungsfolge_with_two_rows_and_no_top(fixture_site: BuildResult) -> None:
    rows = table_rows(beratungsfolge_table(page(fixture_site, "99-12-1")))
    assert len(rows) == 2
    assert rows[0][:3] == ["Testausschuss für Prüfungen & Qualität", "10. März 2025", "Vorberatung"]
    assert rows[1][0] == "Testversammlung" and rows[1][2] == "Entscheidung"
    assert not re.search(r"\d", rows[1][1]), "no meeting date was given"
    assert not any(re.search(r"\d", row[3]) for row in rows), "no TOP was given"


def test_no_beratungsfolge_without_consultations(fixture_site: BuildResult) -> None:
    root = page(fixture_site, "98-5")
    assert not article(root).find_all("table")
    assert "beratungsfolge" not in ids_of(root)
    assert not any("Fraktion" in label for label in meta(root))


def test_sub_questions(fixture_site: BuildResult) -> None:
    root = page(fixture_site, "99-12-1")
    assert [href for href, _, depth in toc_links(root) if href.startswith("#frage-")] == ["#frage-1", "#frage-1-1", "#frage-1-2", "#frage-2"]
    assert all(depth == 2 for href, _, depth in toc_links(root) if href.startswith("#frage-"))
    for anchor, label in (("frage-1", "Frage 1"), ("frage-1-1", "Frage 1.1"), ("frage-1-2", "Frage 1.2"), ("frage-2", "Frage 2")):
        heading = root.find(id=anchor)
        assert heading.text().startswith(label + ": ")
        assert heading.parent is not None and heading.parent.tag == "section"


def test_inquiry_and_answer_link_each_other(fixture_site: BuildResult) -> None:
    inquiry_path = fixture_site.page("drucksachen/99-10/")
    answer_path = fixture_site.page("drucksachen/99-10-1/")
    for source, target, label, number in (
        (inquiry_path, answer_path, r"^Beantwortet durch", "99/10-1"),
        (answer_path, inquiry_path, r"^Antwort auf", "99/10"),
    ):
        dd = meta_value(parsed(source), label)
        links = dd.find_all("a")
        assert len(links) == 1
        assert number in links[0].text()
        assert resolves_to(fixture_site, source, links[0]) == target
        assert target.is_file()


def test_reference_outside_the_corpus_is_plain_text(fixture_site: BuildResult) -> None:
    inquiry = page(fixture_site, "99-10")
    related = meta_value(inquiry, r"Bezüge|Bezug")
    assert "99/999" in related.text()
    assert not related.find_all("a")
    answer = page(fixture_site, "99-12-1")
    answered = meta_value(answer, r"^Antwort auf")
    assert "99/12" in answered.text()
    assert not answered.find_all("a")
    for path in site_pages(fixture_site.site):
        text = path.read_text(encoding="utf-8")
        assert "99-999" not in text and "drucksachen/99-12/" not in text


def test_hostile_values_are_escaped_everywhere(fixture_site: BuildResult) -> None:
    path = fixture_site.page("drucksachen/99-11/")
    raw = path.read_text(encoding="utf-8")
    for payload in ("<script>alert", "<script>3", "<script>4", "<b>fett", "<i>Urheber", '"><script', "<img", "<iframe"):
        assert payload not in raw
    for double_escaped in ("&amp;lt;", "&amp;gt;", "&amp;quot;", "&amp;amp;", "&amp;#"):
        assert double_escaped not in raw
    root = parsed(path)
    # Only the theme's own scripts and JSON-LD data (where "<" is a JSON escape); no event handlers, no script URLs.
    for script in root.find_all("script"):
        if script.attrs.get("type") == "application/ld+json":
            assert "<" not in script.text()
        else:
            assert "alert" not in script.text()
    for element in root.iter():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"<{element.tag} {name}>"
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), f"<{element.tag} {name}={value!r}>"
    # Each value is shown once as text: escaped exactly once, not mangled.
    assert root.find("title").text().startswith(HOSTILE_TITLE)
    assert root.find("h1").text() == HOSTILE_TITLE
    assert HOSTILE_TITLE in root.find("header").text()  # the theme's header bar
    assert HOSTILE_BETREFF in article(root).find("header").text()
    assert meta_value(root, r"Fraktion").text() == HOSTILE_FACTION
    assert meta_value(root, r"Urheber").text() == HOSTILE_URHEBER
    assert meta_value(root, r"Aktenzeichen").text() == HOSTILE_AKTENZEICHEN
    assert table_rows(beratungsfolge_table(root))[0][3] == HOSTILE_TOP
    heading = next(h for h in article(root).find_all("h2") if h.text().startswith("Antrag"))
    assert heading.text() == HOSTILE_HEADING
    assert (f"#{heading.attrs['id']}", HOSTILE_HEADING) in [(href, text) for href, text, _ in toc_links(root)]
    assert HOSTILE_HEADING in [nav.attrs.get("aria-label") for nav in root.find_all("nav")]
    description = [m.attrs.get("content", "") for m in root.find_all("meta") if m.attrs.get("name") == "description"]
    # The Betreff, escaped once: the raw page holds no markup from it (checked above), the attribute reads back as text.
    assert len(description) == 1 and HOSTILE_BETREFF in description[0]


def test_hostile_body_is_shown_as_text(fixture_site: BuildResult) -> None:
    body = article(page(fixture_site, "99-11"))
    assert not [e.tag for e in body.iter() if e.tag in ("script", "img", "iframe", "object", "embed", "style")]
    text = body.text()
    assert "<script>alert(6)</script>" in text
    assert '<img src="x" onerror="alert(7)">' in text
    assert '<iframe src="https://example.invalid/"></iframe>' in text
    assert [a.text() for a in body.find_all("a") if "alert" in a.attrs.get("href", "")] == []
    assert not [a for a in body.find_all("a") if a.text() in ("Skriptlink", "Tab-Link", "Daten")]


def test_search_index_holds_values_as_plain_text(fixture_site: BuildResult) -> None:
    """Pagefind stores the page's text: hostile values arrive as the text an editor wrote, neither
    as markup nor escaped twice. (The search page inserts titles as text; the browser test checks it.)"""
    fragments = {fragment["url"]: fragment for fragment in search_fragments(fixture_site.site)}
    assert len(fragments) == len(FIXTURE_DOCUMENTS)
    hostile = fragments["/drucksachen/99-11/"]
    assert '"><script>alert(1)</script>' in hostile["content"]
    for fragment in fragments.values():
        assert "&lt;" not in fragment["content"] and "&amp;" not in fragment["content"]


def check_internal_links(result: BuildResult) -> None:
    problems = []
    for path in site_pages(result.site):
        for ref in references(result.site, path, parsed(path)):
            if is_external(ref.value):
                continue
            target, fragment = resolve_internal(result.site, path, ref.value)
            shown = f"{path.relative_to(result.site)}: <{ref.tag} {ref.attribute}={ref.value!r}>"
            if not target.is_file():
                problems.append(f"{shown} -> missing {target.relative_to(result.site) if target.is_relative_to(result.site) else target}")
            elif fragment and target.suffix == ".html" and fragment not in ids_of(parsed(target)):
                problems.append(f"{shown} -> no id {fragment!r} in {target.relative_to(result.site)}")
    assert not problems, first_problem(problems)


def check_no_external_resources(result: BuildResult) -> None:
    problems = []
    for path in site_pages(result.site):
        root = parsed(path)
        # <link rel="canonical"> names the page's public address (absolute since site_url is set); nothing is loaded from it.
        canonical = {link.attrs.get("href") for link in root.find_all("link") if link.attrs.get("rel") == "canonical"}
        for ref in references(result.site, path, root):
            loads_resource = ref.tag != "a" and not (ref.tag == "form" and ref.attribute == "action") and not (ref.tag == "link" and ref.value in canonical)
            if loads_resource and is_external(ref.value) and not ref.value.startswith("data:"):
                problems.append(f"{path.relative_to(result.site)}: <{ref.tag} {ref.attribute}={ref.value!r}>")
    for stylesheet in result.site.rglob("*.css"):
        css = stylesheet.read_text(encoding="utf-8")
        for url in re.findall(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", css):
            value = url[0] or url[1]
            if is_external(value) and not value.startswith("data:"):
                problems.append(f"{stylesheet.relative_to(result.site)}: {value}")
    assert not problems, first_problem(problems)


def test_fixture_site_internal_links_resolve(fixture_site: BuildResult) -> None:
    check_internal_links(fixture_site)


def test_fixture_site_loads_nothing_from_other_hosts(fixture_site: BuildResult) -> None:
    check_no_external_resources(fixture_site)
    for path in site_pages(fixture_site.site):
        assert "fonts.googleapis.com" not in path.read_text(encoding="utf-8")


def test_drucksache_pages_are_small(fixture_site: BuildResult) -> None:
    for slug in FIXTURE_DOCUMENTS:
        size = fixture_site.page(f"drucksachen/{slug}/").stat().st_size
        assert size <= MAX_PAGE_BYTES, f"{slug}: {size} bytes"


# --- a non-public document ---------------------------------------------------------------------------------

SECRET_WORDS = ("Geheimprobe7319", "Vertraulichkeitsmarker4711", "Schweigepflichttest")
SECRET_DOCUMENT = """\
---
# TEST DATA: a non-public document that must never be published.
nummer: "99/13"
art: fraktionsanfrage-antwort
titel: Geheimprobe7319 vertrauliche Antwort
betreff: "Antwort: Vertraulichkeitsmarker4711"
datum: 2025-06-05
status: nichtöffentlich
fraktion: testfraktion
anfrage: "99/10"
urheber: Der Testdirektor
---

## Antwort

### 1. Schweigepflichttest?

Schweigepflichttest Vertraulichkeitsmarker4711 Geheimprobe7319.
"""
SECRET_STATUS_LINE = SECRET_DOCUMENT.splitlines().index("status: nichtöffentlich") + 1


@pytest.fixture(scope="module")
def nonpublic_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nonpublic") / "corpus"
    shutil.copytree(SITE_CORPUS, root)
    (root / "99" / "99-13.md").write_text(SECRET_DOCUMENT, encoding="utf-8")
    return root


def test_nonpublic_document_fails_the_strict_build(nonpublic_corpus: Path, tmp_path: Path) -> None:
    result = run_mkdocs_build(tmp_path / "site", corpus=nonpublic_corpus)
    assert result.returncode != 0
    assert re.search(rf"99-13\.md:{SECRET_STATUS_LINE}: status: .*öffentlich", result.log), result.log
    assert "nichts veröffentlicht" in result.log
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())


def test_nonpublic_document_is_left_out_of_a_non_strict_build(nonpublic_corpus: Path, tmp_path: Path) -> None:
    result = run_mkdocs_build(tmp_path / "site", corpus=nonpublic_corpus, strict=False)
    assert result.returncode == 0, result.log
    assert re.search(rf"99-13\.md:{SECRET_STATUS_LINE}: status:", result.log)
    site = tmp_path / "site"
    assert (site / "drucksachen" / "99-10" / "index.html").is_file()
    assert not (site / "drucksachen" / "99-13").exists()
    assert re.search(rf"\b{len(FIXTURE_DOCUMENTS)} Drucksache(?:\(n\)|n)? veröffentlicht", result.log)
    files = [path for path in site.rglob("*") if path.is_file()]
    bundle = search_bundle_texts(site)
    assert any(name.endswith(".pf_fragment") for name in bundle)
    for name, text in bundle.items():  # the search index is compressed: look inside
        for word in SECRET_WORDS:
            assert word not in text, f"{word} in {name}"
        assert "99-13" not in text and "99/13" not in text, name
    for path in files:
        content = path.read_bytes()
        for word in SECRET_WORDS:
            assert word.encode() not in content, f"{word} in {path.relative_to(site)}"
        if path.suffix in (".html", ".json", ".xml"):
            assert b"99-13" not in content and b"99/13" not in content, path.relative_to(site)


def test_an_archive_whose_only_document_has_a_problem_still_builds(tmp_path: Path) -> None:
    """An editor who breaks the only file (make serve, or a non-strict build) gets the problem, not a traceback."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SITE_CORPUS / "register", corpus / "register")
    broken = (SITE_CORPUS / "99" / "99-10.md").read_text("utf-8").replace("datum: 2025-05-20", "datum: 2025-13-20", 1)
    (corpus / "99").mkdir()
    (corpus / "99" / "99-10.md").write_text(broken, "utf-8")
    result = run_mkdocs_build(tmp_path / "site", corpus=corpus, strict=False)
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    assert re.search(r"99-10\.md:\d+: datum: .*kein gültiges Datum", result.log), result.log[-3000:]
    assert "Keine Drucksache veröffentlicht: Die Suche bleibt leer" in result.log
    assert (tmp_path / "site" / "index.html").is_file() and not (tmp_path / "site" / "pagefind").exists()


# --- the real repository ------------------------------------------------------------------------------------


def test_real_build_publishes_14_2048_1(real_site: BuildResult) -> None:
    built = sorted(path.parent.name for path in (real_site.site / "drucksachen").glob("*/index.html"))
    assert "14-2048-1" in built
    assert re.search(rf"\b{len(built)} Drucksache(?:\(n\)|n)? veröffentlicht", real_site.log), real_site.log


def test_real_page_lists_the_questions_in_the_toc(real_site: BuildResult) -> None:
    root = page(real_site, "14-2048-1")
    links = toc_links(root)
    questions = [(href, text, depth) for href, text, depth in links if href.startswith("#frage-")]
    assert [href for href, _, _ in questions] == [f"#frage-{n}" for n in range(1, 6)]
    assert all(text.startswith(f"Frage {n}") for n, (_, text, _) in enumerate(questions, start=1))
    antwort = [depth for href, _, depth in links if href == "#antwort"]
    assert antwort == [1]
    assert all(depth == 2 for _, _, depth in questions)
    for n in range(1, 6):
        heading = root.find(id=f"frage-{n}")
        assert heading.tag == "h3"


def test_real_page_basics(real_site: BuildResult) -> None:
    root = page(real_site, "14-2048-1")
    assert root.find("html").attrs.get("lang") == "de"
    assert len(root.find_all("h1")) == 1
    assert root.find("title").text().startswith("Verbesserung der Bildungssituation")
    assert meta_value(root, r"Datum").text() == "4. Juni 2025"
    assert "Ausschuss für Digitalisierung, Bildung und Innovation" in beratungsfolge_table(root).text()
    ids = ids_of(root)
    assert len(ids) == len(set(ids))
    assert real_site.page("drucksachen/14-2048-1/").stat().st_size <= MAX_PAGE_BYTES


def test_real_page_shows_the_published_text_word_for_word(real_site: BuildResult) -> None:
    root = page(real_site, "14-2048-1")
    body = root.find(id="anfrage").parent
    assert body is not None
    assert compare_words(source_words_14_2048_1(), visible_words(body)) is None


def test_real_site_internal_links_resolve(real_site: BuildResult) -> None:
    check_internal_links(real_site)


def test_real_site_loads_nothing_from_other_hosts(real_site: BuildResult) -> None:
    check_no_external_resources(real_site)
