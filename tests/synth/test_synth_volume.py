"""Volume: ``contractkit synth`` writes 1,000,000 conforming DST rows that validate clean.

Timing is measured by benchmarks/synth.py (recorded in README), not asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.cli import main
from contractkit.engine import validate_file
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parents[2]
DST = REPO / "contracts" / "dst-ledighed.yaml"


@pytest.mark.slow
def test_a_million_conforming_rows(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["synth", "-c", str(DST), "--rows", "1000000", "--period", "2024-03",
              "-o", str(tmp_path)])
    assert exc.value.code == 0
    path = tmp_path / "dst_ledighed_2024-03.csv"
    report = validate_file(load_contract(DST), path)
    assert report.rows == 1_000_000
    assert report.ok, report.counts
