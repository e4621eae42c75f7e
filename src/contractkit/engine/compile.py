"""Compile a contract table into rules: polars expressions plus pandera checks.

Every rule of the contract language becomes a :class:`Rule` with exactly one finding
code; a rule that cannot be compiled raises :class:`CompileError` (never skipped).
Rules run in two stages: ``raw`` (the values as read: not-null, type) and ``typed``
(the parsed values: ranges, code lists, patterns, semantic types, scope, period).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import polars as pl

from contractkit.checks.exprs import CHECKS
from contractkit.contract.codelists import CodeList
from contractkit.contract.models import (
    Column,
    ColumnType,
    CsvFormat,
    ParquetFormat,
    ScopeKind,
    SemanticType,
    Table,
)
from contractkit.contract.periods import Period, period_containing
from contractkit.errors import CompileError
from contractkit.report.model import Code

__all__ = ["Rule", "TableRules", "codelists_needed", "compile_table"]

_SEMANTIC: dict[SemanticType, tuple[str, Code]] = {
    SemanticType.CPR: ("cpr", Code.BAD_CPR),
    SemanticType.PSEUDONYM: ("pseudonym", Code.BAD_PSEUDONYM),
    SemanticType.ISO_WEEK: ("iso_week", Code.BAD_ISO_WEEK),
    SemanticType.PERIOD_MONTH: ("period_month", Code.BAD_PERIOD_LABEL),
}
_CODE_SEMANTIC = {SemanticType.KOMMUNE_KODE: "kommuner", SemanticType.REGION_KODE: "regioner"}


@dataclass(frozen=True)
class Rule:
    """One compiled row rule on one column.

    Attributes:
        rule_id: ``<column>:<code>``, unique within the table.
        code: the finding code this rule yields.
        column: the column it checks.
        stage: ``raw`` (as read) or ``typed`` (parsed).
        check: name of the check in :data:`contractkit.checks.exprs.CHECKS` (``not_null`` for
            the nullability rule).
        stats: the check's statistics (keyword arguments).
        message: what a failure means (no values).
    """

    rule_id: str
    code: Code
    column: str
    stage: str
    check: str
    stats: dict[str, Any]
    message: str

    def valid(self, col: pl.Expr) -> pl.Expr:
        """Boolean expression, ``True`` (or null) where the value conforms."""
        if self.check == "not_null":
            return col.is_not_null()
        return CHECKS[self.check](col, **self.stats)


@dataclass
class TableRules:
    """All compiled row rules of one table for one file, plus what dataset rules need."""

    table: Table
    rules: list[Rule] = field(default_factory=list)
    personal: frozenset[str] = frozenset()
    casts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def for_stage(self, stage: str) -> list[Rule]:
        """Rules of one stage in compile order."""
        return [r for r in self.rules if r.stage == stage]


def _cast_stats(col: Column, fmt: CsvFormat | ParquetFormat) -> dict[str, Any]:
    csv = fmt if isinstance(fmt, CsvFormat) else None
    return {
        "kind": col.type.value,
        "decimal": csv.decimal if csv else ".",
        "date_format": csv.date_format if csv else "%Y-%m-%d",
        "precision": col.precision,
        "scale": col.scale,
    }


def _typed_value(col: Column, value: Any, where: str) -> Any:
    """Convert a contract literal to the column's parsed type, or fail compilation."""
    try:
        if col.type is ColumnType.INTEGER:
            if isinstance(value, float):
                return int(value) if value.is_integer() else value
            return int(str(value))
        if col.type in (ColumnType.DECIMAL, ColumnType.FLOAT):
            return float(value)
        if col.type is ColumnType.DATE:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if col.type is ColumnType.TIMESTAMP:
            return datetime.combine(value, time()) if isinstance(value, date) else value
        if col.type is ColumnType.BOOLEAN:
            return value
        return str(value)
    except (TypeError, ValueError):
        raise CompileError(
            f"column {col.name!r}: {where} value {value!r} is not a {col.type.value}") from None


def _check_regex(col: Column, regex: str) -> None:
    try:
        pl.select(pl.lit("").str.contains(f"^(?:{regex})$"))
    except pl.exceptions.PolarsError:
        raise CompileError(f"column {col.name!r}: pattern {regex!r} is not supported by the "
                           "regex engine (no look-around or back-references)") from None


def _codes(name: str, codelists: Mapping[str, CodeList], col: Column) -> list[str]:
    if name not in codelists:
        raise CompileError(f"column {col.name!r}: code list {name!r} not found")
    return sorted(codelists[name].codes)


def _codelist_rule(col: Column, name: str, codelists: Mapping[str, CodeList]) -> Rule:
    codes = _codes(name, codelists, col)
    if col.type is ColumnType.INTEGER:
        values: list[Any] = sorted({int(c) for c in codes if c.lstrip("-").isdigit()})
        stats: dict[str, Any] = {"values": values}
    else:
        stats = {"values": codes, "strip_zeros": name in _CODE_SEMANTIC.values()}
    return Rule(f"{col.name}:{Code.NOT_IN_CODELIST}", Code.NOT_IN_CODELIST, col.name, "typed",
                "in_set", stats, f"value is not in code list {name}")


def codelists_needed(tables: Sequence[Table]) -> set[str]:
    """The ids of the code lists the rules of ``tables`` look values up in."""
    needed: set[str] = set()
    for table in tables:
        for col in [*table.columns, *table.column_families]:
            if col.codelist is not None:
                needed.add(col.codelist)
            elif col.semantic in _CODE_SEMANTIC:
                needed.add(_CODE_SEMANTIC[col.semantic])
    return needed


def _column_rules(col: Column, fmt: CsvFormat | ParquetFormat,
                  codelists: Mapping[str, CodeList]) -> list[Rule]:
    name = col.name
    rules: list[Rule] = []
    if col.required:
        rules.append(Rule(f"{name}:{Code.NOT_NULL}", Code.NOT_NULL, name, "raw", "not_null", {},
                          "a required value is missing"))
    rules.append(Rule(f"{name}:{Code.WRONG_TYPE}", Code.WRONG_TYPE, name, "raw", "parses_as",
                      _cast_stats(col, fmt), f"value is not a {col.type.value}"))
    if col.semantic in _SEMANTIC:
        check, code = _SEMANTIC[col.semantic]
        if col.type is not ColumnType.STRING:
            raise CompileError(f"column {name!r}: semantic {col.semantic.value} needs a string "
                               "column")
        rules.append(Rule(f"{name}:{code}", code, name, "typed", check, {},
                          f"value is not a valid {col.semantic.value}"))
    if col.codelist is not None:
        rules.append(_codelist_rule(col, col.codelist, codelists))
    elif col.semantic in _CODE_SEMANTIC:
        rules.append(_codelist_rule(col, _CODE_SEMANTIC[col.semantic], codelists))
    if col.allowed_values is not None:
        values = sorted({_typed_value(col, v, "allowed") for v in col.allowed_values}, key=str)
        rules.append(Rule(f"{name}:{Code.NOT_ALLOWED}", Code.NOT_ALLOWED, name, "typed", "in_set",
                          {"values": values}, "value is not one of the allowed values"))
    if col.range is not None:
        lo = None if col.range.min is None else _typed_value(col, col.range.min, "range")
        hi = None if col.range.max is None else _typed_value(col, col.range.max, "range")
        rules.append(Rule(f"{name}:{Code.OUT_OF_RANGE}", Code.OUT_OF_RANGE, name, "typed",
                          "in_range", {"min": lo, "max": hi}, "value is outside the range"))
    if col.pattern is not None:
        _check_regex(col, col.pattern)
        rules.append(Rule(f"{name}:{Code.PATTERN_MISMATCH}", Code.PATTERN_MISMATCH, name, "typed",
                          "pattern", {"regex": col.pattern}, "value does not match the pattern"))
    if col.max_length is not None:
        rules.append(Rule(f"{name}:{Code.TOO_LONG}", Code.TOO_LONG, name, "typed", "max_length",
                          {"n": col.max_length}, f"value is longer than {col.max_length}"))
    return rules


def _period_rule(col: Column, period: Period) -> Rule:
    msg = f"value lies outside the delivery period {period.label}"
    rid = f"{col.name}:{Code.OUT_OF_PERIOD}"
    if col.type in (ColumnType.DATE, ColumnType.TIMESTAMP):
        lo = _typed_value(col, period.start, "period")
        hi = _typed_value(col, period.end, "period")
        if col.type is ColumnType.TIMESTAMP:
            hi = datetime.combine(period.end, time(23, 59, 59, 999999))
        return Rule(rid, Code.OUT_OF_PERIOD, col.name, "typed", "in_range", {"min": lo, "max": hi},
                    msg)
    if col.type is ColumnType.STRING:
        if col.semantic is SemanticType.ISO_WEEK:
            return Rule(rid, Code.OUT_OF_PERIOD, col.name, "typed", "label_in_period",
                        {"values": _labels(period, "weekly"), "kind": "iso_week"}, msg)
        if col.semantic is SemanticType.PERIOD_MONTH:
            return Rule(rid, Code.OUT_OF_PERIOD, col.name, "typed", "label_in_period",
                        {"values": _labels(period, "monthly"), "kind": "period_month"}, msg)
        return Rule(rid, Code.OUT_OF_PERIOD, col.name, "typed", "in_set",
                    {"values": [period.label]}, msg)
    if col.type is ColumnType.INTEGER:
        years = sorted({period.start.year, period.end.year})
        return Rule(rid, Code.OUT_OF_PERIOD, col.name, "typed", "in_set", {"values": years}, msg)
    raise CompileError(f"period_column {col.name!r}: a {col.type.value} column cannot hold a "
                       "period")


def _labels(period: Period, frequency: str) -> list[str]:
    from contractkit.contract.models import Frequency

    freq = Frequency(frequency)
    labels: list[str] = []
    current = period_containing(freq, period.start)
    while current.start <= period.end:
        labels.append(current.label)
        current = current.next()
    return labels


def _scope_rule(table: Table, kind: ScopeKind, column: str | None, scope: str) -> Rule:
    col = table.column(column) if column is not None else None
    if col is None:
        raise CompileError(f"scope column {column!r} is not a column of table {table.name!r}")
    if col.type is ColumnType.INTEGER:
        stats: dict[str, Any] = {"value": _typed_value(col, scope, "scope")}
    else:
        stats = {"value": scope, "strip_zeros": True}
    unit = "municipality" if kind is ScopeKind.PER_MUNICIPALITY else "region"
    return Rule(f"{col.name}:{Code.OUT_OF_SCOPE}", Code.OUT_OF_SCOPE, col.name, "typed",
                "equals", stats, f"the row belongs to another {unit} than the file's ({scope})")


def _cell_rule(table: Table) -> Rule:
    mcs = table.min_cell_size
    assert mcs is not None
    col = table.column(mcs.column)
    if col is None or col.type not in (ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.FLOAT):
        raise CompileError(f"min_cell_size column {mcs.column!r} is not a numeric column")
    return Rule(f"{col.name}:{Code.BELOW_MIN_CELL_SIZE}", Code.BELOW_MIN_CELL_SIZE, col.name,
                "typed", "at_least", {"min": mcs.min},
                f"the cell count is below the minimum cell size {mcs.min}")


def compile_table(table: Table, fmt: CsvFormat | ParquetFormat, *,
                  codelists: Mapping[str, CodeList], scope_kind: ScopeKind,
                  scope_column: str | None, scope: str | None,
                  period: Period | None) -> TableRules:
    """Compile ``table``'s row rules for one file.

    Args:
        table: the contract table.
        fmt: the contract's file format (CSV dialect matters for parsing).
        codelists: code lists by id.
        scope_kind: the contract's scope kind.
        scope_column: the column that must equal the file's municipality/region.
        scope: the file's municipality/region code, when known.
        period: the delivery period, when known.

    Raises:
        CompileError: a rule refers to something that does not exist or cannot be checked.
    """
    out = TableRules(table)
    for col in table.columns:
        out.casts[col.name] = _cast_stats(col, fmt)
        out.rules.extend(_column_rules(col, fmt, codelists))
    if table.period_column is not None and period is not None:
        pcol = table.column(table.period_column)
        if pcol is None:
            raise CompileError(f"period_column {table.period_column!r} is not a column")
        out.rules.append(_period_rule(pcol, period))
    if scope_kind is not ScopeKind.NATIONAL and scope is not None:
        out.rules.append(_scope_rule(table, scope_kind, scope_column, scope))
    if table.min_cell_size is not None:
        out.rules.append(_cell_rule(table))
    out.personal = frozenset(c.name for c in table.columns if c.personal.value != "none")
    return out
