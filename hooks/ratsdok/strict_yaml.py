"""Parse YAML into a small node tree that keeps line numbers and the literal text of scalars.

PyYAML's safe loader silently converts values (``012`` -> 10, ``12:30`` -> 750, ``NO`` -> False),
accepts duplicate keys (the last wins) and expands anchors. Editors' files must not change meaning
that way, so we only *compose* (libyaml when available) and let ``coerce`` decide per field, with
the schema, what a scalar may be. Front matter in YAML's plain subset, nearly every file, is read to the
same tree without libyaml (``simple_yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.composer import ComposerError

from .problems import Problem, quote
from .simple_yaml import simple_tree
from .yaml_nodes import TAG_PREFIX, Mapping, Node, Scalar, Sequence, plain_kind

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_MAY_HAVE_ANCHOR_OR_TAG = re.compile(r"[&*!]")


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Node | None, list[Problem]]:
    """Compose ``text``; ``first_line`` is the file line of the text's first line.

    Returns the root node (None for an empty document or a syntax error) and all problems found.
    """
    simple = simple_tree(text, first_line)  # most front matter: read without libyaml, to the same tree
    if simple is not None:
        return simple, []
    return read_with_libyaml(text, path, first_line)


def read_with_libyaml(text: str, path: str, first_line: int = 1) -> tuple[Node | None, list[Problem]]:
    """``parse_yaml`` for any text (the tests compare ``simple_tree`` with it)."""
    # Anchors (&), aliases (*) and tags (!) need these characters; most files have none. Where they may
    # occur, the whole stream is read so that every one of them is reported.
    builder = _TreeBuilder(_Loader(text), path, first_line, read_all=bool(_MAY_HAVE_ANCHOR_OR_TAG.search(text)))
    try:
        root = builder.build()
    except yaml.MarkedYAMLError as error:
        # An unclosed quote or bracket is found at the end of the text or of the next line; its opening
        # line is more helpful.
        unclosed = "end of stream" in (error.problem or "") or "flow" in (error.context or "")
        mark = (error.context_mark if unclosed else None) or error.problem_mark or error.context_mark
        line = (mark.line if mark else 0) + first_line
        return None, [Problem(path, line, "YAML", _german_syntax_error(error))]
    except yaml.YAMLError as error:  # e.g. unreadable characters
        return None, [Problem(path, first_line, "YAML", f"Die Datei ist kein gültiges YAML ({error})")]
    finally:
        builder.events.dispose()
    if builder.forbidden:
        return None, builder.forbidden
    return root, builder.problems


class _TreeBuilder:
    """Builds the node tree straight from the parser's events (a composer of our own).

    PyYAML's composer would first build its own nodes and resolve a tag for every one of them; doing it
    here in one pass costs half as much, and the anchor, alias and tag checks ride along.
    """

    def __init__(self, events: Any, path: str, offset: int, read_all: bool) -> None:
        self.events = events
        # Without &, * or ! in the text there is nothing forbidden to look for.
        self._next: Callable[[], Any] = self._next_checked if read_all else events.get_event
        self.read_all = read_all
        self.path = path
        self.offset = offset
        self.problems: list[Problem] = []  # duplicate or complex keys: reported with the tree
        self.forbidden: list[Problem] = []  # anchors, aliases, tags: the tree is not used

    def build(self) -> Node | None:
        self._next()  # stream start
        event = self._next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        document_start = event
        root = self._node(self._next(), self.problems)
        self._next()  # document end
        event = self._next()
        second_document = None if isinstance(event, yaml.StreamEndEvent) else event
        while self.read_all and event is not None:
            event = self._next()
        if second_document is not None and not self.forbidden:
            raise ComposerError(
                "expected a single document in the stream", document_start.start_mark, "but found another document", second_document.start_mark
            )
        return root

    def _next_checked(self) -> Any:
        event = self.events.get_event()
        if event is not None:
            self._check_forbidden(event)
        return event

    def _check_forbidden(self, event: Any) -> None:
        line = event.start_mark.line + self.offset
        if isinstance(event, yaml.AliasEvent):
            self.forbidden.append(Problem(self.path, line, "YAML", f"Verweis *{event.anchor} ist nicht erlaubt; bitte den Wert ausschreiben"))
        elif getattr(event, "anchor", None):
            self.forbidden.append(Problem(self.path, line, "YAML", f"Anker &{event.anchor} ist nicht erlaubt; bitte den Wert ausschreiben"))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            shown = "!!" + tag.removeprefix(TAG_PREFIX) if tag.startswith(TAG_PREFIX) else tag  # as written: !!str
            self.forbidden.append(Problem(self.path, line, "YAML", f"Typangabe {shown} ist nicht erlaubt; bitte entfernen (Text bei Bedarf in Anführungszeichen setzen)"))

    # The hot loop of every check: classes compared by identity, the common scalar case inline.
    def _node(self, event: Any, problems: list[Problem]) -> Node:
        line = event.start_mark.line + self.offset
        kind = event.__class__
        if kind is _ScalarEvent:
            return Scalar(event.value, "str" if event.style else plain_kind(event.value, event.implicit[0]), line)
        if kind is _SequenceStartEvent:
            items = []
            next_event = self._next
            while (event := next_event()).__class__ is not _SequenceEndEvent:
                items.append(self._node(event, problems))
            return Sequence(tuple(items), line)
        if kind is _MappingStartEvent:
            return self._mapping(line, problems)
        return Scalar("", "null", line)  # an alias: reported as forbidden, the tree is not used

    def _mapping(self, line: int, problems: list[Problem]) -> Mapping:
        entries: list[tuple[Scalar, Node]] = []
        seen: dict[str, int] = {}
        next_event = self._next
        while (event := next_event()).__class__ is not _MappingEndEvent:
            key = self._node(event, problems)
            if not isinstance(key, Scalar):
                problems.append(Problem(self.path, key.line, "YAML", "Ein Schlüssel muss ein einfacher Name sein"))
                self._node(next_event(), [])  # the value of a rejected key is not checked
                continue
            if key.text in seen:
                problems.append(
                    Problem(self.path, key.line, key.text, f"Feld doppelt vorhanden (zuerst in Zeile {seen[key.text]}); bitte nur einmal angeben")
                )
                self._node(next_event(), [])
                continue
            seen[key.text] = key.line
            entries.append((key, self._node(next_event(), problems)))
        return Mapping(tuple(entries), line)


_ScalarEvent, _SequenceStartEvent, _SequenceEndEvent = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent


_INDENTATION_OR_TRAILING_TEXT = (
    "Einrückung stimmt nicht (Einträge derselben Ebene müssen genau gleich weit eingerückt sein) oder nach einem Wert "
    "in Anführungszeichen oder eckigen Klammern folgt noch Text (dann den ganzen Wert in Anführungszeichen setzen)"
)
_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "Doppelpunkt an unerwarteter Stelle; einen Wert mit „: “ bitte in Anführungszeichen setzen (oder ist die Zeile zu weit eingerückt?)",
    ),
    ("tab character", "Tabulator in der Einrückung; bitte nur Leerzeichen verwenden"),
    ("cannot start any token", "Zeichen, mit dem kein Wert beginnen darf (Tabulator, @ oder `); bitte Leerzeichen verwenden oder den Wert in Anführungszeichen setzen"),
    ("could not find expected ':'", "Doppelpunkt nach dem Feldnamen fehlt"),
    ("found unexpected end of stream", "Anführungszeichen oder Klammer nicht geschlossen"),
    ("found unexpected end", "Anführungszeichen oder Klammer nicht geschlossen"),
    ("expected <block end>", _INDENTATION_OR_TRAILING_TEXT),
    ("did not find expected key", _INDENTATION_OR_TRAILING_TEXT),
    ("did not find expected '-' indicator", "Listeneintrag ohne „- “ oder mit falscher Einrückung"),
    ("found unknown escape character", "unbekannte Escape-Sequenz (\\) in doppelten Anführungszeichen; einfache Anführungszeichen verwenden"),
    ("expected hexdecimal number", "unbekannte Escape-Sequenz (\\) in doppelten Anführungszeichen; einfache Anführungszeichen verwenden"),
    ("did not find expected ',' or", "Klammer „[“ oder „{“ nicht geschlossen oder Komma fehlt; Text, der mit einer Klammer beginnt, bitte in Anführungszeichen setzen"),
    ("expected a single document", "mehr als ein YAML-Dokument; eine Zeile „---“ darf hier nicht vorkommen"),
)


def _german_syntax_error(error: yaml.MarkedYAMLError) -> str:
    original = f"{error.context or ''} {error.problem or ''}".strip()
    for needle, hint in _SYNTAX_HINTS:
        if needle in original:
            return f"YAML-Syntaxfehler: {hint}"
    return f"YAML-Syntaxfehler ({quote(original)})"
