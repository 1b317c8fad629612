"""What editors and reviewers rely on: CODEOWNERS, pre-commit, VS Code schemas, licence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_codeowners_require_maintainers_for_the_machinery() -> None:
    owners = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, *teams = line.split()
            owners[path] = teams
    for path in ("/hooks/", "/overrides/", "/mkdocs.yml", "/.github/", "/scripts/", "/requirements.txt", "/requirements-dev.txt"):
        assert owners.get(path), f"{path} has no code owner"
    assert not any(path.startswith("/drucksachen") for path in owners)  # editors' content needs no maintainer


def test_pre_commit_runs_the_check_with_the_pinned_versions() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert hook["entry"] == "python scripts/drucksache.py check"
    assert re.match(hook["files"], "drucksachen/14/14-2048-1.md") and re.match(hook["files"], "drucksachen/register/gremien.yml")
    pinned = set((ROOT / "requirements.txt").read_text("utf-8").splitlines())
    assert hook["additional_dependencies"] and set(hook["additional_dependencies"]) <= pinned


def test_vscode_schema_associations_point_at_existing_files() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    for schema, targets in settings["yaml.schemas"].items():
        assert (ROOT / schema).is_file(), schema
        json.loads((ROOT / schema).read_text("utf-8"))
        for target in [targets] if isinstance(targets, str) else targets:
            assert target.startswith("drucksachen/")
    assert "drucksachen/register/gremien.yml" in settings["yaml.schemas"]["./hooks/ratsdok/schema/register.schema.json"]


def test_licence_and_contributing_guide() -> None:
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in (ROOT / "LICENSE").read_text("utf-8")
    guide = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    for step in ("Weg A: im Browser", "Weg B: auf dem eigenen Rechner", "make check", "make serve", "Pull-Request"):
        assert step in guide
    assert "Rechte an den Inhalten" in (ROOT / "docs" / "ueber.md").read_text("utf-8")
