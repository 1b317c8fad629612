"""The node tree of front matter written in the plain subset of YAML that editors use, without libyaml.

Reading the front matter with libyaml was the largest part of a check (about 40 % of loading 10,000 files),
mostly the Python objects it makes for every event. Nearly every file uses only block mappings, block sequences,
unquoted single-line values and quoted ones without escapes; for those this reads the lines directly. Anything
else (a comment after a value, a value over several lines, flow brackets, escapes, tabs, anchors, tags, a
duplicate key, an indentation YAML would reject, …) gives None and libyaml reads the text (``strict_yaml``), so
a file means exactly what YAML makes of it and every problem is worded as before; the tests compare both on
every kind of line.
"""

from __future__ import annotations

import re

from .yaml_nodes import Mapping, Node, Scalar, Sequence, plain_kind

# One line: its indentation, an optional "- " (then the entry's column), and either "key:" with an optional
# value or a value alone.
_LINE = re.compile(r"( *)(?:(- +)(?=\S))?(?:([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?|(?<=- )(.*))")
# An unquoted value read without libyaml starts with none of YAML's indicators and holds no flow brackets; a
# quoted one has nothing to unescape.
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BRACKET = re.compile(r"[\[\]{}]")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_SINGLE_QUOTED = re.compile(r"'([^']*)'")
# Characters that YAML reads as line breaks, forbids, or that need a closer look (tabs).
_NOT_SIMPLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")

Entry = tuple[int, int, str | None, str | None]  # file line, column, key (None: a sequence entry), value text
_END: Entry = (0, -1, None, None)  # after the last entry: less indented than any


class _NotSimple(Exception):
    """The text leaves the subset: libyaml reads it."""


def simple_tree(text: str, first_line: int) -> Mapping | None:
    """The tree ``strict_yaml.parse_yaml`` would give for ``text`` with no problems, or None when the text is not
    plain enough to tell (then libyaml reads it)."""
    if _NOT_SIMPLE.search(text):
        return None
    try:
        entries = _entries(text, first_line)
        if entries[0][2] is None:
            return None  # nothing, or a sequence
        reader = _Reader(entries)
        root = reader.mapping(0)
        if reader.position != len(entries) - 1:
            return None  # a line that no mapping or sequence goes on with: YAML rejects it or reads it otherwise
        return root
    except _NotSimple:
        return None


def _entries(text: str, first_line: int) -> list[Entry]:
    """Each line's content, then ``_END``; "- key: value" is two entries (the sequence entry and the mapping's
    first key)."""
    entries: list[Entry] = []
    append = entries.append
    for number, line in enumerate(text.split("\n"), first_line):
        stripped = line.strip(" ")
        if not stripped or stripped[0] == "#":
            continue  # blank lines and whole-line comments mean nothing between entries
        match = _LINE.fullmatch(line.rstrip(" "))
        if match is None:
            raise _NotSimple
        indent, dash, key, value, item = match.groups()
        column = len(indent)
        if dash is not None:
            append((number, column, None, item))
            if key is None:
                continue
            column += len(dash)
        append((number, column, key, value))
    append(_END)
    return entries


class _Reader:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.position = 0

    def mapping(self, column: int) -> Mapping:
        """The keys at ``column`` from the current entry on (the first is a key there)."""
        entries = self.entries
        start_line = entries[self.position][0]
        items: list[tuple[Scalar, Node]] = []
        seen: set[str] = set()
        while True:
            line, at, key, value = entries[self.position]
            if at != column or key is None:  # the mapping ends: what follows is for the root's check
                break
            if key in seen:
                raise _NotSimple  # libyaml's path words the duplicate
            seen.add(key)
            self.position += 1
            following = entries[self.position]
            if value is not None:
                node: Node = _scalar(value, line)
            elif following[1] > column:
                node = self.sequence(following[1]) if following[2] is None else self.mapping(following[1])
            elif following[1] == column and following[2] is None:
                node = self.sequence(column)  # the entries of a sequence may stand at the key's column
            else:
                node = Scalar("", plain_kind(""), line)  # "key:" alone: null, at the key's line
            items.append((Scalar(key, plain_kind(key), line), node))
        return Mapping(tuple(items), start_line)

    def sequence(self, column: int) -> Sequence:
        entries = self.entries
        start_line = entries[self.position][0]
        items: list[Node] = []
        while True:
            line, at, key, value = entries[self.position]
            if at != column or key is not None:
                break
            self.position += 1
            following = entries[self.position]
            if value is None:  # "- key: value": a mapping starts at the key, on this line
                items.append(self.mapping(following[1]))
            else:
                items.append(_scalar(value, line))
        return Sequence(tuple(items), start_line)


def _scalar(value: str, line: int) -> Scalar:
    first = value[0]
    if first == '"':
        quoted = _DOUBLE_QUOTED.fullmatch(value)
    elif first == "'":
        quoted = _SINGLE_QUOTED.fullmatch(value)
    else:
        # Unquoted, ": " would start a mapping, " #" a comment, and a trailing ":" is a key without a value.
        if first in _PLAIN_START or ": " in value or " #" in value or value[-1] == ":" or _BRACKET.search(value):
            raise _NotSimple
        return Scalar(value, plain_kind(value), line)
    if quoted is None:
        raise _NotSimple
    return Scalar(quoted.group(1), "str", line)
