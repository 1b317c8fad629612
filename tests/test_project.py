"""Project-level contracts: architecture, pinned dependencies, setup commands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "hooks" / "ratsdok"
REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt")


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", sorted(CORE.glob("*.py")), ids=lambda path: path.name)
def test_core_package_does_not_import_mkdocs(module: Path) -> None:
    imported = _imported_modules(module)
    assert not {name for name in imported if name.split(".")[0] in {"mkdocs", "material"}}


def test_exactly_one_hook_file_is_registered() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    assert config["hooks"] == ["hooks/site_hooks.py"]


def test_hook_file_delegates_to_the_core_package() -> None:
    imported = _imported_modules(ROOT / "hooks" / "site_hooks.py")
    assert any(name.startswith("ratsdok.") for name in imported)


def _requirements() -> list[tuple[str, str]]:
    pins = []
    for name in REQUIREMENT_FILES:
        for line in (ROOT / name).read_text("utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-r "):
                continue
            match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([0-9][0-9A-Za-z.+\-]*)", line)
            assert match, f"{name}: not pinned exactly: {line!r}"
            pins.append((match.group(1).lower(), match.group(2)))
    return pins


def test_every_dependency_is_pinned_exactly_and_not_a_pre_release() -> None:
    pins = _requirements()
    assert pins
    for package, version in pins:
        assert not Version(version).is_prerelease, f"{package}=={version} is a pre-release"


def test_mkdocs_stays_on_the_1_x_line_with_hooks() -> None:
    pins = dict(_requirements())
    assert pins["mkdocs"] == "1.6.1"
    assert pins["mkdocs-material"].startswith("9.8.")


def test_readme_shows_the_setup_commands_first() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = readme.split("```", 2)[1]
    for command in ("make serve", "make test", "make build"):
        assert command in first_block


def test_ci_entry_point_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
