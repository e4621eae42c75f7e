"""The recipient walkthrough (examples/recipient/) runs with its documented outcome."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = Path("examples") / "recipient"
RECEIVED = EXAMPLE / "received" / "dream-kommuner"
BIN = Path(sys.executable).parent / "contractkit"
HELD = ("-c", str(EXAMPLE / "contracts"), "--scope", "751")
CPRS = ("1503851234", "2207920557", "0911024113")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI from the repository root, as the README does."""
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=REPO)


def snapshot() -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((REPO / EXAMPLE).rglob("*")) if p.is_file()}


def _codes(report: dict[str, object]) -> dict[str, dict[str, int]]:
    files = report["files"]
    assert isinstance(files, list)
    return {Path(f["file"]).name: f["counts"] for f in files}


@pytest.mark.slow
def test_march_conforms() -> None:
    before = snapshot()
    result = run("verify", RECEIVED / "2024-03", *HELD, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _codes(json.loads(result.stdout)) == {"manifest.json": {},
                                                 "dream_751_2024-03.csv": {}}
    assert snapshot() == before


@pytest.mark.slow
def test_april_has_the_three_documented_findings(tmp_path: Path) -> None:
    before = snapshot()
    out = tmp_path / "april-report.json"
    result = run("verify", RECEIVED / "2024-04", *HELD, "--format", "json", "-o", out)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(out.read_text())
    assert _codes(report) == {
        "manifest.json": {},
        "dream_751_2024-04.csv": {"sha256-mismatch": 1, "out-of-range": 1},
        "dream_101_2024-04.csv": {"scope-mismatch": 1},
    }
    (bad,) = [f for f in report["files"][1]["findings"] if f["code"] == "out-of-range"]
    assert (bad["row"], bad["column"]) == (2, "grad_2024_04")  # one member of grad_YYYY_MM
    text = run("verify", RECEIVED / "2024-04", *HELD)
    assert text.returncode == 1
    for output in (text.stdout, text.stderr, out.read_text()):
        assert not any(cpr in output for cpr in CPRS)
    assert snapshot() == before


def test_report_into_the_received_folder_is_refused() -> None:
    before = snapshot()
    result = run("verify", RECEIVED / "2024-04", *HELD, "-o", RECEIVED / "2024-04" / "r.json")
    assert result.returncode == 2
    assert snapshot() == before


def test_status_late_then_missing() -> None:
    may = run("status", EXAMPLE / "received", *HELD, "--as-of", "2024-05-20", "--format", "json")
    assert may.returncode == 0, may.stdout + may.stderr
    (feed,) = json.loads(may.stdout)["feeds"]
    assert (feed["delivered"], feed["late"], feed["missing"]) == (
        ["2024-03", "2024-04"], ["2024-04"], [])
    assert feed["due_next"] == {"period": "2024-05", "due": "2024-06-10"}
    june = run("status", EXAMPLE / "received", *HELD, "--as-of", "2024-06-20", "--format", "json")
    assert june.returncode == 1
    assert json.loads(june.stdout)["feeds"][0]["missing"] == ["2024-05"]


def test_build_script_reproduces_the_committed_files(tmp_path: Path) -> None:
    target = tmp_path / "rebuilt"
    target.mkdir()
    subprocess.run([sys.executable, str(REPO / EXAMPLE / "build_example.py"), str(target)],
                   check=True, timeout=120, cwd=REPO)
    rebuilt = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    committed = {p.relative_to(REPO / EXAMPLE): p.read_bytes()
                 for p in (REPO / EXAMPLE / "received").rglob("*") if p.is_file()}
    assert rebuilt == committed
