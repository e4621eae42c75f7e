"""Property: what the writers write, the engine's reader reads back unchanged.

Covers every contract's own format and, for CSV, random dialects (encoding with BOM,
delimiter, decimal mark, quote char, header, CRLF, null marker, date format) and Parquet.
The written variants must also validate clean.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthcase import CONTRACTS, codes, contract_id, period_for, validate_delivery, write_delivery

from contractkit.checks.exprs import cast_expr
from contractkit.contract.models import ColumnType, CsvFormat, FileFormat, ParquetFormat, Table
from contractkit.engine.read import open_source
from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.strategies import delivery_strategy

csv_formats = st.builds(
    CsvFormat,
    type=st.just("csv"),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252"]),
    delimiter=st.sampled_from([";", ",", "|", "\t"]),
    decimal=st.sampled_from([",", "."]),
    quote_char=st.sampled_from(['"', "'"]),
    header=st.booleans(),
    line_ending=st.sampled_from(["lf", "crlf"]),
    null_value=st.sampled_from(["", "NA", "NULL"]),
    date_format=st.sampled_from(["%Y-%m-%d", "%d-%m-%Y", "%Y%m%d", "%d.%m.%Y"]),
)
formats: st.SearchStrategy[FileFormat] = csv_formats | st.builds(
    ParquetFormat, type=st.just("parquet"),
    compression=st.sampled_from(["zstd", "snappy", "gzip", "none"]))


def read_back(path: Path, fmt: FileFormat, table: Table) -> pl.DataFrame:
    """Read a file with the engine's reader and parse it as the contract's types."""
    with contextlib.ExitStack() as stack:
        source = open_source(path, fmt, table, stack)
        raw = pl.concat(list(source.batches(10_000)), how="vertical")
    if isinstance(fmt, ParquetFormat):
        return raw
    return raw.select(
        cast_expr(pl.col(c.name), kind=c.type.value, decimal=fmt.decimal,
                  date_format=fmt.date_format, precision=c.precision, scale=c.scale)
        .alias(c.name)
        for c in table.columns
    )


def comparable(frame: pl.DataFrame, table: Table) -> list[tuple[Any, ...]]:
    """Rows with decimals as floats (the engine reads decimals as Float64)."""
    decimals = [c.name for c in table.columns if c.type is ColumnType.DECIMAL]
    return frame.with_columns(pl.col(decimals).cast(pl.Float64)).rows()


@pytest.mark.parametrize("path", CONTRACTS, ids=contract_id)
def test_write_read_round_trip(path: Path) -> None:
    lc = load_contract(path)

    @settings(max_examples=3)
    @given(st.data())
    def prop(data: st.DataObject) -> None:
        fmt = data.draw(st.just(lc.contract.format) | formats, label="format")
        variant = replace(lc, contract=lc.contract.model_copy(update={"format": fmt}))
        ctx = resolve_context(variant, period=period_for(lc))
        frames = data.draw(delivery_strategy(ctx, max_rows=6), label="delivery")
        with tempfile.TemporaryDirectory() as d:
            paths = write_delivery(ctx, frames, Path(d))
            for name, frame in frames.items():
                declared = variant.contract.table(name)
                assert declared is not None
                table = declared.for_period(ctx.period)  # column families expanded
                back = read_back(paths[name], fmt, table)
                assert comparable(back, table) == comparable(frame, table)
            assert codes(validate_delivery(variant, ctx, paths)) == set()

    prop()

