"""Seeded values for column families: spells of equal values, most cells empty.

A wide register such as DREAM is mostly empty: a person has a benefit in a few spells of
weeks over three decades, and an industry/employment rate in some months. Drawing each of
some 2,000 member columns independently would give noise, not spells, and costs a draw per
cell. Here each row gets a handful of spells (start, length, value) and the spells are
written into a member × row index matrix in one vectorised step; each member column is
then one gather from a small pool of the family's conforming values.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from contractkit.contract.families import ColumnFamily, FamilyUnit
from contractkit.synth.domains import ColumnSpec, capacity
from contractkit.synth.draw import draw_domain, enumerate_domain, polars_type

__all__ = ["SpellShape", "family_columns", "spell_shape"]

POOL_SIZE = 48
"""Most distinct values one family's spells draw from (a code list is used whole)."""


@dataclass(frozen=True)
class SpellShape:
    """How a family's spells look.

    Attributes:
        spells_per_row: mean number of spells per row (Poisson).
        mean_length: mean spell length in members (geometric).
    """

    spells_per_row: float
    mean_length: float


def spell_shape(family: ColumnFamily) -> SpellShape:
    """Benefit weeks: a few spells of about half a year; months: longer spells of work."""
    if family.unit is FamilyUnit.ISO_WEEK:
        return SpellShape(spells_per_row=3.0, mean_length=26.0)
    return SpellShape(spells_per_row=1.5, mean_length=30.0)


def _pool(spec: ColumnSpec, rng: np.random.Generator, rnd: random.Random) -> pl.Series:
    """The family's conforming values spells are drawn from."""
    dtype = polars_type(spec.column)
    listed = enumerate_domain(spec.domain, dtype)
    if listed is not None and listed.len() <= 4 * POOL_SIZE:
        return listed
    size = min(POOL_SIZE, capacity(spec.domain))
    return draw_domain(spec.domain, dtype, size, rng, rnd, distinct=True)


def _spell_matrix(rows: int, members: int, pool: int, shape: SpellShape, *, fill: bool,
                  rng: np.random.Generator) -> np.ndarray:
    """Member × row matrix of pool indices + 1 (0: empty), column-contiguous per member."""
    dtype = np.uint8 if pool < 255 else np.uint16
    mat = np.zeros((members, rows), dtype=dtype)
    if fill:  # a required family: every cell holds a value, spells change it
        mat[:] = rng.integers(1, pool + 1, rows, dtype=dtype)[None, :]
    counts = rng.poisson(shape.spells_per_row, rows)
    total = int(counts.sum())
    if total == 0 or members == 0:
        return mat
    owner = np.repeat(np.arange(rows), counts)
    start = rng.integers(0, members, total)
    length = np.minimum(rng.geometric(1.0 / shape.mean_length, total), members - start)
    value = rng.integers(1, pool + 1, total, dtype=dtype)
    cells = int(length.sum())
    offset = np.arange(cells) - np.repeat(np.cumsum(length) - length, length)
    mat[np.repeat(start, length) + offset, np.repeat(owner, length)] = np.repeat(value, length)
    return mat


def family_columns(spec: ColumnSpec, members: Sequence[str], rows: int, shape: SpellShape,
                   rng: np.random.Generator, rnd: random.Random) -> list[pl.Series]:
    """The member columns of one family for ``rows`` rows: spells of equal values.

    Args:
        spec: the spec of any member (every member shares the family's domain).
        members: the member column names, in time order.
        rows: the number of rows.
        shape: how many and how long the spells are.
        rng: numpy generator (the seed's).
        rnd: random generator (for text domains).
    """
    dtype = polars_type(spec.column)
    pool = _pool(spec, rng, rnd).cast(dtype)
    mat = _spell_matrix(rows, len(members), pool.len(), shape, fill=not spec.nullable, rng=rng)
    index = pl.DataFrame({name: mat[j] for j, name in enumerate(members)})
    # one query for every member: index 0 is an empty cell, i > 0 the pool's value i - 1
    values = index.select(pl.all().replace_strict(
        pl.Series(range(1, pool.len() + 1), dtype=index.dtypes[0] if members else pl.UInt8),
        pool, default=None, return_dtype=dtype))
    return values.get_columns()
