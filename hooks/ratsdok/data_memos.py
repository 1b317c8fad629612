"""mkdocs serve: the exports and OParl objects of each Drucksache, kept from one build's data files to the next.

Each build makes its data files with the memos of the last (``memos_after``), so a save makes only what it changed.
The first build of a server makes its data files in a second process, which leaves the server nothing to take: its
first save made every export and OParl object again (3–4 s at 10,000 Drucksachen, and a second save soon after it
waited for that). ``made_ahead`` makes them in the server's process after the first build, while the editor reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .catalog import Catalog
from .document_memo import DocumentMemo
from .exports import export_text
from .oparl import DocumentObjects, document_objects

DataMemos = tuple[DocumentMemo[str], DocumentMemo[DocumentObjects]]  # the exports' and the OParl objects'


def memos_after(catalog: Catalog, base_url: str, earlier: DataMemos | None) -> DataMemos:
    """Memos for the data files of ``catalog`` that take what ``earlier`` made where it still holds."""
    return (
        DocumentMemo(catalog, base_url, earlier[0] if earlier is not None else None),
        DocumentMemo(catalog, base_url, earlier[1] if earlier is not None else None),
    )


def made_ahead(catalog: Catalog, base_url: str, earlier: DataMemos | None, stop: Callable[[], bool]) -> DataMemos:
    """Memos holding the export and the OParl objects of every Drucksache of ``catalog``, as ``plan_exports`` and
    ``plan_oparl`` make them, or of those made before ``stop()`` said so (asked before each Drucksache)."""
    exports, objects = memos_after(catalog, base_url, earlier)
    make_objects = document_objects(catalog, base_url)
    for doc in catalog.documents:
        if stop():
            break
        exports.get(doc, partial(export_text, catalog, doc, base_url))
        objects.get(doc, partial(make_objects, doc))
    exports.done()
    objects.done()
    return exports, objects
