"""Turn a YAML node tree into plain JSON-like values, guided by the JSON Schema.

A plain scalar that YAML would read as something other than text (``012``, ``12:30``, ``nein``,
``1.10``) is accepted only where the schema expects exactly that; where text is expected it is
rejected with a hint to quote it, never converted. The result keeps the source line of every
value so later checks can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .problems import Problem, quote
from .schema_refs import resolve_local_ref
from .yaml_nodes import Mapping, Node, Scalar, Sequence

JsonPath = tuple[str | int, ...]

_PLAIN_INTEGER = re.compile(r"[1-9][0-9]*|0")
_KIND_NAMES = {
    "int": "Zahl",
    "float": "Kommazahl",
    "bool": "Wahrheitswert (ja/nein)",
    "timestamp": "Datum/Uhrzeit",
    "null": "leerer Wert",
    "value": "Sonderzeichen",
    "merge": "Zusammenführung (<<)",
}


@dataclass(slots=True)
class Coerced:
    value: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: JsonPath) -> int:
        """Line of the nearest enclosing value that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def field_name(path: JsonPath) -> str:
    """``("beratungsfolge", 0, "gremium")`` -> ``beratungsfolge[1].gremium`` (1-based for editors)."""
    name = ""
    for part in path:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "Front Matter"


def coerce(node: Node, schema: dict[str, Any], path: str, root_line: int = 1) -> Coerced:
    result = Coerced(value=None, lines={(): root_line})
    result.value = _coerce(node, schema, schema, (), path, result)
    return result


def _coerce(node: Node, sub: dict[str, Any] | None, root: dict[str, Any], at: JsonPath, path: str, out: Coerced) -> Any:
    out.lines.setdefault(at, node.line)
    if isinstance(node, Mapping):
        value = {}
        for key, child in node.entries:
            out.lines[(*at, key.text)] = key.line
            value[key.text] = _coerce(child, _child_schema(sub, root, key.text), root, (*at, key.text), path, out)
        return value
    if isinstance(node, Sequence):
        item_schema = _child_schema(sub, root, 0)
        result = []
        for index, child in enumerate(node.items):
            out.lines[(*at, index)] = child.line
            result.append(_coerce(child, item_schema, root, (*at, index), path, out))
        return result
    return _coerce_scalar(node, _resolve(sub, root), at, path, out)


def _coerce_scalar(node: Scalar, sub: dict[str, Any] | None, at: JsonPath, path: str, out: Coerced) -> Any:
    expected = (sub or {}).get("type")
    text = node.text.strip()
    if node.kind == "str":
        return text
    if node.kind == "null":
        return None
    if node.kind == "int" and expected == "integer":
        return int(text)
    if node.kind == "bool" and expected == "boolean" and text in ("true", "false"):
        return text == "true"
    if node.kind == "timestamp" and (sub or {}).get("format") == "date":
        return text  # checked as a date by the schema's format
    if node.kind == "int" and expected in ("string", None) and _PLAIN_INTEGER.fullmatch(text):
        return text  # "5" means 5 either way: nothing is lost
    out.problems.append(
        Problem(
            path,
            node.line,
            field_name(at),
            f"{quote(text)} würde von YAML als {_KIND_NAMES.get(node.kind, node.kind)} gelesen; "
            f'bitte in Anführungszeichen schreiben: "{text}"',
        )
    )
    return text


def _resolve(sub: dict[str, Any] | None, root: dict[str, Any]) -> dict[str, Any] | None:
    return None if sub is None else resolve_local_ref(sub, root)


def _child_schema(sub: dict[str, Any] | None, root: dict[str, Any], key: str | int) -> dict[str, Any] | None:
    sub = _resolve(sub, root)
    if sub is None:
        return None
    if isinstance(key, int):
        items = sub.get("items")
        return items if isinstance(items, dict) else None
    child = sub.get("properties", {}).get(key)
    return child if isinstance(child, dict) else None
