"""The node tree that front matter and registers are read into: each scalar's literal text, what YAML would make
of it, and its line (``strict_yaml`` and ``simple_yaml`` build it, ``coerce`` reads it with the schema)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

TAG_PREFIX = "tag:yaml.org,2002:"
# The implicit types of unquoted scalars by first character, as YAML 1.1 and PyYAML's safe loader read them.
_IMPLICIT_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers


# Not frozen: building a frozen dataclass took three times as long (1.1 µs against 0.35 µs), for some 40 scalars
# per file. Nothing changes a node once its tree is built.
@dataclass(slots=True)
class Scalar:
    text: str
    kind: str  # what YAML would make of it: str, int, float, bool, null, timestamp
    line: int


@dataclass(slots=True)
class Sequence:
    items: tuple[Node, ...]
    line: int


@dataclass(slots=True)
class Mapping:
    entries: tuple[tuple[Scalar, Node], ...]
    line: int


Node = Scalar | Sequence | Mapping


@lru_cache(maxsize=4096)  # keys and many values repeat from file to file
def plain_kind(value: str, plain: bool = True) -> str:
    """What YAML makes of an unquoted scalar (``plain``: not marked as text): str, int, float, bool, null, timestamp, …"""
    if plain:
        for tag, pattern in _IMPLICIT_RESOLVERS.get(value[:1], ()):
            if pattern.match(value):
                return str(tag).removeprefix(TAG_PREFIX)
    return "str"
