"""The set of conforming values of each column, derived from the contract.

A domain is plain data (no randomness): the hypothesis strategies and the vectorised
generator both draw from the same domains, so they agree on what "conforming" means.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from contractkit.contract.models import Column, ColumnType, Frequency, SemanticType
from contractkit.errors import CompileError
from contractkit.synth.context import TableContext, codelist_for, typed_value
from contractkit.synth.cpr import CPR_FIRST_BIRTH_DATE, CPR_LAST_BIRTH_DATE
from contractkit.synth.oracle import value_violations

__all__ = [
    "Booleans",
    "Choice",
    "ColumnSpec",
    "Cprs",
    "DateRange",
    "DecimalRange",
    "Domain",
    "FloatRange",
    "IntRange",
    "Pseudonyms",
    "Texts",
    "TimestampRange",
    "capacity",
    "column_spec",
    "column_specs",
    "period_months",
    "period_weeks",
]

HUGE = 10**18
"""Capacity of domains that are, for synthesis, unbounded."""
TEXT_ALPHABET_SIZE = 68
"""Letters, digits and æøåÆØÅ: the characters free text is drawn from in volume."""


@dataclass(frozen=True)
class Choice:
    """A finite list of values (allowed values, code list, weeks or months of the period)."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class IntRange:
    """Integers ``lo..hi`` inclusive."""

    lo: int
    hi: int


@dataclass(frozen=True)
class DecimalRange:
    """Decimals ``lo_units..hi_units`` counted in units of ``10**-scale``."""

    lo_units: int
    hi_units: int
    precision: int
    scale: int


@dataclass(frozen=True)
class FloatRange:
    """Floats in ``[lo, hi]``."""

    lo: float
    hi: float


@dataclass(frozen=True)
class DateRange:
    """Dates ``lo..hi`` inclusive."""

    lo: date
    hi: date


@dataclass(frozen=True)
class TimestampRange:
    """Timestamps (whole seconds) in ``[lo, hi]``."""

    lo: datetime
    hi: datetime


@dataclass(frozen=True)
class Booleans:
    """True or false."""


@dataclass(frozen=True)
class Cprs:
    """Valid CPR numbers born ``lo..hi``, written with or without the hyphen."""

    lo: date
    hi: date
    hyphen_forms: tuple[bool, ...]


@dataclass(frozen=True)
class Pseudonyms:
    """64 lowercase hex characters."""


@dataclass(frozen=True)
class Texts:
    """Free text: matching ``pattern`` if given, 1..``max_length`` characters."""

    pattern: str | None
    max_length: int


Domain = (Choice | IntRange | DecimalRange | FloatRange | DateRange | TimestampRange | Booleans
          | Cprs | Pseudonyms | Texts)


@dataclass(frozen=True)
class ColumnSpec:
    """A column with its domain and how it is drawn.

    Attributes:
        column: the contract column.
        domain: its conforming values.
        nullable: nulls are allowed (the column is optional and no key).
        distinct: values must differ from row to row (``unique``).
    """

    column: Column
    domain: Domain
    nullable: bool
    distinct: bool


def capacity(domain: Domain) -> int:
    """How many different values the domain holds (capped at :data:`HUGE`)."""
    if isinstance(domain, Choice):
        return len(domain.values)
    if isinstance(domain, IntRange):
        return domain.hi - domain.lo + 1
    if isinstance(domain, DecimalRange):
        return domain.hi_units - domain.lo_units + 1
    if isinstance(domain, DateRange):
        return (domain.hi - domain.lo).days + 1
    if isinstance(domain, TimestampRange):
        return int((domain.hi - domain.lo).total_seconds()) + 1
    if isinstance(domain, Booleans):
        return 2
    if isinstance(domain, Cprs):
        return min(HUGE, ((domain.hi - domain.lo).days + 1) * 4000)
    if isinstance(domain, Texts) and domain.pattern is None:
        longest = min(domain.max_length, 12)
        return min(HUGE, sum(int(TEXT_ALPHABET_SIZE**k) for k in range(1, longest + 1)))
    return HUGE


def period_months(ctx: TableContext) -> list[str]:
    """Labels ``YYYY-MM`` of the months overlapping the delivery period."""
    p = ctx.period
    out: list[str] = []
    day = date(p.start.year, p.start.month, 1)
    while day <= p.end:
        out.append(f"{day.year}-{day.month:02d}")
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def period_weeks(ctx: TableContext) -> list[str]:
    """ISO weeks lying wholly inside the period (the containing week for short periods)."""
    p = ctx.period
    if p.frequency is Frequency.DAILY:
        iso = p.start.isocalendar()
        return [f"{iso.year}-W{iso.week:02d}"]
    out: list[str] = []
    day = p.start + timedelta(days=(7 - p.start.weekday()) % 7)
    while day + timedelta(days=6) <= p.end:
        iso = day.isocalendar()
        out.append(f"{iso.year}-W{iso.week:02d}")
        day += timedelta(days=7)
    return out


def column_specs(ctx: TableContext) -> dict[str, ColumnSpec]:
    """Specs of every column of the context's table, in file order.

    The members of a column family share one domain, worked out once per family (a
    DREAM file has some 2,000 members).
    """
    out: dict[str, ColumnSpec] = {}
    shared: dict[str, ColumnSpec] = {}
    for c in ctx.table.columns:
        family = ctx.family_of.get(c.name)
        if family is None:
            out[c.name] = column_spec(ctx, c)
            continue
        first = shared.get(family.template)
        if first is None:
            first = shared[family.template] = column_spec(ctx, c)
        out[c.name] = replace(first, column=c)
    return out


def column_spec(ctx: TableContext, column: Column) -> ColumnSpec:
    """The spec of one column.

    Raises:
        CompileError: no value can satisfy the column's rules together.
    """
    keys = set(ctx.table.primary_key or ())
    domain = _domain(ctx, column)
    return ColumnSpec(column, domain, nullable=not column.required and column.name not in keys
                      and not column.unique, distinct=column.unique)


def _domain(ctx: TableContext, column: Column) -> Domain:
    finite = _finite_values(ctx, column)
    if finite is not None:
        good = tuple(v for v in dict.fromkeys(finite) if not value_violations(ctx, column, v))
        if not good:
            raise CompileError(f"column {column.name!r}: no listed value satisfies all its rules")
        return Choice(good)
    sem = column.semantic
    if sem is SemanticType.CPR:
        forms = tuple(h for h in (False, True) if column.pattern is None
                      or re.fullmatch(column.pattern, "010190" + ("-" if h else "") + "1234"))
        if not forms:
            raise CompileError(f"column {column.name!r}: its pattern admits no CPR number")
        return Cprs(CPR_FIRST_BIRTH_DATE, min(ctx.period.end, CPR_LAST_BIRTH_DATE), forms)
    if sem is SemanticType.PSEUDONYM:
        return Pseudonyms()
    return _typed_domain(ctx, column)


def _finite_values(ctx: TableContext, column: Column) -> list[Any] | None:
    sc = ctx.lc.contract.scope
    if ctx.scope is not None and sc.column == column.name:
        return [typed_value(column, ctx.scope)]
    if column.allowed_values is not None:
        return [typed_value(column, v) for v in column.allowed_values]
    listed = codelist_for(column, ctx.codelists)
    if listed is not None:
        return [typed_value(column, v.code) for v in listed.values]
    if column.semantic is SemanticType.ISO_WEEK:
        return list(period_weeks(ctx))
    if column.semantic is SemanticType.PERIOD_MONTH:
        return list(period_months(ctx))
    return None


def _bounds(column: Column) -> tuple[Any, Any]:
    r = column.range
    return (None, None) if r is None else (r.min, r.max)


def _typed_domain(ctx: TableContext, column: Column) -> Domain:
    lo, hi = _bounds(column)
    kind = column.type
    mcs = ctx.table.min_cell_size
    floor = mcs.min if mcs is not None and mcs.column == column.name else None
    if kind is ColumnType.INTEGER:
        ilo = math.ceil(lo) if isinstance(lo, float | int) else (floor or 0)
        ihi = math.floor(hi) if isinstance(hi, float | int) else ilo + 1_000_000
        if floor is not None:
            ilo = max(ilo, floor)
        return _checked(column, IntRange(ilo, ihi), ilo <= ihi)
    if kind is ColumnType.DECIMAL:
        precision, scale = column.precision or 18, column.scale or 0
        unit = Decimal(1).scaleb(-scale)
        top = 10 ** precision - 1  # the largest magnitude in units that fits the precision
        dlo = -top if not isinstance(lo, float | int) else math.ceil(Decimal(str(lo)) / unit)
        dhi = top if not isinstance(hi, float | int) else math.floor(Decimal(str(hi)) / unit)
        if not isinstance(lo, float | int) and not isinstance(hi, float | int):
            dlo, dhi = 0, min(top, 1_000_000 * 10**scale)
        if floor is not None:
            dlo = max(dlo, floor * 10**scale)
        dlo, dhi = max(dlo, -top), min(dhi, top)
        return _checked(column, DecimalRange(dlo, dhi, precision, scale), dlo <= dhi)
    if kind is ColumnType.FLOAT:
        flo = float(lo) if isinstance(lo, float | int) else float(floor or 0)
        fhi = float(hi) if isinstance(hi, float | int) else flo + 1_000_000.0
        return _checked(column, FloatRange(flo, fhi), flo <= fhi)
    if kind is ColumnType.BOOLEAN:
        return Booleans()
    if kind in (ColumnType.DATE, ColumnType.TIMESTAMP):
        dlo_d, dhi_d = _date_bounds(ctx, column, lo, hi)
        if kind is ColumnType.DATE:
            return _checked(column, DateRange(dlo_d, dhi_d), dlo_d <= dhi_d)
        return _checked(column, TimestampRange(datetime.combine(dlo_d, time()),
                                               datetime.combine(dhi_d, time(23, 59, 59))),
                        dlo_d <= dhi_d)
    return Texts(column.pattern, column.max_length or 20)


def _date_bounds(ctx: TableContext, column: Column, lo: Any, hi: Any) -> tuple[date, date]:
    p = ctx.period
    lo_d = lo if isinstance(lo, date) else None
    hi_d = hi if isinstance(hi, date) else None
    if column.name == ctx.table.period_column:
        return max(lo_d or p.start, p.start), min(hi_d or p.end, p.end)
    if lo_d is not None and hi_d is not None:
        return lo_d, hi_d
    if lo_d is not None:
        return lo_d, max(lo_d, p.end)
    if hi_d is not None:
        return min(hi_d, p.start), hi_d
    return p.start, p.end


def _checked(column: Column, domain: Domain, ok: bool) -> Domain:
    if not ok:
        raise CompileError(f"column {column.name!r}: its range (and delivery period or minimum "
                           "cell size) leaves no value")
    return domain
