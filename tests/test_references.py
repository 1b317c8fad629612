"""References to other Drucksachen: which phrasings count, and how marks become links.

``find_references`` is pinned by a table; ``render_body`` + ``resolve_references`` by the places a
reference must not be touched (links, URLs, code) and the places it must (headings, tables, emphasis).
"""

from __future__ import annotations

import itertools
import re

import pytest
from ratsdok.reference_links import resolve_references
from ratsdok.references import find_references
from ratsdok.render import render_body

# (text, references expected in order). Ambiguous cases carry a comment with the decision.
PHRASINGS: list[tuple[str, list[str]]] = [
    # --- the usual ways of citing a Drucksache ---
    ("Drucksache 14/1780", ["14/1780"]),
    ("Drs. 14/1780", ["14/1780"]),
    ("DS 14/1780", ["14/1780"]),
    ("Ds 14/1780", ["14/1780"]),
    ("Drucksache Nr. 14/1780", ["14/1780"]),
    ("Drucksache Nr 14/1780", ["14/1780"]),
    ("Drucksachen-Nr. 14/1780", ["14/1780"]),
    ("Drucksache-Nr. 14/1780", ["14/1780"]),
    ("vgl. Drucksache 14/1780", ["14/1780"]),
    ("Die Verwaltung hat in der Drucksache 14/1780 berichtet.", ["14/1780"]),
    ("Die Antwort steht in Drucksache 14/1780.", ["14/1780"]),  # the full stop ends the sentence, not the number
    ("Die Antwort steht in Drucksache 14/1780-1.", ["14/1780-1"]),
    ("Siehe Drucksache 14/1780: dort Seite 3.", ["14/1780"]),
    ("Drs.14/1780", ["14/1780"]),  # no blank after the abbreviation's dot
    ("Drucksache Nr.14/1780", ["14/1780"]),
    ("Drucksache\u00a014/1780", ["14/1780"]),  # non-breaking space, as word processors write it
    # --- lists after one prefix: every number of the list ---
    ("(Drucksachen 14/1780 und 14/1781)", ["14/1780", "14/1781"]),
    ("Drucksachen 14/1780, 14/1781 sowie 14/1782-1", ["14/1780", "14/1781", "14/1782-1"]),
    ("Drucksache 14/1780 bzw. 14/1781", ["14/1780", "14/1781"]),
    ("Drucksachen 14/1780 oder 14/1781", ["14/1780", "14/1781"]),
    ("Drucksache 14/1780 und Drs. 14/1781", ["14/1780", "14/1781"]),
    ("Drucksachen 13/500 und 14/1780", ["13/500", "14/1780"]),  # a list may span Wahlperioden
    # A list item without the Wahlperiode is not completed by guessing ("1781" could be anything).
    ("Drucksachen 14/1780 und 1781", ["14/1780"]),
    # The list ends at the first word that is not list glue: "Seite 3/4" is not a Drucksache.
    ("Drucksache 14/1780, Seite 3/4", ["14/1780"]),
    # Ambiguous, decided: right after "Drucksache … und" a number of the form n/m is read as a list
    # item, even when a reader sees a fraction. A list cannot be told from a fraction by its form,
    # and the cost of a wrong mark is small: it becomes a link only if Drucksache 2/3 is published.
    ("Drucksache 14/1780 und 2/3 der Mittel", ["14/1780", "2/3"]),
    # --- a bare number counts only with a supplement ---
    ("Die Antwort 14/1780-1 liegt vor.", ["14/1780-1"]),
    ("(14/1780-1)", ["14/1780-1"]),
    ("siehe 14/1780-1, 14/1780-2", ["14/1780-1", "14/1780-2"]),
    ("9/12-3", ["9/12-3"]),
    # --- not references ---
    ("im Zeitraum 12/2024 bis 03/2025", []),  # month/year
    ("am 04.06.2025", []),
    ("Es wurden 14/1780 Anträgen entsprochen.", []),  # bare number without a word before it
    ("14/1780", []),
    ("https://example.org/ds/14/1780-1", []),  # inside a URL
    # A URL ends at the first blank: what follows is running text again, and is read as such.
    ("https://example.org/Drucksache 14/1780-1", ["14/1780-1"]),
    ("a/14/1780-1", []),  # inside a path
    ("Drucksache 14/1780/3", []),  # a longer path-like number is not cut short
    ("Drucksache 14/123456", []),  # number too long
    ("Drucksache 123/1780", []),  # Wahlperiode too long
    ("Drucksache 14/1780-1234", []),  # supplement too long: not cut to 14/1780
    ("114/1780-1", []),  # not the tail of a longer number
    ("14/1780-12345", []),
    ("Drucksache 0/17", []),  # there is no Wahlperiode 0
    ("Drucksache 14/1780.5", []),  # a decimal or section number, not "14/1780" followed by ".5"
    ("14/1780-1-2", []),
    ("v1.14/1780-1", []),  # glued to a version number
    ("x:14/1780-1", []),
    ("ADS 14/1780", []),  # "DS" only as a word of its own
    ("Drucksachenummer 14/1780", []),
    # Decided: the prefix is case-sensitive. "DS" and "Ds" are the printed abbreviations; an
    # all-caps or all-lowercase "drucksache" is rare in council texts, and "ds" is too short to trust.
    ("DRUCKSACHE 14/1780", []),
    ("ds 14/1780", []),
    # Decided: "DS: 14/1780" (a colon between word and number) is a label, not a citation.
    ("DS: 14/1780", []),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[text for text, _ in PHRASINGS])
def test_find_references(text: str, expected: list[str]) -> None:
    assert [mention.reference for mention in find_references(text)] == expected


def test_the_table_is_big_and_has_both_kinds() -> None:
    assert len(PHRASINGS) >= 20
    assert sum(1 for _, expected in PHRASINGS if expected) >= 15
    assert sum(1 for _, expected in PHRASINGS if not expected) >= 15


@pytest.mark.parametrize(("text", "_expected"), [case for case in PHRASINGS if case[1]])
def test_mention_positions_cover_exactly_the_number(text: str, _expected: list[str]) -> None:
    for mention in find_references(text):
        assert text[mention.start : mention.end] == mention.reference


def test_mentions_are_in_order_without_overlaps() -> None:
    text = "14/3-1 und Drucksachen 14/2, 14/1 sowie Drs. 14/2-1; dann wieder Drucksache 14/2."
    mentions = find_references(text)
    assert [m.reference for m in mentions] == ["14/3-1", "14/2", "14/1", "14/2-1", "14/2"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


# --- through rendering: marks, then links ------------------------------------------------------------

PUBLISHED = {"14/1780", "14/1781", "14/2048-1"}


def href_for(reference: str) -> str | None:
    return f"../{reference.replace('/', '-')}/" if reference in PUBLISHED else None


def resolved(markdown: str) -> str:
    return resolve_references(render_body(markdown).html, href_for)


def verweise(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="rd-verweis" href="([^"]*)">([^<]*)</a>', html)


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("Siehe [Drucksache 14/1780](https://example.org/ds).\n", id="link-text"),
        pytest.param("Siehe [Drucksache *14/1780*](../x/).\n", id="link-text-with-emphasis"),
        pytest.param("Siehe [hier](https://example.org/Drucksache%2014/1780-1).\n", id="link-url"),
        pytest.param('Siehe [hier](https://example.org/ds/14/1780-1 "Drucksache 14/1780").\n', id="link-title"),
        pytest.param("Siehe <https://example.org/ds/14/1780-1>.\n", id="autolink"),
        pytest.param("Siehe https://example.org/ds/14/1780-1 im Netz.\n", id="bare-url"),
        pytest.param("Der Befehl `Drucksache 14/1780` bleibt Code.\n", id="inline-code"),
        pytest.param("```\nDrucksache 14/1780\n14/1781-1\n```\n", id="fenced-code"),
        pytest.param("Text:\n\n    Drucksache 14/1780\n", id="indented-code"),
    ],
)
def test_reference_is_not_marked_in_links_urls_and_code(markdown: str) -> None:
    body = render_body(markdown)
    assert body.references == ()
    assert "\x00" not in body.html
    html = resolve_references(body.html, href_for)
    assert verweise(html) == []
    assert "rd-verweis" not in html


def test_a_link_does_not_hide_references_after_it() -> None:
    html = resolved("[Drucksache 14/1781](https://example.org) und Drucksache 14/1780.\n")
    assert verweise(html) == [("../14-1780/", "14/1780")]
    assert '<a href="https://example.org">Drucksache 14/1781</a>' in html


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param("*vgl. Drucksache 14/1780*\n", ("14/1780",), id="emphasis"),
        pytest.param("| Nr. | Inhalt |\n| --- | --- |\n| Drs. 14/1780 | Antwort 14/2048-1 |\n", ("14/1780", "14/2048-1"), id="table"),
        pytest.param("- vgl. Drucksache 14/1780\n- DS 14/1781\n", ("14/1780", "14/1781"), id="list"),
        pytest.param("> Drucksache 14/1780\n", ("14/1780",), id="quote"),
        pytest.param("## Bezug: Drucksache 14/1780\n", ("14/1780",), id="heading"),
        # Decided: emphasis that splits the word from the number hides the reference: the word and
        # the number are separate text tokens, and a bare "14/1780" is no reference.
        pytest.param("Drucksache **14/1780**\n", (), id="emphasis-splits-prefix"),
        # A soft line break splits the text the same way: a hard-wrapped "Drucksache\n14/1780" is
        # not found (known limitation); a number with supplement is found on its own.
        pytest.param("vgl. Drucksache\n14/1780 und Drucksache\n14/1781-1\n", ("14/1781-1",), id="line-break"),
    ],
)
def test_reference_is_marked_in_running_text(markdown: str, expected: tuple[str, ...]) -> None:
    assert render_body(markdown).references == expected


def test_references_are_in_order_of_first_mention_without_repeats() -> None:
    body = render_body("Drucksache 14/2 und Drucksache 14/1.\n\nDann 14/2-1 und wieder Drs. 14/2.\n")
    assert body.references == ("14/2", "14/1", "14/2-1")


def test_reference_in_a_question_heading_is_marked_and_the_toc_keeps_the_number() -> None:
    markdown = "## Antwort\n\n### 1. Wie ist der Stand der Drucksache 14/1780?\n\nSiehe dort.\n"
    body = render_body(markdown)
    assert body.references == ("14/1780",)
    assert body.question_anchors == ("frage-1",)
    [section] = body.toc
    [question] = section.children
    assert question.title == "Frage 1: Wie ist der Stand der Drucksache 14/1780?"
    assert question.anchor == "frage-1"
    html = resolve_references(body.html, href_for)
    heading = re.search(r'<h3 id="frage-1"[^>]*>(.*?)</h3>', html, re.S)
    assert heading is not None
    assert verweise(heading.group(1)) == [("../14-1780/", "14/1780")]
    assert "\x00" not in html


def test_reference_in_a_plain_heading_keeps_the_number_in_toc_and_id() -> None:
    body = render_body("## Bezug zu Drucksache 14/1780\n")
    assert body.toc[0].title == "Bezug zu Drucksache 14/1780"
    assert body.toc[0].anchor == "bezug-zu-drucksache-14-1780"


def test_resolve_links_only_published_documents() -> None:
    html = resolved("Drucksachen 14/1780, 14/9999 und 14/2048-1; dazu 14/5-1.\n")
    assert verweise(html) == [("../14-1780/", "14/1780"), ("../14-2048-1/", "14/2048-1")]
    text = re.sub(r"<[^>]+>", "", html)
    assert text == "Drucksachen 14/1780, 14/9999 und 14/2048-1; dazu 14/5-1.\n"
    assert "\x00" not in html


def test_resolve_with_nothing_published_gives_the_plain_text() -> None:
    body = render_body("Drs. 14/1780 und 14/1781-1.\n")
    assert body.references == ("14/1780", "14/1781-1")
    assert resolve_references(body.html, lambda _reference: None) == "<p>Drs. 14/1780 und 14/1781-1.</p>\n"


def test_a_nul_in_the_source_cannot_forge_a_mark() -> None:
    """markdown-it replaces NUL by U+FFFD, so a mark in the source is just text."""
    body = render_body("Text \x00REF 14/1780\x00 Ende.\n")
    assert body.references == ()
    html = resolve_references(body.html, href_for)
    assert "\x00" not in html
    assert verweise(html) == []
    assert "\ufffdREF 14/1780\ufffd" in html


def test_no_nul_survives_a_body_full_of_references() -> None:
    markdown = "\n\n".join(
        [
            "## Anfrage",
            "Bezug: Drucksachen 14/1780, 14/1781 und 14/9999 (vgl. Drs. 14/2048-1).",
            "1. Welche Folgen hat DS 14/1780?",
            "## Antwort",
            "### 1. Welche Folgen hat DS 14/1780?",
            "| Drs. 14/1781 | 14/5-1 |\n| --- | --- |\n| x | Drucksache 14/1780 |",
        ]
    )
    body = render_body(markdown)
    assert body.references == ("14/1780", "14/1781", "14/9999", "14/2048-1", "14/5-1")
    assert body.html.count("\x00") == 2 * 9  # nine marks, two NULs each
    html = resolve_references(body.html, href_for)
    assert "\x00" not in html
    assert len(verweise(html)) == 7
