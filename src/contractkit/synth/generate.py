"""Seeded vectorised generation of conforming tables and deliveries (for volume).

Column families (DREAM's ``y_YYWW``) are drawn as spells of equal values in mostly empty
members (:mod:`~contractkit.synth.spells`), not cell by cell.

Keys: the primary-key column with the most possible values is the "entity" (e.g. the
CPR number); the other key columns with few values (e.g. the ISO weeks of the month) are
crossed with it, so a delivery reads like one row per person and week. Columns with a
reference to another table take their values from that table's rows.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from contractkit.contract.families import ColumnFamily
from contractkit.contract.models import Table
from contractkit.errors import UsageError
from contractkit.loader import LoadedContract
from contractkit.synth.context import TableContext, resolve_context
from contractkit.synth.domains import Choice, ColumnSpec, capacity, column_specs
from contractkit.synth.draw import (
    ENUMERABLE_LIMIT,
    draw_domain,
    enumerate_domain,
    frame_schema,
    polars_type,
)
from contractkit.synth.sampling import distinct_draws
from contractkit.synth.spells import family_columns, spell_shape

__all__ = ["generate_delivery", "generate_frame", "generate_table", "table_order"]

NULL_SHARE = 0.1
"""Share of nulls in optional columns."""


@dataclass(frozen=True)
class _Unit:
    """Columns drawn together: one column, or the columns of one reference."""

    columns: tuple[str, ...]
    values: pl.DataFrame | None  # all values (references: the parent's distinct keys)
    spec: ColumnSpec | None  # single-column units

    @property
    def capacity(self) -> int:
        if self.values is not None:
            return self.values.height
        assert self.spec is not None
        return capacity(self.spec.domain)


def generate_table(lc: LoadedContract, table: str | None, rows: int, period: str | None,
                   seed: int, scope: str | None = None) -> pl.DataFrame:
    """``rows`` conforming rows of one table (reference columns get fresh parent rows).

    Raises:
        UsageError: bad table/period/scope, or the keys cannot hold ``rows`` rows.
    """
    ctx = resolve_context(lc, table=table, period=period, scope=scope)
    frames = generate_delivery(ctx, rows, seed, only=ctx.table.name)
    return frames[ctx.table.name]


def table_order(tables: Sequence[Table]) -> list[Table]:
    """Tables ordered so every referenced table comes before the tables that refer to it."""
    done: list[Table] = []
    names: set[str] = set()
    pending = list(tables)
    while pending:
        ready = [t for t in pending
                 if all(r.table in names or r.table == t.name for r in t.references)]
        if not ready:  # a reference cycle: keep file order for the rest
            ready = pending[:1]
        for t in ready:
            done.append(t)
            names.add(t.name)
            pending.remove(t)
    return done


def generate_delivery(ctx: TableContext, rows: int | Mapping[str, int], seed: int,
                      only: str | None = None) -> dict[str, pl.DataFrame]:
    """Conforming frames for every table of a delivery (parents before children).

    Args:
        ctx: context of any table of the delivery (period, scope and code lists are shared).
        rows: rows per table (one number for all, or per table name).
        seed: the seed; the same seed gives the same frames.
        only: stop once this table is generated (its parents are generated too).
    """
    frames: dict[str, pl.DataFrame] = {}
    tables = ctx.lc.contract.tables
    for t in table_order(tables):
        n = rows if isinstance(rows, int) else rows.get(t.name, 100)
        index = tables.index(t)
        frames[t.name] = generate_frame(ctx.for_table(t), n, seed + 7919 * index, frames)
        if t.name == only:
            break
    return frames


def generate_frame(ctx: TableContext, rows: int, seed: int,
                   parents: Mapping[str, pl.DataFrame] | None = None) -> pl.DataFrame:
    """``rows`` conforming rows of ``ctx.table``.

    Raises:
        UsageError: the primary key or unique columns cannot hold ``rows`` rows, or the
            row count lies outside the contract's bounds.
    """
    table = ctx.table
    rc = table.row_count
    if rc is not None and ((rc.min is not None and rows < rc.min)
                           or (rc.max is not None and rows > rc.max)):
        raise UsageError(f"table {table.name!r} must have between {rc.min or 0} and "
                         f"{rc.max if rc.max is not None else 'any number of'} rows; "
                         f"{rows} were asked for")
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    specs = column_specs(ctx)
    spelled = _spelled_families(ctx, specs)
    members = {name for f in spelled for name in f.member_names(ctx.period)}
    plain = {name: spec for name, spec in specs.items() if name not in members}
    units = _units(table, plain, parents or {})
    parts = _key_parts(table, units, rows, rng, rnd) if table.primary_key else {}
    for unit in units:
        if unit.columns[0] in parts:
            continue
        part = _draw_unit(unit, rows, rng, rnd, distinct=bool(unit.spec and unit.spec.distinct))
        parts.update({c: part[c] for c in unit.columns})
    for family in spelled:
        names = family.member_names(ctx.period)
        columns = family_columns(specs[names[0]], names, rows, spell_shape(family), rng, rnd)
        parts.update((s.name, s) for s in columns)
    out = pl.DataFrame([parts[c.name].rename(c.name) for c in table.columns])
    nullable = [s.column.name for s in plain.values() if s.nullable
                and not any(s.column.name in r.columns for r in table.references)]
    if nullable and rows:
        out = out.with_columns(
            pl.when(pl.Series(rng.random(rows) < NULL_SHARE)).then(pl.lit(None))
            .otherwise(pl.col(c)).alias(c)
            for c in nullable
        )
    return out.cast(frame_schema(table))  # type: ignore[arg-type]


def _spelled_families(ctx: TableContext, specs: Mapping[str, ColumnSpec]) -> list[ColumnFamily]:
    """The families whose members are drawn as spells (all but empty or unique ones)."""
    out = []
    for family in ctx.families:
        names = family.member_names(ctx.period)
        if names and not specs[names[0]].distinct:
            out.append(family)
    return out


def _units(table: Table, specs: Mapping[str, ColumnSpec],
           parents: Mapping[str, pl.DataFrame]) -> list[_Unit]:
    grouped: set[str] = set()
    units: list[_Unit] = []
    for ref in table.references:
        parent = parents.get(ref.table)
        if parent is None or any(c in grouped for c in ref.columns):
            continue
        values = parent.select(
            [pl.col(src).alias(dst) for src, dst in zip(ref.to_columns, ref.columns, strict=True)]
        ).drop_nulls().unique(maintain_order=True)
        if values.height == 0:
            raise UsageError(f"table {table.name!r} refers to {ref.table!r}, which has no rows")
        units.append(_Unit(tuple(ref.columns), values, None))
        grouped.update(ref.columns)
    units.extend(_Unit((name,), None, spec) for name, spec in specs.items() if name not in grouped)
    return units


def _draw_unit(unit: _Unit, n: int, rng: np.random.Generator, rnd: random.Random, *,
               distinct: bool) -> pl.DataFrame:
    if unit.values is not None:
        size = unit.values.height
        if distinct and size < n:
            raise UsageError(f"columns {', '.join(unit.columns)} refer to only {size} rows; "
                             f"{n} distinct values were asked for")
        idx = rng.permutation(size)[:n] if distinct else rng.integers(0, size, n)
        return unit.values[idx]
    assert unit.spec is not None
    spec = unit.spec
    series = draw_domain(spec.domain, polars_type(spec.column), n, rng, rnd, distinct=distinct,
                         name=spec.column.name)
    return series.to_frame()


def _enumerate_unit(unit: _Unit) -> pl.DataFrame | None:
    if unit.values is not None:
        return unit.values if unit.values.height <= ENUMERABLE_LIMIT else None
    assert unit.spec is not None
    series = enumerate_domain(unit.spec.domain, polars_type(unit.spec.column))
    return None if series is None else series.rename(unit.spec.column.name).to_frame()


CROSS_LIMIT = 60
"""Most key combinations one entity is crossed with (e.g. the ISO weeks of a quarter)."""


def _key_parts(table: Table, units: list[_Unit], n: int, rng: np.random.Generator,
               rnd: random.Random) -> dict[str, pl.Series]:
    """Draw the key columns so that their combination is unique in every row."""
    key = set(table.primary_key or ())
    key_units = [u for u in units if key.intersection(u.columns)]
    entity = max(key_units, key=lambda u: u.capacity)
    crossed: list[pl.DataFrame] = []
    combos = 1
    for u in key_units:
        # Only listed values (weeks, months, codes) are crossed: one person per week reads
        # naturally, one person per day of the month does not.
        if u is entity or u.values is not None or not isinstance(
                u.spec.domain if u.spec else None, Choice):
            continue
        listed = _enumerate_unit(u)
        if listed is not None and combos * listed.height <= CROSS_LIMIT:
            crossed.append(listed.sample(fraction=1.0, shuffle=True, seed=int(rng.integers(2**31))))
            combos *= listed.height
    entities = math.ceil(n / combos) if n else 0
    if entity.capacity < entities:
        frame = _sample_product(table, key_units, n, rng)
    else:
        frame = _draw_unit(entity, entities, rng, rnd, distinct=True)
        for listed in crossed:  # each entity gets every combination, entity by entity
            frame = frame.join(listed, how="cross", maintain_order="left_right")
    frame = frame.head(n)
    parts = {c: frame[c] for c in frame.columns}
    for u in key_units:  # key columns neither entity nor crossed: independent draws
        if u.columns[0] not in parts:
            part = _draw_unit(u, n, rng, rnd, distinct=bool(u.spec and u.spec.distinct))
            parts.update({c: part[c] for c in u.columns})
    return parts


def _sample_product(table: Table, key_units: list[_Unit], n: int,
                    rng: np.random.Generator) -> pl.DataFrame:
    """``n`` distinct combinations drawn from the full product of small key domains."""
    listed = [_enumerate_unit(u) for u in key_units]
    total = math.prod(f.height if f is not None else 0 for f in listed)
    if total < n or any(f is None for f in listed) or total > 50_000_000:
        raise UsageError(f"the primary key ({', '.join(table.primary_key or ())}) of table "
                         f"{table.name!r} cannot hold {n} distinct rows with these domains")
    picks = rng.permutation(total)[:n] if total <= 4 * n + 1000 else distinct_draws(
        rng, n, lambda k: rng.integers(0, total, k, dtype=np.int64))
    cols: list[pl.DataFrame] = []
    for f in listed:
        assert f is not None
        cols.append(f[picks % f.height])
        picks = picks // f.height
    return pl.concat(cols, how="horizontal")
