"""mkdocs serve: what is made from one Drucksache and the Drucksachen around it, taken again from the last build
while all of that is equal (a save changes one Drucksache; making every export and OParl object again took 4 s
of each save at 10,000).

What a Drucksache's page, export or OParl objects show of other Drucksachen is reached by number (its inquiry,
its ``bezuege``, the numbers in its text), as its answers, or as the Drucksachen mentioning it:
``document_inputs`` holds exactly these, so a changed, added or removed neighbour changes the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .catalog import Catalog
from .model import Drucksache

Made = TypeVar("Made")


def document_inputs(doc: Drucksache, catalog: Catalog) -> tuple[Any, ...]:
    return (doc, catalog.bodies[doc.reference], *document_neighbours(doc, catalog))


def document_neighbours(doc: Drucksache, catalog: Catalog) -> tuple[Any, ...]:
    """The other Drucksachen that what is made of ``doc`` may show: those its inquiry, its ``bezuege`` and its text
    name (None for a number not published), its answers, those mentioning it."""
    body = catalog.bodies[doc.reference]
    linked = tuple(catalog.by_reference.get(reference) for reference in (doc.answers, *doc.related, *body.references) if reference)
    return (linked, catalog.answers_to.get(doc.reference), catalog.mentioned_in.get(doc.reference))


class DocumentMemo(Generic[Made]):
    """One kind of result per Drucksache for one build; ``shared``: what else every result depends on (the
    registers and build date are added); ``earlier``: the memo of the last build in this process; ``keep``: False
    when no later build will ask (a single build then only makes each result)."""

    def __init__(self, catalog: Catalog, shared: object, earlier: DocumentMemo[Made] | None = None, *, keep: bool = True) -> None:
        self._catalog = catalog
        self._shared = (shared, catalog.registers, catalog.today)
        self._last = earlier._made if earlier is not None and earlier._shared == self._shared else {}
        self._keep = keep
        self._made: dict[str, tuple[tuple[Any, ...], Made]] = {}
        self.made = 0  # results made in this build (not taken from the last)

    def shares_with(self, other: DocumentMemo[Any]) -> bool:
        """Whether both were made for the same shared inputs (settings, registers, build date)."""
        return self._shared == other._shared

    def get(self, doc: Drucksache, make: Callable[[], Made], also: tuple[Any, ...] = ()) -> Made:
        """``also``: what else this result depends on besides ``document_inputs`` and what is shared."""
        if not self._keep and not self._last:
            self.made += 1
            return make()
        inputs = (*document_inputs(doc, self._catalog), *also)
        last = self._last.get(doc.reference)
        if last is not None and last[0] == inputs:
            result = last[1]
        else:
            self.made += 1
            result = make()
        if self._keep:
            self._made[doc.reference] = (inputs, result)
        return result

    def done(self) -> None:
        """All results are made: the last build's are let go."""
        self._last = {}
