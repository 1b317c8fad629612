"""German display of numbers: ``10000`` -> "10.000", ``12.5`` -> "12,5" (a full stop groups the thousands, a comma
starts the decimals, as German readers expect)."""

from __future__ import annotations


def german_number(value: float) -> str:
    """Whole numbers without decimals, others with one (medians of days may be halves)."""
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"
    return text.translate(_GERMAN_MARKS)


_GERMAN_MARKS = str.maketrans({",": ".", ".": ","})
