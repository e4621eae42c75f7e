"""One CLI grammar (issue 19, point 7): -h and an example everywhere, --version, the same
formats, -c/--contract as a file or a folder, old spellings still working, no wrap in a pipe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from contractkit import __version__
from contractkit.cli import app
from contractkit.cli._aliases import rewrite_aliases

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent / "contractkit"
COMMANDS = ["lint", "schema", "validate", "diff", "catalog", "synth", "ci", "verify", "status",
            "extract", "new", "export odcs", "export tableschema", "import odcs",
            "dbt generate", "dbt drift", "warehouse build", "warehouse info"]


def run(*args: str | Path, env: dict[str, str] | None = None,
        cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=cwd, env=env or {**os.environ})


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_short_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "-h"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.output
    assert f"contractkit {command}" in result.output.split("Examples:")[1]
    assert "{" not in result.output.split("Examples:")[0]
    assert "<list[" not in result.output


def test_version_and_root_help() -> None:
    assert CliRunner().invoke(app, ["--version"]).output.strip() == f"contractkit {__version__}"
    root = CliRunner().invoke(app, ["-h"])
    assert root.exit_code == 0
    assert "-c/--contract" in root.output


def test_old_spellings_are_rewritten_per_command() -> None:
    assert rewrite_aliases(["status", "d", "--contracts", "c"]) == [
        "status", "d", "--contract", "c"]
    assert rewrite_aliases(["ci", "--period", "2024-03", "--out=x"]) == [
        "ci", "--period", "2024-03", "--out-dir=x"]
    assert rewrite_aliases(["catalog", "contracts", "-o", "r"]) == [
        "catalog", "contracts", "--out-dir", "r"]
    assert rewrite_aliases(["synth", "-o", "x"]) == ["synth", "-o", "x"]
    assert rewrite_aliases(["export", "odcs", "c", "-o", "x"]) == ["export", "odcs", "c", "-o",
                                                                   "x"]


def test_lint_junit_is_junit() -> None:
    result = run("lint", "contracts/dst-ledighed.yaml", "examples/steward/broken/2-rules.yaml",
                 "--format", "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"contracts/dst-ledighed.yaml", "examples/steward/broken/2-rules.yaml"}
    assert cases["contracts/dst-ledighed.yaml"].find("failure") is None
    assert cases["examples/steward/broken/2-rules.yaml"].find("failure") is not None
    assert root.get("failures") == "1"


def test_validate_takes_folders_for_files_and_contract(tmp_path: Path) -> None:
    received = REPO / "examples" / "recipient" / "received" / "dream-kommuner" / "2024-03"
    by_manifest = run("validate", "-c", "examples/recipient/contracts", received)
    assert by_manifest.returncode == 0, by_manifest.stdout + by_manifest.stderr
    loose = tmp_path / "inbox"
    loose.mkdir()
    shutil.copy(REPO / "examples" / "validate" / "dst_ledighed_2024-03.csv", loose)
    by_pattern = run("validate", "-c", "contracts", loose, "--format", "json")
    assert '"id": "dst-ledighed"' in by_pattern.stdout
    nothing = run("validate", "-c", "examples/recipient/contracts", loose)
    assert nothing.returncode == 2
    assert "no contract's file pattern fits" in nothing.stderr


def test_text_tables_do_not_wrap_in_a_pipe(tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-" * 3) / "dst_ledighed_2024-03.csv"
    deep.parent.mkdir()
    shutil.copy(REPO / "examples" / "validate" / "dst_ledighed_2024-03.csv", deep)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = run("validate", "-c", "contracts/dst-ledighed.yaml", deep, env=env)
    assert any(str(deep) in line for line in result.stdout.splitlines()), result.stdout


def test_old_spellings_work_through_the_app_and_python_m(tmp_path: Path) -> None:
    # issue 19, point 7: the aliases worked only through the `contractkit` script
    by_runner = CliRunner().invoke(app, ["synth", "-c", "contracts/dst-ledighed.yaml",
                                         "--rows", "3", "--out", str(tmp_path / "a")])
    assert by_runner.exit_code == 0, by_runner.output
    assert list((tmp_path / "a").iterdir())
    by_module = subprocess.run(
        [sys.executable, "-m", "contractkit", "synth", "-c", "contracts/dst-ledighed.yaml",
         "--rows", "3", f"--out={tmp_path / 'b'}"],
        capture_output=True, text=True, timeout=120, check=False, cwd=REPO)
    assert by_module.returncode == 0, by_module.stderr
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(
        p.name for p in (tmp_path / "a").iterdir())
    assert subprocess.run([sys.executable, "-m", "contractkit", "--version"], capture_output=True,
                          text=True, timeout=60, check=False).stdout.strip() == \
        f"contractkit {__version__}"
    assert "--out " not in CliRunner().invoke(app, ["synth", "-h"]).output  # still unseen


@pytest.mark.parametrize("command", COMMANDS)
def test_every_format_option_has_the_same_set(command: str) -> None:
    # issue 19, point 7: `diff` had its own set; every --format has text, json and junit
    import re

    text = CliRunner().invoke(app, [*command.split(), "-h"], env={"COLUMNS": "100"}).output
    found = re.search(r"--format <([a-z|]+)>", text)
    if command in ("lint", "validate", "verify", "status", "ci", "diff"):
        assert found is not None, command
    if found is not None:
        choices = set(found.group(1).split("|"))
        assert {"text", "json", "junit"} <= choices, command
        assert choices - {"text", "json", "junit"} <= {"markdown"}, command  # diff's changelog


def test_a_format_a_command_lacks_is_a_usage_error_naming_its_formats() -> None:
    result = CliRunner().invoke(app, ["validate", "-c", "contracts", "x.csv", "--format",
                                      "markdown"])
    assert result.exit_code == 2
    assert "'text', 'json', 'junit'" in result.output
