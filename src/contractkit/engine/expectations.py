"""What a rule expected, said in its finding's message: the format, a few allowed codes.

A recipient reading "value is not a decimal" must guess whether the decimal mark or the
number of decimals is wrong; "expected a decimal with mark ',' and at most 2 decimals, e.g.
12,50" says it. Code lists and allowed values are shown up to a few codes. Only contract
text appears here, never a data value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from contractkit.contract.base import ColumnType
from contractkit.contract.columns import Column
from contractkit.contract.fileformat import CsvFormat, ParquetFormat

__all__ = ["expected_format", "some_codes"]

_SHOWN = 5
_DAY = date(2024, 3, 31)


def expected_format(col: Column, fmt: CsvFormat | ParquetFormat) -> str:
    """``expected …`` for a column's type in the file's format ("" for text columns).

    Args:
        col: the column.
        fmt: the file format (its decimal mark and date format count).

    Returns:
        A clause such as ``expected a date as %d-%m-%Y, e.g. 31-03-2024``.
    """
    mark = fmt.decimal if isinstance(fmt, CsvFormat) else "."
    if col.type is ColumnType.INTEGER:
        return "expected a whole number, e.g. 42"
    if col.type is ColumnType.DECIMAL:
        scale = col.scale or 0
        example = "12" + (mark + "5" * scale if scale else "")
        return (f"expected a decimal with mark '{mark}' and at most {scale} decimals, "
                f"e.g. {example}")
    if col.type is ColumnType.FLOAT:
        return f"expected a number with decimal mark '{mark}', e.g. 12{mark}5"
    if col.type is ColumnType.DATE:
        pattern = fmt.date_format if isinstance(fmt, CsvFormat) else "%Y-%m-%d"
        return f"expected a date as {pattern}, e.g. {_DAY.strftime(pattern)}"
    if col.type is ColumnType.TIMESTAMP:
        return "expected a timestamp, e.g. 2024-03-31T12:00:00"
    if col.type is ColumnType.BOOLEAN:
        return "expected a boolean"
    return ""


def some_codes(codes: Sequence[object]) -> str:
    """The first few codes, and how many there are: ``101, 147, 151, … (98 codes)``."""
    shown = ", ".join(str(c) for c in codes[:_SHOWN])
    return shown if len(codes) <= _SHOWN else f"{shown}, … ({len(codes)} codes)"
