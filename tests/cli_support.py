"""Run ``scripts/drucksache.py`` as editors and CI do, and make sure no traceback ever shows."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "drucksache.py"


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> Result:
    environment = {key: value for key, value in os.environ.items() if key not in ("DRUCKSACHEN_DIR", "GITHUB_ACTIONS")}
    environment["PYTHONUTF8"] = "1"
    environment.update(env or {})
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    # Whatever happens, an editor never sees a Python traceback.
    assert "Traceback" not in completed.stderr
    assert "Traceback" not in completed.stdout
    return Result(completed.returncode, completed.stdout, completed.stderr)
