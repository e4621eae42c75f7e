"""`contractkit lint` from the command line: exit codes, located messages, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Write = Callable[..., Path]
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env)


def test_clean_contract_exits_0(write_contract: Write, base_text: str) -> None:
    result = run("lint", write_contract(base_text))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all clean" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "where", "key"),
    [
        ("    primary_key: [cpr]\n", "    primary_kye: [cpr]\n", ":21:5:", "primary_kye"),  # typo
        ("type: integer", "type: integr", ":28:9:", "type"),  # wrong type
        ('legal_basis:\n  - text: "§ 6 i lov om Danmarks Statistik."\n    references:\n'
         '      - {law: lov om Danmarks Statistik, paragraph: "6"}\n',
         "legal_basis: []\n", ":11:", "gov-legal-basis"),
        ("purpose: administrative", "purpose: statistical", ":26:9:", "personal"),
        ("title: Testfeed", "title: [Testfeed", ":", "yaml-syntax"),  # YAML syntax error
    ],
    ids=["typo", "wrong-type", "missing-legal-basis", "identifiable-statistical", "yaml-syntax"],
)
def test_broken_contract_exits_1_with_file_line_and_key(
    write_contract: Write, base_text: str, old: str, new: str, where: str, key: str
) -> None:
    assert old in base_text
    path = write_contract(base_text.replace(old, new))
    result = run("lint", path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{path}{where}" in result.stdout
    assert key in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = run("lint", tmp_path / "absent")
    assert result.returncode == 2
    assert "absent: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_exits_2(write_contract: Write, base_text: str) -> None:
    result = run("lint", "--format", "xml", write_contract(base_text))
    assert result.returncode == 2


def test_json_format(write_contract: Write, base_text: str) -> None:
    path = write_contract(base_text.replace("type: integer", "type: integr"))
    result = run("lint", "--format", "json", path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["schema"] == "contractkit-lint/1"
    assert data["ok"] is False
    (problem,) = data["files"][0]["problems"]
    assert (problem["code"], problem["line"], problem["loc"]) == (
        "invalid-value", 28, "tables[0].columns[1].type")


def test_lint_never_changes_the_contract(write_contract: Write, base_text: str) -> None:
    path = write_contract(base_text.replace("type: integer", "type: integr"))
    before = path.read_bytes(), path.stat().st_mtime_ns
    run("lint", path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_register_lists_every_contract(contracts_dir: Path) -> None:
    result = run("lint", contracts_dir, "--register")
    assert result.returncode == 0, result.stdout
    assert "Register of feeds" in result.stdout
    for f in contracts_dir.glob("*.yaml"):
        assert f" {f.stem} " in result.stdout
