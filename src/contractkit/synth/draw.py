"""Vectorised, seeded draws of one domain into a polars Series (numpy underneath)."""

from __future__ import annotations

import random
import string
from datetime import date, datetime

import numpy as np
import polars as pl

from contractkit.contract.models import Column, ColumnType, Table
from contractkit.errors import UsageError
from contractkit.synth.cpr import draw_cprs
from contractkit.synth.domains import (
    Booleans,
    Choice,
    Cprs,
    DateRange,
    DecimalRange,
    Domain,
    FloatRange,
    IntRange,
    Pseudonyms,
    Texts,
    TimestampRange,
    capacity,
)
from contractkit.synth.regex_sample import sample_regex
from contractkit.synth.sampling import distinct_draws

__all__ = ["ENUMERABLE_LIMIT", "draw_domain", "enumerate_domain", "frame_schema", "polars_type"]

ENUMERABLE_LIMIT = 10_000
"""Domains with at most this many values can be listed in full (for key products)."""
_TEXT = string.ascii_letters + string.digits + "æøåÆØÅ"
_EPOCH = date(1970, 1, 1)
_EPOCH_DT = datetime(1970, 1, 1)


def polars_type(column: Column) -> pl.DataType:
    """The polars dtype a column of this contract type has in a frame."""
    kind = column.type
    if kind is ColumnType.INTEGER:
        return pl.Int64()
    if kind is ColumnType.DECIMAL:
        return pl.Decimal(column.precision or 38, column.scale or 0)
    if kind is ColumnType.FLOAT:
        return pl.Float64()
    if kind is ColumnType.BOOLEAN:
        return pl.Boolean()
    if kind is ColumnType.DATE:
        return pl.Date()
    if kind is ColumnType.TIMESTAMP:
        return pl.Datetime("us")
    return pl.String()


def frame_schema(table: Table) -> dict[str, pl.DataType]:
    """Column name → polars dtype, in file order."""
    return {c.name: polars_type(c) for c in table.columns}


def enumerate_domain(domain: Domain, dtype: pl.DataType) -> pl.Series | None:
    """Every value of a small domain, or None if it is large or not listable."""
    if capacity(domain) > ENUMERABLE_LIMIT:
        return None
    if isinstance(domain, Choice):
        return pl.Series(list(domain.values), dtype=dtype)
    if isinstance(domain, Booleans):
        return pl.Series([False, True], dtype=dtype)
    if isinstance(domain, IntRange):
        return pl.Series(np.arange(domain.lo, domain.hi + 1), dtype=dtype)
    if isinstance(domain, DecimalRange):
        return _decimals(np.arange(domain.lo_units, domain.hi_units + 1), domain)
    if isinstance(domain, DateRange):
        lo = (domain.lo - _EPOCH).days
        return pl.Series(np.arange(lo, lo + capacity(domain), dtype=np.int32)).cast(pl.Date)
    return None


def draw_domain(domain: Domain, dtype: pl.DataType, n: int, rng: np.random.Generator,
                rnd: random.Random, *, distinct: bool = False, name: str = "") -> pl.Series:
    """``n`` conforming values of ``domain`` (all different when ``distinct``).

    Raises:
        UsageError: the domain holds fewer than ``n`` distinct values.
    """
    if distinct and capacity(domain) < n:
        raise UsageError(f"column {name!r} can hold at most {capacity(domain)} distinct "
                         f"values; {n} rows were asked for")
    return _draw(domain, dtype, n, rng, rnd, distinct).rename(name)


def _ints(rng: np.random.Generator, lo: int, hi: int, n: int, distinct: bool) -> np.ndarray:
    if not distinct:
        return rng.integers(lo, hi + 1, n, dtype=np.int64)
    span = hi - lo + 1
    if span <= 4 * n:
        return rng.permutation(span)[:n].astype(np.int64) + lo
    return distinct_draws(rng, n, lambda k: rng.integers(lo, hi + 1, k, dtype=np.int64))


def _draw(domain: Domain, dtype: pl.DataType, n: int, rng: np.random.Generator,
          rnd: random.Random, distinct: bool) -> pl.Series:
    if isinstance(domain, Choice):
        size = len(domain.values)
        idx = rng.permutation(size)[:n] if distinct else rng.integers(0, size, n)
        return pl.Series(list(domain.values), dtype=dtype).gather(idx)
    if isinstance(domain, Booleans):
        return pl.Series(rng.permutation(2)[:n] == 1 if distinct else rng.random(n) < 0.5)
    if isinstance(domain, IntRange):
        return pl.Series(_ints(rng, domain.lo, domain.hi, n, distinct), dtype=dtype)
    if isinstance(domain, DecimalRange):
        return _decimals(_ints(rng, domain.lo_units, domain.hi_units, n, distinct), domain)
    if isinstance(domain, FloatRange):
        values = np.round(rng.uniform(domain.lo, domain.hi, n), 3)
        values = np.clip(values, domain.lo, domain.hi)
        if distinct:
            values = domain.lo + (domain.hi - domain.lo) * (np.arange(n) + rng.random(n)) / n
            values = rng.permutation(values)
        return pl.Series(values, dtype=pl.Float64)
    if isinstance(domain, DateRange):
        lo = (domain.lo - _EPOCH).days
        days = _ints(rng, lo, (domain.hi - _EPOCH).days, n, distinct)
        return pl.Series(days.astype(np.int32)).cast(pl.Date)
    if isinstance(domain, TimestampRange):
        lo = int((domain.lo - _EPOCH_DT).total_seconds())
        secs = _ints(rng, lo, int((domain.hi - _EPOCH_DT).total_seconds()), n, distinct)
        return pl.Series(secs * 1_000_000).cast(pl.Datetime("us"))
    if isinstance(domain, Cprs):
        return _cprs(domain, n, rng, distinct)
    if isinstance(domain, Pseudonyms):
        raw = np.frombuffer(rng.bytes(32 * n).hex().encode("ascii"), dtype="S64")
        return pl.Series(raw).cast(pl.String)
    return _texts(domain, n, rng, rnd, distinct)


def _decimals(units: np.ndarray, domain: DecimalRange) -> pl.Series:
    s = pl.Series(units, dtype=pl.Int64)
    dtype = pl.Decimal(domain.precision, domain.scale)
    if domain.scale == 0:
        return s.cast(dtype)
    div = 10**domain.scale
    text = pl.select(
        pl.concat_str(
            pl.when(s < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (s.abs() // div).cast(pl.String),
            pl.lit("."),
            (s.abs() % div).cast(pl.String).str.zfill(domain.scale),
        )
    ).to_series()
    return text.cast(dtype)


def _cprs(domain: Cprs, n: int, rng: np.random.Generator, distinct: bool) -> pl.Series:
    # Volume data looks like a population of working age; property tests cover the rest.
    end = domain.hi
    lo = max(domain.lo, date(end.year - 80, 1, 1))
    hi = max(lo, min(domain.hi, date(end.year - 16, end.month, min(end.day, 28))))
    if distinct and ((hi - lo).days + 1) * 4000 < n:
        lo, hi = domain.lo, domain.hi
    return draw_cprs(rng, n, lo, hi, hyphen=domain.hyphen_forms[0], distinct=distinct)


def _texts(domain: Texts, n: int, rng: np.random.Generator, rnd: random.Random,
           distinct: bool) -> pl.Series:
    def one() -> str:
        if domain.pattern is not None:
            return sample_regex(domain.pattern, rnd, max_length=domain.max_length)
        length = rnd.randint(1, min(domain.max_length, 12))
        return "".join(rnd.choice(_TEXT) for _ in range(length))

    if distinct:
        seen: dict[str, None] = {}
        tries = 0
        while len(seen) < n:
            seen[one()] = None
            tries += 1
            if tries > 20 * n + 1000:
                raise UsageError(f"cannot find {n} distinct values for a text column")
        return pl.Series(list(seen), dtype=pl.String)
    pool = [one() for _ in range(min(n, 2000))]
    if not pool:
        return pl.Series([], dtype=pl.String)
    return pl.Series(pool, dtype=pl.String).gather(rng.integers(0, len(pool), n))
