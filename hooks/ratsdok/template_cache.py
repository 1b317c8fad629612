"""The compiled Jinja templates of the theme, kept between builds.

Apart from the other caches (ratsdok.build_cache): the loader and ``drucksache.py check`` need no Jinja.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from jinja2.bccache import Bucket, FileSystemBytecodeCache

TEMPLATES_FOLDER = "vorlagen"


class TemplateCache(FileSystemBytecodeCache):
    """Compiled Jinja templates, keyed by their source (compiling the theme's about 50 templates takes half a second
    of every build). Like every cache here, one that cannot be written only costs time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

    @classmethod
    def open(cls, folder: Path) -> TemplateCache | None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return cls(str(folder))
