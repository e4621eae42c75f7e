"""Wide files: batches bounded by cells and bytes whatever the width, and a family's
members judged together still give exact members and rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from contractkit import load_contract
from contractkit.engine import validate_paths
from contractkit.engine.run import (
    BATCH_BYTES,
    BATCH_CELLS,
    BATCH_CELLS_PARQUET,
    BATCH_ROWS,
    batch_rows_for,
)

WEEKS = 2_500
ROWS = 5_000


def _wide_file(path: Path, bad: dict[tuple[int, int], str]) -> Path:
    """``ROWS`` persons × ``WEEKS`` week columns, mostly empty, a spell of code 111 each;
    ``bad`` maps (1-based row, week index) to a planted value."""
    spell = pl.int_range(0, ROWS, eager=True) % WEEKS
    cols: dict[str, pl.Series] = {"id": pl.int_range(1, ROWS + 1, eager=True).cast(pl.String)}
    for w in range(WEEKS):
        cols[f"y_{w:04d}"] = pl.Series([None] * ROWS, dtype=pl.String).set(
            (spell - w).abs() < 3, "111")
    frame = pl.DataFrame(cols)
    if bad:
        frame = frame.with_columns(
            pl.when(pl.int_range(1, ROWS + 1) == row).then(pl.lit(value))
            .otherwise(pl.col(f"y_{w:04d}")).alias(f"y_{w:04d}")
            for (row, w), value in bad.items())
    frame.write_csv(path, separator=";")
    return path


def _contract(kit: Any) -> Any:
    columns = [{"name": "id", "type": "integer"}] + [
        {"name": f"y_{w:04d}", "type": "string", "codelist": "ydelser", "required": False}
        for w in range(WEEKS)]
    return load_contract(kit.contract({"columns": columns, "primary_key": ["id"]}))


def test_batch_rows_are_bounded_by_cells_and_bytes() -> None:
    assert batch_rows_for(BATCH_ROWS, 5, 60.0) == BATCH_ROWS  # a narrow file: rows decide
    assert batch_rows_for(BATCH_ROWS, 2_103, 2_500.0) * 2_103 <= BATCH_CELLS
    assert batch_rows_for(BATCH_ROWS, 10, 100_000.0) * 100_000 <= BATCH_BYTES
    assert batch_rows_for(BATCH_ROWS, 10**9, None) == 1
    # Parquet: typed values, larger batches (a pyarrow row group of 1M rows at 9 columns)
    assert batch_rows_for(BATCH_ROWS, 9, None, BATCH_CELLS_PARQUET) == BATCH_ROWS
    assert batch_rows_for(BATCH_ROWS, 2_103, None, BATCH_CELLS_PARQUET) * 2_103 <= (
        BATCH_CELLS_PARQUET)


@pytest.mark.slow
def test_a_wide_file_is_read_in_batches_bounded_by_cells_with_exact_rows(kit: Any) -> None:
    (kit.root / "delivery").mkdir()
    late = ROWS - 7  # in the second batch
    path = _wide_file(kit.root / "delivery" / "case_2024-03.csv",
                      {(late, 1_234): "999", (5, 2): "998", (late, 2_499): "999"})
    lc = _contract(kit)
    seen: list[int] = []
    report = validate_paths(lc, [path], on_progress=lambda _p, n: seen.append(n)).files[0]
    sizes = [b - a for a, b in zip([0, *seen], seen, strict=False)]
    assert report.rows == ROWS
    assert len(sizes) >= 2
    assert max(sizes) == BATCH_CELLS // (WEEKS + 1)
    # the family judged together finds what judging column by column finds
    for share in (0.1, 0.0):
        if share == 0.0:
            report = validate_paths(lc, [path], dictionary_share=share).files[0]
        assert report.counts == {"not-in-codelist": 3}
        assert sorted((f.row, f.column) for f in report.findings) == [
            (5, "y_0002"), (late, "y_1234"), (late, "y_2499")]
