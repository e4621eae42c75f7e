"""`contractkit extract` then `verify --scope` from the command line (issue 19, points 5-6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from contractkit.delivery import build_manifest, write_manifest
from contractkit.loader import load_contract

Write = Callable[..., Path]
BIN = Path(sys.executable).parent / "contractkit"
CPR = "0101800001"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env=env)


def _producer(tmp_path: Path, write_contract: Write, base_text: str) -> tuple[Path, Path]:
    text = base_text.replace("scope: {kind: national}",
                             "scope: {kind: per_municipality, column: kommune_kode}").replace(
        'file_pattern: "feed_{period}.csv"', 'file_pattern: "feed_{kommune}_{period}.csv"')
    contract = write_contract(text)
    lc = load_contract(contract)
    folder = tmp_path / "deliveries" / "test-feed" / "2024-03"
    folder.mkdir(parents=True)
    entries = []
    for code in ("101", "147", "751"):
        path = folder / f"feed_{code}_2024-03.csv"
        path.write_bytes(f"cpr;kommune_kode;timer\n{CPR};{code};1\n".encode())
        entries.append((path, "rows", code, 1))
    write_manifest(folder, build_manifest(lc, "2024-03", entries, "released",
                                          datetime(2024, 4, 8, tzinfo=UTC)))
    return folder, contract


def test_extract_then_verify_and_scoped_verify_of_the_producers_folder(
        tmp_path: Path, write_contract: Write, base_text: str) -> None:
    producer, contract = _producer(tmp_path, write_contract, base_text)
    whole = run("verify", producer, "-c", contract, "--scope", "0751")
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert "skipped 2 file(s)" in whole.stdout
    assert "feed_101_2024-03.csv" not in whole.stdout
    out = tmp_path / "to-aarhus" / "2024-03"
    cut = run("extract", producer, "--scope", "0751", "--out-dir", out, "-c", contract)
    assert cut.returncode == 0, cut.stdout + cut.stderr
    assert "scope 751" in cut.stdout
    assert sorted(p.name for p in out.iterdir()) == ["feed_751_2024-03.csv", "manifest.json"]
    verified = run("verify", out, "-c", contract, "--scope", "751", "--format", "json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"] is True
    for output in (whole.stdout, cut.stdout, verified.stdout):
        assert CPR not in output


def test_unknown_scope_is_a_bad_argument(tmp_path: Path, write_contract: Write,
                                         base_text: str) -> None:
    producer, contract = _producer(tmp_path, write_contract, base_text)
    for args in (("verify", producer, "-c", contract, "--scope", "999"),
                 ("verify", producer, "-c", contract, "--scope", "Aarhus"),
                 ("extract", producer, "-c", contract, "--scope", "999", "-o", tmp_path / "o")):
        result = run(*args)
        assert result.returncode == 2, result.stdout
        assert "nearest:" in result.stderr
    assert "751 (Aarhus)" in run("verify", producer, "-c", contract, "--scope",
                                  "Aarhus").stderr
    assert not (tmp_path / "o").exists()
