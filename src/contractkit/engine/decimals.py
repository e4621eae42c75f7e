"""Stored (Parquet) decimals judged as decimals: ranges compared without a cast to float.

A contract's decimal column is judged as a float (CSV text is parsed to one), so a
Parquet ``Decimal`` column used to be cast to ``Float64`` batch by batch: ≈ 6 ms per 1M
rows, twice that while the reader works, and the largest part of a Parquet batch's
parse. Compared with bounds written as decimals, the stored values need no cast (≈ 1 ms).
The verdicts are the same: the bounds are the decimals the contract's numbers were written
as (Python's shortest ``repr`` of the float), and where both a stored value and a bound
have at most 15 significant digits, each has a float of its own (``DBL_DIG``) and
rounding to the nearest float keeps their order, so the value lies on the same side of
the bound either way. A column stored with more digits (precision above 15), with any
other typed rule, or a bound with more digits is cast as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from decimal import Decimal

import polars as pl

from contractkit.contract.models import Column, ColumnType
from contractkit.engine.compile import Rule

__all__ = ["decimal_bounds", "native_decimals"]

_COMPARISONS = frozenset({"in_range"})
_DIGITS = 15
"""Significant digits a bound or a stored value may have (a float holds 15 exactly)."""


def _as_decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(float(value)))  # type: ignore[arg-type]


def _exact(value: object) -> bool:
    if value is None:
        return True
    if not isinstance(value, (int, float)):
        return False
    number = Decimal(repr(float(value)))
    return number.is_finite() and len(number.as_tuple().digits) <= _DIGITS and (
        abs(number) < Decimal(10) ** _DIGITS)


def native_decimals(columns: Sequence[Column], dtypes: Sequence[pl.DataType],
                    parsed: set[str], rules: Iterable[Rule]) -> set[str]:
    """The stored decimal columns of a batch whose typed rules are all range comparisons
    with bounds a decimal holds exactly (judged as stored, :func:`decimal_bounds`)."""
    typed: dict[str, list[Rule]] = {}
    for r in rules:
        if r.stage == "typed":
            typed.setdefault(r.column, []).append(r)
    out = set()
    for col, dtype in zip(columns, dtypes, strict=True):
        own = typed.get(col.name, [])
        if (col.type is ColumnType.DECIMAL and isinstance(dtype, pl.Decimal)
                and (dtype.precision or 38) <= _DIGITS and col.name not in parsed and own
                and all(r.check in _COMPARISONS and all(_exact(v) for v in r.stats.values())
                        for r in own)):
            out.add(col.name)
    return out


def decimal_bounds(rule: Rule) -> Rule:
    """``rule`` with its bounds as decimals (a rule without bounds as it is)."""
    if rule.check not in _COMPARISONS:
        return rule
    return dataclasses.replace(rule, stats={k: _as_decimal(v) for k, v in rule.stats.items()})
