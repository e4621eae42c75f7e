"""Columns that share identical rules, judged together on the union of their distinct values.

A wide file (DREAM: 1,709 week columns, 195 + 195 month columns, each family's members
sharing type, rules and code list) cannot afford per-column work: 2,000 group-bys or
6,000 expressions per batch cost many times the read. Every row rule is a function of
one cell, and a null cell fails only the not-null rule, so a group's rules are judged
once per batch on the distinct non-null values of all its columns stacked together.
Only when some value fails does one membership pass over the stacked cells find the
cells holding it; a cell's position in the stack gives its column (every column has
the batch's height) and its row. Not-null counts are the columns' null counts.

The counts are exactly those of judging each column row by row (a property test holds
them equal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from contractkit.engine.compile import Rule

__all__ = ["ColumnGroup", "group_columns", "group_counts", "rule_signature"]

_V = "\x00v"
_POS = "\x00pos"
_MEMBER = "\x00member"

FailExprs = Callable[[Sequence[Rule]], list[pl.Expr]]
"""Builds one boolean per rule, ``True`` where the row fails (raw values under the
judge's raw prefix, parsed values under the column's name), aliased by position."""


@dataclass(frozen=True)
class ColumnGroup:
    """Columns of one batch with the same rules and the same read type.

    Attributes:
        columns: the member columns, in file order.
        rules: per member, its rules, in the same order for every member.
    """

    columns: list[str]
    rules: list[list[Rule]]


def rule_signature(rules: Sequence[Rule], cast: object) -> tuple[object, ...]:
    """What two columns must share to be judged together: every rule but its column."""
    return (repr(cast), *((r.check, r.stage, r.code, r.message, repr(r.stats)) for r in rules))


def group_columns(columns: Sequence[str], rules: dict[str, list[Rule]],
                  signatures: dict[str, tuple[object, ...]], dtypes: dict[str, pl.DataType],
                  minimum: int = 2) -> list[ColumnGroup]:
    """Groups of at least ``minimum`` columns with equal signatures and read types."""
    by_key: dict[tuple[object, ...], list[str]] = {}
    for name in columns:
        if rules.get(name):
            by_key.setdefault((signatures[name], dtypes[name]), []).append(name)
    return [ColumnGroup(names, [rules[n] for n in names])
            for names in by_key.values() if len(names) >= minimum]


def group_counts(text: pl.DataFrame, group: ColumnGroup, raw: str,
                 typed_expr: Callable[[str], pl.Expr], fail_exprs: FailExprs) -> dict[str, int]:
    """The failures of every rule of every member in one batch, by rule id (zeros left out).

    Args:
        text: the batch as read.
        group: the columns judged together.
        raw: the prefix under which ``fail_exprs`` expects the raw values.
        typed_expr: the parse of a column (by name) to its contract type.
        fail_exprs: see :data:`FailExprs`.
    """
    counts: dict[str, int] = {}
    first = group.columns[0]
    value_rules = [k for k, r in enumerate(group.rules[0]) if r.check != "not_null"]
    for k, rule in enumerate(group.rules[0]):
        if rule.check == "not_null":
            for name, rules in zip(group.columns, group.rules, strict=True):
                n = text.get_column(name).null_count()
                if n:
                    counts[rules[k].rule_id] = n
    height = text.height
    if not value_rules or not height:
        return counts
    stacked = pl.concat([text.get_column(c) for c in group.columns], rechunk=False)
    distinct = stacked.drop_nulls().unique().alias(first).to_frame()
    verdicts = distinct.select(pl.col(first).alias(raw + first),
                               typed_expr(first).alias(first)).select(
        pl.col(raw + first).alias(_V), *fail_exprs([group.rules[0][k] for k in value_rules]))
    flags = [str(j) for j in range(len(value_rules))]
    failing = verdicts.filter(pl.any_horizontal(flags))
    if not failing.height:
        return counts
    hits = (pl.DataFrame({_V: stacked}).with_row_index(_POS)
            .filter(pl.col(_V).is_in(failing.get_column(_V).implode()))
            .join(failing, on=_V, how="inner")
            .group_by((pl.col(_POS) // height).alias(_MEMBER))
            .agg(pl.col(flags).sum()))
    for member, *ns in hits.iter_rows():
        rules = group.rules[int(member)]
        for k, n in zip(value_rules, ns, strict=True):
            if n:
                counts[rules[k].rule_id] = int(n)
    return counts

