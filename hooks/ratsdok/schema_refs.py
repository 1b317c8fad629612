"""Local ``$ref`` resolution shared by the coercion step and the validator (one level of ``#/$defs/…``)."""

from __future__ import annotations

from typing import Any


def resolve_local_ref(sub: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """``sub`` with its ``$ref`` replaced by the target, keywords beside the ``$ref`` winning."""
    if "$ref" not in sub:
        return sub
    target: Any = root
    for part in sub["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return {**target, **{key: value for key, value in sub.items() if key != "$ref"}}
