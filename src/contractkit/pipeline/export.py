"""Export a built delivery model to files in its contract's exact format and file names.

CSV is written as text the contract describes (delimiter, decimal mark, quoting, header,
line ending, null value, date format, encoding); Parquet with the contract's compression.
Scoped feeds get one file per recipient (municipality or region), each holding only the
rows routed to that recipient; a recipient with no rows gets a file with the header only.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from contractkit.atomic import atomic_open, atomic_write_bytes
from contractkit.contract.models import (
    ColumnType,
    Contract,
    CsvFormat,
    ScopeKind,
    Table,
)
from contractkit.contract.periods import file_name
from contractkit.dbt.generate import ROUTE_COLUMN

__all__ = ["ExportedFile", "export_table", "frame_to_csv_bytes"]

_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class ExportedFile:
    """One written delivery file."""

    path: Path
    table: str
    scope: str | None
    rows: int


def _text_columns(frame: pl.DataFrame, table: Table, fmt: CsvFormat) -> pl.DataFrame:
    """Render every column as the text the contract's CSV dialect prescribes."""
    exprs = []
    for column in table.columns:
        e = pl.col(column.name)
        if column.type is ColumnType.DECIMAL or column.type is ColumnType.FLOAT:
            e = e.cast(pl.String)
            if fmt.decimal == ",":
                e = e.str.replace(".", ",", literal=True)
        elif column.type is ColumnType.DATE:
            e = e.dt.strftime(fmt.date_format)
        elif column.type is ColumnType.TIMESTAMP:
            e = e.dt.strftime(_TIMESTAMP_FORMAT)
        elif column.type is ColumnType.BOOLEAN:
            e = pl.when(e).then(pl.lit("true")).when(e.not_()).then(pl.lit("false"))
        else:
            e = e.cast(pl.String)
        exprs.append(e.alias(column.name))
    return frame.select(exprs)


def frame_to_csv_bytes(frame: pl.DataFrame, table: Table, fmt: CsvFormat) -> bytes:
    """The bytes of a CSV file of ``frame`` in the contract's dialect."""
    text_frame = _text_columns(frame, table, fmt)
    buf = io.BytesIO()
    text_frame.write_csv(
        buf,
        include_header=fmt.header,
        separator=fmt.delimiter,
        quote_char=fmt.quote_char,
        line_terminator="\r\n" if fmt.line_ending == "crlf" else "\n",
        null_value=fmt.null_value,
    )
    data = buf.getvalue()
    if fmt.encoding in ("latin-1", "cp1252"):
        return data.decode("utf-8").encode(fmt.encoding)
    if fmt.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + data
    return data


def _write(frame: pl.DataFrame, contract: Contract, table: Table, path: Path) -> None:
    fmt = contract.format
    if isinstance(fmt, CsvFormat):
        atomic_write_bytes(path, frame_to_csv_bytes(frame, table, fmt))
        return
    compression: Any = "uncompressed" if fmt.compression == "none" else fmt.compression
    with atomic_open(path) as fh:
        frame.write_parquet(fh, compression=compression)


def _query(con: Any, sql: str, params: Sequence[object] = ()) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(sql, params=list(params)).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def export_table(con: Any, contract: Contract, table: Table, model: str, period: str,
                 folder: Path, recipients: Sequence[str]) -> list[ExportedFile]:
    """Write the files of one contract table from dbt model ``model`` into ``folder``.

    Args:
        con: an open DuckDB connection to the database dbt built into.
        contract: the contract.
        table: the contract table the model delivers.
        model: the dbt model (a table in ``con``).
        period: the delivery period label (goes into the file names).
        folder: the delivery folder.
        recipients: for scoped feeds the recipient codes to write files for.
    """
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    kind = contract.scope.kind
    if kind is ScopeKind.NATIONAL:
        frame = _query(con, f"SELECT {columns} FROM {model}")
        path = folder / file_name(table.file_pattern, period)
        _write(frame, contract, table, path)
        return [ExportedFile(path, table.name, None, frame.height)]
    out = []
    for code in recipients:
        frame = _query(con, f"SELECT {columns} FROM {model} WHERE {ROUTE_COLUMN} = ?", [code])
        if kind is ScopeKind.PER_MUNICIPALITY:
            name = file_name(table.file_pattern, period, kommune=code)
        else:
            name = file_name(table.file_pattern, period, region=code)
        path = folder / name
        _write(frame, contract, table, path)
        out.append(ExportedFile(path, table.name, code, frame.height))
    return out
