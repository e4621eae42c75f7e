"""`contractkit verify` and `contractkit status` from the command line: exit codes, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from contractkit.delivery import build_manifest, write_manifest
from contractkit.loader import LoadedContract, load_contract

Write = Callable[..., Path]
BIN = Path(sys.executable).parent / "contractkit"
CSV = b"cpr;kommune_kode;timer\n0101800001;101;1,5\n"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=cwd)


def deliver(root: Path, lc: LoadedContract, period: str, when: datetime,
            data: bytes = CSV) -> Path:
    folder = root / lc.contract.id / period
    folder.mkdir(parents=True)
    path = folder / f"feed_{period}.csv"
    path.write_bytes(data)
    rows = data.count(b"\n") - 1
    write_manifest(folder, build_manifest(lc, period, [(path, "rows", None, rows)], "released",
                                          generated_at=when))
    return folder


def _status_setup(tmp_path: Path, write_contract: Write, base_text: str) -> tuple[Path, Path]:
    contract = write_contract(base_text)
    lc = load_contract(contract)
    root = tmp_path / "deliveries"
    deliver(root, lc, "2024-01", datetime(2024, 2, 5, tzinfo=UTC))
    deliver(root, lc, "2024-02", datetime(2024, 3, 20, tzinfo=UTC))  # due 03-10: late
    return root, contract  # 2024-03 (due 04-10) is missing as of 04-20


def test_status_json_names_missing_late_and_due_next(tmp_path: Path, write_contract: Write,
                                                     base_text: str) -> None:
    root, contract = _status_setup(tmp_path, write_contract, base_text)
    result = run("status", root, "-c", contract, "--as-of", "2024-04-20", "--format", "json")
    assert result.returncode == 1, result.stderr
    (feed,) = json.loads(result.stdout)["feeds"]
    assert feed["missing"] == ["2024-03"]
    assert feed["late"] == ["2024-02"]
    assert feed["delivered"] == ["2024-01", "2024-02"]
    assert feed["due_next"] == {"period": "2024-04", "due": "2024-05-10"}


def test_status_text_and_output_file(tmp_path: Path, write_contract: Write,
                                     base_text: str) -> None:
    root, contract = _status_setup(tmp_path, write_contract, base_text)
    result = run("status", root, "-c", contract, "--as-of", "2024-04-20")
    assert result.returncode == 1
    for word in ("2024-01", "on-time", "late", "missing", "2024-05-10"):
        assert word in result.stdout
    out = tmp_path / "reports" / "status.json"
    result = run("status", root, "-c", contract, "--as-of", "2024-04-20", "--format", "json",
                 "-o", out)
    assert result.returncode == 1
    assert json.loads(out.read_text())["schema"] == "contractkit-status/1"
    assert result.stdout == ""


def test_status_clean_exits_0(tmp_path: Path, write_contract: Write, base_text: str) -> None:
    root, contract = _status_setup(tmp_path, write_contract, base_text)
    result = run("status", root, "-c", contract, "--as-of", "2024-03-09")
    assert result.returncode == 0, result.stdout + result.stderr


def test_status_cannot_judge(tmp_path: Path, write_contract: Write, base_text: str) -> None:
    root, contract = _status_setup(tmp_path, write_contract, base_text)
    assert run("status", root, "-c", contract, "--as-of", "20-04-2024").returncode == 2
    assert run("status", root, "-c", contract, "--since", "soon").returncode == 2
    assert run("status", tmp_path / "absent", "-c", contract).returncode == 2
    assert run("status", root, "-c", tmp_path / "no-contracts").returncode == 2
    assert run("status", root, "-c", contract, "--format", "xml").returncode == 2


class _Interrupt(BaseException):
    """Stands in for the process being stopped in the middle of writing."""


def test_interrupted_report_write_leaves_no_half_file(
    tmp_path: Path, write_contract: Write, base_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contractkit.atomic as atomic
    from contractkit.cli import main

    root, contract = _status_setup(tmp_path, write_contract, base_text)
    out = tmp_path / "reports" / "status.json"
    out.parent.mkdir()
    out.write_text("previous report\n")
    written: list[int] = []

    def stop_before_rename(fd: int) -> None:  # the bytes are on disk, the rename is not
        written.append(os.fstat(fd).st_size)
        raise _Interrupt

    monkeypatch.setattr(atomic.os, "fsync", stop_before_rename)
    with pytest.raises(_Interrupt):
        main(["status", str(root), "-c", str(contract), "--as-of", "2024-04-20",
              "--format", "json", "-o", str(out)])
    assert written
    assert written[0] > 0
    assert out.read_text() == "previous report\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["status.json"]


GOOD = b"cpr;kommune_kode;timer\n0101800001;101;1,5\n0202810002;147;2\n"
BAD_CPR = "3113809999"  # 31 November does not exist: a bad-cpr finding whose value must not leak


def _verify_setup(tmp_path: Path, write_contract: Write, base_text: str) -> tuple[Path, Path]:
    contract = write_contract(base_text)
    folder = deliver(tmp_path / "received", load_contract(contract), "2024-03",
                     datetime(2024, 4, 8, tzinfo=UTC), GOOD)
    return folder, contract


@pytest.mark.slow
def test_verify_clean_then_tampered(tmp_path: Path, write_contract: Write,
                                    base_text: str) -> None:
    folder, contract = _verify_setup(tmp_path, write_contract, base_text)
    clean = run("verify", folder, "-c", contract)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    path = folder / "feed_2024-03.csv"
    path.write_bytes(path.read_bytes().replace(b"0202810002", BAD_CPR.encode()))
    outputs = []
    for fmt in ("text", "json", "junit"):
        result = run("verify", folder, "-c", contract, "--format", fmt)
        assert result.returncode == 1, result.stderr
        outputs.append(result.stdout + result.stderr)
    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(outputs[1]))
    files = {Path(f["file"]).name: f["counts"] for f in json.loads(outputs[1])["files"]}
    assert files["feed_2024-03.csv"] == {"sha256-mismatch": 1, "bad-cpr": 1}
    assert "sha256-mismatch" in outputs[2]
    # JUnit: one case per rule, as validate gives them (issue 19, point 7)
    from xml.etree import ElementTree as ET

    cases = {c.get("name"): c for c in ET.fromstring(result.stdout).iter("testcase")}
    assert cases["cpr:bad-cpr"].find("failure") is not None
    assert cases["timer:out-of-range"].find("failure") is None  # a rule that holds passes
    assert cases["delivery:sha256-mismatch"].find("failure") is not None
    for output in outputs:
        assert BAD_CPR not in output
        assert "0101800001" not in output


def test_verify_cannot_judge(tmp_path: Path, write_contract: Write, base_text: str) -> None:
    folder, contract = _verify_setup(tmp_path, write_contract, base_text)
    before = sorted(p.name for p in folder.iterdir())
    assert run("verify", tmp_path / "absent", "-c", contract).returncode == 2
    assert run("verify", folder, "-c", tmp_path / "absent.yaml").returncode == 2
    assert run("verify", folder, "-c", contract, "-o", folder / "report.json").returncode == 2
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.slow
def test_verify_output_file_is_written_outside(tmp_path: Path, write_contract: Write,
                                               base_text: str) -> None:
    folder, contract = _verify_setup(tmp_path, write_contract, base_text)
    out = tmp_path / "reports" / "verify.xml"
    result = run("verify", folder, "-c", contract, "--format", "junit", "-o", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text().startswith("<?xml")
    text_out = tmp_path / "reports" / "verify.txt"
    assert run("verify", folder, "-c", contract, "-o", text_out).returncode == 0
    assert "feed_2024-03.csv" in text_out.read_text()
