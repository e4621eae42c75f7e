"""examples/pipeline runs as its README documents: exit 1, one feed rejected, file named."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "pipeline"
BIN = Path(sys.executable).parent


@pytest.mark.slow
def test_example_outcome(built_warehouse: Path, warehouse_copy: Path, tmp_path: Path) -> None:
    planted = subprocess.run([sys.executable, str(EXAMPLE / "plant_defect.py"),
                              str(warehouse_copy)], capture_output=True, text=True, check=True)
    bad_file = planted.stdout.strip()
    assert bad_file in (EXAMPLE / "README.md").read_text(encoding="utf-8")
    out = tmp_path / "deliveries"
    run = subprocess.run(
        [str(BIN / "contractkit"), "ci", "--period", "2024-03", "--warehouse",
         str(warehouse_copy), "--out", str(out), "--target-dir", str(tmp_path / "target")],
        capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1, run.stdout + run.stderr
    assert (f"rejected: samtaletidspunkter-kommuner: {bad_file}: kommune_kode:out-of-scope"
            in run.stdout)
    assert "12 feeds: 11 released, 1 rejected" in run.stdout
    assert not re.search(r"\b\d{6}-\d{4}\b", run.stdout + run.stderr)
    manifest = out / "samtaletidspunkter-kommuner" / "2024-03" / "manifest.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["status"] == "rejected"
