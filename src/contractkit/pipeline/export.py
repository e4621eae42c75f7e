"""Export a built delivery model to files in its contract's exact format and file names.

CSV is written as text the contract describes (delimiter, decimal mark, quoting, header,
line ending, null value, date format, encoding); Parquet with the contract's compression.
Scoped feeds get one file per recipient (municipality or region), each holding only the
rows routed to that recipient; a recipient with no rows gets a file with the header only.
A table with column families is pivoted from its long family models into the period's
wide layout (:mod:`contractkit.pipeline.wide`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from contractkit.contract.models import Contract, ScopeKind, Table
from contractkit.contract.periods import file_name
from contractkit.dbt.generate import ROUTE_COLUMN
from contractkit.pipeline.wide import WideSource
from contractkit.synth.writers import write_file

__all__ = ["ExportedFile", "export_table"]


@dataclass(frozen=True)
class ExportedFile:
    """One written delivery file."""

    path: Path
    table: str
    scope: str | None
    rows: int


def _write(frame: pl.DataFrame, contract: Contract, path: Path) -> None:
    # the same writer synth uses: one rendering of the contract's format in the code base
    write_file(frame, contract.format, path)


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
    wide: WideSource | None = None
    if table.has_families:  # the long family models pivoted into the period's members
        wide = WideSource(lambda sql: _query(con, sql), contract, table, model, period,
                          () if kind is ScopeKind.NATIONAL else (ROUTE_COLUMN,))
    if kind is ScopeKind.NATIONAL:
        frame = (wide.wide(wide.rows) if wide is not None
                 else _query(con, f"SELECT {columns} FROM {model}"))
        path = folder / file_name(table.file_pattern, period)
        _write(frame, contract, path)
        return [ExportedFile(path, table.name, None, frame.height)]
    out = []
    for code in recipients:
        if wide is not None:
            frame = wide.wide(wide.rows.filter(pl.col(ROUTE_COLUMN) == code).drop(ROUTE_COLUMN))
        else:
            frame = _query(con, f"SELECT {columns} FROM {model} WHERE {ROUTE_COLUMN} = ?",
                           [code])
        if kind is ScopeKind.PER_MUNICIPALITY:
            name = file_name(table.file_pattern, period, kommune=code)
        else:
            name = file_name(table.file_pattern, period, region=code)
        path = folder / name
        _write(frame, contract, path)
        out.append(ExportedFile(path, table.name, code, frame.height))
    return out
