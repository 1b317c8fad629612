"""The redirect map ``umleitungen.yml``: loading, its problems (exact German messages and lines), the redirect page."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import TempCorpus
from ratsdok.linkcheck import find_broken_links
from ratsdok.redirects import Redirect, check_redirects, redirect_page
from ratsdok.urls import main_page_urls

SHOWN = "drucksachen/umleitungen.yml"


def document(reference: str, datum: str = "2025-06-04") -> str:
    return f"""---
nummer: "{reference}"
art: informationsvorlage
titel: Titel {reference}
betreff: Betreff {reference}
datum: {datum}
status: öffentlich
urheber: Der Regionaldirektor
themen:
  - bildung
---

Text.
"""


@pytest.fixture
def site_corpus(corpus: TempCorpus) -> TempCorpus:
    """Published: drucksachen/14-2048-1/, drucksachen/14-100/ and the index pages (real registers)."""
    corpus.write("14/14-2048-1.md", document("14/2048-1"))
    corpus.write("14/14-100.md", document("14/100", "2024-03-01"))
    return corpus


def problems(corpus: TempCorpus, redirects: str) -> list[str]:
    corpus.write("umleitungen.yml", redirects)
    return [str(problem) for problem in corpus.load().problems]


# --- a valid map -------------------------------------------------------------------------------------------


def test_valid_map_gives_redirects_with_their_lines(site_corpus: TempCorpus) -> None:
    site_corpus.write(
        "umleitungen.yml",
        "# Umnummerierungen\n"
        "- alt: drucksachen/14-2048/\n"
        "  neu: drucksachen/14-2048-1/\n"
        "\n"
        "- neu: jahre/2024/  # Reihenfolge der Felder egal\n"
        "  alt: alte/adresse/tief/\n"
        "- alt: gremien/ruhrparlament/\n"
        "  neu: gremien/verbandsversammlung/\n",
    )
    loaded = site_corpus.load()
    assert loaded.problems == ()
    assert loaded.redirects == (
        Redirect("drucksachen/14-2048/", "drucksachen/14-2048-1/", 2),
        Redirect("alte/adresse/tief/", "jahre/2024/", 5),
        Redirect("gremien/ruhrparlament/", "gremien/verbandsversammlung/", 7),
    )
    assert [len(document.reference) for document in loaded.documents] == [9, 6]  # the documents are unaffected


@pytest.mark.parametrize("content", ["", "# noch keine Umleitungen\n", "[]\n"])
def test_an_empty_map_is_no_redirect_and_no_problem(site_corpus: TempCorpus, content: str) -> None:
    site_corpus.write("umleitungen.yml", content)
    loaded = site_corpus.load()
    assert (loaded.problems, loaded.redirects) == ((), ())


def test_no_map_is_no_redirect(site_corpus: TempCorpus) -> None:
    loaded = site_corpus.load()
    assert (loaded.problems, loaded.redirects) == ((), ())


def test_windows_file_with_byte_order_mark(site_corpus: TempCorpus) -> None:
    site_corpus.write("umleitungen.yml", "\ufeff- alt: drucksachen/14-2048/\r\n  neu: drucksachen/14-2048-1/\r\n".encode())
    loaded = site_corpus.load()
    assert loaded.problems == ()
    assert loaded.redirects == (Redirect("drucksachen/14-2048/", "drucksachen/14-2048-1/", 1),)


# --- problems ----------------------------------------------------------------------------------------------------


def test_target_must_be_a_page(site_corpus: TempCorpus) -> None:
    assert problems(
        site_corpus,
        "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-9999/\n"
        "- alt: a/\n  neu: gremien/gibt-es-nicht/\n"
        "- alt: b/\n  neu: jahre/1999/\n"
        "- alt: c/\n  neu: jahre/2025/seite-2/\n",  # only the first page of a listing is a target
    ) == [
        f"{SHOWN}:1: neu: „drucksachen/14-9999/“ ist keine Seite dieser Website",
        f"{SHOWN}:3: neu: „gremien/gibt-es-nicht/“ ist keine Seite dieser Website",
        f"{SHOWN}:5: neu: „jahre/1999/“ ist keine Seite dieser Website",
        f"{SHOWN}:7: neu: „jahre/2025/seite-2/“ ist keine Seite dieser Website",
    ]


@pytest.mark.parametrize(
    "old",
    ["drucksachen/14-2048-1/", "jahre/", "jahre/2024/", "wahlperioden/14/", "offene-anfragen/", "gremien/", "fraktionen/gruene/", "themen/bildung/", "themen/soziales/"],
)
def test_old_path_may_not_be_an_existing_page(site_corpus: TempCorpus, old: str) -> None:
    assert problems(site_corpus, f"# Kommentar\n- alt: {old}\n  neu: drucksachen/14-100/\n") == [
        f"{SHOWN}:2: alt: „{old}“ ist eine bestehende Seite und kann nicht umgeleitet werden"
    ]


def test_duplicate_old_path_is_reported_at_each_repetition(site_corpus: TempCorpus) -> None:
    assert problems(
        site_corpus,
        "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-2048-1/\n"
        "- alt: drucksachen/14-99/\n  neu: drucksachen/14-100/\n"
        "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-100/\n"
        "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-2048-1/\n",
    ) == [
        f"{SHOWN}:5: alt: „drucksachen/14-2048/“ ist mehrfach eingetragen",
        f"{SHOWN}:7: alt: „drucksachen/14-2048/“ ist mehrfach eingetragen",
    ]


def test_an_entry_can_have_several_problems(site_corpus: TempCorpus) -> None:
    assert problems(site_corpus, "- alt: jahre/\n  neu: drucksachen/14-1/\n- alt: jahre/\n  neu: jahre/\n") == [
        f"{SHOWN}:1: alt: „jahre/“ ist eine bestehende Seite und kann nicht umgeleitet werden",
        f"{SHOWN}:1: neu: „drucksachen/14-1/“ ist keine Seite dieser Website",
        f"{SHOWN}:3: alt: „jahre/“ ist eine bestehende Seite und kann nicht umgeleitet werden",
        f"{SHOWN}:3: alt: „jahre/“ ist mehrfach eingetragen",
    ]


FORM = 'muss ein Pfad der Website ohne führenden und mit abschließendem Schrägstrich sein, z. B. "drucksachen/14-2048-1/"'


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/drucksachen/14-2048/", "/drucksachen/14-2048/"),  # leading slash
        ("drucksachen/14-2048", "drucksachen/14-2048"),  # no trailing slash
        ("drucksachen/14-2048/index.html", "drucksachen/14-2048/index.html"),
        ("Drucksachen/14-2048/", "Drucksachen/14-2048/"),  # upper case
        ("drucksachen//14-2048/", "drucksachen//14-2048/"),
        ("../drucksachen/", "../drucksachen/"),
        ('"https://example.org/alt/"', "https://example.org/alt/"),
        ("drucksachen/14 2048/", "drucksachen/14 2048/"),
        ('""', ""),
    ],
)
def test_bad_path_form(site_corpus: TempCorpus, path: str, shown: str) -> None:
    assert problems(site_corpus, f"- alt: {path}\n  neu: drucksachen/14-2048-1/\n- alt: x/\n  neu: {path}\n") == [
        f"{SHOWN}:1: [1].alt: „{shown}“ {FORM}",
        f"{SHOWN}:4: [2].neu: „{shown}“ {FORM}",
    ]
    assert site_corpus.load().redirects == ()


def test_a_form_problem_leaves_the_whole_map_unused(site_corpus: TempCorpus) -> None:
    """Form problems are reported first; the map is not half used, and its other checks wait until it is readable."""
    assert problems(site_corpus, "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-2048-1/\n- alt: jahre/\n  neu: drucksachen\n") == [
        f"{SHOWN}:4: [2].neu: „drucksachen“ {FORM}"
    ]
    assert site_corpus.load().redirects == ()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-2048-1/\n- alt: x/: y\n",
            [
                f"{SHOWN}:3: YAML: YAML-Syntaxfehler: Doppelpunkt an unerwarteter Stelle; einen Wert mit „: “ bitte in Anführungszeichen setzen "
                "(oder ist die Zeile zu weit eingerückt?)"
            ],
            id="doppelpunkt",
        ),
        pytest.param(
            "- alt: a/\n  neu: jahre/\n- alt: b/\n  neu: jahre/\n  alt: c/\n",
            [f"{SHOWN}:5: alt: Feld doppelt vorhanden (zuerst in Zeile 3); bitte nur einmal angeben"],
            id="doppelter-schluessel",
        ),
        pytest.param(
            "alt: drucksachen/14-2048/\nneu: drucksachen/14-2048-1/\n",
            [f"{SHOWN}:1: Umleitungen: erwartet Liste (Einträge mit „- “), gefunden eine Zuordnung"],
            id="keine-liste",
        ),
        pytest.param(
            "- alt: a/\n  nue: jahre/\n",
            [f"{SHOWN}:1: [1].neu: Pflichtfeld fehlt", f"{SHOWN}:2: [1].nue: unbekanntes Feld; meinten Sie „neu“? (erlaubt: alt, neu)"],
            id="tippfehler",
        ),
        pytest.param(
            "- drucksachen/14-2048/\n",
            [f"{SHOWN}:1: [1]: erwartet Zuordnung (Felder mit „name: wert“), gefunden „drucksachen/14-2048/“"],
            id="nur-pfad",
        ),
    ],
)
def test_yaml_and_structure_problems(site_corpus: TempCorpus, content: str, expected: list[str]) -> None:
    assert problems(site_corpus, content) == expected
    assert site_corpus.load().redirects == ()


def test_file_that_is_not_utf8(site_corpus: TempCorpus) -> None:
    site_corpus.write("umleitungen.yml", "# Umzüge\n- alt: a/\n  neu: jahre/\n".encode("cp1252"))
    loaded = site_corpus.load()
    assert [str(problem) for problem in loaded.problems] == [
        f"{SHOWN}:1: Umleitungen: Datei nicht lesbar ('utf-8' codec can't decode byte 0xfc in position 5: invalid start byte)"
    ]
    assert loaded.redirects == ()


def test_check_redirects_directly() -> None:
    pages = {"drucksachen/14-1/", "jahre/"}
    redirects = [Redirect("alt/", "jahre/", 1), Redirect("jahre/", "weg/", 3), Redirect("alt/", "drucksachen/14-1/", 5)]
    assert [str(problem) for problem in check_redirects(redirects, pages, "u.yml")] == [
        "u.yml:3: alt: „jahre/“ ist eine bestehende Seite und kann nicht umgeleitet werden",
        "u.yml:3: neu: „weg/“ ist keine Seite dieser Website",
        "u.yml:5: alt: „alt/“ ist mehrfach eingetragen",
    ]


def test_main_page_urls_are_what_a_redirect_may_point_to(site_corpus: TempCorpus) -> None:
    loaded = site_corpus.load()
    assert main_page_urls(loaded.documents, loaded.registers) == {
        "", "jahre/", "wahlperioden/", "offene-anfragen/", "gremien/", "fraktionen/", "themen/",
        "drucksachen/14-2048-1/", "drucksachen/14-100/",
        "gremien/digitalisierung-bildung-innovation/", "gremien/verbandsversammlung/", "fraktionen/gruene/", "themen/bildung/", "themen/soziales/",
        "jahre/2025/", "jahre/2024/", "wahlperioden/14/",
    }  # fmt: skip


# --- the redirect page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "relative"),
    [
        ("drucksachen/14-2048/", "drucksachen/14-2048-1/", "../14-2048-1/"),
        ("alte/adresse/tief/", "jahre/", "../../../jahre/"),
        ("a/", "gremien/verbandsversammlung/", "../gremien/verbandsversammlung/"),
        ("jahre/2024/alt/", "jahre/2024/", "../"),
        ("gremien/", "gremien/neu/", "neu/"),
    ],
)
def test_redirect_page_points_relatively_to_the_new_path(old: str, new: str, relative: str) -> None:
    page = redirect_page(Redirect(old, new, 1))
    assert f'<meta http-equiv="refresh" content="0; url={relative}">' in page
    assert f'<link rel="canonical" href="{relative}">' in page
    assert f'<a href="{relative}">{new}</a>' in page
    assert '<html lang="de">' in page
    assert '<meta name="robots" content="noindex">' in page
    # The browser resolves it against the old page's URL, wherever the site is hosted.
    for base in ("https://example.org/", "https://example.org/archiv/rvr/"):
        assert urljoin(base + old, relative) == base + new


def test_redirect_page_escapes_what_it_writes() -> None:
    page = redirect_page(Redirect("alt/", 'neu"><script>&/', 1))
    target = posixpath.relpath('neu"><script>&/', "alt/") + "/"
    assert target == '../neu"><script>&/'
    assert "<script>" not in page
    assert 'url=../neu&quot;&gt;&lt;script&gt;&amp;/"' in page
    assert '<a href="../neu&quot;&gt;&lt;script&gt;&amp;/">neu&quot;&gt;&lt;script&gt;&amp;/</a>' in page


def test_redirect_pages_pass_the_link_check(tmp_path: Path) -> None:
    site = tmp_path / "site"
    redirects = [Redirect("drucksachen/14-2048/", "drucksachen/14-2048-1/", 1), Redirect("alte/adresse/tief/", "jahre/", 3)]
    for path in ("drucksachen/14-2048-1/index.html", "jahre/index.html"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("<!doctype html><title>Seite</title>", "utf-8")
    for redirect in redirects:
        (site / redirect.old).mkdir(parents=True, exist_ok=True)
        (site / redirect.old / "index.html").write_text(redirect_page(redirect), "utf-8")
    assert find_broken_links(site) == []
    (site / "jahre" / "index.html").unlink()
    assert [str(link) for link in find_broken_links(site)] == [
        "alte/adresse/tief/index.html: Verweis auf '../../../jahre/' führt ins Leere",
        "alte/adresse/tief/index.html: Verweis auf '../../../jahre/' führt ins Leere",
    ]


def test_a_wrong_redirect_is_never_written(site_corpus: TempCorpus) -> None:
    """In a non-strict build (mkdocs serve) the valid redirects are written, the wrong one is not."""
    site_corpus.write("umleitungen.yml", "- alt: drucksachen/14-2048/\n  neu: drucksachen/14-2048-1/\n- alt: x/\n  neu: drucksachen/14-9999/\n")
    loaded = site_corpus.load()
    assert [(redirect.old, redirect.new) for redirect in loaded.redirects] == [("drucksachen/14-2048/", "drucksachen/14-2048-1/")]
    assert len(loaded.problems) == 1
