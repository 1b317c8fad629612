"""The whole build plan: every generated page, in a deterministic order."""

from __future__ import annotations

from .catalog import Catalog
from .document_pages import plan_document_pages
from .index_pages import plan_index_pages
from .search_page import plan_search_page
from .site_pages import SitePage


def plan_site(catalog: Catalog) -> list[SitePage]:
    return [*plan_document_pages(catalog), *plan_index_pages(catalog), plan_search_page(catalog)]
