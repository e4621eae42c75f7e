"""Ecosystem hooks: pre-commit hooks and the CI examples parse, do their steps, call real commands.

Every ``contractkit <command> [<subcommand>]`` they call must exist (``--help`` exits 0), and
the lint hook is run for real on the repository's contracts.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent / "contractkit"
CI = REPO / "examples" / "ci"
SUBCOMMAND_GROUPS = {"dbt", "export", "import", "warehouse"}


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=120,
                          check=False, cwd=REPO, env={**os.environ, "COLUMNS": "400"})


def contractkit_calls(script: str) -> list[list[str]]:
    """Each ``contractkit …`` invocation in a shell script, as its words (before any redirect)."""
    calls = []
    for m in re.finditer(r"\bcontractkit\s+([^\n;|&>]+)", script):
        calls.append(shlex.split(m.group(1)))
    return calls


def command_path(words: list[str]) -> list[str]:
    return words[:2] if words and words[0] in SUBCOMMAND_GROUPS else words[:1]


def github_scripts() -> str:
    workflow = load(CI / "github-actions.yml")
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    return "\n".join(s.get("run", "") for s in steps)


def gitlab_scripts() -> str:
    pipeline = load(CI / "gitlab-ci.yml")
    lines: list[str] = []
    for job in pipeline.values():
        if isinstance(job, dict):
            for key in ("script", "after_script"):
                lines.extend(job.get(key, []))
    return "\n".join(lines)


def test_pre_commit_hooks_are_well_formed() -> None:
    hooks = load(REPO / ".pre-commit-hooks.yaml")
    ids = {h["id"] for h in hooks}
    assert {"contractkit-lint", "contractkit-dbt-check"} <= ids
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys()
        assert hook["entry"].startswith("contractkit ")
        files = re.compile(hook["files"])
        assert files.search("contracts/dst-ledighed.yaml")
        assert files.search("contracts/codelists/kommuner.yaml")  # a code list can break a feed
        assert not files.search("src/contractkit/lint.py")


def test_lint_hook_runs_clean_on_the_repository() -> None:
    hook = next(h for h in load(REPO / ".pre-commit-hooks.yaml") if h["id"] == "contractkit-lint")
    words = shlex.split(hook["entry"])[1:] + list(hook.get("args", []))
    result = run(words)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_workflow_does_every_step() -> None:
    workflow = load(CI / "github-actions.yml")
    assert {"on", "jobs"} <= workflow.keys()
    scripts = github_scripts()
    for needle in ("contractkit lint", "contractkit dbt generate --check",
                   "contractkit ci --period", "--format junit > contractkit-junit.xml"):
        assert needle in scripts
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uploads = [s for s in steps if "contractkit-junit.xml" in str(s.get("with", {}))]
    assert uploads
    assert all(s.get("if") == "always()" for s in uploads)
    assert "${{" not in scripts  # inputs reach the shell through env, never interpolated


def test_gitlab_pipeline_does_every_step() -> None:
    pipeline = load(CI / "gitlab-ci.yml")
    scripts = gitlab_scripts()
    for needle in ("contractkit lint", "contractkit dbt generate --check",
                   "contractkit ci --period"):
        assert needle in scripts
    deliveries = pipeline["deliveries"]
    assert deliveries["artifacts"]["when"] == "always"
    assert deliveries["artifacts"]["reports"]["junit"] == "contractkit-junit.xml"
    assert not any(str(p).startswith("deliveries") for p in deliveries["artifacts"]["paths"])


def _all_calls() -> list[list[str]]:
    hooks = load(REPO / ".pre-commit-hooks.yaml")
    scripts = "\n".join([github_scripts(), gitlab_scripts(), *(h["entry"] for h in hooks)])
    seen: dict[str, list[str]] = {}
    for words in contractkit_calls(scripts):
        path = command_path(words)
        seen.setdefault(" ".join(path), path)
    return list(seen.values())


@pytest.mark.parametrize("command", _all_calls(), ids=" ".join)
def test_every_called_command_exists(command: list[str]) -> None:
    result = run([*command, "--help"])
    assert result.returncode == 0, result.stdout + result.stderr
