"""Mark references to Drucksachen while rendering; turn the marks into links per build.

Rendering a body does not depend on which other documents exist, so a rendered body can be cached
by its content. The marks (``\\x00REF 14/1780\\x00``; NUL never survives Markdown parsing) are
resolved afterwards: a link when the document is published, the plain number otherwise. The set of
marks is exactly the set of references, so links and "Erwähnt in" lists cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .references import find_references

REFERENCE_TOKEN = "drucksache_ref"
_MARK = re.compile("\x00REF ([0-9/\\-]+)\x00")


def mark_references(state: StateCore) -> None:
    """Core rule: split text tokens outside links at each reference into a reference token."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for child in block.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type != "text" or link_depth:
                children.append(child)
                continue
            children.extend(_split_text(child))
        block.children = children


def _split_text(token: Token) -> list[Token]:
    text = token.content
    mentions = find_references(text)
    if not mentions:
        return [token]
    parts: list[Token] = []
    position = 0
    for mention in mentions:
        if mention.start > position:
            parts.append(_text(text[position : mention.start]))
        reference = Token(REFERENCE_TOKEN, "", 0)
        reference.content = mention.reference
        parts.append(reference)
        position = mention.end
    if position < len(text):
        parts.append(_text(text[position:]))
    return parts


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def render_reference(
    self: RendererProtocol, tokens: Sequence[Token], index: int, options: OptionsDict, env: EnvType
) -> str:
    return f"\x00REF {tokens[index].content}\x00"


def resolve_references(html: str, href_for: Callable[[str], str | None]) -> str:
    """Replace each mark with a link (``href_for`` gives the href) or the plain number."""

    def replace(match: re.Match[str]) -> str:
        reference = match.group(1)
        href = href_for(reference)
        if href is None:
            return reference
        return f'<a class="rd-verweis" href="{href}">{reference}</a>'

    return _MARK.sub(replace, html)
