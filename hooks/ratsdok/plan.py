"""The whole build plan: every generated page, in a deterministic order."""

from __future__ import annotations

from .catalog import Catalog
from .document_pages import plan_document_pages
from .index_memo import IndexPagesMemo
from .index_pages import plan_index_pages
from .search_page import plan_search_page
from .site_pages import SitePage


def plan_site(catalog: Catalog, index_pages: IndexPagesMemo | None = None) -> list[SitePage]:
    """``index_pages``: the index pages of the last build in this process (mkdocs serve), taken where alike."""
    listed = index_pages.plan(catalog) if index_pages is not None else plan_index_pages(catalog)
    return [*plan_document_pages(catalog), *listed, plan_search_page(catalog)]
