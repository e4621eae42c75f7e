"""Finding the baseline (the last released delivery) and a recipient's --baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from contractkit.delivery import build_manifest, write_manifest
from contractkit.delivery.baseline import judge_report, last_released, load_baseline
from contractkit.engine import validate_paths
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract, load_contract

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"
HEADER = "cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem\n"
PLANTED = "010180-1234"


@pytest.fixture
def lc() -> LoadedContract:
    return load_contract(CONTRACT)


def _delivery(root: Path, lc: LoadedContract, period: str, rows: int, *,
              status: str = "released", code: str = "111", other: int = 0) -> Path:
    folder = root / lc.contract.id / period
    folder.mkdir(parents=True)
    path = folder / f"dst_ledighed_{period}.csv"
    lines = [PLANTED + f";101;{code};{period};2024-W10;37;M;44;true\n"]
    lines += [f"0201{i % 80 + 10:02d}-{1000 + i};101;{code};{period};2024-W10;37;M;44;true\n"
              for i in range(rows - 1)]
    lines = [x.replace(f";{code};", ";730;") if i < other else x for i, x in enumerate(lines)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    report = validate_paths(lc, [path], period=period)
    judged, profiles = judge_report(lc, report, [path], None, period=period)
    assert judged.notes  # first period: says so
    write_manifest(folder, build_manifest(lc, period, [(path, "ledighed", None, rows)], status,
                                          profiles=profiles))
    return folder


def test_last_released_is_the_newest_earlier_released_delivery(lc: LoadedContract,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    _delivery(root, lc, "2024-01", 200)
    _delivery(root, lc, "2024-02", 300, status="rejected")
    _delivery(root, lc, "2024-04", 400)
    (root / lc.contract.id / "2023-12").mkdir()  # no manifest: passed over
    (root / lc.contract.id / "2023-11").mkdir()
    (root / lc.contract.id / "2023-11" / "manifest.json").write_text("{", encoding="utf-8")
    (root / lc.contract.id / "notes").mkdir()
    found = last_released(lc.contract, root / lc.contract.id, "2024-03")
    assert found is not None
    assert found.period == "2024-01"
    assert found.files[0].profile.rows == 200
    assert last_released(lc.contract, root / lc.contract.id, "2024-01") is None
    assert last_released(lc.contract, root / "nothing", "2024-03") is None


def test_load_baseline_from_folder_and_manifest_agree(lc: LoadedContract, tmp_path: Path) -> None:
    folder = _delivery(tmp_path, lc, "2024-02", 600)
    a = load_baseline(lc, folder)
    b = load_baseline(lc, folder / "manifest.json")
    assert a.period == b.period == "2024-02"
    assert a.files[0].profile == b.files[0].profile


def test_load_baseline_refuses_what_it_cannot_use(lc: LoadedContract, tmp_path: Path) -> None:
    with pytest.raises(DeliveryError):
        load_baseline(lc, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError):
        load_baseline(lc, tmp_path / "empty")
    other = tmp_path / "x.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(UsageError):
        load_baseline(lc, other)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from contractkit.cli import main; main()",
                           *args], capture_output=True, text=True, cwd=REPO, timeout=120,
                          check=False)


def test_validate_baseline_cli(lc: LoadedContract, tmp_path: Path) -> None:
    before = _delivery(tmp_path, lc, "2024-02", 600)
    after = _delivery(tmp_path, lc, "2024-03", 300, code="730")
    current = str(after / "dst_ledighed_2024-03.csv")
    held = _cli("validate", "-c", str(CONTRACT), current, "--baseline", str(before))
    assert held.returncode == 1, held.stdout + held.stderr
    for code in ("volume-change", "share-change", "code-vanished"):
        assert code in held.stdout
    assert "compared with period 2024-02" in held.stdout
    junit = _cli("validate", "-c", str(CONTRACT), current, "--baseline", str(before),
                 "--format", "junit")
    assert "volume-change" in junit.stdout
    data = json.loads(_cli("validate", "-c", str(CONTRACT), current, "--baseline",
                           str(before / "manifest.json"), "--format", "json").stdout)
    volume = next(f for f in data["files"][0]["findings"] if f["code"] == "volume-change")
    assert (volume["comparison"]["baseline"], volume["comparison"]["current"]) == (600, 300)
    same = _cli("validate", "-c", str(CONTRACT), str(before / "dst_ledighed_2024-02.csv"),
                "--baseline", str(before))
    assert same.returncode == 0, same.stdout
    for run in (held, junit):
        assert PLANTED not in run.stdout + run.stderr
    missing = _cli("validate", "-c", str(CONTRACT), current, "--baseline",
                   str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "nope" in missing.stderr + missing.stdout
    assert "Traceback" not in missing.stderr


def test_a_warning_reports_but_does_not_hold(lc: LoadedContract, tmp_path: Path) -> None:
    before = _delivery(tmp_path, lc, "2024-02", 600, other=10)  # 730 on 10 rows
    after = _delivery(tmp_path, lc, "2024-03", 600)  # 730 gone: within 5 points, but vanished
    path = after / "dst_ledighed_2024-03.csv"
    judged, _ = judge_report(lc, validate_paths(lc, [path], period="2024-03"), [path],
                             load_baseline(lc, before), period="2024-03")
    [file] = judged.files
    assert file.counts == {"code-vanished": 1}
    assert file.findings[0].severity == "warning"
    assert file.ok
    assert judged.ok
