"""Index pages, cross-links, navigation and redirects, checked on real ``mkdocs build --strict`` runs.

The fixture corpus tests/fixtures/index_corpus (invented data, see its README.txt) is built once per
session with a fixed build date (``SOURCE_DATE_EPOCH``), so the age of open inquiries is stable.

Golden files: tests/fixtures/golden/<url>.html holds the normalised content of
``<article class="md-content__inner">`` of every generated page (the "/" of the URL written as "--",
the start page as startseite.html): one block element per line, whitespace collapsed, text and
attributes escaped exactly once. When a page changes on purpose, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_index_pages.py -k golden
    git diff tests/fixtures/golden/

Also here: the same corpus with renamed register entries (no URL may change), a generated corpus of
3,000 Drucksachen all in one committee (page-size bounds), strict builds that must fail, and ``make build``.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from build_support import (
    FIXTURES,
    REPO,
    BuildResult,
    Element,
    first_problem,
    ids_of,
    is_external,
    parse_file,
    parse_html,
    references,
    resolve_internal,
    run_mkdocs_build,
    site_pages,
)
from generate_corpus import generate_corpus
from ratsdok.seo import script_json

pytestmark = pytest.mark.build

INDEX_CORPUS = FIXTURES / "index_corpus"
GOLDEN = FIXTURES / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
BUILD_EPOCH = "1767225600"  # 2026-01-01 00:00 UTC: "today" for the age of open inquiries

KB = 1024
MAX_INDEX_PAGE_BYTES = 100 * KB
MAX_DRUCKSACHE_PAGE_BYTES = 40 * KB
LARGE_CORPUS_SIZE = 3000
LARGE_CORPUS_COMMITTEE = "verbandsversammlung"
INDEX_DIRS = ("gremien", "fraktionen", "themen", "jahre", "wahlperioden", "offene-anfragen")
TOP_NAVIGATION = ["Start", "Gremien", "Fraktionen", "Themen", "Jahre", "Suche", "Über das Angebot"]
TOP_NAVIGATION_TARGETS = ["index.html", "gremien/index.html", "fraktionen/index.html", "themen/index.html", "jahre/index.html", "suche/index.html", "ueber/index.html"]

INQUIRY = "Fraktionsanfrage"
ANSWER = "Antwort auf eine Fraktionsanfrage"


@dataclass(frozen=True)
class Doc:
    """What tests/fixtures/index_corpus contains, written out by hand (not computed by the code under test)."""

    slug: str
    paper_type: str
    title: str
    date_iso: str
    date: str  # as a German reader expects it
    faction: str | None
    committees: tuple[str, ...]
    topics: tuple[str, ...]

    @property
    def year(self) -> str:
        return self.date_iso[:4]

    @property
    def term(self) -> str:
        return self.slug.split("-")[0]


RADWEGE = "Testanfrage zu Radwegen in der Übungsregion"
LAERMSCHUTZ = "Testanfrage zum Lärmschutz an Übungsstraßen"
MOTION_TITLE = "Testantrag: Wege „sicher & schnell“ <Entwurf>"
DOCS = {
    "88/7": Doc("88-7", "Informationsvorlage", "Testbericht über die Übungsregion", "2023-11-15", "15. November 2023", None, ("testrat",), ("umwelt",)),
    "89/1": Doc("89-1", INQUIRY, LAERMSCHUTZ, "2024-11-20", "20. November 2024", "fraktion-nord", ("pruefausschuss",), ("umwelt",)),
    "89/1-1": Doc("89-1-1", ANSWER, LAERMSCHUTZ, "2025-01-08", "8. Januar 2025", "fraktion-nord", ("pruefausschuss", "testrat"), ("umwelt",)),
    "89/2": Doc("89-2", INQUIRY, RADWEGE, "2025-02-03", "3. Februar 2025", "fraktion-sued", ("pruefausschuss",), ("verkehr",)),
    "89/2-1": Doc("89-2-1", ANSWER, RADWEGE, "2025-03-05", "5. März 2025", "fraktion-sued", ("pruefausschuss",), ("verkehr",)),
    "89/2-2": Doc("89-2-2", ANSWER, RADWEGE + " (Ergänzung)", "2025-04-14", "14. April 2025", "fraktion-sued", ("testrat",), ("verkehr",)),
    "89/3": Doc("89-3", INQUIRY, "Testanfrage zu Baumpflanzungen", "2025-09-15", "15. September 2025", "fraktion-nord", ("pruefausschuss",), ("umwelt",)),
    "89/4": Doc("89-4", "Fraktionsantrag", MOTION_TITLE, "2025-05-10", "10. Mai 2025", "fraktion-sued", ("testrat",), ("verkehr", "umwelt")),
    "89/5": Doc("89-5", "Beschlussvorlage", "Testvorlage zur Umsetzung sicherer Wege", "2025-06-20", "20. Juni 2025", None, ("testrat",), ("verkehr",)),
    "89/6": Doc("89-6", INQUIRY, "Testanfrage zum Winterdienst auf Radwegen", "2025-12-01", "1. Dezember 2025", "fraktion-sued", (), ("verkehr",)),
}
# Listing status per document: (text, slug of the linked answer or None, open?). Days counted by hand:
# 20.11.2024 -> 8.1.2025 = 49; 3.2.2025 -> 5.3.2025 = 30, -> 14.4.2025 = 70; open until 1.1.2026: 108 and 31 days.
STATUS = {
    "89/1": ("Beantwortet am 8. Januar 2025 (nach 49 Tagen)", "89-1-1", False),
    "89/1-1": ("Antwort nach 49 Tagen", None, False),
    "89/2": ("Beantwortet am 5. März 2025 (nach 30 Tagen)", "89-2-1", False),
    "89/2-1": ("Antwort nach 30 Tagen", None, False),
    "89/2-2": ("Antwort nach 70 Tagen", None, False),
    "89/3": ("Offen seit 108 Tagen", None, True),
    "89/6": ("Offen seit 31 Tagen", None, True),
}
REGISTERS = {
    "gremien": {"testrat": "Testrat der Übungsregion", "pruefausschuss": "Ausschuss für Prüfwesen & Übungen", "ruhender-ausschuss": "Ruhender Testausschuss"},
    "fraktionen": {"fraktion-nord": "Testfraktion Nord", "fraktion-sued": "Testfraktion Süd"},
    "themen": {"verkehr": "Testthema Verkehr", "umwelt": "Testthema Umwelt & Klima", "archiv": "Testthema ohne Drucksachen"},
}
SHORT_NAMES = {"testrat": "Testrat", "pruefausschuss": "PrüfA", "ruhender-ausschuss": "RTA", "fraktion-nord": "NORD", "fraktion-sued": "SÜD"}
EMPTY_ENTRIES = ("gremien/ruhender-ausschuss/", "themen/archiv/")
# Median of the answer times of the answers among an entry's documents (see STATUS):
MEDIANS = {
    "gremien/pruefausschuss/": "39,5 Tage (aus 2 Antworten)",  # 89/1-1: 49, 89/2-1: 30
    "gremien/testrat/": "49 Tage (aus 1 Antwort)",  # 89/1-1: 49; 89/2-2 is a second answer and does not count again
    "fraktionen/fraktion-nord/": "49 Tage (aus 1 Antwort)",  # 89/1-1
    "fraktionen/fraktion-sued/": "30 Tage (aus 1 Antwort)",  # 89/2-1: 30; not the second answer 89/2-2
    "themen/umwelt/": "49 Tage (aus 1 Antwort)",
    "themen/verkehr/": "30 Tage (aus 1 Antwort)",
}
# Who mentions whom (in the text or in bezuege), newest first.
# "Erwähnt in" on the pages; an inquiry's own answers are listed as answers, not again here.
MENTIONED_IN = {
    "88/7": ["89/4"],
    "89/1": ["89/3", "89/4"],
    "89/1-1": ["89/4"],
    "89/2": ["89/4"],
    "89/2-1": ["89/4", "89/2-2"],
    "89/2-2": ["89/4"],
    "89/4": ["89/5"],
}
# The links in the text of 89/4, in order; "89/999" does not exist, "12/2024" is a date.
TEXT_LINKS_89_4 = ["89/2", "89/2-2", "89/1", "89/1-1", "89/2-1", "89/2-2", "88/7"]
REDIRECT = ("drucksachen/89-20/", "drucksachen/89-2/")


def newest_first(references: list[str]) -> list[str]:
    return sorted(references, key=lambda ref: (DOCS[ref].date_iso, ref), reverse=True)


def docs_where(predicate: Callable[[Doc], bool]) -> list[str]:
    return newest_first([ref for ref, doc in DOCS.items() if predicate(doc)])


def expected_listings() -> dict[str, list[str]]:
    """Every listing page of the fixture site (first page; all fit) -> its documents, newest first."""
    pages: dict[str, list[str]] = {}
    for key in REGISTERS["gremien"]:
        pages[f"gremien/{key}/"] = docs_where(lambda doc, key=key: key in doc.committees)
    for key in REGISTERS["fraktionen"]:
        pages[f"fraktionen/{key}/"] = docs_where(lambda doc, key=key: doc.faction == key)
    for key in REGISTERS["themen"]:
        pages[f"themen/{key}/"] = docs_where(lambda doc, key=key: key in doc.topics)
    for year in {doc.year for doc in DOCS.values()}:
        pages[f"jahre/{year}/"] = docs_where(lambda doc, year=year: doc.year == year)
    for term in {doc.term for doc in DOCS.values()}:
        pages[f"wahlperioden/{term}/"] = docs_where(lambda doc, term=term: doc.term == term)
    return pages


# --- builds ------------------------------------------------------------------------------------------


def build(site_dir: Path, corpus: Path, *, strict: bool = True) -> BuildResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return run_mkdocs_build(site_dir, corpus=corpus, strict=strict)


@pytest.fixture(scope="session")
def index_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = build(tmp_path_factory.mktemp("index-site") / "site", INDEX_CORPUS)
    assert result.returncode == 0, result.log
    return result


RENAMED_SUFFIX = " (umbenannt)"
RENAMED_SHORT_PREFIX = "Neu-"


@pytest.fixture(scope="session")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture corpus with every display name and short name in the registers changed, ids kept."""
    corpus = tmp_path_factory.mktemp("renamed") / "corpus"
    shutil.copytree(INDEX_CORPUS, corpus)
    for register in (corpus / "register").glob("*.yml"):
        text = register.read_text(encoding="utf-8")
        text, names = re.subn(r"(?m)^(  name: )(.+)$", rf"\g<1>\g<2>{RENAMED_SUFFIX}", text)
        text = re.sub(r"(?m)^(  kurzname: )(.+)$", rf"\g<1>{RENAMED_SHORT_PREFIX}\g<2>", text)
        assert names == len(REGISTERS[register.stem])
        register.write_text(text, encoding="utf-8")
    result = build(tmp_path_factory.mktemp("renamed-site") / "site", corpus)
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="session")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """3,000 generated Drucksachen, every one consulted in the same committee (its first Beratungsfolge row)."""
    corpus = tmp_path_factory.mktemp("large") / "corpus"
    generate_corpus(corpus, LARGE_CORPUS_SIZE)
    for file in corpus.glob("*/*.md"):
        file.write_text(all_in_one_committee(file.read_text(encoding="utf-8")), encoding="utf-8")
    result = build(tmp_path_factory.mktemp("large-site") / "site", corpus)
    assert result.returncode == 0, result.log[-5000:]
    return result


def all_in_one_committee(text: str) -> str:
    """The first Beratungsfolge row goes to LARGE_CORPUS_COMMITTEE; a later row with it gets the old one (no duplicates)."""
    rows = re.findall(r"(?m)^  - gremium: (\S+)$", text)
    if not rows or rows[0] == LARGE_CORPUS_COMMITTEE:
        return text
    swapped = {rows[0]: LARGE_CORPUS_COMMITTEE, LARGE_CORPUS_COMMITTEE: rows[0]}
    return re.sub(r"(?m)^(  - gremium: )(\S+)$", lambda m: m.group(1) + swapped.get(m.group(2), m.group(2)), text)


# --- reading pages -------------------------------------------------------------------------------------


@cache
def parsed(path: Path) -> Element:
    return parse_file(path)


def page(result: BuildResult, url: str) -> Element:
    path = result.page(url)
    assert path.is_file(), f"{url} was not built"
    return parsed(path)


def doc_url(reference: str) -> str:
    return f"drucksachen/{DOCS[reference].slug}/"


def article(root: Element) -> Element:
    found = [element for element in root.find_all("article") if "md-content__inner" in element.classes]
    assert len(found) == 1
    return found[0]


def target_of(result: BuildResult, url: str, link: Element) -> str:
    """Where a link on the page at ``url`` leads, site-relative (``gremien/x/index.html``)."""
    target, _ = resolve_internal(result.site, result.page(url), link.attrs["href"])
    assert target.is_file(), f"{url}: {link.attrs['href']!r} leads nowhere"
    return target.relative_to(result.site).as_posix()


def index_of(url: str) -> str:
    return f"{url}index.html"


@dataclass(frozen=True)
class Row:
    reference: str
    date: str
    date_iso: str
    paper_type: str
    title: str
    target: str
    status: str | None
    status_target: str | None
    is_open: bool


def listing_rows(result: BuildResult, url: str, container: Element) -> list[Row]:
    rows = []
    for item in container.find_all("li", cls="rd-eintrag"):
        title = item.find("a", cls="rd-eintrag__titel")
        meta = item.find("span", cls="rd-eintrag__meta")
        match = re.fullmatch(r"Drucksache (\S+) vom (.+) · (.+)", meta.text())
        assert match, f"{url}: unexpected row {meta.text()!r}"
        status = item.find_all("span", cls="rd-eintrag__status")
        status_links = status[0].find_all("a") if status else []
        rows.append(
            Row(
                reference=match.group(1),
                date=match.group(2),
                date_iso=meta.find("time").attrs["datetime"],
                paper_type=match.group(3),
                title=title.text(),
                target=target_of(result, url, title),
                status=status[0].text() if status else None,
                status_target=target_of(result, url, status_links[0]) if status_links else None,
                is_open=bool(status) and "rd-eintrag__status--offen" in status[0].classes,
            )
        )
    return rows


def sections(result: BuildResult, url: str) -> dict[str, list[Row]]:
    """Listing rows by the id of the <h2> above them ("" before any heading)."""
    found: dict[str, list[Row]] = {}
    heading = ""
    for child in article(page(result, url)).children:
        if not isinstance(child, Element):
            continue
        if child.tag == "h2":
            heading = child.attrs.get("id", "")
        elif child.tag == "ul" and "rd-eintraege" in child.classes:
            found.setdefault(heading, []).extend(listing_rows(result, url, child))
    return found


def year_groups(result: BuildResult, url: str) -> list[tuple[str, list[Row]]]:
    return [(key.removeprefix("jahr-"), rows) for key, rows in sections(result, url).items() if key.startswith("jahr-")]


def expected_row(reference: str) -> Row:
    doc = DOCS[reference]
    status, status_slug, is_open = STATUS.get(reference, (None, None, False))
    return Row(
        reference=reference,
        date=doc.date,
        date_iso=doc.date_iso,
        paper_type=doc.paper_type,
        title=doc.title,
        target=index_of(doc_url(reference)),
        status=status,
        status_target=f"drucksachen/{status_slug}/index.html" if status_slug else None,
        is_open=is_open,
    )


def definitions(container: Element) -> dict[str, Element]:
    """<dt> text -> <dd> of the first description list in ``container`` (or of ``container`` itself)."""
    entries: dict[str, Element] = {}
    label = None
    for child in (container if container.tag == "dl" else container.find("dl")).children:
        if isinstance(child, Element) and child.tag == "dt":
            label = child.text()
        elif isinstance(child, Element) and child.tag == "dd" and label is not None:
            entries[label] = child
    return entries


def document_meta(result: BuildResult, reference: str) -> dict[str, Element]:
    return definitions(article(page(result, doc_url(reference))).find("section", cls="rd-meta"))


def linked_numbers(result: BuildResult, url: str, container: Element) -> list[tuple[str, str]]:
    """(number shown, target) of the Drucksache links in ``container``."""
    found = []
    for link in container.find_all("a"):
        match = re.fullmatch(r"(?:Drucksache )?(\d+/\d+(?:-\d+)?)", link.text())
        if match:
            found.append((match.group(1), target_of(result, url, link)))
    return found


def html_pages(result: BuildResult) -> Iterator[tuple[str, Path]]:
    for path in site_pages(result.site):
        yield path.relative_to(result.site).as_posix(), path


def is_redirect(path: Path) -> bool:
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


# --- golden files ------------------------------------------------------------------------------------------

_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})


def _open_tag(element: Element) -> str:
    attributes = "".join(f" {name}" if value is None else f' {name}="{html.escape(value)}"' for name, value in element.attr_list)
    return f"<{element.tag}{attributes}>"


def _inline(node: Element | str) -> str:
    if isinstance(node, str):
        return html.escape(node, quote=False)
    if node.tag in _VOID:
        return _open_tag(node)
    return _open_tag(node) + "".join(_inline(child) for child in node.children) + f"</{node.tag}>"


def _has_block(element: Element) -> bool:
    return any(isinstance(child, Element) and (child.tag in _BLOCK or _has_block(child)) for child in element.children)


def outline(nodes: list[Element | str]) -> str:
    """Normalised HTML: a block element per line (indented), its inline content on that line, whitespace collapsed."""
    lines: list[str] = []

    def walk(children: list[Element | str], depth: int) -> None:
        pending: list[str] = []

        def flush() -> None:
            text = " ".join("".join(pending).split())
            if text:
                lines.append("  " * depth + text)
            pending.clear()

        for child in children:
            if isinstance(child, Element) and child.tag in _BLOCK:
                flush()
                if _has_block(child):
                    lines.append("  " * depth + _open_tag(child))
                    walk(child.children, depth + 1)
                    lines.append("  " * depth + f"</{child.tag}>")
                else:
                    inner = " ".join("".join(_inline(grandchild) for grandchild in child.children).split())
                    lines.append("  " * depth + _open_tag(child) + inner + f"</{child.tag}>")
            else:
                pending.append(_inline(child))
        flush()

    walk(nodes, 0)
    return "\n".join(lines) + "\n"


def golden_name(url: str) -> str:
    return (url.rstrip("/").replace("/", "--") or "startseite") + ".html"


def golden_pages(result: BuildResult) -> dict[str, str]:
    """Golden file name -> normalised article content, for every generated page (not the editorial about page)."""
    pages = {}
    for relative, path in html_pages(result):
        url = relative.removesuffix("index.html")
        if not relative.endswith("index.html") or url == "ueber/" or is_redirect(path):
            continue
        content = article(parsed(path))
        nodes = content.children
        if url == "":
            # The start page: the generated part only; the editorial text above it (docs/index.md) is the editors' to change.
            first = content.find("h2", id="neueste-antworten")
            nodes = nodes[nodes.index(first) :]
        pages[golden_name(url)] = outline(nodes)
    return pages


def test_golden_pages(index_site: BuildResult) -> None:
    built = golden_pages(index_site)
    stored = {path.name: path.read_text(encoding="utf-8") for path in GOLDEN.glob("*.html")}
    if UPDATE_GOLDEN:
        GOLDEN.mkdir(exist_ok=True)
        for name in stored.keys() - built.keys():
            (GOLDEN / name).unlink()
        for name, text in built.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
        return
    hint = "If the change is intended: UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_index_pages.py -k golden, then review git diff."
    problems = [f"no golden file for the page: tests/fixtures/golden/{name}" for name in sorted(built.keys() - stored.keys())]
    problems += [f"golden file without a page: tests/fixtures/golden/{name}" for name in sorted(stored.keys() - built.keys())]
    for name in sorted(built.keys() & stored.keys()):
        if built[name] != stored[name]:
            diff = difflib.unified_diff(stored[name].splitlines(), built[name].splitlines(), f"golden/{name}", f"built/{name}", lineterm="", n=2)
            problems.append("\n".join(diff))
    if problems:
        pytest.fail(hint + "\n\n" + "\n\n".join(problems), pytrace=False)


def test_golden_files_cover_every_index_page_and_drucksache() -> None:
    names = {path.name for path in GOLDEN.glob("*.html")}
    expected = {golden_name(url) for url in expected_listings()}
    expected |= {golden_name(doc_url(reference)) for reference in DOCS}
    expected |= {golden_name(url) for url in ("", "gremien/", "fraktionen/", "themen/", "jahre/", "wahlperioden/", "offene-anfragen/", "suche/")}
    # The legal pages: their text is in templates that read extra: in mkdocs.yml, so a changed value shows here.
    expected |= {golden_name(url) for url in ("barrierefreiheit/", "leichte-sprache/", "gebaerdensprache/", "impressum/", "datenschutz/")}
    assert names == expected


def test_outline_shows_markup_in_text_as_text() -> None:
    """The golden form keeps escaping visible: a double-escaped "&amp;amp;" or a raw tag from a value would show."""
    root = parse_html('<article><p>A &amp; B &lt;i&gt; &amp;amp; <a href="x?a=1&amp;b=2">„Z“</a></p><ul>\n<li> eins\n </li></ul></article>')
    assert outline(root.find("article").children) == '<p>A &amp; B &lt;i&gt; &amp;amp; <a href="x?a=1&amp;b=2">„Z“</a></p>\n<ul>\n  <li>eins</li>\n</ul>\n'


# --- listings -------------------------------------------------------------------------------------------------


def test_every_register_entry_year_and_term_has_a_page(index_site: BuildResult) -> None:
    built = {relative.removesuffix("index.html") for relative, _ in html_pages(index_site) if relative.split("/")[0] in INDEX_DIRS}
    expected = set(expected_listings()) | {"gremien/", "fraktionen/", "themen/", "jahre/", "wahlperioden/", "offene-anfragen/"}
    assert built == expected


@pytest.mark.parametrize("url", sorted(expected_listings()))
def test_listing_rows_are_complete_and_newest_first(index_site: BuildResult, url: str) -> None:
    """Nummer, Datum (German), Art, Titel and the answer status of every document, newest first, grouped by year
    (a year page is one year: no year headings)."""
    year_page = re.fullmatch(r"jahre/(\d{4})/", url)
    groups = [(year_page.group(1), sections(index_site, url)[""])] if year_page else year_groups(index_site, url)
    expected = [expected_row(reference) for reference in expected_listings()[url]]
    assert [row for _, rows in groups for row in rows] == expected
    assert [year for year, _ in groups] == list(dict.fromkeys(row.date_iso[:4] for row in expected))
    for year, rows in groups:
        assert all(row.date_iso.startswith(year) for row in rows)


def test_inquiry_rows_say_whether_and_when_they_were_answered(index_site: BuildResult) -> None:
    rows = {row.reference: row for _, group in year_groups(index_site, "fraktionen/fraktion-nord/") for row in group}
    answered = rows["89/1"]  # asked in 2024, answered in 2025
    assert answered.status == "Beantwortet am 8. Januar 2025 (nach 49 Tagen)"
    assert answered.status_target == "drucksachen/89-1-1/index.html"
    assert not answered.is_open
    assert (rows["89/1-1"].status, rows["89/1-1"].is_open) == ("Antwort nach 49 Tagen", False)
    assert (rows["89/3"].status, rows["89/3"].status_target, rows["89/3"].is_open) == ("Offen seit 108 Tagen", None, True)


@pytest.mark.parametrize("url", sorted(MEDIANS))
def test_median_answer_time_on_entry_pages(index_site: BuildResult, url: str) -> None:
    figures = definitions(article(page(index_site, url)))
    assert figures["Antwortzeit (Median)"].text() == MEDIANS[url]
    assert figures["Drucksachen"].text() == str(len(expected_listings()[url]))


def test_entry_pages_list_their_open_inquiries_with_their_age(index_site: BuildResult) -> None:
    for url, expected in (("fraktionen/fraktion-nord/", ["89/3"]), ("fraktionen/fraktion-sued/", ["89/6"]), ("gremien/testrat/", [])):
        open_rows = sections(index_site, url).get("offene-anfragen", [])
        assert [row.reference for row in open_rows] == expected
        assert all(row.is_open and row.status == STATUS[row.reference][0] for row in open_rows)
        assert definitions(article(page(index_site, url)))["Offene Anfragen"].text() == str(len(expected))


@pytest.mark.parametrize("url", EMPTY_ENTRIES)
def test_an_entry_without_documents_gets_a_page_that_says_so(index_site: BuildResult, url: str) -> None:
    content = article(page(index_site, url))
    kind, key = url.strip("/").split("/")
    assert content.find("h1").text() == REGISTERS[kind][key]
    assert re.search(r"noch keine (Drucksache|Anfrage).*veröffentlicht", content.text())
    assert not content.find_all("li", cls="rd-eintrag")
    assert "Antwortzeit (Median)" not in definitions(content)
    overview = {link.text(): link.parent for link in article(page(index_site, f"{kind}/")).find_all("a")}
    assert "0 Drucksachen" in overview[REGISTERS[kind][key]].text()


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_overview_pages_list_every_entry_with_its_count(index_site: BuildResult, kind: str) -> None:
    url = f"{kind}/"
    items = article(page(index_site, url)).find("ul", cls="rd-uebersicht").find_all("li")
    shown = []
    for item in items:
        link = item.find("a")
        key = target_of(index_site, url, link).split("/")[1]
        count = len(expected_listings()[f"{kind}/{key}/"])
        shown.append((link.text(), key, item.find("span", cls="rd-anzahl").text()))
        if key in SHORT_NAMES:
            assert f"({SHORT_NAMES[key]})" in item.text()
        assert item.find("span", cls="rd-anzahl").text() == ("1 Drucksache" if count == 1 else f"{count} Drucksachen")
    expected = sorted(REGISTERS[kind].items(), key=lambda item: item[1].casefold())
    assert [(name, key) for name, key, _ in shown] == [(name, key) for key, name in expected]


def test_years_and_terms_overviews(index_site: BuildResult) -> None:
    years = article(page(index_site, "jahre/")).find("ul", cls="rd-uebersicht").find_all("li")
    assert [item.text() for item in years] == ["2025 8 Drucksachen", "2024 1 Drucksache", "2023 1 Drucksache"]
    terms = article(page(index_site, "wahlperioden/")).find("ul", cls="rd-uebersicht").find_all("li")
    assert [item.text() for item in terms] == ["89. Wahlperiode 9 Drucksachen", "88. Wahlperiode 1 Drucksache"]
    assert [target_of(index_site, "wahlperioden/", item.find("a")) for item in terms] == ["wahlperioden/89/index.html", "wahlperioden/88/index.html"]
    assert page(index_site, "wahlperioden/88/").find("h1").text() == "Drucksachen der 88. Wahlperiode"


def test_open_inquiries_page_lists_the_newest_first_with_their_age(index_site: BuildResult) -> None:
    rows = sections(index_site, "offene-anfragen/")["jahr-2025"]
    assert rows == [expected_row("89/6"), expected_row("89/3")]
    assert "2 offene Anfragen, die neueste zuerst." in article(page(index_site, "offene-anfragen/")).text()


def test_start_page(index_site: BuildResult) -> None:
    content = article(page(index_site, ""))
    assert content.find("h1").text() == "Drucksachen des Ruhrparlaments"
    assert "Für wen ist dieses Angebot?" in [heading.text() for heading in content.find_all("h2")]
    latest = sections(index_site, "")["neueste-antworten"]
    assert latest == [expected_row(reference) for reference in ("89/2-2", "89/2-1", "89/1-1")]
    entry_points = content.find("ul", cls="rd-einstiege").find_all("a")
    assert [(link.text(), target_of(index_site, "", link)) for link in entry_points] == [
        ("Gremien", "gremien/index.html"),
        ("Fraktionen", "fraktionen/index.html"),
        ("Themen", "themen/index.html"),
        ("Jahre", "jahre/index.html"),
        ("Wahlperioden", "wahlperioden/index.html"),
        ("Offene Anfragen", "offene-anfragen/index.html"),
    ]
    totals = {label: dd.text() for label, dd in definitions(content.find("dl", cls="rd-kennzahlen")).items()}
    assert totals == {"Drucksachen": "10", "Antworten der Verwaltung": "3", "Anfragen der Fraktionen": "4", "Offene Anfragen": "2"}


# --- Drucksache pages ------------------------------------------------------------------------------------------


def test_inquiry_and_answers_link_each_other_and_show_the_answer_time(index_site: BuildResult) -> None:
    inquiry = document_meta(index_site, "89/2")
    assert linked_numbers(index_site, doc_url("89/2"), inquiry["Beantwortet durch"]) == [
        ("89/2-1", "drucksachen/89-2-1/index.html"),
        ("89/2-2", "drucksachen/89-2-2/index.html"),
    ]
    assert inquiry["Antwortzeit"].text() == "Beantwortet am 5. März 2025, nach 30 Tagen"
    for answer, days in (("89/2-1", 30), ("89/2-2", 70)):
        meta = document_meta(index_site, answer)
        assert linked_numbers(index_site, doc_url(answer), meta["Antwort auf"]) == [("89/2", "drucksachen/89-2/index.html")]
        assert meta["Antwortzeit"].text() == f"Beantwortet nach {days} Tagen (Anfrage vom 3. Februar 2025)"
    # Asked in 2024, answered in 2025.
    assert document_meta(index_site, "89/1")["Antwortzeit"].text() == "Beantwortet am 8. Januar 2025, nach 49 Tagen"
    assert document_meta(index_site, "89/1-1")["Antwortzeit"].text() == "Beantwortet nach 49 Tagen (Anfrage vom 20. November 2024)"
    assert linked_numbers(index_site, doc_url("89/1-1"), document_meta(index_site, "89/1-1")["Antwort auf"]) == [("89/1", "drucksachen/89-1/index.html")]


@pytest.mark.parametrize("reference", ["89/3", "89/6"])
def test_open_inquiry_page_shows_its_age(index_site: BuildResult, reference: str) -> None:
    meta = document_meta(index_site, reference)
    days = STATUS[reference][0].removeprefix("Offen seit ")
    assert meta["Antwortzeit"].text() == f"Noch keine Antwort veröffentlicht (offen seit {days})"
    assert "Beantwortet durch" not in meta


@pytest.mark.parametrize("reference", sorted(DOCS))
def test_erwaehnt_in_lists_the_referencing_documents(index_site: BuildResult, reference: str) -> None:
    content = article(page(index_site, doc_url(reference)))
    headings = content.find_all("h2", id="erwaehnt-in")
    expected = MENTIONED_IN.get(reference, [])
    if not expected:
        assert not headings
        return
    assert [heading.text() for heading in headings] == ["Erwähnt in"]
    listing = content.find("ul", cls="rd-liste--abstand")
    assert linked_numbers(index_site, doc_url(reference), listing) == [(other, index_of(doc_url(other))) for other in expected]
    assert [item.text() for item in listing.find_all("li")] == [f"Drucksache {other} – {DOCS[other].title}" for other in expected]


def test_references_in_the_text_link_to_published_documents_only(index_site: BuildResult) -> None:
    text = article(page(index_site, doc_url("89/4"))).find("div", cls="rd-text")
    links = text.find_all("a")
    assert [(link.text(), target_of(index_site, doc_url("89/4"), link)) for link in links] == [(reference, index_of(doc_url(reference))) for reference in TEXT_LINKS_89_4]
    assert "Eine Drucksache 89/999 gibt es in diesem Testbestand nicht." in text.text()
    assert "(Stand 12/2024)" in text.text()
    for relative, path in html_pages(index_site):
        raw = path.read_text(encoding="utf-8")
        assert "89-999" not in raw and "88-999" not in raw, relative


def test_bezuege_link_published_documents_and_name_missing_ones(index_site: BuildResult) -> None:
    related = document_meta(index_site, "89/4")["Bezüge"]
    assert linked_numbers(index_site, doc_url("89/4"), related) == [("89/1-1", "drucksachen/89-1-1/index.html")]
    assert "Drucksache 88/999 (nicht in diesem Angebot veröffentlicht)" in related.text()


@pytest.mark.parametrize("reference", sorted(DOCS))
def test_breadcrumbs_on_drucksache_pages(index_site: BuildResult, reference: str) -> None:
    url = doc_url(reference)
    trail = article(page(index_site, url)).find("nav", cls="rd-brotkrumen")
    items = trail.find("ol").find_all("li")
    year = DOCS[reference].year
    assert [item.text() for item in items] == ["Start", "Jahre", year, f"Drucksache {reference}"]
    assert [target_of(index_site, url, item.find("a")) for item in items[:-1]] == ["index.html", "jahre/index.html", f"jahre/{year}/index.html"]
    assert items[-1].find("span").attrs.get("aria-current") == "page"
    assert not items[-1].find_all("a")


@pytest.mark.parametrize("reference", sorted(DOCS))
def test_metadata_links_to_the_index_pages(index_site: BuildResult, reference: str) -> None:
    doc = DOCS[reference]
    url = doc_url(reference)
    meta = document_meta(index_site, reference)
    assert meta["Datum der Drucksache"].text() == doc.date
    assert meta["Art"].text() == doc.paper_type
    year_and_term = [(link.text(), target_of(index_site, url, link)) for link in meta["Jahrgang und Wahlperiode"].find_all("a")]
    assert year_and_term == [(f"Drucksachen aus {doc.year}", f"jahre/{doc.year}/index.html"), (f"{doc.term}. Wahlperiode", f"wahlperioden/{doc.term}/index.html")]
    faction = [(dd.text(), [target_of(index_site, url, link) for link in dd.find_all("a")]) for label, dd in meta.items() if label.endswith("Fraktion")]
    if doc.faction:
        assert faction == [(REGISTERS["fraktionen"][doc.faction], [f"fraktionen/{doc.faction}/index.html"])]
    else:
        assert faction == []
    if doc.topics:
        assert [(link.text(), target_of(index_site, url, link)) for link in meta["Themen"].find_all("a")] == [
            (REGISTERS["themen"][topic], f"themen/{topic}/index.html") for topic in doc.topics
        ]
    table = article(page(index_site, url)).find_all("table")
    committees = [(link.text(), target_of(index_site, url, link)) for link in table[0].find("tbody").find_all("a")] if table else []
    assert committees == [(REGISTERS["gremien"][key], f"gremien/{key}/index.html") for key in doc.committees]


def test_redirect_page_forwards_to_the_new_address(index_site: BuildResult) -> None:
    old, new = REDIRECT
    path = index_site.page(old)
    assert path.is_file()
    root = parsed(path)
    refresh = next(meta for meta in root.find_all("meta") if meta.attrs.get("http-equiv") == "refresh")
    match = re.fullmatch(r"0; url=(.+)", refresh.attrs["content"])
    assert match
    for href in (match.group(1), root.find("link").attrs["href"], root.find("a").attrs["href"]):
        target, _ = resolve_internal(index_site.site, path, href)
        assert target == index_site.page(new)
    assert root.find("html").attrs.get("lang") == "de"
    assert "Diese Seite ist umgezogen" in root.find("body").text()


# --- the whole site ---------------------------------------------------------------------------------------------


def test_top_navigation_on_every_page(index_site: BuildResult) -> None:
    problems = []
    for relative, path in html_pages(index_site):
        if is_redirect(path):
            continue
        root = parsed(path)
        tabs = root.find("nav", cls="md-tabs").find_all("a", cls="md-tabs__link")
        primary = root.find("nav", cls="md-nav--primary").find("ul", cls="md-nav__list")
        entries = [item.find("a") for item in primary.children if isinstance(item, Element) and item.tag == "li"]
        for name, links in (("tabs", tabs), ("navigation", entries)):
            labels = [link.text() for link in links]
            if labels != TOP_NAVIGATION:
                problems.append(f"{relative}: {name} {labels}")
                continue
            targets = [resolve_internal(index_site.site, path, link.attrs["href"])[0] for link in links]
            if targets != [index_site.site / target for target in TOP_NAVIGATION_TARGETS]:
                problems.append(f"{relative}: {name} leads to {targets}")
    assert not problems, first_problem(problems)


def test_every_internal_link_resolves(index_site: BuildResult) -> None:
    """The strict build has checked this already (linkcheck); checked again independently of it."""
    problems = []
    for relative, path in html_pages(index_site):
        root = parsed(path)
        for ref in references(index_site.site, path, root):
            if is_external(ref.value):
                continue
            target, fragment = resolve_internal(index_site.site, path, ref.value)
            if not target.is_file():
                problems.append(f"{relative}: {ref.value!r} -> missing")
            elif fragment and target.suffix == ".html" and fragment not in ids_of(parsed(target)):
                problems.append(f"{relative}: {ref.value!r} -> no id {fragment!r}")
    assert not problems, first_problem(problems)


# --- stability: renaming a display name changes no URL -----------------------------------------------------------


def site_files(result: BuildResult) -> set[str]:
    """Every published file, except the search bundle: its chunk names are content hashes, not URLs."""
    return {
        path.relative_to(result.site).as_posix()
        for path in result.site.rglob("*")
        if path.is_file() and path.relative_to(result.site).parts[0] != "pagefind"
    }


def renamed_pairs() -> list[tuple[str, str]]:
    """(new, old) display values, escaped as in HTML and as in the pages' JSON-LD."""
    pairs = [(name + RENAMED_SUFFIX, name) for names in REGISTERS.values() for name in names.values()]
    pairs += [(RENAMED_SHORT_PREFIX + short, short) for short in SHORT_NAMES.values()]
    escaped = [(html.escape(new), html.escape(old)) for new, old in pairs]
    return escaped + [(script_json(new)[1:-1], script_json(old)[1:-1]) for new, old in pairs]


def test_renaming_register_entries_changes_no_url(index_site: BuildResult, renamed_site: BuildResult) -> None:
    assert site_files(renamed_site) == site_files(index_site)


def test_renaming_register_entries_changes_only_the_names(index_site: BuildResult, renamed_site: BuildResult) -> None:
    for kind, names in REGISTERS.items():
        for key, name in names.items():
            assert page(renamed_site, f"{kind}/{key}/").find("h1").text() == name + RENAMED_SUFFIX
            assert page(index_site, f"{kind}/{key}/").find("h1").text() == name
    differing = []
    for relative, path in html_pages(renamed_site):
        text = path.read_text(encoding="utf-8")
        for new, old in renamed_pairs():
            text = text.replace(new, old)
        if text != (index_site.site / relative).read_text(encoding="utf-8"):
            differing.append(relative)
    assert not differing, "pages that differ in more than the renamed names:\n" + first_problem(differing)


# --- size: 3,000 Drucksachen in one committee ------------------------------------------------------------------------


def test_large_corpus_has_one_committee_with_every_document(large_site: BuildResult) -> None:
    url = f"gremien/{LARGE_CORPUS_COMMITTEE}/"
    content = article(page(large_site, url))
    assert definitions(content)["Drucksachen"].text() == "3.000"  # LARGE_CORPUS_SIZE, thousands grouped
    # Too many for one page: the newest ones, then a page per year, each split into pages of at most 100 rows.
    years = content.find("ul", cls="rd-uebersicht").find_all("a")
    listed = 0
    for link in years:
        first = target_of(large_site, url, link).removesuffix("index.html")
        pages = [first, *(f"{first}seite-{n}/" for n in range(2, 100) if large_site.page(f"{first}seite-{n}/").is_file())]
        for year_page in pages:
            rows = [row for _, group in year_groups(large_site, year_page) for row in group]
            assert 0 < len(rows) <= 100
            assert all(row.date_iso.startswith(link.text()) for row in rows)
            assert [row.date_iso for row in rows] == sorted((row.date_iso for row in rows), reverse=True)
            listed += len(rows)
    assert listed == LARGE_CORPUS_SIZE


def test_large_corpus_counts_group_thousands_as_german_readers_expect(large_site: BuildResult) -> None:
    """"3.000 Drucksachen", not "3000 Drucksachen": on the start page, the committee's overview entry and page, the
    search page's hint, and the descriptions for search engines."""
    start_totals = definitions(article(page(large_site, "")).find("dl", cls="rd-kennzahlen"))
    assert start_totals["Drucksachen"].text() == "3.000"
    overview = article(page(large_site, "gremien/"))
    entry = next(item for item in overview.find_all("li") if any(link.attrs.get("href", "").rstrip("/").endswith(LARGE_CORPUS_COMMITTEE) for link in item.find_all("a")))
    assert entry.find("span", cls="rd-anzahl").text() == "3.000 Drucksachen"
    committee_page = page(large_site, f"gremien/{LARGE_CORPUS_COMMITTEE}/")
    description = next(meta.attrs["content"] for meta in committee_page.find_all("meta") if meta.attrs.get("name") == "description")
    assert ": 3.000 Drucksachen, die neuesten zuerst" in description
    hint = article(page(large_site, "suche/")).find("p", id="rd-suche-hinweis")
    assert hint.text().startswith("Durchsucht den vollständigen Text aller 3.000 Drucksachen.")


def test_large_corpus_index_pages_stay_small(large_site: BuildResult) -> None:
    candidates = [large_site.site / "index.html"]
    for folder in INDEX_DIRS:
        candidates += sorted((large_site.site / folder).rglob("*.html"))
    assert len(candidates) > 100
    too_big = [f"{path.relative_to(large_site.site)}: {path.stat().st_size} bytes" for path in candidates if path.stat().st_size > MAX_INDEX_PAGE_BYTES]
    assert not too_big, first_problem(too_big)
    assert max(path.stat().st_size for path in (large_site.site / "gremien" / LARGE_CORPUS_COMMITTEE).rglob("*.html")) <= MAX_INDEX_PAGE_BYTES


def test_large_corpus_drucksache_pages_stay_small(large_site: BuildResult) -> None:
    """At most 40 KB of HTML each, with texts as long as real answers: nothing that grows with the archive
    (navigation, "Erwähnt in", listings) may make a Drucksache page big."""
    pages = sorted((large_site.site / "drucksachen").glob("*/index.html"))
    assert len(pages) == LARGE_CORPUS_SIZE
    too_big = [f"{path.relative_to(large_site.site)}: {path.stat().st_size} bytes" for path in pages if path.stat().st_size > MAX_DRUCKSACHE_PAGE_BYTES]
    assert not too_big, first_problem(too_big)


# --- strict builds that must fail ---------------------------------------------------------------------------------------


def copy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(INDEX_CORPUS, corpus)
    return corpus


def test_redirect_to_a_missing_page_fails_the_strict_build(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    redirects = corpus / "umleitungen.yml"
    redirects.write_text(redirects.read_text(encoding="utf-8").replace("neu: drucksachen/89-2/", "neu: drucksachen/89-77/"), encoding="utf-8")
    result = build(tmp_path / "site", corpus)
    assert result.returncode != 0
    assert re.search(r"umleitungen\.yml:\d+: neu: „drucksachen/89-77/“ ist keine Seite dieser Website", result.log), result.log
    assert "nichts veröffentlicht" in result.log
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())


def test_a_broken_internal_link_fails_the_strict_build(tmp_path: Path) -> None:
    """A link MkDocs itself never sees (inside a Drucksache's text) is found by the link check after the build."""
    corpus = copy_corpus(tmp_path)
    document = corpus / "89" / "89-5.md"
    document.write_text(document.read_text(encoding="utf-8") + "\nSiehe auch [die alte Seite](../89-77/).\n", encoding="utf-8")
    result = build(tmp_path / "site", corpus)
    assert result.returncode != 0
    assert "drucksachen/89-5/index.html: Verweis auf '../89-77/' führt ins Leere" in result.log, result.log
    assert re.search(r"Aborted with \d+ warnings? in strict mode", result.log), result.log
    relaxed = build(tmp_path / "site-relaxed", corpus, strict=False)
    assert relaxed.returncode == 0, relaxed.log
    assert "führt ins Leere" in relaxed.log


# --- make build -------------------------------------------------------------------------------------------------------


def test_make_build_builds_the_corpus_named_by_drucksachen_dir(tmp_path: Path, index_site: BuildResult) -> None:
    """``make build DRUCKSACHEN_DIR=…`` in a copy of the repository (so a developer's site/ stays untouched)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("Makefile", "mkdocs.yml", "requirements.txt", "requirements-dev.txt"):
        shutil.copy2(REPO / name, copy / name)
    for name in ("hooks", "overrides", "docs"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    env = {key: value for key, value in os.environ.items() if key != "DRUCKSACHEN_DIR"}
    env["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    ready = subprocess.run(["make", "-q", "-C", str(copy), ".venv/.installed"], env=env, capture_output=True, check=False)
    if ready.returncode != 0:
        pytest.skip("the repository's .venv is not installed by make (make would install it)")
    completed = subprocess.run(["make", "-C", str(copy), "build", f"DRUCKSACHEN_DIR={INDEX_CORPUS}"], env=env, capture_output=True, text=True, timeout=600, check=False)
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    assert "mkdocs build --strict" in log
    site = copy / "site"
    # The copy has no drucksachen/ folder: only the corpus named by DRUCKSACHEN_DIR can have been built.
    assert sorted(path.name for path in (site / "drucksachen").iterdir()) == sorted([doc.slug for doc in DOCS.values()] + ["89-20"])
    made = BuildResult(site, completed.returncode, log)
    for url in ("gremien/pruefausschuss/", "offene-anfragen/", doc_url("89/4")):
        assert outline(article(parse_file(made.page(url))).children) == outline(article(page(index_site, url)).children)
