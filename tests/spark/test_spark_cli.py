"""`contractkit validate --engine spark`: same counts and exit codes as the default engine,
and no personal value in anything Spark or contractkit prints or writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contractkit.cli import main
from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.generate import generate_delivery
from contractkit.synth.mutants import break_frame
from contractkit.synth.sample import find_mutant
from contractkit.synth.writers import render_file

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"
BREAKS = ["timer:out-of-range", "koen:not-allowed", "cpr:bad-cpr", "alder:wrong-type",
          "primary_key:duplicate-key"]
PLANTED = ["310299-1111", "290201-1234"]
"""CPR numbers with impossible dates, planted in rows that also break other rules."""


def _synth(folder: Path, breaks: list[str], rows: int = 60) -> Path:
    """A synthesised file of the contract with every rule in ``breaks`` broken."""
    lc = load_contract(CONTRACT)
    ctx = resolve_context(lc, period="2024-03")
    frame = generate_delivery(ctx, rows, 7)[ctx.table.name]
    for i, name in enumerate(breaks):
        frame = break_frame(find_mutant(ctx, name), frame, ctx, i)
    path = folder / ctx.file_name
    path.write_bytes(render_file(frame, lc.contract.format))
    return path


def _plant(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, cpr in enumerate(PLANTED, start=1):
        fields = lines[i].split(";")
        fields[0], fields[5] = cpr, "99,5"  # a bad CPR in a row whose hours are out of range
        lines[i] = ";".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from contractkit.cli import main; main()",
                           "validate", "-c", str(CONTRACT), *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600, check=False)


def test_spark_gives_the_default_engines_counts_and_leaks_no_cpr(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    path = _synth(data, BREAKS)
    _plant(path)
    work = tmp_path / "work"
    work.mkdir()
    default = _cli(work, str(path), "--format", "json")
    spark = _cli(work, str(path), "--format", "json", "--engine", "spark",
                 "--spark-master", "local[2]")
    assert (default.returncode, spark.returncode) == (1, 1), spark.stderr
    counts = json.loads(default.stdout)["files"][0]["counts"]
    assert json.loads(spark.stdout)["files"][0]["counts"] == counts
    assert {"out-of-range", "not-allowed", "bad-cpr", "wrong-type", "duplicate-key"} <= set(counts)
    written = [p for p in work.rglob("*") if p.is_file()]  # Spark's logs, if it wrote any
    texts = [spark.stdout, spark.stderr] + [p.read_text(errors="replace") for p in written]
    for cpr in PLANTED:
        for variant in (cpr, cpr.replace("-", "")):
            assert all(variant not in t for t in texts)


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(["validate", *args])
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out + out.err


def test_exit_codes_match_the_default_engine(tmp_path: Path, spark: Any,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    clean = _synth(tmp_path, [])
    bad_contract = tmp_path / "bad.yaml"
    bad_contract.write_text("id: [unclosed\n", encoding="utf-8")
    cases = {
        "clean": (["-c", str(CONTRACT), str(clean)], 0),
        "missing file": (["-c", str(CONTRACT), str(tmp_path / "nope.csv")], 2),
        "bad contract": (["-c", str(bad_contract), str(clean)], 2),
    }
    for name, (args, expected) in cases.items():
        for engine in ("polars", "spark"):
            code, _ = _main(capsys, *args, "--engine", engine)
            assert code == expected, (name, engine)


@pytest.mark.parametrize("fmt", ["text", "junit"])
def test_text_and_junit_mask_planted_cpr(tmp_path: Path, spark: Any, fmt: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = _synth(tmp_path, ["timer:out-of-range"])
    _plant(path)
    code, out = _main(capsys, "-c", str(CONTRACT), str(path), "--engine", "spark",
                      "--format", fmt)
    assert code == 1
    assert "bad-cpr" in out
    for cpr in PLANTED:
        assert cpr not in out
        assert cpr.replace("-", "") not in out
