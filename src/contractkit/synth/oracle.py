"""A small reference judge of single values, so synth never relies on the engine.

Generators use it to keep only values that satisfy every column rule, and mutants use it
to pick a value that breaks exactly one rule (their own). It is deliberately simple and
conservative; the engine remains the product's judge. Codes follow interfaces.md.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from contractkit.contract.models import Column, ColumnType, SemanticType
from contractkit.synth.context import TableContext, codelist_for, typed_value
from contractkit.synth.cpr import decode_birth_date

__all__ = ["in_period", "value_violations", "week_bounds"]

_PSEUDONYM = re.compile(r"[0-9a-f]{64}")
_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PYTHON_TYPES: dict[ColumnType, tuple[type, ...]] = {
    ColumnType.STRING: (str,),
    ColumnType.INTEGER: (int,),
    ColumnType.DECIMAL: (Decimal, int),
    ColumnType.FLOAT: (float, int),
    ColumnType.BOOLEAN: (bool,),
    ColumnType.DATE: (date,),
    ColumnType.TIMESTAMP: (datetime,),
}


def week_bounds(label: str) -> tuple[date, date] | None:
    """First and last day of an ISO week label ``YYYY-Www``, or None if it names no week."""
    m = _ISO_WEEK.fullmatch(label)
    if not m:
        return None
    try:
        start = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        return None
    return start, start + timedelta(days=6)


def _month_bounds(label: str) -> tuple[date, date] | None:
    m = _MONTH.fullmatch(label)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    first = date(int(m.group(1)), int(m.group(2)), 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def in_period(ctx: TableContext, column: Column, value: Any) -> bool:
    """Whether ``value`` of the period column surely lies inside the delivery period.

    Dates and timestamps must fall inside; a month must overlap the period; an ISO week
    must lie wholly inside it (or, for periods shorter than a week, contain it).
    """
    p = ctx.period
    if isinstance(value, datetime):
        return p.start <= value.date() <= p.end
    if isinstance(value, date):
        return p.start <= value <= p.end
    if column.semantic is SemanticType.PERIOD_MONTH:
        b = _month_bounds(str(value))
        return b is not None and b[0] <= p.end and b[1] >= p.start
    if column.semantic is SemanticType.ISO_WEEK:
        b = week_bounds(str(value))
        if b is None:
            return False
        if (p.end - p.start).days < 6:
            return b[0] <= p.start and p.end <= b[1]
        return p.start <= b[0] and b[1] <= p.end
    return True


def value_violations(ctx: TableContext, column: Column, value: Any) -> set[str]:
    """The finding codes one cell value would earn under the column's rules."""
    if value is None:
        return {"not-null"} if column.required else set()
    types = _PYTHON_TYPES[column.type]
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return {"wrong-type"}
    out: set[str] = set()
    if column.allowed_values is not None and value not in {
        typed_value(column, v) for v in column.allowed_values
    }:
        out.add("not-allowed")
    listed = codelist_for(column, ctx.codelists)
    if listed is not None and str(value) not in listed.codes:
        out.add("not-in-codelist")
    if column.range is not None and not _in_range(column, value):
        out.add("out-of-range")
    if isinstance(value, str):
        if column.pattern is not None and re.fullmatch(column.pattern, value) is None:
            out.add("pattern-mismatch")
        if column.max_length is not None and len(value) > column.max_length:
            out.add("too-long")
        out |= _semantic(column, value)
    table = ctx.table
    # An unreadable label in the period column also counts as outside the period (the
    # engine reports both), so a mutant of the label alone is not offered there.
    if table.period_column == column.name and not in_period(ctx, column, value):
        out.add("out-of-period")
    sc = ctx.lc.contract.scope
    if ctx.scope is not None and sc.column == column.name and str(value) != ctx.scope:
        out.add("out-of-scope")
    mcs = table.min_cell_size
    if mcs is not None and mcs.column == column.name and Decimal(str(value)) < mcs.min:
        out.add("below-min-cell-size")
    return out


def _in_range(column: Column, value: Any) -> bool:
    rng = column.range
    assert rng is not None
    lo, hi = rng.min, rng.max
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return (not isinstance(lo, date) or value >= lo) and (not isinstance(hi, date) or value <= hi)
    num = Decimal(str(value))
    return (lo is None or isinstance(lo, date) or num >= Decimal(str(lo))) and (
        hi is None or isinstance(hi, date) or num <= Decimal(str(hi))
    )


def _semantic(column: Column, value: str) -> set[str]:
    sem = column.semantic
    if sem is SemanticType.CPR and decode_birth_date(value) is None:
        return {"bad-cpr"}
    if sem is SemanticType.PSEUDONYM and not _PSEUDONYM.fullmatch(value):
        return {"bad-pseudonym"}
    if sem is SemanticType.ISO_WEEK and week_bounds(value) is None:
        return {"bad-iso-week"}
    if sem is SemanticType.PERIOD_MONTH and _month_bounds(value) is None:
        return {"bad-period-label"}
    return set()
