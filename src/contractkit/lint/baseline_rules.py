"""Lint of period-over-period rules (``baseline``): sane bounds on columns that fit the rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import (
    ColumnType,
    PersonalClass,
    SemanticType,
)
from contractkit.errors import ContractProblem
from contractkit.loader import (
    LoadedContract,
)

__all__ = ["baseline_rules"]

_CODED_SEMANTICS = (SemanticType.KOMMUNE_KODE, SemanticType.REGION_KODE)
_NUMERIC = (ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.FLOAT)


def _bounds(lc: LoadedContract, loc: tuple[str | int, ...], low: float | None,
            high: float | None, what: str) -> Iterator[ContractProblem]:
    if low is None and high is None:
        yield lc.problem("baseline-bounds", loc, f"the {what} rule sets no bound", "warning")
    elif low is not None and high is not None and low > high:
        yield lc.problem("baseline-bounds", loc, f"min_change_pct {low} is greater than "
                         f"max_change_pct {high}")
    elif (low is not None and low > 0) or (high is not None and high < 0):
        yield lc.problem("baseline-bounds", loc, "the bounds exclude 0: a delivery equal to "
                         "its baseline would break the rule")


def baseline_rules(lc: LoadedContract, lists: Mapping[str, CodeList]) -> Iterator[ContractProblem]:
    """Period-over-period rules: sane bounds on columns that fit the rule."""
    for ti, t in enumerate(lc.contract.tables):
        if t.baseline is None:
            continue
        bl: tuple[str | int, ...] = ("tables", ti, "baseline")
        for i, vol in enumerate(t.baseline.row_count):
            yield from _bounds(lc, (*bl, "row_count", i), vol.min_change_pct,
                               vol.max_change_pct, "row_count")
        for i, share in enumerate(t.baseline.shares):
            loc = (*bl, "shares", i)
            col = t.column(share.column)
            if col is None:
                yield lc.problem("unknown-column", (*loc, "column"),
                                 f"{share.column!r} is not a column of table {t.name!r}")
                continue
            if col.personal is not PersonalClass.NONE:
                yield lc.problem("baseline-personal", (*loc, "column"),
                                 f"column {col.name!r} holds personal data: its codes would be "
                                 "personal values in the stored profile")
            elif not (col.codelist or col.allowed_values or col.semantic in _CODED_SEMANTICS
                      or col.type is ColumnType.BOOLEAN):
                yield lc.problem("baseline-column", (*loc, "column"),
                                 f"a share rule needs a coded column (code list, allowed "
                                 f"values, kommune/region code or boolean); {col.name!r} is not")
            if share.max_change_points is None and not share.no_code_vanishes:
                yield lc.problem("baseline-bounds", loc, "the share rule sets no bound",
                                 "warning")
        for i, shift in enumerate(t.baseline.shifts):
            loc = (*bl, "shifts", i)
            col = t.column(shift.column)
            if col is None:
                yield lc.problem("unknown-column", (*loc, "column"),
                                 f"{shift.column!r} is not a column of table {t.name!r}")
                continue
            if col.type not in _NUMERIC:
                yield lc.problem("baseline-column", (*loc, "column"),
                                 f"a shift rule needs a numeric column; {col.name!r} is "
                                 f"{col.type}")
            if col.personal is not PersonalClass.NONE and shift.statistic != "mean":
                yield lc.problem("baseline-personal", (*loc, "statistic"),
                                 f"column {col.name!r} holds personal data: only its mean may "
                                 "be profiled (a quantile can be one person's value)")
            yield from _bounds(lc, loc, shift.min_change_pct, shift.max_change_pct, "shift")
