"""`contractkit new` scaffolds: a contract from a sample CSV or from nothing (issue 19, 9)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contractkit.interop.scaffold import scaffold_contract
from contractkit.lint import lint_paths
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent / "contractkit"
CPR = "0101800001"
SAMPLE = (f"cpr;kommune_kode;uge;timer;dato;antal;navn\n"
          f"{CPR};101;2024-W10;1,5;2024-03-01;3;\n"
          f"0202810002;0751;2024-W11;37,25;2024-03-02;12;Hansen\n")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=cwd, env={**os.environ})


def test_from_a_sample_the_dialect_columns_and_types_are_guessed(tmp_path: Path) -> None:
    sample = tmp_path / "s.csv"
    sample.write_text(SAMPLE, encoding="utf-8")
    text = scaffold_contract("ledige-unge", sample=sample)
    assert CPR not in text
    assert "Hansen" not in text
    path = tmp_path / "contracts" / "ledige-unge.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    lc = load_contract(path)
    assert (lc.contract.format.delimiter, lc.contract.format.decimal) == (";", ",")
    cols = {c.name: c for c in lc.contract.tables[0].columns}
    assert cols["cpr"].semantic == "cpr"
    assert cols["cpr"].personal == "direct"
    assert cols["kommune_kode"].type == "string"
    assert cols["kommune_kode"].semantic == \
        "kommune_kode"
    assert (cols["timer"].type, cols["timer"].scale) == ("decimal", 2)
    assert (cols["antal"].type, cols["dato"].type, cols["uge"].semantic) == (
        "integer", "date", "iso_week")
    assert not cols["navn"].required
    shutil.copytree(REPO / "contracts" / "codelists", path.parent / "codelists")
    assert lint_paths([path]).ok


@pytest.mark.parametrize("direction", ["outbound", "inbound"])
def test_from_nothing_the_contract_loads(tmp_path: Path, direction: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(scaffold_contract("ny-feed", direction=direction), encoding="utf-8")
    assert load_contract(path).contract.direction == direction


def test_new_writes_contract_and_model_stub_and_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    (tmp_path / "contracts").mkdir()
    shutil.copytree(REPO / "contracts" / "codelists", tmp_path / "contracts" / "codelists")
    made = run("new", "ledige-unge", "--from-csv", "s.csv", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    stub = tmp_path / "models" / "deliveries" / "ledige_unge__unge.sql"
    assert "cast(null as decimal(18,2)) as timer" in stub.read_text()
    linted = run("lint", "contracts", cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout
    assert "no-dbt-model" not in linted.stdout
    again = run("new", "ledige-unge", cwd=tmp_path)
    assert again.returncode == 2
    assert "never overwrites" in again.stderr
    assert run("new", "Bad_Id", cwd=tmp_path).returncode == 2
    assert run("new", "x-y", "--from-csv", "absent.csv", cwd=tmp_path).returncode == 2
    for out in (made.stdout, made.stderr, linted.stdout):
        assert CPR not in out
