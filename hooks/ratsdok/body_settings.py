"""The publishing body from ``extra.koerperschaft`` in ``mkdocs.yml``, read once for OParl and JSON-LD."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class BodyConfigError(ValueError):
    """``extra.koerperschaft`` lacks what the Body object needs."""


@dataclass(frozen=True, slots=True)
class BodyInfo:
    name: str
    short_name: str | None
    website: str | None = None  # the body's own website (not this site)


def body_info(extra: dict[str, Any]) -> BodyInfo:
    """The Body from ``extra.koerperschaft`` in ``mkdocs.yml``: ``name``, optional ``kurzname`` and ``website``."""
    settings = extra.get("koerperschaft")
    settings = settings if isinstance(settings, dict) else {}
    name, short_name, website = (_text_setting(settings, key) for key in ("name", "kurzname", "website"))
    if name is None:
        raise BodyConfigError("extra.koerperschaft.name: fehlt (erwartet der Name der Körperschaft, z. B. 'Regionalverband Ruhr')")
    if website is not None and (urlsplit(website).scheme not in ("http", "https") or not urlsplit(website).netloc):
        raise BodyConfigError(f"extra.koerperschaft.website: {website!r} ist keine absolute http(s)-Adresse (erwartet z. B. 'https://www.rvr.ruhr/')")
    return BodyInfo(name, short_name, website)


def _text_setting(settings: dict[str, Any], key: str) -> str | None:
    value = settings.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None
