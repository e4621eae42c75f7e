"""`contractkit validate` end to end: exit codes, formats, and no CPR in any output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"
HEADER = "cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem"
GOOD = [
    "010180-1234;101;111;2024-03;2024-W10;37,00;M;44;true",
    "020280-2345;0147;651;2024-03;2024-W11;12,5;K;44;",
]
# planted CPR numbers in bad rows: a bad date, a duplicate key, a wrong century, out of range
PLANTED = ["310299-1111", "020280-2345", "290201-1234", "150575-4321"]
BAD = [
    f"{PLANTED[0]};101;111;2024-03;2024-W10;1;M;30;true",
    f"{PLANTED[1]};147;651;2024-03;2024-W11;12,5;K;44;",
    f"{PLANTED[2]};101;111;2024-03;2024-W10;1;M;30;true",
    f"{PLANTED[3]};999;111;2024-04;2024-W10;99;X;3;maybe",
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from contractkit.cli import main; main()", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120, check=False)


def _file(tmp_path: Path, rows: list[str], name: str = "dst_ledighed_2024-03.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_conforming_file_exits_0(tmp_path: Path) -> None:
    res = _run("validate", "-c", str(CONTRACT), str(_file(tmp_path, GOOD)), "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["ok"] is True
    assert data["files"][0]["rows"] == 2


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_planted_cpr_never_appears(tmp_path: Path, fmt: str) -> None:
    path = _file(tmp_path, GOOD + BAD)
    res = _run("validate", "-c", str(CONTRACT), str(path), "--format", fmt, "--debug")
    assert res.returncode == 1, res.stderr
    for cpr in PLANTED + [g.split(";")[0] for g in GOOD]:
        for variant in (cpr, cpr.replace("-", "")):
            assert variant not in res.stdout
            assert variant not in res.stderr
    if fmt == "json":
        data = json.loads(res.stdout)
        counts = data["files"][0]["counts"]
        assert counts["bad-cpr"] == 2
        assert counts["duplicate-key"] == 1
        masked = [f["value"] for f in data["files"][0]["findings"] if f["column"] == "cpr"]
        assert masked
        assert all(v is None or v.startswith("masked:") for v in masked)


def test_missing_file_exits_2(tmp_path: Path) -> None:
    res = _run("validate", "-c", str(CONTRACT), str(tmp_path / "nope.csv"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr


def test_invalid_contract_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    res = _run("validate", "-c", str(bad), str(_file(tmp_path, GOOD)))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD)
    assert _run("validate", "-c", str(CONTRACT), str(path), "--period", "2024-13").returncode == 2
    assert _run("validate", "-c", str(CONTRACT), str(path), "--max-examples", "-1").returncode == 2
    assert _run("validate", str(path)).returncode == 2


def test_malformed_file_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "dst_ledighed_2024-03.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00junk")
    res = _run("validate", "-c", str(CONTRACT), str(path), "--format", "json")
    assert res.returncode == 1
    assert json.loads(res.stdout)["files"][0]["counts"] == {"malformed-file": 1}


def test_max_examples_caps_examples_not_counts(tmp_path: Path) -> None:
    rows = [f"01018{i % 10}-{1000 + i};101;111;2024-03;2024-W10;99;M;30;" for i in range(30)]
    res = _run("validate", "-c", str(CONTRACT), str(_file(tmp_path, rows)), "--format", "json",
               "--max-examples", "3")
    assert res.returncode == 1
    report = json.loads(res.stdout)["files"][0]
    assert report["counts"]["out-of-range"] == 30
    assert sum(f["code"] == "out-of-range" for f in report["findings"]) == 3
    assert report["truncated"] is True


def test_junit_has_one_case_per_failing_rule(tmp_path: Path) -> None:
    res = _run("validate", "-c", str(CONTRACT), str(_file(tmp_path, GOOD + BAD)), "--format",
               "junit")
    assert res.returncode == 1
    import xml.etree.ElementTree as ET

    root = ET.fromstring(res.stdout)
    names = [c.get("name") for c in root.iter("testcase")]
    assert len(names) == len(set(names))
    assert {"conforms", "cpr:bad-cpr", "primary_key", "timer:out-of-range"} <= set(names)


def test_input_file_is_not_modified(tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD + BAD)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    _run("validate", "-c", str(CONTRACT), str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_junit_has_one_case_per_rule_passing_or_failing(tmp_path: Path) -> None:
    # issue 19, point 7: JUnit listed only the failing rules
    import xml.etree.ElementTree as ET

    from typer.testing import CliRunner

    from contractkit.cli import app

    rows = [*GOOD, *(f"01018{i}-{1000 + i};101;111;2024-03;2024-W10;99;M;30;" for i in range(5))]
    res = CliRunner().invoke(app, ["validate", "-c", str(CONTRACT), str(_file(tmp_path, rows)),
                                   "--format", "junit", "--max-examples", "2"])
    assert res.exit_code == 1
    suite = ET.fromstring(res.stdout).find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    # every rule of the contract's table is a case: the columns' rules and the dataset rules
    assert {"cpr:bad-cpr", "kommune_kode:not-in-codelist", "koen:not-allowed",
            "periode:out-of-period", "primary_key", "timer:out-of-range", "timer:wrong-type",
            "file_pattern"} <= set(cases)
    assert cases["cpr:bad-cpr"].find("failure") is None  # a rule that holds passes
    failure = cases["timer:out-of-range"].find("failure")
    assert failure is not None
    assert "5 finding(s)" in (failure.get("message") or "")  # the exact count …
    assert (failure.text or "").count("row ") == 2  # … and the (capped) examples
    assert [c for c in cases.values() if c.find("failure") is not None] == [
        cases["conforms"], cases["timer:out-of-range"]]
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == "2"


def test_junit_skips_the_rules_of_a_missing_column(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    header = HEADER.replace(";timer", "")
    path = tmp_path / "dst_ledighed_2024-03.csv"
    path.write_text(f"{header}\n010180-1234;101;111;2024-03;2024-W10;M;44;true\n",
                    encoding="utf-8")
    res = _run("validate", "-c", str(CONTRACT), str(path), "--format", "junit")
    assert res.returncode == 1
    cases = {c.get("name"): c for c in ET.fromstring(res.stdout).iter("testcase")}
    assert cases["timer:missing-column"].find("failure") is not None
    assert cases["timer:out-of-range"].find("skipped") is not None
    assert cases["cpr:bad-cpr"].find("skipped") is None
