"""German date display: ``2025-06-04`` -> "4. Juni 2025"."""

from __future__ import annotations

import datetime as dt

_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def german_date(date: dt.date) -> str:
    return f"{date.day}. {_MONTHS[date.month - 1]} {date.year}"
