"""A fast yes/no check against a JSON Schema, compiled once, for the common case of a valid file.

jsonschema's general validator costs about as much as everything else in loading a file. Almost
every file is valid, so the loader asks this predicate first and runs jsonschema (with its exact
error wording) only when the predicate says no. The predicate is sound but not complete: ``True``
means jsonschema would find no error; ``False`` only means "ask jsonschema". A keyword it does not
know, or a value it is unsure about, therefore yields ``False``, never a wrong ``True``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .schema_refs import resolve_local_ref

Predicate = Callable[[Any], bool]

# Keywords that only describe or name things: they never make an instance invalid.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "x-fehlermeldung"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TYPES: dict[str, type] = {"string": str, "array": list, "object": dict}


def compile_predicate(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Predicate:
    """``schema`` as a function of an instance; ``root`` resolves local ``$ref``s (default: ``schema``)."""
    root = schema if root is None else root
    schema = resolve_local_ref(schema, root)
    checks: list[Predicate] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        check = _compile_keyword(keyword, value, schema, root)
        if check is None:
            return _never
        checks.append(check)
    return _all_of(checks)


def _all_of(checks: list[Predicate]) -> Predicate:
    # Most schemas have one to three keywords: calling them directly saves a generator per value.
    if not checks:
        return lambda instance: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda instance: first(instance) and second(instance)
    return lambda instance: all(check(instance) for check in checks)


def _never(instance: Any) -> bool:
    return False


def _compile_keyword(keyword: str, value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Predicate | None:
    """One keyword as a predicate, or None when it is not supported here."""
    if keyword == "type":
        # "integer", "number", "boolean", "null" and lists of types have subtleties (True is not 1): ask jsonschema.
        expected = _TYPES.get(value) if isinstance(value, str) else None
        return None if expected is None else (lambda instance: type(instance) is expected)
    if keyword == "enum":
        if not all(isinstance(item, str) for item in value):
            return None
        allowed = frozenset(value)
        return lambda instance: isinstance(instance, str) and instance in allowed
    if keyword == "required":
        names = tuple(value)
        return lambda instance: not isinstance(instance, dict) or all(name in instance for name in names)
    if keyword == "properties":
        return _compile_properties(value, root)
    if keyword == "additionalProperties":
        return _compile_additional(value, schema)
    if keyword == "items":
        return _compile_items(value, root) if isinstance(value, dict) else None
    if keyword in ("minLength", "maxLength", "minItems", "minProperties"):
        return _compile_size(keyword, value)
    if keyword == "pattern":
        search = re.compile(value).search
        return lambda instance: not isinstance(instance, str) or search(instance) is not None
    if keyword == "format":
        return _is_date if value == "date" else None
    if keyword == "uniqueItems":
        return _unique_strings if value is True else None
    if keyword == "oneOf":
        return _compile_one_of(value, root)
    return None


def _compile_one_of(options: list[Any], root: dict[str, Any]) -> Predicate | None:
    """Counting valid options needs exact predicates, not merely sound ones: only "required" options are."""
    if not all(isinstance(option, dict) and set(option) == {"required"} for option in options):
        return None
    compiled = tuple(compile_predicate(option, root) for option in options)
    return lambda instance: sum(1 for option in compiled if option(instance)) == 1


def _compile_properties(properties: dict[str, Any], root: dict[str, Any]) -> Predicate:
    compiled = {name: compile_predicate(sub, root) for name, sub in properties.items()}

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        return all(compiled[name](item) for name, item in instance.items() if name in compiled)

    return check


def _compile_additional(value: Any, schema: dict[str, Any]) -> Predicate | None:
    if value is not False or "patternProperties" in schema:
        return None
    allowed = frozenset(schema.get("properties", {}))
    return lambda instance: not isinstance(instance, dict) or allowed.issuperset(instance)


def _compile_items(items: dict[str, Any], root: dict[str, Any]) -> Predicate:
    item = compile_predicate(items, root)
    return lambda instance: not isinstance(instance, list) or all(item(each) for each in instance)


def _compile_size(keyword: str, limit: int) -> Predicate:
    kind = {"minLength": str, "maxLength": str, "minItems": list, "minProperties": dict}[keyword]
    at_most = keyword == "maxLength"
    return lambda instance: not isinstance(instance, kind) or (len(instance) <= limit if at_most else len(instance) >= limit)


def _is_date(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE.fullmatch(instance):
        return False
    try:
        dt.date.fromisoformat(instance)
    except ValueError:
        return False
    return True


def _unique_strings(instance: Any) -> bool:
    if not isinstance(instance, list):
        return True
    # Only strings are compared here; jsonschema's equality of mixed values (1 and True) is left to it.
    return all(isinstance(item, str) for item in instance) and len(set(instance)) == len(instance)

