"""How each column is held in memory as it is read, and which are judged on distinct values.

CSV: text, or text with a dictionary.

Every CSV value is read as text, so that a value that does not parse is a located
``wrong-type`` finding. A column whose valid values form a small set — a code list, allowed
values, ISO weeks, months, booleans, a bounded integer or decimal range — is read as a
polars ``Categorical``: the same text, but stored once per distinct value with a small
integer per row. Reading costs the same; the engine's count per distinct value
(:mod:`contractkit.engine.evaluate`) then groups integers instead of hashing text, about
half the cost. The choice is made from the contract alone, before the first byte is read
(the reader cannot change a column's type half-way through a file), and it never changes
a finding: the values are the same text either way, and a file full of values outside the
small set only costs memory for its distinct values. Each column gets categories of its
own (:meth:`polars.Categories.random`), freed with the file's batches, and its rules are
judged once per distinct value (:mod:`contractkit.engine.codes`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import polars as pl

from contractkit.checks.exprs import SMALL_SET
from contractkit.contract.models import Column, ColumnType
from contractkit.engine.compile import Rule
from contractkit.engine.groups import rule_signature

__all__ = ["DICTIONARY_VALUES", "csv_read_dtypes", "is_dictionary_dtype", "may_repeat", "native_ok",
           "small_set_only", "valid_values_bounded"]

DICTIONARY_VALUES = 100_000
"""A column is read with a dictionary when its valid values are at most this many."""
_BOUNDED_CHECKS = frozenset({"iso_week", "period_month", "label_in_period", "equals"})


def _range_size(col: Column, rule: Rule) -> float | None:
    lo, hi = rule.stats.get("min"), rule.stats.get("max")
    if lo is None or hi is None:
        return None
    if col.type is ColumnType.INTEGER:
        return float(hi) - float(lo) + 1.0
    if col.type is ColumnType.DECIMAL and col.scale is not None:
        return (float(hi) - float(lo)) * 10.0 ** col.scale + 1.0
    return None


def valid_values_bounded(col: Column, rules: Iterable[Rule]) -> bool:
    """Whether the values ``rules`` let through in ``col`` are at most :data:`DICTIONARY_VALUES`."""
    if col.type is ColumnType.BOOLEAN:
        return True
    for rule in rules:
        if rule.check in _BOUNDED_CHECKS:
            return True
        if rule.check == "in_set" and len(rule.stats["values"]) <= DICTIONARY_VALUES:
            return True
        if rule.check == "in_range":
            size = _range_size(col, rule)
            if size is not None and size <= DICTIONARY_VALUES:
                return True
    return False


def csv_read_dtypes(header: Sequence[str], columns: Sequence[Column], rules: Sequence[Rule],
                    casts: Mapping[str, object], plain: Iterable[str] = (),
                    typed: bool = True) -> dict[str, pl.DataType]:
    """The dtype each header column is read as: ``Categorical`` for a declared column whose
    valid values are few, ``Int64`` for another integer column (when ``typed``: with a
    fallback to text, :mod:`contractkit.engine.csvread`), ``String`` otherwise. (A bounded
    integer column costs less as a dictionary: its values are judged once per distinct
    value, and a typed read saves too little to pay for the file's blank check: measured on
    the 20M-row benchmark, 8.2–8.5 CPU-s typed against 8.1–8.2 as dictionaries.) Columns in ``plain`` (column family members) and
    columns whose rules another column shares stay ``String``: such columns are judged
    together on the union of their distinct values (:mod:`contractkit.engine.groups`),
    which needs one read type, and costs less at 2,000 columns than a dictionary each."""
    keep_plain = set(plain)
    rules_of: dict[str, list[Rule]] = {}
    for rule in rules:
        rules_of.setdefault(rule.column, []).append(rule)
    signatures = {name: rule_signature(own, casts.get(name)) for name, own in rules_of.items()}
    shared = Counter(signatures.values())
    keep_plain |= {name for name, sig in signatures.items() if shared[sig] > 1}
    declared: Mapping[str, Column] = {c.name: c for c in columns}
    dtypes: dict[str, pl.DataType] = {}
    for name in header:
        col = declared.get(name)
        if col is None or name in keep_plain:
            dtypes[name] = pl.String()
        elif (valid_values_bounded(col, rules_of.get(name, ()))
              and not small_set_only(col, rules_of.get(name, ()))):
            dtypes[name] = pl.Categorical(pl.Categories.random())
        elif typed and col.type is ColumnType.INTEGER:
            dtypes[name] = pl.Int64()
        else:
            dtypes[name] = pl.String()
    return dtypes


def small_set_only(col: Column, rules: Iterable[Rule]) -> bool:
    """Whether the only value rule of string column ``col`` is membership of a small set
    (at most :data:`~contractkit.checks.exprs.SMALL_SET` values: sex, a yes/no code). Such a
    column is read as text and judged row by row by a chain of equalities, which costs
    less than a dictionary read (measured on the 20M-row benchmark: ≈ 0.1 CPU-s for its
    two-valued ``koen``)."""
    if col.type is not ColumnType.STRING:
        return False
    sets = 0
    for rule in rules:
        if rule.check in ("not_null", "parses_as"):
            continue
        if (rule.check != "in_set" or rule.stats.get("strip_zeros")
                or len(rule.stats["values"]) > SMALL_SET):
            return False
        sets += 1
    return sets == 1


def is_dictionary_dtype(dtype: pl.DataType) -> bool:
    """Whether a column was read with a dictionary (:func:`csv_read_dtypes`)."""
    return isinstance(dtype, pl.Categorical)


def native_ok(dtype: pl.DataType, col: Column) -> bool:
    """Whether a stored (Parquet) column of ``dtype`` holds ``col``'s type as is (no parse)."""
    kind = col.type
    if kind is ColumnType.STRING:
        return dtype == pl.String
    if kind is ColumnType.INTEGER:
        return dtype.is_integer()
    if kind in (ColumnType.DECIMAL, ColumnType.FLOAT):
        return dtype.is_numeric()
    if kind is ColumnType.BOOLEAN:
        return dtype == pl.Boolean
    if kind is ColumnType.DATE:
        return dtype == pl.Date
    return isinstance(dtype, pl.Datetime)


def may_repeat(distinct: int, sample: int, rows: int, share: float) -> bool:
    """Whether ``distinct`` values in an even sample of ``sample`` of ``rows`` rows fit
    with at most ``share * rows`` distinct values in all of them."""
    limit = share * rows
    if sample >= rows:
        return distinct <= limit
    # the distinct values a sample would show if the rows held `limit` equally common values
    return distinct <= limit * (1 - math.exp(-sample / limit))
