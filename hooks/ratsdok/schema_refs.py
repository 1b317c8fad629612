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


def inline_local_refs(node: Any, root: dict[str, Any]) -> Any:
    """``node`` with every local ``$ref`` replaced by its target and ``$defs`` dropped.

    Resolving the references once per schema, not once per value, saves a dictionary per value.
    """
    if isinstance(node, list):
        return [inline_local_refs(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    node = resolve_local_ref(node, root)
    return {key: inline_local_refs(value, root) for key, value in node.items() if key != "$defs"}
