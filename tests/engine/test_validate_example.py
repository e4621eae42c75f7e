"""examples/validate/ runs with its documented outcome."""

from __future__ import annotations

from pathlib import Path

import contractkit

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "validate"
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"


def test_good_example_conforms() -> None:
    report = contractkit.validate(CONTRACT, EXAMPLE / "dst_ledighed_2024-03.csv")
    assert report.ok
    assert report.files[0].rows == 3


def test_bad_example_findings_as_documented() -> None:
    report = contractkit.validate(CONTRACT, EXAMPLE / "bad" / "dst_ledighed_2024-03.csv")
    got = {(f.row, f.column, f.code) for f in report.files[0].findings}
    assert got == {
        (2, "cpr", "bad-cpr"),
        (3, "cpr,uge", "duplicate-key"),
        (4, "kommune_kode", "not-in-codelist"),
        (4, "periode", "out-of-period"),
        (4, "timer", "out-of-range"),
        (4, "koen", "not-allowed"),
        (4, "akasse_medlem", "wrong-type"),
    }
    assert not report.ok


def test_bad_example_shows_values_as_written() -> None:
    # the example's README shows `38,50`; the report said the parsed `38.5`
    report = contractkit.validate(CONTRACT, EXAMPLE / "bad" / "dst_ledighed_2024-03.csv")
    values = {f.column: f.value for f in report.files[0].findings}
    assert values["timer"] == "38,50"
    assert values["akasse_medlem"] == "måske"
