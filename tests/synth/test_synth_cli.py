"""``contractkit synth``: files named by pattern, determinism, --break, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.checks.cpr import CPR_REGEX
from contractkit.cli import main
from contractkit.engine import validate_paths
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parent.parent.parent
DST = REPO / "contracts" / "dst-ledighed.yaml"
UDK = REPO / "contracts" / "udk-kontanthjaelp-sygedagpenge.yaml"


def run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    code = exc.value.code
    return code if isinstance(code, int) else 0


def test_synth_writes_a_conforming_file_named_by_the_pattern(tmp_path: Path) -> None:
    assert run(["synth", "-c", str(DST), "--rows", "40", "--period", "2024-03",
                "-o", str(tmp_path)]) == 0
    path = tmp_path / "dst_ledighed_2024-03.csv"
    assert path.read_text(encoding="utf-8").count("\n") == 41
    assert validate_paths(load_contract(DST), [path]).ok
    assert run(["validate", "-c", str(DST), str(path)]) == 0


def test_synth_is_deterministic_per_seed(tmp_path: Path) -> None:
    for name, seed in (("a.csv", "7"), ("b.csv", "7"), ("c.csv", "8")):
        assert run(["synth", "-c", str(DST), "--rows", "30", "--period", "2024-03",
                    "--seed", seed, "-o", str(tmp_path / name)]) == 0
    a, b, c = ((tmp_path / n).read_bytes() for n in ("a.csv", "b.csv", "c.csv"))
    assert a == b
    assert a != c


def test_break_writes_a_file_with_exactly_that_finding(tmp_path: Path) -> None:
    out = tmp_path / "dst_ledighed_2024-03.csv"
    assert run(["synth", "-c", str(DST), "--rows", "20", "--period", "2024-03",
                "--break", "koen:not-allowed", "-o", str(out)]) == 0
    report = validate_paths(load_contract(DST), [out])
    assert {k for f in report.files for k, v in f.counts.items() if v} == {"not-allowed"}
    assert run(["validate", "-c", str(DST), str(out)]) == 1


def test_bad_break_lists_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["synth", "-c", str(DST), "--break", "nope", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "timer:out-of-range" in err
    assert "file:ragged-row" in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [
    ["--period", "2024-13"],
    ["--period", "2024-Q1"],
    ["--scope", "101"],
    ["--table", "nope"],
    ["--rows", "-1"],
])
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str]) -> None:
    assert run(["synth", "-c", str(DST), "-o", str(tmp_path), *args]) == 2
    assert not list(tmp_path.iterdir())


def test_missing_contract_exits_2(tmp_path: Path) -> None:
    assert run(["synth", "-c", str(tmp_path / "none.yaml"), "-o", str(tmp_path)]) == 2


def test_folder_receives_the_whole_delivery(tmp_path: Path) -> None:
    assert run(["synth", "-c", str(UDK), "--rows", "10", "--period", "2024-03",
                "-o", str(tmp_path)]) == 0
    files = sorted(tmp_path.iterdir())
    assert len(files) == len(load_contract(UDK).contract.tables)
    assert validate_paths(load_contract(UDK), files).ok


def test_broken_reference_in_a_delivery(tmp_path: Path) -> None:
    lc = load_contract(UDK)
    rule = next(f"{t.name}.references[0]:broken-reference" for t in lc.contract.tables
                if t.references)
    assert run(["synth", "-c", str(UDK), "--rows", "10", "--period", "2024-03",
                "--break", rule, "-o", str(tmp_path)]) == 0
    report = validate_paths(lc, sorted(tmp_path.iterdir()))
    assert {k for f in report.files for k, v in f.counts.items() if v} == {"broken-reference"}


def test_output_never_shows_a_cpr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re

    assert run(["synth", "-c", str(DST), "--rows", "5", "--period", "2024-03",
                "-o", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert not re.search(CPR_REGEX.strip("^$"), out.out + out.err)
