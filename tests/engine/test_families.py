"""Column families in the engine: the period is needed, findings name the exact member and
row and carry their family, counts are kept per family, code and member."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contractkit import load_contract
from contractkit.engine import validate_paths
from contractkit.errors import CompileError, UsageError

REPO = Path(__file__).resolve().parents[2]

WEEKS = {"template": "y_{YYWW}", "first": "2024-W10", "type": "string", "required": False,
         "codelist": "ydelser"}
HEADER = ["id", "y_2410", "y_2411", "y_2412", "y_2413"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from contractkit.cli import main; main()",
                           *args], capture_output=True, text=True, cwd=REPO, timeout=120,
                          check=False)


def test_no_period_is_a_usage_error(kit: Any) -> None:
    contract = kit.contract({"file_pattern": "dream.csv", "columns": [{"name": "id",
                             "type": "integer"}], "column_families": [WEEKS]})
    path = kit.csv("dream.csv", HEADER, [["1", "111", "111", "111", "111"]])
    with pytest.raises(UsageError, match=r"y_YYWW.*--period"):
        validate_paths(load_contract(contract), [path])
    done = _cli("validate", str(path), "--contract", str(contract))
    assert done.returncode == 2
    assert "--period" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    ok = _cli("validate", str(path), "--contract", str(contract), "--period", "2024-03")
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_findings_name_member_row_and_family(kit: Any) -> None:
    contract = kit.contract({"columns": [{"name": "id", "type": "integer"}],
                             "column_families": [WEEKS]})
    rows = [["1", "111", "111", "111", "111"], ["2", "111", "999", "998", "111"],
            ["3", "111", "999", "111", "111"]]
    path = kit.csv("case_2024-03.csv", ["id", "y_2410", "y_2411", "y_2412", "y_2414"], rows)
    rep = validate_paths(load_contract(contract), [path]).files[0]
    got = {(f.row, f.column, f.code, f.family) for f in rep.findings}
    assert got == {(2, "y_2411", "not-in-codelist", "y_YYWW"),
                   (3, "y_2411", "not-in-codelist", "y_YYWW"),
                   (2, "y_2412", "not-in-codelist", "y_YYWW"),
                   (None, "y_2413", "missing-column", "y_YYWW"),
                   (None, "y_2414", "extra-column", "y_YYWW")}
    assert rep.family_counts == {"y_YYWW": {
        "extra-column": {"y_2414": 1}, "missing-column": {"y_2413": 1},
        "not-in-codelist": {"y_2411": 2, "y_2412": 1}}}
    extra = next(f for f in rep.findings if f.code == "extra-column")
    assert "2024-W13" in extra.message


def test_counts_per_member_stay_exact_when_examples_are_capped(kit: Any) -> None:
    contract = kit.contract({"columns": [{"name": "id", "type": "integer"}],
                             "column_families": [WEEKS]})
    rows = [[str(i), "999", "999", "111", "111"] for i in range(1, 31)]
    path = kit.csv("case_2024-03.csv", HEADER, rows)
    rep = validate_paths(load_contract(contract), [path], max_examples=2).files[0]
    assert rep.family_counts["y_YYWW"]["not-in-codelist"] == {"y_2410": 30, "y_2411": 30}
    assert rep.counts == {"not-in-codelist": 60}
    assert rep.truncated


def test_two_digit_year_repeating_cannot_be_judged(kit: Any) -> None:
    family = {**WEEKS, "first": "1920-W01"}
    contract = kit.contract({"columns": [{"name": "id", "type": "integer"}],
                             "column_families": [family]})
    path = kit.csv("case_2024-03.csv", HEADER, [["1", "111", "111", "111", "111"]])
    with pytest.raises(CompileError, match="two-digit year"):
        validate_paths(load_contract(contract), [path])


def test_personal_family_values_are_masked(kit: Any) -> None:
    cpr = "010180-1234"
    family = {"template": "ref_{YYYY_MM}", "first": "2024-02", "type": "string",
              "required": False, "personal": "direct", "pattern": "[0-9]{4}"}
    contract = kit.contract({"columns": [{"name": "id", "type": "integer"}],
                             "column_families": [family]})
    path = kit.csv("case_2024-03.csv", ["id", "ref_2024_02", "ref_2024_03"], [["1", cpr, "1234"]])
    rep = validate_paths(load_contract(contract), [path]).files[0]
    assert [(f.row, f.column, f.code) for f in rep.findings] == [
        (1, "ref_2024_02", "pattern-mismatch")]
    for fmt in ("text", "json", "junit"):
        done = _cli("validate", str(path), "--contract", str(contract), "--format", fmt)
        assert done.returncode == 1
        assert cpr not in done.stdout + done.stderr
        assert "ref_2024_02" in done.stdout
