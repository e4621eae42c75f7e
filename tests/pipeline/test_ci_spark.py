"""``contractkit ci --engine spark`` gates a delivery with the Spark engine, as polars does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contractkit.cli import main

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.spark, pytest.mark.xdist_group("spark")]


def _ci(out: Path, warehouse: Path, *extra: str) -> list[str]:
    return ["ci", "--period", "2024-03", "--warehouse", str(warehouse),
            "--out-dir", str(out / "deliveries"), "--project-dir", str(REPO),
            "-c", str(REPO / "contracts"), "--target-dir", str(out / "target"),
            "--feed", "dst-ledighed", "--format", "json", *extra]


def _feed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    captured = capsys.readouterr()
    assert exc.value.code == 0, captured.err + captured.out
    (feed,) = json.loads(captured.out)["feeds"]
    assert isinstance(feed, dict)
    return feed


def test_ci_gate_with_spark_releases_what_polars_releases(
        built_warehouse: Path, tmp_path: Path, spark: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    by_polars = _feed(_ci(tmp_path / "polars", built_warehouse), capsys)
    by_spark = _feed(_ci(tmp_path / "spark", built_warehouse, "--engine", "spark"), capsys)
    assert by_spark["status"] == by_polars["status"] == "released"
    assert by_spark["rows"] == by_polars["rows"] > 0
    assert ([f["name"] for f in by_spark["files"]] == [f["name"] for f in by_polars["files"]])
    manifest = json.loads((tmp_path / "spark" / "deliveries" / "dst-ledighed" / "2024-03" /
                           "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "released"
