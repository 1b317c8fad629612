"""Atom feeds (/feeds/…): the pure module on hand-made catalogs, then a strict build of the index corpus read with feedparser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from build_support import BuildResult, parse_file, resolve_internal, run_mkdocs_build
from ratsdok.catalog import Catalog, build_catalog
from ratsdok.feeds import (
    ALL_FEED_URL,
    ATOM_NS,
    FEED_SIZE,
    Feed,
    FeedConfigError,
    RenderedFeeds,
    check_feed_config,
    entry_id,
    feed_links,
    feed_url,
    plan_feeds,
    render_feed,
)
from ratsdok.load import Corpus
from ratsdok.model import Consultation, Drucksache, PaperType, RegisterEntry, RegisterKind, Registers, sort_key_newest_first
from ratsdok.render import RenderedBody

BASE = "https://drucksachen.example.org/archiv/"
AUTHORITY = "rvr.ruhr,2025"
SITE_NAME = "Drucksachen des Ruhrparlaments"
HOSTILE = 'Ärger & <b>"fett"</b> \'x\' ]]> <script>alert(1)</script>\x00\x1b'
A = "{" + ATOM_NS + "}"
SUBSCRIBE_TEXT = "Neue Drucksachen als Feed abonnieren"


def register(*entries: tuple[str, str]) -> dict[str, RegisterEntry]:
    return {key: RegisterEntry(key, name, name, (), None, None) for key, name in entries}


REGISTERS = Registers(
    committees=register(("ausschuss-a", HOSTILE), ("ausschuss-leer", "Leerer Ausschuss")),
    factions=register(("alpha", "Fraktion Alpha")),
    topics=register(("thema-a", "Thema A & B")),
)


def doc(reference: str, date: dt.date, *, title: str = "Titel", subject: str = "Betreff", issuer: str = "Der Regionaldirektor") -> Drucksache:
    return Drucksache(
        reference=reference, paper_type=PaperType.INQUIRY, title=title, subject=subject, date=date, issuer=issuer, faction="alpha", answers=None,
        consultations=(Consultation("ausschuss-a", "zur Kenntnis", None, None),), topics=("thema-a",), responsibility=None,
        file_reference=None, original=None, related=(), body="", body_line=1, source_path=f"{reference}.md",
    )  # fmt: skip


def catalog(documents: list[Drucksache], registers: Registers = REGISTERS) -> Catalog:
    ordered = tuple(sorted(documents, key=sort_key_newest_first))
    corpus = Corpus(Path("."), ordered, registers, (), len(ordered))
    return build_catalog(corpus, lambda _: RenderedBody("", (), (), ()), dt.date(2026, 1, 1))


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode("utf-8"))


def the_feed(cat: Catalog, url: str = ALL_FEED_URL) -> Feed:
    return next(feed for feed in plan_feeds(cat, SITE_NAME) if feed.url == url)


# --- the pure module ---------------------------------------------------------------------------------------


def test_one_feed_for_all_and_one_per_register_entry_with_german_titles() -> None:
    feeds = plan_feeds(catalog([doc("14/1", dt.date(2025, 1, 1))]), SITE_NAME)
    assert [(feed.url, feed.page_url, feed.title) for feed in feeds] == [
        ("feeds/drucksachen.xml", "", SITE_NAME),
        ("feeds/gremien/ausschuss-a.xml", "gremien/ausschuss-a/", f"{SITE_NAME} – Gremium: {HOSTILE}"),
        ("feeds/gremien/ausschuss-leer.xml", "gremien/ausschuss-leer/", f"{SITE_NAME} – Gremium: Leerer Ausschuss"),
        ("feeds/fraktionen/alpha.xml", "fraktionen/alpha/", f"{SITE_NAME} – Fraktion: Fraktion Alpha"),
        ("feeds/themen/thema-a.xml", "themen/thema-a/", f"{SITE_NAME} – Thema: Thema A & B"),
    ]
    assert feed_links(feeds)["fraktionen/alpha/"].url == feed_url(RegisterKind.FACTIONS, "alpha") == "feeds/fraktionen/alpha.xml"


def test_at_most_fifty_entries_newest_first_and_dates_not_build_times() -> None:
    start = dt.date(2020, 1, 1)
    documents = [doc(f"14/{n}", start + dt.timedelta(days=n)) for n in range(1, FEED_SIZE + 21)]
    cat = catalog(documents)
    root = parse(render_feed(the_feed(cat), cat, base_url=BASE, authority=AUTHORITY))
    entries = root.findall(f"{A}entry")
    assert FEED_SIZE == 50
    assert len(entries) == FEED_SIZE
    updated = [entry.findtext(f"{A}updated") for entry in entries]
    expected = [f"{(start + dt.timedelta(days=n)).isoformat()}T00:00:00Z" for n in range(FEED_SIZE + 20, 20, -1)]
    assert updated == expected
    assert root.findtext(f"{A}updated") == expected[0]  # the newest entry, not the build time
    assert [entry.findtext(f"{A}published") for entry in entries] == expected


def test_two_renderings_are_identical_and_ids_survive_renames_and_a_new_host() -> None:
    documents = [doc("14/2048-1", dt.date(2025, 6, 4)), doc("14/2048", dt.date(2025, 5, 1))]
    first = catalog(documents)
    feed = the_feed(first, "feeds/gremien/ausschuss-a.xml")
    xml = render_feed(feed, first, base_url=BASE, authority=AUTHORITY)
    assert xml == render_feed(feed, catalog(documents), base_url=BASE, authority=AUTHORITY)

    renamed_registers = Registers(register(("ausschuss-a", "Neuer Name")), REGISTERS.factions, register(("thema-a", "Umbenannt")))
    renamed_docs = [dataclasses.replace(d, title="Neuer Titel", issuer="Die Regionaldirektorin") for d in documents]
    renamed = catalog(renamed_docs, renamed_registers)
    moved = parse(render_feed(the_feed(renamed, feed.url), renamed, base_url="https://anderswo.example/", authority=AUTHORITY))
    original = parse(xml)

    def ids(root: ET.Element) -> list[str | None]:
        return [root.findtext(f"{A}id"), *(entry.findtext(f"{A}id") for entry in root.findall(f"{A}entry"))]

    assert ids(moved) == ids(original) == [
        "tag:rvr.ruhr,2025:feeds/gremien/ausschuss-a",
        "tag:rvr.ruhr,2025:drucksache/14-2048-1",
        "tag:rvr.ruhr,2025:drucksache/14-2048",
    ]
    assert entry_id(AUTHORITY, documents[0]) == "tag:rvr.ruhr,2025:drucksache/14-2048-1"


def test_hostile_values_are_escaped_and_read_back_as_text() -> None:
    hostile_doc = doc("14/7", dt.date(2025, 2, 3), title=HOSTILE, subject=HOSTILE, issuer=HOSTILE)
    cat = catalog([hostile_doc])
    xml = render_feed(the_feed(cat, "feeds/gremien/ausschuss-a.xml"), cat, base_url=BASE, authority=AUTHORITY)
    assert "<script>" not in xml and "<b>" not in xml and "\x00" not in xml and "\x1b" not in xml
    root = parse(xml)  # well-formed
    readable = HOSTILE.replace("\x00", "").replace("\x1b", "")  # characters XML 1.0 cannot carry are dropped
    assert root.findtext(f"{A}title") == f"{SITE_NAME} – Gremium: {readable}"
    entry = root.find(f"{A}entry")
    assert entry is not None
    assert entry.findtext(f"{A}title") == f"14/7: {readable}"
    assert entry.findtext(f"{A}summary") == readable
    summary = entry.find(f"{A}summary")
    assert summary is not None and summary.get("type") == "text"
    assert entry.findtext(f"{A}author/{A}name") == readable
    assert [(c.get("term"), c.get("label")) for c in entry.findall(f"{A}category")] == [("fraktionsanfrage", "Fraktionsanfrage"), ("thema-a", "Thema A & B")]
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")


def test_links_are_absolute_below_the_base_url() -> None:
    cat = catalog([doc("14/7", dt.date(2025, 2, 3))])
    root = parse(render_feed(the_feed(cat, "feeds/fraktionen/alpha.xml"), cat, base_url=BASE.rstrip("/"), authority=AUTHORITY))
    links = {(link.get("rel"), link.get("type")): link.get("href") for link in root.findall(f"{A}link")}
    assert links == {
        ("self", "application/atom+xml"): "https://drucksachen.example.org/archiv/feeds/fraktionen/alpha.xml",
        ("alternate", "text/html"): "https://drucksachen.example.org/archiv/fraktionen/alpha/",
    }
    entry_link = root.find(f"{A}entry/{A}link")
    assert entry_link is not None
    assert (entry_link.get("rel"), entry_link.get("href")) == ("alternate", "https://drucksachen.example.org/archiv/drucksachen/14-7/")


def test_a_feed_without_entries_is_dated_by_the_newest_document_of_the_site() -> None:
    cat = catalog([doc("14/7", dt.date(2025, 2, 3)), doc("14/8", dt.date(2025, 3, 9))])
    root = parse(render_feed(the_feed(cat, "feeds/gremien/ausschuss-leer.xml"), cat, base_url=BASE, authority=AUTHORITY))
    assert root.findall(f"{A}entry") == []
    assert root.findtext(f"{A}updated") == "2025-03-09T00:00:00Z"
    empty = catalog([])
    root = parse(render_feed(the_feed(empty), empty, base_url=BASE, authority=AUTHORITY))
    assert root.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"


def test_feeds_rendered_again_under_serve_equal_fresh_ones_after_each_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs serve takes a feed from the last build while all it shows is the same (RenderedFeeds)."""
    documents = [doc("14/7", dt.date(2025, 2, 3)), doc("14/8", dt.date(2025, 3, 9))]
    renamed_topics = Registers(REGISTERS.committees, REGISTERS.factions, register(("thema-a", "Umbenannt")))
    changes = {
        "nothing": catalog(documents),
        "a title": catalog([documents[0], dataclasses.replace(documents[1], title="Neuer Titel")]),
        "a text only": catalog([documents[0], dataclasses.replace(documents[1], body="Neuer Text")]),
        "a new Drucksache": catalog([*documents, doc("14/9", dt.date(2025, 4, 1))]),
        "a topic's name": catalog(documents, renamed_topics),
    }
    rendered = RenderedFeeds()
    first = catalog(documents)
    for feed in plan_feeds(first, SITE_NAME):
        rendered.render(feed, first, base_url=BASE, authority=AUTHORITY)
    for change, changed in changes.items():
        for feed in plan_feeds(changed, SITE_NAME):
            assert rendered.render(feed, changed, base_url=BASE, authority=AUTHORITY) == render_feed(feed, changed, base_url=BASE, authority=AUTHORITY), change
    # Where nothing a feed shows changed, it is not rendered again.
    monkeypatch.setattr("ratsdok.feeds.render_feed", lambda *args, **kwargs: pytest.fail("rendered again"))
    last = changes["a topic's name"]
    for feed in plan_feeds(last, SITE_NAME):
        rendered.render(feed, last, base_url=BASE, authority=AUTHORITY)
    monkeypatch.undo()
    assert "https://anderswo.example/" in rendered.render(feed, last, base_url="https://anderswo.example/", authority=AUTHORITY)


@pytest.mark.parametrize(
    ("base_url", "authority"),
    [("", AUTHORITY), ("/archiv/", AUTHORITY), ("ftp://example.org/", AUTHORITY), (BASE, ""), (BASE, "rvr.ruhr"), (BASE, "rvr.ruhr,25"), (BASE, "x y,2025")],
)
def test_unusable_configuration_is_rejected(base_url: str, authority: str) -> None:
    with pytest.raises(FeedConfigError):
        check_feed_config(base_url, authority)


# --- the built site ----------------------------------------------------------------------------------------

INDEX_CORPUS = Path(__file__).resolve().parent / "fixtures" / "index_corpus"
SITE_URL = "https://drucksachen.example.org/archiv/"
EXPECTED = {  # feed -> document slugs, newest first (tests/fixtures/index_corpus)
    "feeds/drucksachen.xml": ["89-6", "89-3", "89-5", "89-4", "89-2-2", "89-2-1", "89-2", "89-1-1", "89-1", "88-7"],
    "feeds/gremien/testrat.xml": None,
    "feeds/gremien/pruefausschuss.xml": None,
    "feeds/gremien/ruhender-ausschuss.xml": [],
    "feeds/fraktionen/fraktion-nord.xml": None,
    "feeds/fraktionen/fraktion-sued.xml": None,
    "feeds/themen/umwelt.xml": None,
    "feeds/themen/verkehr.xml": None,
    "feeds/themen/archiv.xml": [],
}


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_URL)
        result = run_mkdocs_build(tmp_path_factory.mktemp("feed-site") / "site", corpus=INDEX_CORPUS)
    assert result.returncode == 0, result.log
    return result


def built_file(site: Path, url: str) -> Path:
    """An absolute URL of the site -> the file in the site directory."""
    assert url.startswith(SITE_URL), url
    path = url.removeprefix(SITE_URL)
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def test_every_feed_parses_without_errors_and_lists_its_documents(feed_site: BuildResult) -> None:
    feeds = sorted(path.relative_to(feed_site.site).as_posix() for path in (feed_site.site / "feeds").rglob("*.xml") if path.name != "sitemap.xml")
    assert feeds == sorted(EXPECTED)
    all_slugs = EXPECTED["feeds/drucksachen.xml"]
    for name in feeds:
        parsed = feedparser.parse((feed_site.site / name).read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", name
        assert parsed.feed.title.startswith(SITE_NAME), name
        slugs = [entry.link.removeprefix(f"{SITE_URL}drucksachen/").rstrip("/") for entry in parsed.entries]
        expected = EXPECTED[name]
        assert slugs == (expected if expected is not None else [slug for slug in all_slugs if slug in slugs]), name
        if expected is None:
            assert slugs, f"{name} should list documents"
        assert len({entry.id for entry in parsed.entries}) == len(parsed.entries), name
        for entry in parsed.entries:
            assert entry.id == f"tag:rvr.ruhr,2025:drucksache/{entry.link.removeprefix(f'{SITE_URL}drucksachen/').rstrip('/')}"
            assert entry.summary and entry.author and entry.title
            assert built_file(feed_site.site, entry.link).is_file(), entry.link
        page = next(link.href for link in parsed.feed.links if link.rel == "alternate")
        assert built_file(feed_site.site, page).is_file(), page
        self_link = next(link.href for link in parsed.feed.links if link.rel == "self")
        assert built_file(feed_site.site, self_link) == feed_site.site / name


def test_feeds_of_two_builds_are_identical(feed_site: BuildResult, tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_URL)
        patch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # another "today": must not matter
        again = run_mkdocs_build(tmp_path / "site", corpus=INDEX_CORPUS)
    assert again.returncode == 0, again.log
    for name in EXPECTED:
        assert (again.site / name).read_bytes() == (feed_site.site / name).read_bytes(), name


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("", "feeds/drucksachen.xml"),
        ("gremien/pruefausschuss/", "feeds/gremien/pruefausschuss.xml"),
        ("gremien/ruhender-ausschuss/", "feeds/gremien/ruhender-ausschuss.xml"),
        ("fraktionen/fraktion-nord/", "feeds/fraktionen/fraktion-nord.xml"),
        ("themen/umwelt/", "feeds/themen/umwelt.xml"),
    ],
)
def test_pages_announce_their_feed(feed_site: BuildResult, url: str, feed: str) -> None:
    page = feed_site.page(url)
    root = parse_file(page)
    announced = [link for link in root.find("head").find_all("link") if link.attrs.get("rel") == "alternate" and link.attrs.get("type") == "application/atom+xml"]
    assert len(announced) == 1, url
    assert announced[0].attrs["title"].startswith(SITE_NAME)
    target, _ = resolve_internal(feed_site.site, page, announced[0].attrs["href"])
    assert target == feed_site.site / feed
    visible = [a for a in root.find("body").find_all("a") if a.text() == SUBSCRIBE_TEXT]
    if url:  # committee, faction and topic pages also show a link
        assert len(visible) == 1
        assert resolve_internal(feed_site.site, page, visible[0].attrs["href"])[0] == feed_site.site / feed


def test_an_empty_sitemap_beside_the_feeds_answers_materials_request(feed_site: BuildResult) -> None:
    """Material fetches sitemap.xml beside every <link rel="alternate">; it must find one, not a 404."""
    for folder in ("feeds", "feeds/gremien", "feeds/fraktionen", "feeds/themen"):
        root = ET.fromstring((feed_site.site / folder / "sitemap.xml").read_bytes())
        assert (root.tag, list(root)) == ("{http://www.sitemaps.org/schemas/sitemap/0.9}urlset", [])


def test_the_feed_title_in_the_head_is_escaped(feed_site: BuildResult) -> None:
    html = feed_site.page("gremien/pruefausschuss/").read_text(encoding="utf-8")
    assert 'title="Drucksachen des Ruhrparlaments – Gremium: Ausschuss für Prüfwesen &amp; Übungen"' in html


@pytest.mark.parametrize("url", ["jahre/", "drucksachen/89-1/", "suche/", "gremien/"])
def test_other_pages_announce_no_feed(feed_site: BuildResult, url: str) -> None:
    assert "application/atom+xml" not in feed_site.page(url).read_text(encoding="utf-8")
