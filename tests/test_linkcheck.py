"""The post-build link check on a tiny hand-made site: exactly which links are reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ratsdok.linkcheck import BrokenLink, find_broken_links, page_links, site_files


def page(*links: str, ids: tuple[str, ...] = ()) -> str:
    anchors = "\n".join(f'<h2 id="{anchor}">Abschnitt</h2>' for anchor in ids)
    return f"<!doctype html>\n<html><head><title>t</title></head><body>\n{anchors}\n" + "\n".join(links) + "\n</body></html>\n"


SITE: dict[str, str] = {
    "index.html": page(
        '<a href="seite.html">vorhanden</a>',
        '<a href="fehlt.html">fehlt</a>',
        '<a href="unter/">Verzeichnis mit index.html</a>',
        '<a href="leer/">Verzeichnis ohne index.html</a>',
        # Decided: a directory without the trailing slash is broken. MkDocs writes every directory URL
        # with a slash; without it the link works only where the server redirects, and relative links
        # on the target page would then resolve against the wrong directory.
        '<a href="unter">ohne Schrägstrich</a>',
        '<a href="./">diese Seite</a>',
        '<a href="#oben">Anker vorhanden</a>',
        '<a href="#unten">Anker fehlt</a>',
        '<a href="#fr%C3%BCh">Anker mit Umlaut, kodiert</a>',
        '<a href="https://example.org/fehlt.html">extern</a>',
        '<a href="http://example.org/">extern</a>',
        '<script src="//cdn.example.org/fehlt.js"></script>',
        '<a href="mailto:post@example.org">Post</a>',
        '<a href="tel:+492011234">Telefon</a>',
        '<img alt="" src="data:image/png;base64,AAAA">',
        '<script src="assets/app.js"></script>',
        '<img alt="" src="assets/fehlt.png">',
        '<link rel="stylesheet" href="/assets/app.css">',  # root-absolute: relative to the site root
        '<a href="/fehlt/">root-absolut, fehlt</a>',
        # Decided: only same-page anchors are checked; an anchor on another page is not (its path is).
        '<a href="seite.html?x=1#gibt-es-nicht">Abfrage und fremder Anker</a>',
        '<a href="seite%20zwei.html">Leerzeichen, kodiert</a>',
        '<a href="a&amp;b.html">Entity im Attribut</a>',
        "<a href='fehlt-einfach.html'>einfache Anführungszeichen</a>",
        '<a\n   href="fehlt-zeilenumbruch.html">Zeilenumbruch vor dem Attribut</a>',
        '<a href="">leer</a>',
        '<a href="?suche=1">nur Abfrage</a>',
        '<a data-href="fehlt-data.html">kein Verweis</a>',
        '<a href="../ausserhalb.html">über der Wurzel</a>',
        ids=("oben", "früh"),
    ),
    "seite.html": page('<a href="index.html#oben">zurück</a>'),
    "seite zwei.html": page(),
    "a&b.html": page(),
    "ausserhalb.html": page(),  # exists at the root, so "../ausserhalb.html" is not silently clamped to it
    "assets/app.js": "document.write(' href=\"fehlt-im-skript.html\"')",  # not a page: not checked
    "assets/app.css": "body { color: black }",
    "leer/notiz.txt": "kein index",
    "unter/index.html": page(
        '<a href="../">Start</a>',
        '<a href="..">Start ohne Schrägstrich</a>',
        '<a href="../seite.html">eine Ebene hoch</a>',
        '<a href="seite.html">fehlt hier unten</a>',
        '<a href="../index.html#oben">Anker auf anderer Seite</a>',
        '<a href="#abschnitt">Anker vorhanden</a>',
        '<a href="#oben">Anker nur auf der Startseite</a>',
        '<a href="tief/">tiefer</a>',
        '<a href="/unter/tief/">root-absolut, vorhanden</a>',
        ids=("abschnitt",),
    ),
    "unter/tief/index.html": page('<a href="../../">Start</a>', '<a href="../../fehlt/">fehlt</a>', '<a href="../../../../etc/passwd">ganz draußen</a>'),
}

EXPECTED = [
    BrokenLink("index.html", "fehlt.html"),
    BrokenLink("index.html", "leer/"),
    BrokenLink("index.html", "unter"),
    BrokenLink("index.html", "#unten"),
    BrokenLink("index.html", "assets/fehlt.png"),
    BrokenLink("index.html", "/fehlt/"),
    BrokenLink("index.html", "fehlt-einfach.html"),
    BrokenLink("index.html", "fehlt-zeilenumbruch.html"),
    BrokenLink("index.html", "../ausserhalb.html"),
    BrokenLink("unter/index.html", "seite.html"),
    BrokenLink("unter/index.html", "#oben"),
    BrokenLink("unter/tief/index.html", "../../fehlt/"),
    BrokenLink("unter/tief/index.html", "../../../../etc/passwd"),
]


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    return root


def test_exactly_the_broken_links_are_reported(tmp_path: Path) -> None:
    assert find_broken_links(write_site(tmp_path / "site", SITE)) == EXPECTED


def test_links_read_during_the_build_count_as_read_from_the_files(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SITE)
    checked = {name: page_links(name, text) for name, text in SITE.items() if name.endswith(".html")}
    for name in checked:
        (site / name).write_text("<p>not read again</p>", "utf-8")
    assert find_broken_links(site, checked=checked) == EXPECTED
    # A page that is no longer in the site is not reported, whatever was read of it.
    assert find_broken_links(site, checked={**checked, "weg.html": page_links("weg.html", '<a href="fehlt/">x</a>')}) == EXPECTED


def test_a_site_without_broken_links(tmp_path: Path) -> None:
    files = {"index.html": page('<a href="unter/">u</a>', '<a href="#a">a</a>', ids=("a",)), "unter/index.html": page('<a href="../">s</a>')}
    assert find_broken_links(write_site(tmp_path / "site", files)) == []
    assert find_broken_links(write_site(tmp_path / "leer", {})) == []


@pytest.mark.parametrize("missing", ["seite.html", "unter/index.html", "assets/app.js", "assets/app.css", "seite zwei.html", "a&b.html"])
def test_removing_a_target_breaks_the_links_to_it(tmp_path: Path, missing: str) -> None:
    site = write_site(tmp_path / "site", {name: content for name, content in SITE.items() if name != missing})
    new = sorted(set(find_broken_links(site)) - set(EXPECTED))
    assert new, f"no new broken link after removing {missing}"
    assert all(link.page != missing for link in new)


def test_an_anchor_added_to_the_page_is_found(tmp_path: Path) -> None:
    files = dict(SITE)
    files["index.html"] = SITE["index.html"].replace("</body>", '<p id="unten">Ende</p></body>')
    assert find_broken_links(write_site(tmp_path / "site", files)) == [link for link in EXPECTED if link.target != "#unten" or link.page != "index.html"]


def test_broken_link_message() -> None:
    assert str(BrokenLink("unter/index.html", "../fehlt/")) == "unter/index.html: Verweis auf '../fehlt/' führt ins Leere"


def test_absolute_paths_are_resolved_below_the_path_the_site_is_served_at(tmp_path: Path) -> None:
    """With ``site_url`` below a path (``/archiv/``) MkDocs writes the 404 page's links absolute, below that path."""
    files = {
        "index.html": page('<a href="/archiv/">Start</a>', '<a href="/archiv/unter/">u</a>', '<a href="/archiv">ohne</a>', '<a href="/unter/">außerhalb</a>'),
        "unter/index.html": page('<a href="/archiv/fehlt/">fehlt</a>'),
    }
    site = write_site(tmp_path / "site", files)
    assert find_broken_links(site, "/archiv/") == [BrokenLink("index.html", "/unter/"), BrokenLink("unter/index.html", "/archiv/fehlt/")]
    assert find_broken_links(site, "/") == [
        BrokenLink("index.html", "/archiv/"), BrokenLink("index.html", "/archiv/unter/"), BrokenLink("index.html", "/archiv"),
        BrokenLink("unter/index.html", "/archiv/fehlt/"),
    ]  # fmt: skip


def test_the_site_files_are_those_os_walk_finds(tmp_path: Path) -> None:
    """site_files builds the paths from the names directly; the result is what os.walk gives."""
    site = tmp_path / "site"
    for name in ("index.html", "a/index.html", "a/b/c/tief.json", "pagefind/x.pf_meta", "a/pagefind/bleibt.html", "leer/.versteckt"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", "utf-8")
    (tmp_path / "draussen").mkdir()
    (tmp_path / "draussen" / "fremd.html").write_text("x", "utf-8")
    (site / "verweis").symlink_to(tmp_path / "draussen", target_is_directory=True)  # not followed, as by os.walk
    (site / "a" / "kopie.html").symlink_to(site / "index.html")
    (site / "a" / "kaputt.html").symlink_to(site / "fehlt.html")

    walked = set()
    for folder, subfolders, names in os.walk(site):
        relative = Path(folder).relative_to(site).as_posix()
        if relative == ".":
            subfolders[:] = [name for name in subfolders if name != "pagefind"]
        walked.update(name if relative == "." else f"{relative}/{name}" for name in names)
    assert site_files(site, skip=("pagefind",)) == walked
    assert "a/pagefind/bleibt.html" in walked and "verweis/fremd.html" not in walked
