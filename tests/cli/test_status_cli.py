"""`contractkit status` for a steward and a recipient: --as-of, wrong folders, --feed, --scope."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from contractkit.delivery import build_manifest, write_manifest
from contractkit.loader import LoadedContract, load_contract

Write = Callable[..., Path]
BIN = Path(sys.executable).parent / "contractkit"
CSV = b"cpr;kommune_kode;timer\n0101800001;101;1,5\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env)


def deliver(root: Path, lc: LoadedContract, period: str, when: datetime) -> Path:
    folder = root / lc.contract.id / period
    folder.mkdir(parents=True)
    path = folder / f"feed_{period}.csv"
    path.write_bytes(CSV)
    write_manifest(folder, build_manifest(lc, period, [(path, "rows", None, 1)], "released",
                                          generated_at=when))
    return folder

PER_KOMMUNE = {
    "id: test-feed": "id: kommune-feed",
    "scope: {kind: national}": "scope: {kind: per_municipality, column: kommune_kode}",
    'file_pattern: "feed_{period}.csv"': 'file_pattern: "feed_{kommune}_{period}.csv"',
}


def _two_feeds(tmp_path: Path, write_contract: Write, base_text: str) -> Path:
    national = load_contract(write_contract(base_text))
    text = base_text
    for old, new in PER_KOMMUNE.items():
        text = text.replace(old, new)
    write_contract(text, "kommune.yaml")
    root = tmp_path / "deliveries"
    deliver(root, national, "2024-02", datetime(2024, 3, 8, tzinfo=UTC))
    deliver(root, national, "2024-03", datetime(2024, 4, 8, tzinfo=UTC))
    return root


def test_status_as_of_ignores_later_deliveries(tmp_path: Path, write_contract: Write,
                                               base_text: str) -> None:
    root = _two_feeds(tmp_path, write_contract, base_text)
    contracts = tmp_path / "contracts"
    result = run("status", root, "-c", contracts, "--as-of", "2024-04-05", "--feed", "test-feed",
                 "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    (feed,) = json.loads(result.stdout)["feeds"]
    assert feed["late"] == []
    assert feed["after_as_of"] == ["2024-03"]
    assert feed["due_next"]["period"] == "2024-03"


def test_status_on_a_feed_folder_and_on_a_wrong_folder(tmp_path: Path, write_contract: Write,
                                                       base_text: str) -> None:
    root = _two_feeds(tmp_path, write_contract, base_text)
    contracts = tmp_path / "contracts"
    own = run("status", root / "test-feed", "-c", contracts, "--as-of", "2024-04-20")
    assert own.returncode == 0, own.stdout + own.stderr
    assert "on-time" in own.stdout
    assert "nothing missing" in own.stdout
    assert "kommune-feed" not in own.stdout
    empty = tmp_path / "inbox"
    empty.mkdir()
    wrong = run("status", empty, "-c", contracts, "--as-of", "2024-04-20")
    assert wrong.returncode == 2
    assert "no delivery manifest found" in wrong.stderr
    assert "<feed id>/<period>/manifest.json" in wrong.stderr


def test_status_scope_narrows_and_is_checked(tmp_path: Path, write_contract: Write,
                                             base_text: str) -> None:
    root = _two_feeds(tmp_path, write_contract, base_text)
    contracts = tmp_path / "contracts"
    aarhus = run("status", root, "-c", contracts, "--as-of", "2024-04-20", "--scope", "0751",
                 "--format", "json")
    assert aarhus.returncode == 1, aarhus.stderr  # Aarhus' file of 2024-03 is missing
    (feed,) = json.loads(aarhus.stdout)["feeds"]
    assert feed["feed"] == "kommune-feed"
    assert feed["missing"] == ["2024-03"]
    for bad, near in (("999", "860"), ("Aarhus", "751 (Aarhus)")):
        result = run("status", root, "-c", contracts, "--scope", bad)
        assert result.returncode == 2, result.stdout
        assert near in result.stderr
    unknown = run("status", root, "-c", contracts, "--feed", "nope")
    assert unknown.returncode == 2
    assert "test-feed" in unknown.stderr


def test_status_junit_has_a_case_per_feed(tmp_path: Path, write_contract: Write,
                                          base_text: str) -> None:
    from xml.etree import ElementTree as ET

    root = _two_feeds(tmp_path, write_contract, base_text)
    result = run("status", root, "--contract", tmp_path / "contracts", "--as-of", "2024-04-20",
                 "--format", "junit")
    assert result.returncode == 1
    cases = {c.get("name"): c for c in ET.fromstring(result.stdout).iter("testcase")}
    assert set(cases) == {"test-feed", "kommune-feed"}
    assert cases["test-feed"].find("failure") is None
    assert cases["kommune-feed"].find("failure") is not None


def test_status_without_as_of_judges_as_of_today_in_denmark(tmp_path: Path,
                                                           write_contract: Write,
                                                           base_text: str) -> None:
    # a delivery made a minute ago counts, whatever the hour: the default day is Denmark's
    # (at 23:30 UTC in winter the machine's date is a day behind the delivery's Danish day)
    from zoneinfo import ZoneInfo

    root = _two_feeds(tmp_path, write_contract, base_text)
    national = load_contract(tmp_path / "contracts" / "feed.yaml")
    deliver(root, national, "2024-04", datetime.now(UTC))
    danish = {datetime.now(ZoneInfo("Europe/Copenhagen")).date().isoformat()}
    result = run("status", root, "-c", tmp_path / "contracts", "--feed", "test-feed",
                 "--format", "json")
    danish.add(datetime.now(ZoneInfo("Europe/Copenhagen")).date().isoformat())
    data = json.loads(result.stdout)
    assert data["as_of"] in danish
    (feed,) = data["feeds"]
    assert "2024-04" in feed["delivered"]
    assert "2024-04" not in feed.get("after_as_of", [])
