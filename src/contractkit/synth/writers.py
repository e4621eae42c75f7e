"""Write frames in a contract's exact file format (CSV dialect or Parquet), atomically."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from contractkit.atomic import atomic_write_bytes
from contractkit.contract.models import CsvFormat, FileFormat, ParquetFormat
from contractkit.errors import UsageError
from contractkit.synth.context import TableContext

__all__ = [
    "CSV_BOOLEANS",
    "CSV_TIMESTAMP_FORMAT",
    "csv_text_columns",
    "output_path",
    "render_csv",
    "render_file",
    "render_parquet",
    "write_file",
]

CSV_BOOLEANS = ("true", "false")
"""How booleans are written in CSV."""
CSV_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"
"""How timestamps are written in CSV (ISO 8601, no zone)."""


def csv_text_columns(frame: pl.DataFrame, fmt: CsvFormat) -> pl.DataFrame:
    """Every column as the text the CSV file holds (nulls stay null)."""
    exprs: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            expr = col
        elif dtype == pl.Boolean:
            expr = pl.when(col).then(pl.lit(CSV_BOOLEANS[0])).otherwise(pl.lit(CSV_BOOLEANS[1]))
            expr = pl.when(col.is_null()).then(pl.lit(None, pl.String)).otherwise(expr)
        elif dtype == pl.Date:
            expr = col.dt.strftime(fmt.date_format)
        elif isinstance(dtype, pl.Datetime):
            expr = col.dt.strftime(CSV_TIMESTAMP_FORMAT)
        elif isinstance(dtype, pl.Decimal) or dtype.is_float():
            expr = col.cast(pl.String)
            if fmt.decimal == ",":
                expr = expr.str.replace(".", ",", literal=True)
        else:
            expr = col.cast(pl.String)
        exprs.append(expr.alias(name))
    return frame.select(exprs)


def render_csv(frame: pl.DataFrame, fmt: CsvFormat) -> bytes:
    """The bytes of ``frame`` as a CSV file in the contract's dialect.

    Raises:
        UsageError: a value cannot be written in the contract's encoding.
    """
    text = csv_text_columns(frame, fmt).write_csv(
        None,
        include_header=fmt.header,
        separator=fmt.delimiter,
        quote_char=fmt.quote_char,
        line_terminator="\r\n" if fmt.line_ending == "crlf" else "\n",
        null_value=fmt.null_value,
        quote_style="necessary",
    )
    try:
        return text.encode(fmt.encoding)
    except UnicodeEncodeError as exc:
        raise UsageError(f"a value cannot be written in {fmt.encoding}: character "
                         f"{exc.object[exc.start:exc.end]!r}") from None


def render_parquet(frame: pl.DataFrame, fmt: ParquetFormat) -> bytes:
    """The bytes of ``frame`` as a Parquet file with the contract's compression."""
    buf = io.BytesIO()
    if fmt.compression == "none":
        frame.write_parquet(buf, compression="uncompressed")
    else:
        frame.write_parquet(buf, compression=fmt.compression)
    return buf.getvalue()


def render_file(frame: pl.DataFrame, fmt: FileFormat) -> bytes:
    """The bytes of ``frame`` in the contract's file format."""
    if isinstance(fmt, CsvFormat):
        return render_csv(frame, fmt)
    return render_parquet(frame, fmt)


def output_path(ctx: TableContext, out: Path) -> Path:
    """Where to write: ``out`` itself, or the pattern's file name inside folder ``out``.

    ``out`` is a folder when it exists as one, ends with a separator, or has no suffix.
    """
    if out.is_dir() or str(out).endswith(("/", "\\")) or not out.suffix:
        return out / ctx.file_name
    return out


def write_file(frame: pl.DataFrame, fmt: FileFormat, path: Path) -> Path:
    """Write ``frame`` to ``path`` in the contract's format (atomically); return the path."""
    atomic_write_bytes(path, render_file(frame, fmt))
    return path
