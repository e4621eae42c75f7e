"""Parquet physical types are part of the contract.

A Parquet file carries its own column types. The engine must not cast a stored type into
the contract's type silently (a producer whose integer column drifted to text would then
conform). This module reads only the file's schema — the footer, never a data page —
and compares the type each contract column is stored as (as polars, the engine's
reader, reads it) with the contract type.

A stored type fits when every value it can hold is a value of the contract type without
a cast that could change or reject it (:func:`stored_type_fits`); the accepted widenings
are listed in the README ("Parquet types"). Anything else — text for an integer, a float
for a decimal, a timestamp for a date, a list or struct for anything — is one
``wrong-type`` finding per column and file, naming the stored and the expected type; the
column's values are then not judged (judging them would need exactly that cast).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl
from polars._typing import PolarsDataType

from contractkit.contract.models import Column, ColumnType
from contractkit.engine.collect import Collector
from contractkit.report.model import Code

__all__ = ["check_stored_types", "expected_type", "stored_type_fits", "stored_type_name"]

# The integer types a contract integer accepts, with the most decimal digits each can hold
# (int8: 127 → 3, …). UInt64 is not among them: its upper half is no 64-bit integer.
_INT_DIGITS: dict[pl.DataType, int] = {
    pl.Int8(): 3, pl.Int16(): 5, pl.Int32(): 10, pl.Int64(): 19,
    pl.UInt8(): 3, pl.UInt16(): 5, pl.UInt32(): 10,
}


def expected_type(col: Column) -> str:
    """The contract type as text (``decimal(14,2)`` with its precision and scale)."""
    if col.type is ColumnType.DECIMAL:
        return f"decimal({col.precision},{col.scale or 0})"
    return col.type.value


def stored_type_name(dtype: PolarsDataType) -> str:
    """A stored type as text, in the contract's words where it has them
    (``timestamp[ms]``, ``decimal(10,3)``, ``list<string>``, ``int32``)."""
    if isinstance(dtype, pl.Datetime):
        zone = f", tz={dtype.time_zone}" if dtype.time_zone else ""
        return f"timestamp[{dtype.time_unit}{zone}]"
    if isinstance(dtype, pl.Decimal):
        return f"decimal({dtype.precision},{dtype.scale})"
    if isinstance(dtype, pl.List | pl.Array):
        return f"list<{stored_type_name(dtype.inner)}>"
    if isinstance(dtype, pl.Struct):
        return "struct<" + ", ".join(f"{f.name}: {stored_type_name(f.dtype)}"
                                     for f in dtype.fields) + ">"
    return str(dtype).lower()


def stored_type_fits(stored: pl.DataType, col: Column) -> bool:
    """Whether a Parquet column read as ``stored`` holds contract column ``col`` exactly.

    ``stored`` is the type polars reads the column as (the engine's reader): Parquet's
    ``string`` and ``large_string`` both read as ``String``, a dictionary of strings as
    ``Categorical``. An all-null column (``Null``) fits any contract type: it holds no
    value that could need a cast (the ``not-null`` rule still judges it).
    """
    if stored == pl.Null:
        return True
    kind = col.type
    if kind is ColumnType.STRING:
        return stored == pl.String or isinstance(stored, pl.Categorical | pl.Enum)
    if kind is ColumnType.INTEGER:
        return stored in _INT_DIGITS
    if kind is ColumnType.DECIMAL:
        scale = col.scale or 0
        whole = (col.precision or 38) - scale
        if isinstance(stored, pl.Decimal):
            return (stored.scale <= scale
                    and (stored.precision or 38) - stored.scale <= whole)
        return _INT_DIGITS.get(stored, whole + 1) <= whole
    if kind is ColumnType.FLOAT:
        return stored in (pl.Float32, pl.Float64)
    if kind is ColumnType.BOOLEAN:
        return stored == pl.Boolean
    if kind is ColumnType.DATE:
        return stored == pl.Date
    return isinstance(stored, pl.Datetime) and stored.time_zone is None


def check_stored_types(path: Path, columns: Iterable[Column], coll: Collector) -> set[str]:
    """Add a ``wrong-type`` finding for each column whose stored type does not fit.

    Args:
        path: the Parquet file (only its schema, in the footer, is read).
        columns: the contract columns present in the file.
        coll: where findings go.

    Returns:
        The names of the columns that do not fit (their values are not to be judged).
    """
    try:
        schema = pl.read_parquet_schema(path)
    except (pl.exceptions.PolarsError, OSError):
        return set()  # the reader reports a corrupt file as malformed-file
    drifted: set[str] = set()
    for col in columns:
        stored = schema.get(col.name)
        if stored is None or stored_type_fits(stored, col):
            continue
        drifted.add(col.name)
        nested = isinstance(stored, pl.List | pl.Array | pl.Struct)
        why = "a nested type is no contract column" if nested else "its values would need a cast"
        coll.add(Code.WRONG_TYPE, f"{col.name}:{Code.WRONG_TYPE}",
                 f"the Parquet column is stored as {stored_type_name(stored)}, the contract "
                 f"says {expected_type(col)}: {why}", column=col.name, personal=False)
    return drifted
