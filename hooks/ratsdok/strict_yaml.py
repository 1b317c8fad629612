"""Parse YAML into a small node tree that keeps line numbers and the literal text of scalars.

PyYAML's safe loader silently converts values (``012`` -> 10, ``12:30`` -> 750, ``NO`` -> False),
accepts duplicate keys (the last wins) and expands anchors. Editors' files must not change meaning
that way, so we only *compose* (libyaml when available) and let ``coerce`` decide per field, with
the schema, what a scalar may be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .problems import Problem, quote

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_TAG_PREFIX = "tag:yaml.org,2002:"
_MAY_HAVE_ANCHOR_OR_TAG = re.compile(r"[&*!]")


@dataclass(frozen=True, slots=True)
class Scalar:
    text: str
    kind: str  # what YAML would make of it: str, int, float, bool, null, timestamp
    line: int


@dataclass(frozen=True, slots=True)
class Sequence:
    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Mapping:
    entries: tuple[tuple[Scalar, Node], ...]
    line: int


Node = Scalar | Sequence | Mapping


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Node | None, list[Problem]]:
    """Compose ``text``; ``first_line`` is the file line of the text's first line.

    Returns the root node (None for an empty document or a syntax error) and all problems found.
    """
    offset = first_line
    problems: list[Problem] = []
    try:
        # Anchors (&), aliases (*) and tags (!) need these characters; most files have none.
        events = yaml.parse(text, Loader=_Loader) if _MAY_HAVE_ANCHOR_OR_TAG.search(text) else ()
        for event in events:
            line = event.start_mark.line + offset
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(path, line, "YAML", f"Verweis *{event.anchor} ist nicht erlaubt; bitte den Wert ausschreiben"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(path, line, "YAML", f"Anker &{event.anchor} ist nicht erlaubt; bitte den Wert ausschreiben"))
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                shown = "!!" + tag.removeprefix(_TAG_PREFIX) if tag.startswith(_TAG_PREFIX) else tag  # as written: !!str
                problems.append(Problem(path, line, "YAML", f"Typangabe {shown} ist nicht erlaubt; bitte entfernen (Text bei Bedarf in Anführungszeichen setzen)"))
        if problems:
            return None, problems
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        # An unclosed quote or bracket is found at the end of the text or of the next line; its opening
        # line is more helpful.
        unclosed = "end of stream" in (error.problem or "") or "flow" in (error.context or "")
        mark = (error.context_mark if unclosed else None) or error.problem_mark or error.context_mark
        line = (mark.line if mark else 0) + offset
        return None, [Problem(path, line, "YAML", _german_syntax_error(error))]
    except yaml.YAMLError as error:  # e.g. unreadable characters
        return None, [Problem(path, offset, "YAML", f"Die Datei ist kein gültiges YAML ({error})")]
    if root is None:
        return None, []
    return _convert(root, path, offset, problems), problems


def _convert(node: yaml.Node, path: str, offset: int, problems: list[Problem]) -> Node:
    line = node.start_mark.line + offset
    if isinstance(node, yaml.ScalarNode):
        kind = "str" if node.style else node.tag.removeprefix(_TAG_PREFIX)
        return Scalar(node.value, kind, line)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(item, path, offset, problems) for item in node.value), line)
    entries: list[tuple[Scalar, Node]] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, path, offset, problems)
        if not isinstance(key, Scalar):
            problems.append(Problem(path, key.line, "YAML", "Ein Schlüssel muss ein einfacher Name sein"))
            continue
        if key.text in seen:
            problems.append(
                Problem(path, key.line, key.text, f"Feld doppelt vorhanden (zuerst in Zeile {seen[key.text]}); bitte nur einmal angeben")
            )
            continue
        seen[key.text] = key.line
        entries.append((key, _convert(value_node, path, offset, problems)))
    return Mapping(tuple(entries), line)


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
