"""`contractkit diff` and `contractkit lint --against` from the command line, in real git
repositories: exit codes, formats, and the semver gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from contractkit.diff import ChangeKind

BIN = Path(sys.executable).parent / "contractkit"
REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=cwd)


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True, timeout=60, env=env)


@pytest.fixture
def old_new(tmp_path: Path, base_text: str) -> tuple[Path, Path]:
    """OLD: the conftest contract; NEW: column timer removed, version 1.3.0 (minor only)."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(base_text, encoding="utf-8")
    cut = base_text.index("      - name: timer")
    new.write_text(base_text[:cut].replace("version: 1.2.3", "version: 1.3.0"),
                   encoding="utf-8")
    return old, new


def test_diff_two_files_exits_0_and_names_the_change(old_new: tuple[Path, Path]) -> None:
    result = run("diff", *old_new)
    assert result.returncode == 0, result.stderr
    assert "column-removed" in result.stdout
    assert "tables[rows].columns[timer]" in result.stdout
    assert "version-bump-missing" in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("breaking", 1), ("governance", 0),
                                               ("none", 0), ("patch", 1)])
def test_fail_on(old_new: tuple[Path, Path], fail_on: str, code: int) -> None:
    assert run("diff", *old_new, "--fail-on", fail_on).returncode == code


def test_no_changes_exit_0_even_with_fail_on(old_new: tuple[Path, Path]) -> None:
    old, _ = old_new
    result = run("diff", old, old, "--fail-on", "patch")
    assert result.returncode == 0
    assert "0 change(s)" in result.stdout


def test_json_follows_its_schema(old_new: tuple[Path, Path]) -> None:
    result = run("diff", *old_new, "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    Draft202012Validator(SCHEMA).validate(data)
    (entry,) = data["contracts"]
    assert entry["required_bump"] == "major"
    assert entry["declared_bump"] == "minor"
    assert [c["kind"] for c in entry["changes"]] == ["column-removed"]
    assert entry["version_problems"][0]["kind"] == "column-removed"


def test_schema_lists_every_kind() -> None:
    kinds = SCHEMA["$defs"]["change"]["properties"]["kind"]["enum"]
    assert kinds == [k.value for k in ChangeKind]
    Draft202012Validator.check_schema(SCHEMA)


def test_markdown_changelog_to_file(old_new: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "CHANGELOG-section.md"
    result = run("diff", *old_new, "--format", "markdown", "-o", out)
    assert result.returncode == 0
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## test-feed 1.2.3 → 1.3.0")
    assert "### Breaking changes (major version)" in text
    assert "`column-removed` at `tables[rows].columns[timer]`" in text


@pytest.mark.parametrize(
    "args",
    [("diff",), ("diff", "only-one.yaml"), ("diff", "a.yaml", "b.yaml"),
     ("diff", "--format", "xml", "a", "b")],
    ids=["no-args", "one-arg", "missing-files", "bad-format"],
)
def test_cannot_judge_exits_2(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr


def test_invalid_contract_exits_2(old_new: tuple[Path, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: one\n", encoding="utf-8")
    result = run("diff", old_new[0], bad)
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr


# --- the semver gate in a real git repository ---------------------------------------------

@pytest.fixture
def repo(tmp_path: Path, base_text: str) -> Path:
    root = tmp_path / "repo"
    (root / "contracts" / "codelists").mkdir(parents=True)
    for f in (REPO / "contracts" / "codelists").glob("*.yaml"):
        (root / "contracts" / "codelists" / f.name).write_bytes(f.read_bytes())
    (root / "contracts" / "feed.yaml").write_text(base_text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1.2.3")
    return root


def _remove_timer(repo: Path, version: str) -> None:
    path = repo / "contracts" / "feed.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("      - name: timer")
    path.write_text(text[:cut].replace("version: 1.2.3", f"version: {version}"),
                    encoding="utf-8")


@pytest.mark.slow
def test_lint_against_fails_for_removed_column_with_minor_bump(repo: Path) -> None:
    _remove_timer(repo, "1.3.0")
    result = run("lint", "--against", "main", cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "version-bump-missing" in result.stdout
    assert "column-removed" in result.stdout
    assert "tables[rows].columns[timer]" in result.stdout


@pytest.mark.slow
def test_lint_against_junit_fails_the_version_case(repo: Path) -> None:
    # the exit code said 1 while every JUnit case passed (the version gate was left out)
    import xml.etree.ElementTree as ET

    _remove_timer(repo, "1.3.0")
    result = run("lint", "--against", "main", "--format", "junit", cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    cases = {c.get("name"): c for c in ET.fromstring(result.stdout).iter("testcase")}
    assert cases["contracts/feed.yaml"].find("failure") is None
    version = cases["contracts/feed.yaml: version"].find("failure")
    assert version is not None
    assert version.get("type") == "version-bump-missing"


@pytest.mark.slow
def test_lint_against_passes_with_major_bump(repo: Path) -> None:
    _remove_timer(repo, "2.0.0")
    result = run("lint", "--against", "main", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "versions ok" in result.stdout


@pytest.mark.slow
def test_lint_against_json_and_backwards_version(repo: Path) -> None:
    path = repo / "contracts" / "feed.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.2.3", "1.2.2"),
                    encoding="utf-8")
    result = run("lint", "contracts", "--against", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is True  # the contract itself is fine
    Draft202012Validator(SCHEMA).validate(data["against"])
    problems = data["against"]["contracts"][0]["version_problems"]
    assert [p["code"] for p in problems] == ["version-backwards"]


@pytest.mark.slow
def test_lint_without_against_is_unchanged(repo: Path) -> None:
    _remove_timer(repo, "1.3.0")
    result = run("lint", "--format", "json", cwd=repo)
    assert result.returncode == 0
    assert "against" not in json.loads(result.stdout)


@pytest.mark.slow
def test_lint_against_unknown_ref_exits_2(repo: Path) -> None:
    result = run("lint", "--against", "origin/nowhere", cwd=repo)
    assert result.returncode == 2
    assert "unknown git revision" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_diff_against_lists_added_and_removed(repo: Path, base_text: str) -> None:
    (repo / "contracts" / "feed.yaml").unlink()
    (repo / "contracts" / "new.yaml").write_text(
        base_text.replace("id: test-feed", "id: ny-feed"), encoding="utf-8")
    result = run("diff", "--against", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert {(c["id"], c["status"]) for c in data["contracts"]} == {
        ("test-feed", "removed"), ("ny-feed", "added")}
    assert run("diff", "--against", "HEAD", "--fail-on", "breaking", cwd=repo).returncode == 1


@pytest.mark.parametrize(("fail_on", "failing"), [("none", 0), ("breaking", 2), ("patch", 2)])
def test_junit_a_case_per_change_failing_as_fail_on(old_new: tuple[Path, Path], fail_on: str,
                                                    failing: int) -> None:
    # issue 19, point 7: diff had text|json|markdown, not the set every command has
    import xml.etree.ElementTree as ET

    result = run("diff", *old_new, "--format", "junit", "--fail-on", fail_on)
    assert result.returncode == (1 if failing else 0), result.stderr
    root = ET.fromstring(result.stdout)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"version", "tables[rows].columns[timer]: column-removed"}
    assert root.get("failures") == str(failing)
    if not failing:
        version = cases["version"].findtext("system-out") or ""
        assert "1.3.0" in version or "bump" in version
