"""What editors and reviewers rely on: CODEOWNERS, pre-commit, VS Code schemas, licence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from cli_support import run
from conftest import TempCorpus

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "hooks" / "ratsdok" / "schema" / "drucksache.schema.json").read_text("utf-8"))


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


# --- VS Code: checking and completing Drucksachen while editing ------------------------------------------------------
# Red Hat's YAML extension does not read front matter inside Markdown files (redhat-developer/vscode-yaml#207), so the
# repository offers the check as a VS Code task whose problem matcher puts each problem on its line, and a snippet
# that writes the front matter in the schema's order with the allowed values as choices.

SNIPPET_CHOICE = re.compile(r"\$\{\d+\|([^|]*)\|\}")
SNIPPET_PLACEHOLDER = re.compile(r"\$\{\d+:([^}]*)\}")
SNIPPET_MIRROR = re.compile(r"\$\{(\d+)\}")


def vscode_json(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((ROOT / ".vscode" / name).read_text("utf-8"))


def test_vscode_tasks_put_every_problem_of_the_check_on_its_line(corpus: TempCorpus) -> None:
    corpus.write("14/14-1.md", '---\nnummer: "14/1"\nart: falsch\ntitel: Test\n---\n\nText.\n')
    tasks = vscode_json("tasks.json")["tasks"]
    default = next(task for task in tasks if task["group"] == {"kind": "build", "isDefault": True})
    assert default["args"] == ["scripts/drucksache.py", "check", "${relativeFile}"]
    result = run(*[arg.replace("${relativeFile}", "drucksachen/14/14-1.md") for arg in default["args"][1:]], cwd=corpus.root.parent)
    assert result.code == 1
    for task in tasks:
        matcher = task["problemMatcher"]
        assert matcher["fileLocation"] == ["relative", "${workspaceFolder}"]
        pattern = matcher["pattern"]
        problems = [line for line in result.stdout.splitlines() if line.startswith("drucksachen/")]
        matched = [re.match(pattern["regexp"], line) for line in problems]
        assert problems and all(matched), problems
        for match in matched:
            assert match is not None
            assert match.group(pattern["file"]) == "drucksachen/14/14-1.md"
            assert int(match.group(pattern["line"])) >= 1
            assert match.group(pattern["message"]).split(":")[0] in SCHEMA["properties"]
        assert any("art: „falsch“" in match.group(pattern["message"]) for match in matched if match)
        # The summary line is not a problem.
        (summary,) = [line for line in (result.stdout + result.stderr).splitlines() if "Problem(e) gefunden" in line]
        assert not re.match(pattern["regexp"], summary)


def test_vscode_snippet_offers_the_schemas_values_in_the_schemas_order(corpus: TempCorpus) -> None:
    (snippet,) = vscode_json("drucksache.code-snippets").values()
    assert snippet["scope"] == "markdown"
    body = "\n".join(snippet["body"])
    choices = {line.split(":")[0].strip(" -"): match.group(1).split(",") for line in snippet["body"] if (match := SNIPPET_CHOICE.search(line))}
    properties = SCHEMA["properties"]
    assert sorted(choices["art"]) == sorted(properties["art"]["enum"]) and choices["art"][0] == "fraktionsanfrage-antwort"
    assert choices["status"] == properties["beratungsfolge"]["items"]["properties"]["status"]["enum"]
    assert properties["status"]["enum"][0] in next(line for line in snippet["body"] if line.startswith("status:"))
    # Filled with its defaults, the snippet is a Drucksache whose remaining problems are exactly the placeholders.
    text = SNIPPET_PLACEHOLDER.sub(lambda m: m.group(1), SNIPPET_CHOICE.sub(lambda m: m.group(1).split(",")[0], body))
    defaults = {m.group(0): m.group(1) for m in re.finditer(r"\$\{(\d+):([^}]*)\}", body)}
    text = SNIPPET_MIRROR.sub(lambda m: next(v for k, v in defaults.items() if k.startswith("${" + m.group(1) + ":")), text)
    text = text.replace("$CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE", "2025-06-04").replace("…", "Testfraktion")
    corpus.write("14/14-2050-1.md", text)
    keys = [line.split(":")[0] for line in text.split("---")[1].splitlines() if line and not line.startswith(" ")]
    assert keys == [key for key in properties if key in keys]
    result = run("check", "drucksachen/14/14-2050-1.md", cwd=corpus.root.parent)
    fields = sorted({line.split(": ")[1] for line in result.stdout.splitlines() if line.startswith("drucksachen/")})
    assert fields == ["beratungsfolge[1].gremium", "beratungsfolge[1].sitzung", "fraktion", "themen[1]"], result.stdout
