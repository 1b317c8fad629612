"""The GitHub workflows: least privilege, pinned actions, deployment only after every check."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    # YAML 1.1 reads the key "on" as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_workflows() -> None:
    assert WORKFLOWS


def test_zizmor_reports_nothing() -> None:
    result = subprocess.run([str(ZIZMOR), "--offline", "--no-progress", *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege_and_no_pull_request_target(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in workflow["on"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_full_commit(path: Path) -> None:
    used = [step["uses"] for step in steps(load(path)) if "uses" in step]
    assert used
    for action in used:
        assert re.fullmatch(r"[\w.\-]+/[\w.\-/]+@[0-9a-f]{40}", action), action


def test_pull_requests_are_checked_built_and_previewed() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "website.yml")
    assert "pull_request" in workflow["on"]
    runs = [step.get("run", "") for step in steps(workflow)]
    assert "make check" in runs and "make test" in runs and "make build" in runs
    uploads = [step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@")]
    preview = [step for step in uploads if step["with"]["name"] == "website-vorschau"]
    assert preview and preview[0]["if"] == "github.event_name == 'pull_request'"


def test_the_axe_report_is_uploaded_also_when_the_tests_fail() -> None:
    """tests/test_accessibility.py writes reports/axe/*.json; the job keeps them as an artifact."""
    job = load(ROOT / ".github" / "workflows" / "website.yml")["jobs"]["pruefen"]
    names = [step.get("run") or step.get("uses", "").split("@")[0] for step in job["steps"]]
    report = next(step for step in job["steps"] if step.get("with", {}).get("name") == "barrierefreiheit-axe")
    assert names.index("make test") < job["steps"].index(report)
    assert report["if"] == "always()" and report["with"]["path"] == "reports/axe/"


def test_main_is_deployed_to_pages_only_after_the_checks() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "website.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    deploy = workflow["jobs"]["veroeffentlichen"]
    assert set(deploy["needs"]) == {"pruefen", "bauen"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    uploads = [step["uses"].split("@")[0] for step in workflow["jobs"]["bauen"]["steps"] if "uses" in step]
    assert "actions/upload-pages-artifact" in uploads


def test_the_live_site_is_built_with_its_public_address() -> None:
    """Feeds and canonical links are absolute: a deployment without SITE_URL must stop, not link to localhost."""
    job = load(ROOT / ".github" / "workflows" / "website.yml")["jobs"]["bauen"]
    build = next(step for step in job["steps"] if step.get("run") == "make build")
    assert "vars.SITE_URL" in build["env"]["SITE_URL"]
    guard = next(step for step in job["steps"] if "SITE_URL" in step.get("run", ""))
    assert guard["if"] == "github.event_name == 'push'" and "exit 1" in guard["run"]
    assert guard["env"]["SITE_URL"] == "${{ vars.SITE_URL }}"


def test_the_build_starts_from_the_caches_of_the_last_build() -> None:
    """The deployment build restores .cache/ratsdok (pages, texts, loaded files) before it builds."""
    job = load(ROOT / ".github" / "workflows" / "website.yml")["jobs"]["bauen"]
    names = [step.get("uses", "").split("@")[0] or step.get("run", "") for step in job["steps"]]
    cache = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/ratsdok"
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])  # a new key each time, the newest restored
    assert names.index("actions/cache") < names.index("make build")
