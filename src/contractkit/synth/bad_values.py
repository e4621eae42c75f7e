"""Values that break exactly one rule of a column (the cell mutants' ammunition).

Candidates are proposed per finding code and kept only when the reference judge in
:mod:`~contractkit.synth.oracle` says they earn that code and no other.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from contractkit.contract.models import Column, ColumnType, SemanticType
from contractkit.errors import UsageError
from contractkit.synth.context import TableContext, codelist_for
from contractkit.synth.domains import period_months
from contractkit.synth.oracle import value_violations

__all__ = ["CELL_CODES", "NO_VALUE", "bad_value"]

CELL_CODES = ("not-null", "wrong-type", "not-allowed", "not-in-codelist", "out-of-range",
               "pattern-mismatch", "too-long", "bad-cpr", "bad-pseudonym", "bad-iso-week",
               "bad-period-label", "out-of-period", "out-of-scope", "below-min-cell-size")
"""Finding codes a single cell can earn."""

NO_VALUE = object()
"""Returned by :func:`bad_value` when no value breaks only the rule."""


def _candidates(ctx: TableContext, col: Column, code: str) -> list[Any]:
    """Values that might earn ``code`` (the oracle then keeps those that earn only it)."""
    kind = col.type
    if code == "not-null":
        return [None]
    if code == "out-of-range" and col.range is not None:
        return _beyond(col)
    if code in ("not-allowed", "not-in-codelist"):
        if kind is ColumnType.INTEGER:
            return [999_999, 999, 9999, 0, -1, 1, 98, 9]
        if kind in (ColumnType.DECIMAL, ColumnType.FLOAT):
            return [Decimal("999999") if kind is ColumnType.DECIMAL else 999999.0, 0.5]
        if kind is ColumnType.STRING:
            return ["999", "ZZ", "9999", "X", "0", "x9", "ZZZZ9"]
        return []
    if kind is not ColumnType.STRING:
        return []
    if code == "pattern-mismatch" and col.pattern:
        return ["#", "!", "~", "x", "0", "ZZ", "-", "a b", "##########"]
    if code == "too-long" and col.max_length:
        n = col.max_length + 1
        return [ch * n for ch in "x0AZ9a1"] + _longer_matches(col)
    sem = col.semantic
    if code == "bad-cpr" and sem is SemanticType.CPR:
        return ["3201901234", "320190-1234", "2902001234", "290200-1234", "0013901234", "12345"]
    if code == "bad-pseudonym" and sem is SemanticType.PSEUDONYM:
        return ["A" * 64, "g" * 64, "a" * 63, "0" * 65]
    if code == "bad-iso-week" and sem is SemanticType.ISO_WEEK:
        y = ctx.period.start.year
        return [f"{y}-W54", f"{y}-W00", f"{y}W10", f"{y}-w10"]
    if code == "bad-period-label" and sem is SemanticType.PERIOD_MONTH:
        y = ctx.period.start.year
        return [f"{y}-13", f"{y}-00", f"{y}/01", f"{y}-1"]
    return []


def _out_of_period(ctx: TableContext, col: Column) -> list[Any]:
    before = ctx.period.start - timedelta(days=1)
    after = ctx.period.end + timedelta(days=1)
    if col.type is ColumnType.DATE:
        return [before, after, before - timedelta(days=400)]
    if col.type is ColumnType.TIMESTAMP:
        return [datetime.combine(before, datetime.min.time()),
                datetime.combine(after, datetime.min.time())]
    if col.semantic is SemanticType.PERIOD_MONTH:
        months = period_months(ctx)
        first = date.fromisoformat(months[0] + "-01") - timedelta(days=1)
        last = date.fromisoformat(months[-1] + "-28") + timedelta(days=10)
        return [f"{first.year}-{first.month:02d}", f"{last.year}-{last.month:02d}"]
    if col.semantic is SemanticType.ISO_WEEK:
        wb, wa = (before - timedelta(days=7)).isocalendar(), (after + timedelta(days=7)).isocalendar()
        return [f"{wb.year}-W{wb.week:02d}", f"{wa.year}-W{wa.week:02d}"]
    return []


def _beyond(col: Column) -> list[Any]:
    assert col.range is not None
    lo, hi = col.range.min, col.range.max
    out: list[Any] = []
    for bound, sign in ((hi, 1), (lo, -1)):
        if bound is None:
            continue
        if isinstance(bound, date):
            step = timedelta(days=sign)
            value: Any = bound + step
            out.append(datetime.combine(value, datetime.min.time())
                       if col.type is ColumnType.TIMESTAMP else value)
        elif col.type is ColumnType.INTEGER:
            out.append(int(bound) + sign)
        elif col.type is ColumnType.DECIMAL:
            unit = Decimal(1).scaleb(-(col.scale or 0))
            out += [Decimal(str(bound)) + sign, Decimal(str(bound)) + sign * unit]
        else:
            out.append(float(bound) + sign)
    return out


def _fits_precision(col: Column, value: Any) -> bool:
    if col.type is not ColumnType.DECIMAL or not isinstance(value, Decimal):
        return True
    top = Decimal(10) ** ((col.precision or 38) - (col.scale or 0))
    return abs(value) < top and value == value.quantize(Decimal(1).scaleb(-(col.scale or 0)))


def _longer_matches(col: Column) -> list[str]:
    from contractkit.synth.regex_sample import sample_regex

    rnd = random.Random(0)
    out: list[str] = []
    for _ in range(200):
        try:
            s = sample_regex(col.pattern or ".", rnd, tries=5)
        except UsageError:
            break
        if len(s) > (col.max_length or 0):
            out.append(s)
            if len(out) >= 3:
                break
    return out


def bad_value(ctx: TableContext, col: Column, code: str, taken: tuple[Any, ...]) -> Any:
    """A value that earns exactly ``code`` in ``col`` (or ``NO_VALUE``)."""
    if code == "wrong-type":
        # Readers parse any column from its text, so only a non-string column has a type
        # that a value can fail.
        return NO_VALUE if col.type is ColumnType.STRING else "wrong-type"
    if code == "out-of-period":
        if col.name != ctx.table.period_column:
            return NO_VALUE
        candidates = _out_of_period(ctx, col)
    elif code == "out-of-scope":
        sc = ctx.lc.contract.scope
        listed = codelist_for(col, ctx.codelists)
        if ctx.scope is None or sc.column != col.name or listed is None:
            return NO_VALUE
        spec_type = col.type
        candidates = [int(v.code) if spec_type is ColumnType.INTEGER else v.code
                      for v in listed.values if v.code != ctx.scope][:5]
    elif code == "below-min-cell-size":
        mcs = ctx.table.min_cell_size
        if mcs is None or mcs.column != col.name:
            return NO_VALUE
        below = [v for v in (mcs.min - 1, 1, 0) if v < mcs.min]
        candidates = [Decimal(v) if col.type is ColumnType.DECIMAL else v for v in below]
    else:
        candidates = _candidates(ctx, col, code)
    for value in candidates:
        if value in taken or not _fits_precision(col, value):
            continue
        if code == "pattern-mismatch" and re.search(col.pattern or "", str(value)):
            continue
        if value_violations(ctx, col, value) == {code}:
            return value
    return NO_VALUE
