"""The diff walkthrough (examples/diff/) runs with its documented outcomes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "diff"
OLD = Path("examples/diff/v1/eksempel-ydelser.yaml")
NEW = Path("examples/diff/v2/eksempel-ydelser.yaml")
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=cwd)


def test_both_versions_lint_clean() -> None:
    for folder in ("v1", "v2"):
        result = run("lint", f"examples/diff/{folder}")
        assert result.returncode == 0, result.stdout


def test_diff_lists_the_documented_changes_and_exits_0() -> None:
    result = run("diff", OLD, NEW)
    assert result.returncode == 0, result.stderr
    for kind in ("column-removed", "values-widened", "range-widened", "column-added",
                 "legal-basis-changed", "description-changed", "version-bump-missing"):
        assert kind in result.stdout
    assert run("diff", OLD, NEW, "--fail-on", "breaking").returncode == 1


def test_markdown_equals_the_committed_changelog(tmp_path: Path) -> None:
    out = tmp_path / "changelog.md"
    assert run("diff", OLD, NEW, "--format", "markdown", "-o", out).returncode == 0
    expected = (EXAMPLE / "CHANGELOG.expected.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == expected


@pytest.mark.slow
def test_semver_gate_in_a_scratch_repository(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org",
                        "-c", "commit.gpgsign=false", *args], cwd=tmp_path, check=True,
                       capture_output=True, env=env, timeout=60)

    shutil.copytree(EXAMPLE / "v1", tmp_path / "contracts")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "v1")
    shutil.copytree(EXAMPLE / "v2", tmp_path / "contracts", dirs_exist_ok=True)
    result = run("lint", "contracts", "--against", "main", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "version-bump-missing" in result.stdout
    contract = tmp_path / "contracts" / "eksempel-ydelser.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace(
        "version: 1.1.0", "version: 2.0.0"), encoding="utf-8")
    result = run("lint", "contracts", "--against", "main", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
