"""mkdocs serve: the index pages of the last build, taken again while everything they list is the same.

Index pages show of each Drucksache its number, title, date, type and answer times, never its text, which is
what a save mostly changes; planning the 900 index pages of 10,000 Drucksachen took about a second of each save.
They are taken again while the build date, the registers and the Drucksachen (in order, but for their texts) are
equal; the unchanged Drucksachen are the same objects as in the last build (ratsdok.load_cache), so comparing
costs little.
"""

from __future__ import annotations

from .catalog import Catalog
from .index_pages import plan_index_pages
from .model import Drucksache, Registers, without_text
from .site_pages import SitePage

Listed = tuple[object, Registers, tuple[Drucksache, ...]]  # the build date, the registers, the Drucksachen


class IndexPagesMemo:
    def __init__(self) -> None:
        self._last: tuple[Listed, list[SitePage]] | None = None
        self.taken = False  # whether the last call took the last build's pages

    def plan(self, catalog: Catalog) -> list[SitePage]:
        listed: Listed = (catalog.today, catalog.registers, catalog.documents)
        last = self._last
        self.taken = last is not None and _alike(last[0], listed)
        pages = last[1] if last is not None and self.taken else plan_index_pages(catalog)
        self._last = (listed, pages)
        return pages


def _alike(last: Listed, now: Listed) -> bool:
    (last_date, last_registers, last_documents), (date, registers, documents) = last, now
    if date != last_date or registers != last_registers or len(documents) != len(last_documents):
        return False
    return all(doc is before or without_text(doc) == without_text(before) for doc, before in zip(documents, last_documents, strict=True))
