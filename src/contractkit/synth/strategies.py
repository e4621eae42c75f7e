"""Hypothesis strategies for conforming values, rows, frames and whole deliveries.

pandera cannot synthesise data for polars schemas, so these are written from the
contract: each column's :mod:`domain <contractkit.synth.domains>` becomes a strategy.
Frames respect primary keys and ``unique`` columns, scope and period (through the
domains), row-count bounds and references between the tables of one delivery; column
families are drawn as spells (:func:`family_strategy`).
This is the only module of contractkit that imports hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import strategies as st

from contractkit.contract.models import CsvFormat, FileFormat, Table
from contractkit.synth.context import TableContext
from contractkit.synth.cpr import century_digits, cpr_from_parts
from contractkit.synth.domains import (
    Booleans,
    Choice,
    ColumnSpec,
    Cprs,
    DateRange,
    DecimalRange,
    Domain,
    FloatRange,
    IntRange,
    Pseudonyms,
    Texts,
    TimestampRange,
    column_specs,
)
from contractkit.synth.draw import frame_schema
from contractkit.synth.generate import table_order

__all__ = [
    "column_strategy",
    "cpr_strategy",
    "delivery_strategy",
    "domain_strategy",
    "family_strategy",
    "frame_strategy",
    "text_alphabet",
]

# Delimiters, quotes and Danish letters are in: the CSV writer must quote, the reader unquote.
_EXTRA = "æøåÆØÅ;,\"'|-_./: "


def text_alphabet(fmt: FileFormat) -> st.SearchStrategy[str]:
    """Characters free text may hold: printable, encodable in the file's encoding."""
    codec = fmt.encoding if isinstance(fmt, CsvFormat) else "utf-8"
    codec = "utf-8" if codec == "utf-8-sig" else codec
    return st.characters(
        codec=codec,
        exclude_categories=("C", "Zl", "Zp"),  # control, surrogate, line/paragraph separators
        exclude_characters="\r\n\x85",
    ) | st.sampled_from(_EXTRA)


def cpr_strategy(domain: Cprs) -> st.SearchStrategy[str]:
    """Valid CPR numbers over the domain's full birth-date span and every century digit."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        birth = draw(st.dates(domain.lo, domain.hi))
        digit = draw(st.sampled_from(century_digits(birth.year)))
        tail = draw(st.integers(0, 999))
        hyphen = draw(st.sampled_from(domain.hyphen_forms))
        return cpr_from_parts(birth, digit, tail, hyphen)

    return build()


def _text_ok(fmt: FileFormat, max_length: int) -> Callable[[str], bool]:
    null = fmt.null_value if isinstance(fmt, CsvFormat) else None

    def ok(s: str) -> bool:
        return 0 < len(s) <= max_length and s == s.strip() and s != null

    return ok


def domain_strategy(domain: Domain, fmt: FileFormat) -> st.SearchStrategy[Any]:
    """Conforming, non-null values of one domain."""
    if isinstance(domain, Choice):
        return st.sampled_from(domain.values)
    if isinstance(domain, IntRange):
        return st.integers(domain.lo, domain.hi)
    if isinstance(domain, DecimalRange):
        scale = domain.scale
        return st.integers(domain.lo_units, domain.hi_units).map(
            lambda u: Decimal(u).scaleb(-scale))
    if isinstance(domain, FloatRange):
        return st.floats(domain.lo, domain.hi, allow_nan=False, allow_infinity=False)
    if isinstance(domain, DateRange):
        return st.dates(domain.lo, domain.hi)
    if isinstance(domain, TimestampRange):
        return st.datetimes(domain.lo, domain.hi).map(lambda d: d.replace(microsecond=0))
    if isinstance(domain, Booleans):
        return st.booleans()
    if isinstance(domain, Cprs):
        return cpr_strategy(domain)
    if isinstance(domain, Pseudonyms):
        return st.binary(min_size=32, max_size=32).map(bytes.hex)
    assert isinstance(domain, Texts)
    ok = _text_ok(fmt, domain.max_length)
    if domain.pattern is not None:
        return st.from_regex(domain.pattern, fullmatch=True, alphabet=text_alphabet(fmt)).filter(ok)
    return st.text(text_alphabet(fmt), min_size=1, max_size=domain.max_length).filter(ok)


def column_strategy(spec: ColumnSpec, fmt: FileFormat) -> st.SearchStrategy[Any]:
    """Values of one column: conforming, or null where the column is optional."""
    values = domain_strategy(spec.domain, fmt)
    return st.none() | values if spec.nullable else values


SPELL_MAX = 80
"""Longest spell a strategy draws (in members: weeks or months)."""


def family_strategy(spec: ColumnSpec, members: int,
                    fmt: FileFormat) -> st.SearchStrategy[list[Any]]:
    """One row's member values of a column family: a few spells of equal values.

    Spells (start, length, value), not cells, are drawn: a DREAM row has some 2,000 members,
    and drawing each would make every example slow and every spell a coincidence. An
    optional family starts empty; a required one starts from one value throughout.
    """
    values = domain_strategy(spec.domain, fmt)
    spell = st.tuples(st.integers(0, members - 1), st.integers(1, SPELL_MAX), values)

    @st.composite
    def build(draw: st.DrawFn) -> list[Any]:
        cells: list[Any] = [None] * members if spec.nullable else [draw(values)] * members
        for start, length, value in draw(st.lists(spell, max_size=4)):
            end = min(members, start + length)
            cells[start:end] = [value] * (end - start)
        return cells

    return build()


def frame_strategy(ctx: TableContext, *, max_rows: int = 12, min_rows: int = 0,
                   parents: Mapping[str, pl.DataFrame] | None = None
                   ) -> st.SearchStrategy[pl.DataFrame]:
    """Conforming frames of ``ctx.table`` (reference columns take values from ``parents``).

    Args:
        ctx: the table, period, scope and code lists.
        max_rows: the most rows (raised to the contract's minimum row count if needed).
        min_rows: the fewest rows (raised likewise).
        parents: frames of referenced tables; references to missing parents are ignored.
    """
    table = ctx.table
    fmt = ctx.lc.contract.format
    specs = column_specs(ctx)
    fields: dict[str, st.SearchStrategy[Any]] = {
        n: column_strategy(s, fmt) for n, s in specs.items() if n not in ctx.family_of}
    families: list[tuple[list[str], st.SearchStrategy[list[Any]]]] = []
    for family in ctx.families:
        names = family.member_names(ctx.period)
        if names:
            families.append((names, family_strategy(specs[names[0]], len(names), fmt)))
    groups: list[tuple[list[str], list[tuple[Any, ...]]]] = []
    for ref in table.references:
        parent = (parents or {}).get(ref.table)
        if parent is None:
            continue
        keys = parent.select(ref.to_columns).drop_nulls().unique(maintain_order=True).rows()
        groups.append((list(ref.columns), keys))
        for c in ref.columns:
            fields.pop(c, None)
    rc = table.row_count
    lo = max(min_rows, rc.min if rc and rc.min is not None else 0)
    hi = max(lo, min(max_rows, rc.max) if rc and rc.max is not None else max_rows)
    if any(not keys for _cols, keys in groups):
        hi = lo = 0

    @st.composite
    def row(draw: st.DrawFn) -> dict[str, Any]:
        values = draw(st.fixed_dictionaries(fields))
        for names, cells in families:
            values.update(zip(names, draw(cells), strict=True))
        for cols, keys in groups:
            values.update(zip(cols, draw(st.sampled_from(keys)), strict=True))
        return values

    unique_by: list[Callable[[dict[str, Any]], Any]] = []
    if table.primary_key:
        key = tuple(table.primary_key)
        unique_by.append(lambda r: tuple(r[c] for c in key))
    for spec in specs.values():
        if spec.distinct:
            unique_by.append(_getter(spec.column.name))
    rows = st.lists(row(), min_size=lo, max_size=hi,
                    unique_by=tuple(unique_by) if unique_by else None)
    return rows.map(lambda rs: _frame(table, rs))


def _getter(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r[name]


def _frame(table: Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = frame_schema(table)
    data = {name: [r[name] for r in rows] for name in schema}
    return pl.DataFrame(data, schema=schema)


def delivery_strategy(ctx: TableContext, *, max_rows: int = 8,
                      min_rows: int = 1) -> st.SearchStrategy[dict[str, pl.DataFrame]]:
    """Conforming frames for every table of a delivery; children refer to their parents."""
    tables = ctx.lc.contract.tables
    referenced = {r.table for t in tables for r in t.references}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
        frames: dict[str, pl.DataFrame] = {}
        for t in table_order(tables):
            least = max(min_rows, 1 if t.name in referenced else 0)
            frames[t.name] = draw(frame_strategy(ctx.for_table(t), max_rows=max_rows,
                                                 min_rows=least, parents=frames))
        return frames

    return build()


