"""Render a Drucksache body (Markdown) to safe HTML with addressable questions and a TOC.

Rules, all checked by tests:
- raw HTML is shown as text (``html=False``); links only to http(s), mailto, tel or relative targets;
  no images (they would load from anywhere);
- body headings start at level 2 (the page's h1 is the title); every heading gets an id;
- a heading that starts with a question number (``### 1. Welche ...``, ``### 1.2 ...``) is a question:
  id ``frage-1`` / ``frage-1-2``, labelled "Frage 1", and wrapped with its answer in a section;
- a gender star between letters (``Akteur*innen``) is text, not emphasis.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .parallel import run_in_processes
from .plain_text import TEXT_START_LENGTH, plain_text_start
from .reference_links import REFERENCE_TOKEN, mark_references, render_reference

# "1. Welche …", "1.2 Welche …", "1.2. Welche …"; not "100 Jahre RVR" (a number needs a dot).
_QUESTION = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.)\s+(?=\S)")
_ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_TOC_TITLE_LENGTH = 70
_ANSWER_SECTION = "antwort"
# Ids the Drucksache template itself gives its headings (overrides/partials/drucksache-meta.html, beratungsfolge.html).
_TEMPLATE_IDS = frozenset({"angaben", "beratungsfolge"})


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str  # plain text, not escaped
    anchor: str
    level: int
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A rendered body. ``html`` still holds reference marks: see ``reference_links``."""

    html: str
    toc: tuple[TocEntry, ...]
    question_anchors: tuple[str, ...]
    references: tuple[str, ...]  # Drucksachen mentioned in the text, in order of first mention
    # The start of its plain text, enough for a description: kept with the rendered text in its cache, it is not
    # read from the HTML on every build (half a second at 10,000 Drucksachen).
    text_start: str = ""


def render_bodies(markdowns: Sequence[str]) -> list[RenderedBody]:
    """``render_body`` for each text, in order; a large archive's texts in several processes."""
    return run_in_processes(_render_batch, markdowns)


def _render_batch(markdowns: Sequence[str]) -> list[RenderedBody]:
    return [render_body(markdown) for markdown in markdowns]


def render_body(markdown: str) -> RenderedBody:
    parser = _parser()
    env: dict[str, object] = {}
    tokens = parser.parse(markdown, env)
    headings = _structure_headings(tokens)
    body_html = parser.renderer.render(tokens, parser.options, env)
    return RenderedBody(
        html=body_html,
        toc=_nest(headings),
        question_anchors=tuple(entry.anchor for entry in headings if entry.anchor.startswith("frage-")),
        references=tuple(dict.fromkeys(_references_in(tokens))),
        text_start=plain_text_start(body_html, TEXT_START_LENGTH),
    )


def _references_in(tokens: list[Token]) -> list[str]:
    return [
        child.content
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == REFERENCE_TOKEN
    ]


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.disable("image")
    parser.validateLink = is_safe_link  # type: ignore[method-assign]
    parser.inline.ruler.before("emphasis", "gender_star", _gender_star)
    parser.core.ruler.after("text_join", "drucksache_references", mark_references)
    parser.add_render_rule(REFERENCE_TOKEN, render_reference)
    return parser


def is_safe_link(url: str) -> bool:
    """Only web, mail and phone links or links without a scheme (relative, #anchor).

    markdown-it passes the normalised URL, in which a tab is already ``%09``: decode it first,
    so ``java&#9;script:`` cannot slip through as a "relative" link.
    """
    compact = re.sub(r"[\x00-\x20\x7f]", "", unquote(url)).lower()
    match = _SCHEME.match(compact)
    return match is None or match.group(1) in _ALLOWED_SCHEMES


def _gender_star(state: StateInline, silent: bool) -> bool:
    """``Akteur*innen``: a star between a letter and a lowercase letter is part of the word."""
    pos = state.pos
    if state.src[pos] != "*" or pos == 0 or pos + 1 >= state.posMax:
        return False
    before, after = state.src[pos - 1], state.src[pos + 1]
    if not (before.isalpha() and after.isalpha() and after.islower()):
        return False
    if not silent:
        state.push("text", "", 0).content = "*"
    state.pos += 1
    return True


@dataclass(frozen=True, slots=True)
class _Heading:
    title: str
    anchor: str
    level: int


def _structure_headings(tokens: list[Token]) -> list[_Heading]:
    """Shift levels, assign ids, label questions and wrap each question with its answer."""
    headings: list[_Heading] = []
    used: set[str] = set(_TEMPLATE_IDS)
    in_answer_section = False
    open_question = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "heading_open":
            index += 1
            continue
        level = max(2, int(token.tag[1]))
        inline = tokens[index + 1]
        title = _plain_text(inline)
        question = _QUESTION.match(title) if level >= 3 else None
        inserted: list[Token] = []
        if open_question and (level <= 3 or question):
            inserted.append(_html("</section>\n"))
            open_question = False
        if level == 2:
            in_answer_section = title.strip().lower().startswith(_ANSWER_SECTION)
        if question:
            number = question.group(1).rstrip(".")
            anchor = _unique("frage-" + number.replace(".", "-"), used)
            _replace_question_number(inline, question.end(), number)
            title = f"Frage {number}: {title[question.end():]}"
            inserted.append(_html(f'<section class="rd-frage" aria-labelledby="{anchor}">\n'))
            open_question = True
        else:
            anchor = _unique(slugify(title) or "abschnitt", used)
        token.tag = tokens[index + 2].tag = f"h{level}"
        token.attrSet("id", anchor)
        if question:
            token.attrSet("class", "rd-frage__text")
        tokens[index:index] = inserted
        index += len(inserted) + 3
        if question and in_answer_section:
            tokens.insert(index, _html('<p class="rd-antwort-label">Antwort</p>\n'))
            index += 1
        headings.append(_Heading(title, anchor, level))
    if open_question:
        tokens.append(_html("</section>\n"))
    return headings


def _replace_question_number(inline: Token, length: int, number: str) -> None:
    """Drop the printed number ("1. ") from the heading text and put the "Frage 1" label before it."""
    children = inline.children or []
    if children and children[0].type == "text" and len(children[0].content) >= length:
        children[0].content = children[0].content[length:]
    label = Token("html_inline", "", 0)
    # The colon is for screen readers; on screen the label stands on its own line.
    label.content = f'<span class="rd-frage__nr">Frage {html.escape(number)}<span class="rd-visually-hidden">:</span></span> '
    inline.children = [label, *children]


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline", REFERENCE_TOKEN))


def _html(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    return token


_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(text: str) -> str:
    """German-friendly URL fragment: "Überlegungen & Maßnahmen" -> "ueberlegungen-massnahmen"."""
    ascii_text = text.lower().translate(_TRANSLITERATION)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _unique(anchor: str, used: set[str]) -> str:
    candidate, counter = anchor, 2
    while candidate in used:
        candidate, counter = f"{anchor}-{counter}", counter + 1
    used.add(candidate)
    return candidate


def _nest(headings: list[_Heading]) -> tuple[TocEntry, ...]:
    """Level-2 headings at the top; deeper ones below the preceding level-2 heading."""
    top: list[tuple[_Heading, list[_Heading]]] = []
    for heading in headings:
        if heading.level == 2 or not top:
            top.append((heading, []))
        elif heading.level == 3 or heading.anchor.startswith("frage-"):
            top[-1][1].append(heading)
    return tuple(
        TocEntry(_shorten(parent.title), parent.anchor, 2, tuple(TocEntry(_shorten(c.title), c.anchor, 3) for c in children))
        for parent, children in top
    )


def _shorten(title: str) -> str:
    if len(title) <= _TOC_TITLE_LENGTH:
        return title
    cut = title[: _TOC_TITLE_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:(") + " …"
