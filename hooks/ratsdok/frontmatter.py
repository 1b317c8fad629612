"""Split a Drucksache file into its YAML front matter and Markdown body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Problem

_DELIMITER = "---"


@dataclass(frozen=True, slots=True)
class SplitFile:
    front_matter: str
    front_matter_line: int  # file line of the front matter's first line
    body: str
    body_line: int  # file line of the body's first line


def normalise_text(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM) and unify line endings (Windows files are common)."""
    text = raw.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str) -> tuple[SplitFile | None, list[Problem]]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _DELIMITER:
        return None, [
            Problem(path, 1, "Front Matter", "Die Datei muss mit einer Zeile „---“ beginnen, gefolgt von den Kopfdaten (YAML)")
        ]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_DELIMITER, "..."):
            return (
                SplitFile(
                    front_matter="\n".join(lines[1:index]) + "\n",
                    front_matter_line=2,
                    body="\n".join(lines[index + 1 :]),
                    body_line=index + 2,
                ),
                [],
            )
    return None, [Problem(path, 1, "Front Matter", "Das Ende der Kopfdaten fehlt: eine Zeile „---“ nach dem YAML")]
