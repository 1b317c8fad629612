"""Problems found in editors' files, reported as ``path:line: field: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem in one file. ``line`` is 1-based; ``field`` names the front-matter key."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (shown on the pull request)."""
        message = _escape_annotation(f"{self.field}: {self.message}")
        path = _escape_annotation_property(self.path)
        return f"::error file={path},line={self.line},title=Drucksache::{message}"


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_annotation_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


def quote(value: object) -> str:
    """Quote a value the German way for messages: „value“."""
    return f"„{value}“"
