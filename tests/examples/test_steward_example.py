"""The steward walkthrough (examples/steward/) runs with its documented outcome.

The clean contract lints with exit 0; each broken file gives exit 1 and exactly the located
problems (file:line:column and code) its ``*.expected.txt`` documents; the README shows the
expected outputs verbatim.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = Path("examples") / "steward"
BIN = Path(sys.executable).parent / "contractkit"
PROBLEM_LINE = re.compile(r"^(error|warning) (\S+?:\d+(?::\d+)?): .* \(([a-z0-9-]+)\)$")
BROKEN = ["1-schema", "2-rules"]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI from the repository root, as the README does."""
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=REPO)


def located(text: str) -> list[tuple[str, str, str]]:
    """(severity, file:line:col, code) of every problem line of lint's text output."""
    found = [PROBLEM_LINE.match(line) for line in text.splitlines()]
    return [(m.group(1), m.group(2), m.group(3)) for m in found if m]


def test_clean_contract_lints_with_exit_0() -> None:
    result = run("lint", EXAMPLE / "ledige-pr-kommune.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert located(result.stdout) == []


@pytest.mark.parametrize("name", BROKEN)
def test_broken_contract_gives_its_documented_located_errors(name: str) -> None:
    contract = EXAMPLE / "broken" / f"{name}.yaml"
    expected = (REPO / EXAMPLE / "broken" / f"{name}.expected.txt").read_text(encoding="utf-8")
    result = run("lint", contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    want = located(expected)
    assert want, "the expected output documents no problem"
    assert sorted(located(result.stdout)) == sorted(want)

    as_json = json.loads(run("lint", "--format", "json", contract).stdout)
    (file_report,) = as_json["files"]
    got = sorted(("error" if p["severity"] == "error" else "warning",
                  f"{contract}:{p['line']}:{p['column']}", p["code"])
                 for p in file_report["problems"])
    assert got == sorted(want)


def test_schema_mistakes_and_rule_breaks_are_the_ones_the_readme_names() -> None:
    codes = {name: {code for _, _, code in located(
        (REPO / EXAMPLE / "broken" / f"{name}.expected.txt").read_text(encoding="utf-8"))}
        for name in BROKEN}
    assert codes["1-schema"] == {"invalid-value", "unknown-key"}
    assert codes["2-rules"] == {"file-pattern-period", "unknown-codelist", "unknown-column",
                                "gov-statistical-identifier", "gov-aggregated-cell-size",
                                "gov-class-mismatch"}


def test_readme_shows_each_expected_output_verbatim() -> None:
    readme = (REPO / EXAMPLE / "README.md").read_text(encoding="utf-8")
    for name in BROKEN:
        expected = (REPO / EXAMPLE / "broken" / f"{name}.expected.txt").read_text(encoding="utf-8")
        assert f"```\n{expected}```" in readme, name


FIXES = {
    "1-schema": [("purpose: statistik", "purpose: statistical"),
                 ("primary_kye:", "primary_key:"), ("type: integr,", "type: integer,")],
    "2-rules": [('"ledige_pr_kommune.csv"', '"ledige_pr_kommune_{period}.csv"'),
                ("[kommune, koen", "[kommune_kode, koen"),
                ("codelist: aldersgruppe,", "codelist: aldersgrupper,"),
                ('      - {name: cpr, type: string, semantic: cpr, personal: direct, '
                 'description: "CPR-nummer"}\n', ""),
                ("    period_column: periode\n",
                 "    period_column: periode\n    min_cell_size: {column: antal_ledige, min: 5}\n")],
}


@pytest.mark.parametrize("name", BROKEN)
def test_fixing_the_documented_mistakes_gives_back_the_clean_contract(name: str) -> None:
    clean = (REPO / EXAMPLE / "ledige-pr-kommune.yaml").read_text(encoding="utf-8")
    text = (REPO / EXAMPLE / "broken" / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in FIXES[name]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    # Only the two comment lines on top differ (the modeline is one folder deeper).
    assert text.splitlines()[2:] == clean.splitlines()[2:]
