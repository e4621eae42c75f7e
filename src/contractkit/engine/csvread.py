"""Reading a CSV file in batches: text columns, and integer columns read typed with a
fallback to text.

A column whose contract type polars' CSV parser reads exactly as contractkit parses its
text (integers: :func:`contractkit.engine.dtypes.csv_read_dtypes`) is cheaper to read
typed than to read as text and parse afterwards. A streaming read stops at the first value
that does not parse, though, and polars 2.1 may hand out rows of later in the file in the
batches before it stops (a measured fault: a batch of rows 200,000–255,057 and
555,058–562,143 before the failure at row 500,001). So a typed read that fails after
batches were handed out raises :class:`Reread`: the caller judges the file again from its
first row, all as text — exact, at the price of reading the file twice. A typed read that
fails before its first batch goes on as text at once. A batch read typed can be read again
as text (:attr:`Batch.as_text`) when a finding must show a value as written (``007``, not
``7``).

Where polars' integer parser is more lenient than contractkit's, the file is read as text
from the start: polars skips blanks before a number (``" 5"``), which contractkit calls a
wrong type — a file holding a blank or a tab anywhere is read as text (looking for one is
a ``memchr`` over the mapped file, ≈ 0.1 s per GB, while polars reads the first batch) —,
and it reads a quoted empty field as null, which a contract with ``quoted_empty:
empty_string`` keeps as a present text (no typed reads there).
"""

from __future__ import annotations

import functools
import mmap
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from contractkit.contract.models import CsvFormat

__all__ = ["Batch", "Reread", "csv_batches", "has_blank", "is_text_dtype", "scan_options",
           "text_dtypes", "typed_read_ok"]


@dataclass(frozen=True)
class Batch:
    """A batch of rows as read, and a way to read the same rows again as text."""

    frame: pl.DataFrame
    as_text: Callable[[], pl.DataFrame] | None = None
    """The same rows with every column as text (``None``: :attr:`frame` is text already)."""


def is_text_dtype(dtype: pl.DataType) -> bool:
    """Whether a CSV column is held as text (``String`` or a ``Categorical`` of its text)."""
    return dtype == pl.String or isinstance(dtype, pl.Categorical)


def text_dtypes(dtypes: Mapping[str, pl.DataType]) -> dict[str, pl.DataType]:
    """``dtypes`` with every typed column read as ``String`` instead."""
    return {n: (d if is_text_dtype(d) else pl.String()) for n, d in dtypes.items()}


def typed_read_ok(fmt: CsvFormat) -> bool:
    """Whether columns of a file in ``fmt`` may be read typed at all (a quoted empty field
    is null for polars' typed parsers, but a present empty text under ``empty_string``)."""
    return fmt.quoted_empty == "null"


def scan_options(fmt: CsvFormat) -> dict[str, object]:
    """The keyword arguments of :func:`polars.scan_csv` for ``fmt`` (but the schema)."""
    # an unquoted empty field is always null; a quoted one ("") too unless the contract says
    # quoted_empty: empty_string (polars reads "" as null only when "" is a null value)
    if fmt.quoted_empty == "null":
        null_values: list[str] | None = sorted({fmt.null_value, ""})
    else:
        null_values = [fmt.null_value] if fmt.null_value else None
    return {"separator": fmt.delimiter, "quote_char": fmt.quote_char,
            "has_header": fmt.header, "null_values": null_values, "encoding": "utf8",
            "infer_schema": False, "raise_if_empty": False}


def has_blank(path: Path) -> bool:
    """Whether the file holds a blank or a tab anywhere."""
    with path.open("rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return False
        with mm:
            return mm.find(b" ") >= 0 or mm.find(b"\t") >= 0


def _scan(path: Path, fmt: CsvFormat, schema: Mapping[str, pl.DataType],
          skip: int = 0, rows: int | None = None) -> pl.LazyFrame:
    return pl.scan_csv(path, schema=dict(schema), skip_rows_after_header=skip, n_rows=rows,
                       **scan_options(fmt))  # type: ignore[arg-type]


def _as_text(path: Path, fmt: CsvFormat, schema: Mapping[str, pl.DataType], skip: int,
             rows: int) -> pl.DataFrame:
    return _scan(path, fmt, schema, skip, rows).collect()


class Reread(Exception):
    """The batches handed out so far may hold wrong rows: judge the file again from its
    first row, every column as text."""


def csv_batches(path: Path, fmt: CsvFormat, batch_rows: int,
                dtypes: Mapping[str, pl.DataType]) -> Iterator[Batch]:
    """Batches of up to ``batch_rows`` rows of ``path``, each column read as ``dtypes``
    says (in file order): text (:func:`is_text_dtype`) or typed.

    Raises:
        Reread: a typed read failed after batches were handed out.
        polars.exceptions.PolarsError: the file cannot be read as text (the caller
            locates its bad records).
    """
    text = text_dtypes(dtypes)
    if text != dtypes and typed_read_ok(fmt):
        done = 0
        # the blank check runs while polars reads the first batch (both about 0.1 s per GB)
        with ThreadPoolExecutor(1, thread_name_prefix="contractkit-blank") as pool:
            blank = pool.submit(has_blank, path)
            try:
                for frame in _scan(path, fmt, dtypes).collect_batches(chunk_size=batch_rows):
                    if blank.result():
                        break  # read as text from the start
                    yield Batch(frame, functools.partial(_as_text, path, fmt, text, done,
                                                         frame.height))
                    done += frame.height
                else:
                    return
            except pl.exceptions.PolarsError:
                if done:
                    raise Reread from None
    for frame in _scan(path, fmt, text).collect_batches(chunk_size=batch_rows):
        yield Batch(frame)
