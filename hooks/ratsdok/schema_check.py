"""Validate coerced front matter against the JSON Schema and word each error in German."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .coerce import Coerced, JsonPath, field_name
from .problems import Problem, quote
from .schema_predicate import Predicate, compile_predicate
from .schema_refs import inline_local_refs

if TYPE_CHECKING:
    import jsonschema

_TYPE_NAMES = {
    "string": "Text",
    "array": "Liste (Einträge mit „- “)",
    "object": "Zuordnung (Felder mit „name: wert“)",
    "integer": "ganze Zahl",
    "boolean": "Wahrheitswert",
    "null": "leer",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in ``ratsdok/schema/`` (``drucksache`` or ``register``)."""
    text = resources.files(__package__).joinpath("schema", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def load_inlined_schema(name: str) -> dict[str, Any]:
    """``load_schema(name)`` with its local ``$ref``s resolved once (for checking many values)."""
    schema = load_schema(name)
    inlined: dict[str, Any] = inline_local_refs(schema, schema)
    return inlined


@cache
def _validator(name: str) -> Any:
    import jsonschema  # only for files with errors: importing it costs every check a tenth of a second

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(load_inlined_schema(name), format_checker=cls.FORMAT_CHECKER)


@cache
def _is_certainly_valid(name: str) -> Predicate:
    return compile_predicate(load_inlined_schema(name))


def validate_against_schema(coerced: Coerced, schema_name: str, path: str) -> list[Problem]:
    if _is_certainly_valid(schema_name)(coerced.value):
        return []  # the common case; jsonschema below words the errors of the rest
    problems = []
    for error in _validator(schema_name).iter_errors(coerced.value):
        at: JsonPath = tuple(error.absolute_path)
        problems.extend(_describe(error, at, coerced, path))
    return problems


def _describe(error: jsonschema.ValidationError, at: JsonPath, coerced: Coerced, path: str) -> list[Problem]:
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    line = coerced.line_of(at)
    instance = error.instance
    if kind == "required":
        missing = [name for name in error.validator_value if name not in instance]
        return [Problem(path, line, field_name((*at, name)), "Pflichtfeld fehlt") for name in missing]
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        return [
            Problem(path, coerced.line_of((*at, name)), field_name((*at, name)), _unknown_field(name, allowed))
            for name in instance
            if name not in allowed
        ]
    return [Problem(path, line, field_name(at), _message(kind, error, schema, instance))]


def _unknown_field(name: str, allowed: list[str]) -> str:
    message = "unbekanntes Feld"
    close = difflib.get_close_matches(name.lower(), allowed, n=1, cutoff=0.6)
    if close:
        message += f"; meinten Sie {quote(close[0])}?"
    return f"{message} (erlaubt: {', '.join(allowed)})"


def _message(kind: str, error: jsonschema.ValidationError, schema: dict[str, Any], instance: Any) -> str:
    custom = str(schema.get("x-fehlermeldung", ""))
    if instance is None:
        return "Wert fehlt (das Feld ist leer)"
    if kind == "type":
        expected = error.validator_value
        names = [_TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)]
        return f"erwartet {' oder '.join(names)}, gefunden {_describe_value(instance)}"
    if kind == "enum":
        allowed = ", ".join(quote(v) for v in error.validator_value)
        return f"{quote(instance)} ist kein erlaubter Wert (erlaubt: {allowed})"
    if kind in ("pattern", "format") and custom:
        return f"{quote(instance)} {custom}"
    if kind in ("oneOf", "anyOf") and custom:
        return custom
    if kind == "minLength":
        return "darf nicht leer sein"
    if kind == "maxLength":
        return f"ist zu lang ({len(instance)} Zeichen, höchstens {error.validator_value})"
    if kind == "minItems":
        return f"braucht mindestens {error.validator_value} Eintrag/Einträge"
    if kind == "minProperties":
        return "darf nicht leer sein"
    if kind == "uniqueItems":
        return "enthält einen Eintrag doppelt"
    return f"ungültiger Wert ({error.message})"


def _describe_value(value: Any) -> str:
    if isinstance(value, dict):
        return "eine Zuordnung"
    if isinstance(value, list):
        return "eine Liste"
    return quote(value)
