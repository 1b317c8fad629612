"""Read mkdocs.yml without MkDocs (for scripts and tests): ``!ENV`` tags take their default value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"


class _ConfigLoader(yaml.SafeLoader):
    pass


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV [NAME, "default"]`` -> "default"; ``!ENV NAME`` -> None."""
    return loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None


_ConfigLoader.add_constructor("!ENV", _env_default)


def read_site_config(path: Path = MKDOCS_YML) -> dict[str, Any]:
    config: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return config
