"""Rendering of Drucksache bodies (ratsdok.render): safety, questions, TOC, and faithfulness to the source text."""

from __future__ import annotations

import re

import pytest
from build_support import (
    FIXTURES,
    REAL_DOCUMENT_14_2048_1,
    SOURCE_14_2048_1,
    Element,
    compare_words,
    ids_of,
    parse_html,
    source_words_14_2048_1,
    visible_words,
)
from ratsdok.frontmatter import normalise_text, split_front_matter
from ratsdok.reference_links import resolve_references
from ratsdok.render import RenderedBody, is_safe_link, render_body


def plain_html(body: RenderedBody) -> str:
    """The body as a page shows it when none of the mentioned Drucksachen is published."""
    return resolve_references(body.html, lambda reference: None)


def rendered(markdown: str) -> tuple[RenderedBody, Element]:
    body = render_body(markdown)
    return body, parse_html(plain_html(body))


def real_body() -> str:
    split, problems = split_front_matter(normalise_text(REAL_DOCUMENT_14_2048_1.read_bytes()), str(REAL_DOCUMENT_14_2048_1))
    assert split is not None, problems
    return split.body


def on_attributes(root: Element) -> list[str]:
    return [f"<{e.tag} {name}>" for e in root.iter() for name in e.attrs if name.lower().startswith("on")]


# --- raw HTML -----------------------------------------------------------------------------------------

RAW_HTML = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://example.org/"></iframe>',
    "Text <script>alert(1)</script> im Absatz",
    "Text <img src=x onerror=alert(1)> im Absatz",
    "Text <iframe src=https://example.org/></iframe> im Absatz",
    '<a href="javascript:alert(1)">Klick</a>',
    "<svg onload=alert(1)>",
    "<style>body { display: none }</style>",
    "<div>\n\n*Markdown in HTML*\n\n</div>",
]


@pytest.mark.parametrize("markdown", RAW_HTML)
def test_raw_html_is_shown_as_text(markdown: str) -> None:
    body, root = rendered(markdown)
    elements = {e.tag for e in root.iter()} - {"#document"}
    assert elements <= {"p", "em"}, f"raw HTML passed through: {body.html!r}"
    assert not on_attributes(root)
    first_tag = re.match(r"[^<]*(<[a-z]+)", markdown)
    assert first_tag is not None
    assert first_tag.group(1) in root.text(), "the raw HTML should be visible as text"
    assert first_tag.group(1).replace("<", "&lt;") in body.html


def test_raw_html_in_a_heading_is_text() -> None:
    body, root = rendered('## Antrag "><script>alert(1)</script>\n\nText')
    assert not root.find_all("script")
    heading = root.find("h2")
    assert heading.text() == 'Antrag "><script>alert(1)</script>'
    assert body.toc[0].title == 'Antrag "><script>alert(1)</script>'  # plain text; the hook escapes it


# --- links --------------------------------------------------------------------------------------------

UNSAFE_LINKS = [
    "[Klick](javascript:alert(1))",
    "[Klick](JavaScript:alert(1))",
    "[Klick](JAVASCRIPT:alert(1))",
    "[Klick](javascript&#58;alert(1))",
    "[Klick](&#106;avascript:alert(1))",
    "[Klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[Klick](DATA:text/html,hallo)",
    "[Klick](vbscript:msgbox(1))",
    "[Klick](VBScript:msgbox(1))",
    "[Klick](<java\tscript:alert(1)>)",
    "[Klick](java&#9;script:alert(1))",
    "[Klick](java&#x09;script:alert(1))",
    "[Klick](java&#10;script:alert(1))",
    "[Klick](java%09script:alert(1))",
    "[Klick](<\x01javascript:alert(1)>)",
    "[Klick](<  javascript:alert(1)>)",
    "[Klick](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<JavaScript:alert(1)>",
    "[Klick][ziel]\n\n[ziel]: javascript:alert(1)",
    "[Klick][ziel]\n\n[ziel]: <java\tscript:alert(1)>",
]


@pytest.mark.parametrize("markdown", UNSAFE_LINKS)
def test_unsafe_link_is_not_emitted(markdown: str) -> None:
    body, root = rendered(markdown)
    assert not root.find_all("a"), f"link emitted: {body.html!r}"
    assert not any("href" in e.attrs or "src" in e.attrs for e in root.iter())


SAFE_LINKS = [
    ("[Seite](https://www.rvr.ruhr/politik/)", "https://www.rvr.ruhr/politik/"),
    ("[Seite](http://example.org/a)", "http://example.org/a"),
    ("[Post](mailto:info@example.org)", "mailto:info@example.org"),
    ("[Anruf](tel:+492012069)", "tel:+492012069"),
    ("[Anfrage](../14-2048/)", "../14-2048/"),
    ("[Frage 2](#frage-2)", "#frage-2"),
    ("[Datei](anlage.pdf)", "anlage.pdf"),
    ("<https://example.org/x>", "https://example.org/x"),
    ("[Seite][ziel]\n\n[ziel]: https://example.org/ref", "https://example.org/ref"),
]


@pytest.mark.parametrize(("markdown", "href"), SAFE_LINKS)
def test_safe_link_is_emitted(markdown: str, href: str) -> None:
    _, root = rendered(markdown)
    links = root.find_all("a")
    assert [link.attrs.get("href") for link in links] == [href]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org", True),
        ("HTTPS://example.org", True),
        ("mailto:a@example.org", True),
        ("../x/", True),
        ("#frage-1", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java%09script:alert(1)", False),
        ("java\x00script:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
    ],
)
def test_is_safe_link(url: str, safe: bool) -> None:
    assert is_safe_link(url) is safe


# --- images -------------------------------------------------------------------------------------------

IMAGES = [
    "![Bild](https://example.org/bild.png)",
    '![Bild](bild.png "Titel")',
    "[![Bild](bild.png)](https://example.org/)",
    "![Bild][b]\n\n[b]: https://example.org/bild.png",
    '<img src="https://example.org/bild.png" alt="Bild">',
    "Text mit ![Bild](https://example.org/bild.png) im Satz",
]


@pytest.mark.parametrize("markdown", IMAGES)
def test_images_are_not_emitted(markdown: str) -> None:
    body, root = rendered(markdown)
    assert not root.find_all("img")
    assert "<img" not in body.html.lower()


# --- emphasis and the gender star ----------------------------------------------------------------------


def test_gender_star_is_text() -> None:
    _, root = rendered("Akteur*innen und Expert*innen")
    assert not root.find_all("em")
    assert root.text() == "Akteur*innen und Expert*innen"


def test_emphasis_still_works() -> None:
    _, root = rendered("des *Bildungsberichts Ruhr 2024* sowie")
    assert [em.text() for em in root.find_all("em")] == ["Bildungsberichts Ruhr 2024"]
    assert root.text() == "des Bildungsberichts Ruhr 2024 sowie"


def test_gender_star_next_to_emphasis() -> None:
    _, root = rendered("Mit Praktiker*innen über den *Bildungsbericht Ruhr* und Expert*innen sprechen.")
    assert [em.text() for em in root.find_all("em")] == ["Bildungsbericht Ruhr"]
    assert root.text() == "Mit Praktiker*innen über den Bildungsbericht Ruhr und Expert*innen sprechen."


def test_real_document_emphasis_and_gender_stars() -> None:
    _, root = rendered(real_body())
    assert [em.text() for em in root.find_all("em")] == ["Bildungsberichts Ruhr 2024", "Sozialfinanzberichts Ruhr"]
    text = root.text()
    for word in ("Praktiker*innen", "Akteur*innen", "Expert*innen", "Vertreter*innen", "Dezernent*innen"):
        assert word in text


# --- questions and headings ----------------------------------------------------------------------------

QUESTIONS = """\
## Anfrage

Einleitung der Anfrage.

## Antwort

### 1. Welche Vorhaben gibt es?

Antwort auf Frage 1.

Zweiter Absatz zu Frage 1.

### 1.2 Und im Detail?

Antwort auf Frage 1.2.

### 2. Was kostet das?

Antwort auf Frage 2.

## Anlagen

Keine.
"""


def test_question_heading_ids_and_labels() -> None:
    body, root = rendered(QUESTIONS)
    first = root.find(id="frage-1")
    assert first.tag == "h3"
    assert first.find("span", cls="rd-frage__nr").text() == "Frage 1:"
    assert first.text() == "Frage 1: Welche Vorhaben gibt es?"  # the printed "1." became the label
    sub = root.find(id="frage-1-2")
    assert sub.find("span", cls="rd-frage__nr").text() == "Frage 1.2:"
    assert sub.text() == "Frage 1.2: Und im Detail?"
    assert root.find(id="frage-2").text() == "Frage 2: Was kostet das?"
    assert body.question_anchors == ("frage-1", "frage-1-2", "frage-2")


@pytest.mark.parametrize(
    ("heading", "anchors"),
    [
        ("### 1. Welche?", ("frage-1",)),
        ("### 12. Welche?", ("frage-12",)),
        ("### 1.2 Welche?", ("frage-1-2",)),
        ("### 1.2. Welche?", ("frage-1-2",)),
        ("#### 3.1 Welche?", ("frage-3-1",)),
        ("### 100 Jahre RVR", ()),  # a number without a dot is not a question number
        ("### 2025 im Rückblick", ()),
        ("### 3 Ziele", ()),
        ("## 1. Abschnitt", ()),  # level-2 headings are sections, never questions
    ],
)
def test_which_headings_are_questions(heading: str, anchors: tuple[str, ...]) -> None:
    assert render_body(heading + "\n").question_anchors == anchors


def test_question_is_wrapped_with_its_answer_in_a_section() -> None:
    _, root = rendered(QUESTIONS)
    sections = root.find_all("section")
    assert [s.attrs.get("aria-labelledby") for s in sections] == ["frage-1", "frage-1-2", "frage-2"]
    for section in sections:
        heading = section.find(id=section.attrs["aria-labelledby"])
        assert heading.parent is section
    assert "Antwort auf Frage 1. Zweiter Absatz zu Frage 1." in sections[0].text()
    assert "1.2" not in sections[0].text()
    assert sections[1].text().endswith("Antwort auf Frage 1.2.")
    assert sections[2].text().endswith("Antwort auf Frage 2.")
    # The next h2 section is not inside a question.
    for heading_id in ("anfrage", "antwort", "anlagen"):
        assert not any(a.tag == "section" for a in root.find(id=heading_id).ancestors())
    assert "Keine." not in sections[2].text()


def test_answer_label_only_under_antwort_section() -> None:
    markdown = "## Anfrage\n\n### 1. Frage in der Anfrage?\n\nText.\n\n## Antwort\n\n### 1. Frage in der Antwort?\n\nAntworttext.\n"
    _, root = rendered(markdown)
    labels = [p for p in root.find_all("p") if p.text() == "Antwort"]
    assert len(labels) == 1
    label = labels[0]
    assert label.parent is not None and label.parent.tag == "section"
    assert "Frage in der Antwort?" in label.parent.text()
    assert "Frage in der Anfrage?" not in label.parent.text()


def test_no_answer_label_without_antwort_section() -> None:
    _, root = rendered("### 1. Eine Frage?\n\nText.\n\n## Hinweise\n\n### 2. Noch eine?\n\nText.\n")
    assert len(root.find_all("section")) == 2
    assert not [p for p in root.find_all("p") if p.text() == "Antwort"]


def test_toc_lists_sections_with_questions_as_children() -> None:
    body = render_body(QUESTIONS)
    assert [(entry.title, entry.anchor) for entry in body.toc] == [("Anfrage", "anfrage"), ("Antwort", "antwort"), ("Anlagen", "anlagen")]
    antwort = body.toc[1]
    assert [child.anchor for child in antwort.children] == ["frage-1", "frage-1-2", "frage-2"]
    assert [child.title for child in antwort.children] == ["Frage 1: Welche Vorhaben gibt es?", "Frage 1.2: Und im Detail?", "Frage 2: Was kostet das?"]
    assert body.toc[0].children == () and body.toc[2].children == ()


def test_real_document_toc() -> None:
    body = render_body(real_body())
    assert [entry.anchor for entry in body.toc] == ["anfrage", "antwort"]
    antwort = body.toc[1]
    assert [child.anchor for child in antwort.children] == [f"frage-{n}" for n in range(1, 6)]
    assert all(child.title.startswith(f"Frage {n}: ") for n, child in enumerate(antwort.children, start=1))
    assert body.question_anchors == tuple(f"frage-{n}" for n in range(1, 6))


def test_ids_are_unique() -> None:
    markdown = (
        "## Antwort\n\n### 1. Frage?\n\nA\n\n### 1. Frage?\n\nB\n\n## Antwort\n\n"
        "## Frage 1\n\nC\n\n## Überlegungen & Maßnahmen\n\n## Ueberlegungen Massnahmen\n\n## !!!\n\n## ???\n"
    )
    body, root = rendered(markdown)
    ids = ids_of(root)
    assert len(ids) == len(set(ids)) == 9
    assert "ueberlegungen-massnahmen" in ids
    toc_anchors = [e.anchor for e in body.toc] + [c.anchor for e in body.toc for c in e.children]
    assert sorted(toc_anchors) == sorted(ids)
    for section in root.find_all("section"):
        assert section.attrs["aria-labelledby"] in ids


def test_body_ids_do_not_collide_with_the_template() -> None:
    """overrides/partials use id="angaben" and id="beratungsfolge"; a body heading must not take them."""
    _, root = rendered("## Angaben\n\nText\n\n## Beratungsfolge\n\nText\n")
    ids = ids_of(root)
    assert len(ids) == 2
    assert not {"angaben", "beratungsfolge"} & set(ids)


def test_h1_in_body_becomes_h2() -> None:
    body, root = rendered("# Erste Ebene\n\nText\n\n## Zweite Ebene\n\n###### Sechste Ebene\n")
    assert not root.find_all("h1")
    assert [(h.tag, h.text()) for h in root.iter() if re.fullmatch(r"h\d", h.tag)] == [
        ("h2", "Erste Ebene"),
        ("h2", "Zweite Ebene"),
        ("h6", "Sechste Ebene"),
    ]
    assert all(entry.level == 2 for entry in body.toc)


def test_every_heading_has_an_id() -> None:
    _, root = rendered(real_body())
    headings = [h for h in root.iter() if re.fullmatch(r"h\d", h.tag)]
    assert headings and all(h.attrs.get("id") for h in headings)
    assert not root.find_all("h1")


# --- faithful text ------------------------------------------------------------------------------------


def test_source_text_is_in_the_repository() -> None:
    assert SOURCE_14_2048_1.is_file()
    readme = (FIXTURES / "quellen" / "README.md").read_text(encoding="utf-8")
    assert "14/2048-1" in readme and "Regionalverband Ruhr" in readme


def test_source_words_cover_the_whole_text() -> None:
    words = source_words_14_2048_1()
    assert words[:4] == ["Vor", "dem", "Hintergrund", "der"]
    assert words[-2:] == ["angestrebt", "werden."]
    assert "Bildungsberichts" in words and "Praktiker*innen" in words  # emphasis marks gone, gender stars kept
    assert "Antwort:" in words and "Wirksamkeit" in words  # the page-break split is inside the range
    assert len(words) > 850


def real_document_words() -> list[str]:
    return visible_words(parse_html(plain_html(render_body(real_body()))))


def test_real_document_renders_the_published_text_word_for_word() -> None:
    assert compare_words(source_words_14_2048_1(), real_document_words()) is None


def test_rendered_labels_are_in_place() -> None:
    words = real_document_words()
    assert words[0] == "Anfrage"
    text = " ".join(words)
    for n in range(1, 6):
        assert f"Frage {n}: " in text
    assert text.count("Antwort") >= 6  # the section heading plus one label per answered question


def mutate(words: list[str], how: str) -> list[str]:
    words = list(words)
    if how == "changed word":
        words[words.index("Armutsgefährdung")] = "Armutsgefahr"
    elif how == "changed number":
        words[words.index("2025)")] = "2024)"
    elif how == "dropped word":
        words.remove("nicht")
    elif how == "dropped last sentence":
        del words[words.index("Gemeinsam", len(words) - 40) :]
    elif how == "swapped words":
        i = words.index("Joblinge")
        words[i - 1], words[i] = words[i], words[i - 1]
    elif how == "extra word":
        words.insert(words.index("Joblinge"), "keine")
    elif how == "wrong question label":
        i = len(words) - 1 - words[::-1].index("3")  # "Frage 3" in the Antwort section
        words[i] = "4"
    elif how == "dropped answer label word replaced":
        words[words.index("Lebenssituationen“")] = "Lebenslagen“"
    elif how == "changed list number":
        words[words.index("2.")] = "3."
    return words


@pytest.mark.parametrize(
    "how",
    [
        "changed word",
        "changed number",
        "dropped word",
        "dropped last sentence",
        "swapped words",
        "extra word",
        "wrong question label",
        "dropped answer label word replaced",
        "changed list number",
    ],
)
def test_checker_catches_a_changed_text(how: str) -> None:
    source = source_words_14_2048_1()
    words = real_document_words()
    assert compare_words(source, words) is None
    changed = mutate(words, how)
    assert changed != words
    assert compare_words(source, changed) is not None


def test_checker_catches_a_changed_word_in_the_html() -> None:
    html = plain_html(render_body(real_body()))
    assert html.count("Stiftungsnetzwerk Ruhr") == 1
    changed = html.replace("Stiftungsnetzwerk Ruhr", "Stiftungsnetzwerk Rhein")
    problem = compare_words(source_words_14_2048_1(), visible_words(parse_html(changed)))
    assert problem is not None and "Rhein" in problem


def test_checker_catches_a_dropped_answer() -> None:
    body = real_body().replace("Aktuell sind keine Einwerbungen von Fördermitteln geplant.\n", "")
    assert body != real_body()
    assert compare_words(source_words_14_2048_1(), visible_words(parse_html(plain_html(render_body(body))))) is not None


def test_source_metadata_matches_front_matter() -> None:
    """Header fields of the published text reappear in the front matter of drucksachen/14/14-2048-1.md."""
    source = SOURCE_14_2048_1.read_text(encoding="utf-8")
    front = REAL_DOCUMENT_14_2048_1.read_text(encoding="utf-8")
    assert "Drucksache Nr.:14/2048-1" in source and 'nummer: "14/2048-1"' in front
    assert "04.06.2025" in source and "datum: 2025-06-04" in front
    betreff = re.search(r"\*\*Betreff: (.*?)\*\*", source, re.S)
    assert betreff is not None
    assert f'betreff: "{" ".join(betreff.group(1).split())}"' in front
    assert "zur Kenntnis\t12.06.2025" in source and "sitzung: 2025-06-12" in front and "status: zur Kenntnis" in front
