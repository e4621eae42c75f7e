"""Rule-breaking mutants: each breaks exactly one contract rule of a conforming frame.

A mutant is named ``<target>:<what>`` (``timer:out-of-range``, ``primary_key:duplicate-key``,
``file:ragged-row``) and carries the one finding code the engine must report for it
(interfaces.md: each rule kind maps to exactly one code). Cell mutants pick, with the
reference judge in :mod:`~contractkit.synth.oracle`, a value that breaks only their rule;
mutants that could not avoid breaking a second rule are simply not offered.
File-level mutants (malformed files, bad file name) live in
:mod:`~contractkit.synth.malformed`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import polars as pl

from contractkit.contract.models import Column, ColumnType, CsvFormat, SemanticType
from contractkit.errors import UsageError
from contractkit.synth.context import TableContext, codelist_for
from contractkit.synth.domains import column_spec, period_months
from contractkit.synth.draw import draw_domain, polars_type
from contractkit.synth.oracle import value_violations
from contractkit.synth.writers import csv_text_columns

__all__ = ["FILE_MUTANTS", "Mutant", "NotApplicable", "break_frame", "mutants_for"]


class NotApplicable(UsageError):
    """The mutant cannot be applied to this particular frame (e.g. too few rows)."""


@dataclass(frozen=True)
class Mutant:
    """One way to break one rule of one table.

    Attributes:
        name: the rule name (``--break`` value), ``<target>:<what>``.
        code: the finding code the engine must report, and no other.
        table: the table whose file is broken.
        column: the column the rule is about, if any.
        level: ``cell``, ``frame`` (columns, rows, keys) or ``file`` (bytes or file name).
    """

    name: str
    code: str
    table: str
    column: str | None
    level: str


FILE_MUTANTS = ("wrong-encoding", "ragged-row", "binary-junk", "truncated", "empty-file",
                "missing-header")
"""Kinds of malformed files (all expected to yield ``malformed-file``)."""

_CELL_CODES = ("not-null", "wrong-type", "not-allowed", "not-in-codelist", "out-of-range",
               "pattern-mismatch", "too-long", "bad-cpr", "bad-pseudonym", "bad-iso-week",
               "bad-period-label", "out-of-period", "out-of-scope", "below-min-cell-size")


def _reference_columns(ctx: TableContext) -> set[str]:
    """Columns of this table that take part in a reference (either side)."""
    out: set[str] = set()
    for t in ctx.lc.contract.tables:
        for r in t.references:
            if t.name == ctx.table.name:
                out.update(r.columns)
            if r.table == ctx.table.name:
                out.update(r.to_columns)
    return out


def mutants_for(ctx: TableContext) -> list[Mutant]:
    """Every mutant that applies to ``ctx.table`` in the contract's file format."""
    table, fmt = ctx.table, ctx.lc.contract.format
    named_columns = not isinstance(fmt, CsvFormat) or fmt.header
    refs = _reference_columns(ctx)
    out: list[Mutant] = []
    for col in table.columns:
        if col.name not in refs:
            for code in _CELL_CODES:
                if _bad_value(ctx, col, code, ()) is not _NONE:
                    out.append(Mutant(f"{col.name}:{code}", code, table.name, col.name, "cell"))
        if col.unique and col.name not in refs:
            out.append(Mutant(f"{col.name}:not-unique", "not-unique", table.name, col.name,
                              "frame"))
        if col.required and named_columns:
            out.append(Mutant(f"{col.name}:missing-column", "missing-column", table.name,
                              col.name, "frame"))
    pk = table.primary_key or []
    if pk and not (len(pk) == 1 and (c := table.column(pk[0])) is not None and c.unique):
        out.append(Mutant("primary_key:duplicate-key", "duplicate-key", table.name, None, "frame"))
    if not table.allow_extra_columns and named_columns:
        out.append(Mutant("columns:extra-column", "extra-column", table.name, None, "frame"))
    rc = table.row_count
    referenced = any(r.table == table.name for t in ctx.lc.contract.tables for r in t.references)
    if rc is not None and rc.min is not None and rc.min >= 1 and not referenced:
        out.append(Mutant("row_count:min", "row-count", table.name, None, "frame"))
    if rc is not None and rc.max is not None:
        out.append(Mutant("row_count:max", "row-count", table.name, None, "frame"))
    for i, ref in enumerate(table.references):
        if ctx.lc.contract.table(ref.table) is not None:
            out.append(Mutant(f"references[{i}]:broken-reference", "broken-reference",
                              table.name, ref.columns[0], "frame"))
    out.append(Mutant("file_name:bad-file-name", "bad-file-name", table.name, None, "file"))
    for kind in FILE_MUTANTS:
        if _file_kind_applies(kind, fmt):
            out.append(Mutant(f"file:{kind}", "malformed-file", table.name, None, "file"))
    return out


def _file_kind_applies(kind: str, fmt: Any) -> bool:
    if not isinstance(fmt, CsvFormat):
        return kind in ("binary-junk", "truncated", "empty-file")
    if kind == "truncated":
        return False
    if kind == "wrong-encoding":
        return fmt.encoding != "latin-1"  # every byte sequence is valid Latin-1
    if kind == "missing-header":
        return fmt.header
    return True


# --- choosing values that break exactly one rule -------------------------------------

_NONE = object()


def _candidates(ctx: TableContext, col: Column, code: str) -> list[Any]:
    """Values that might earn ``code`` (the oracle then keeps those that earn only it)."""
    kind = col.type
    if code == "not-null":
        return [None]
    if code == "out-of-range" and col.range is not None:
        return _beyond(col)
    if code in ("not-allowed", "not-in-codelist"):
        if kind is ColumnType.INTEGER:
            return [999_999, 999, 9999, 0, -1, 1, 98, 9]
        if kind in (ColumnType.DECIMAL, ColumnType.FLOAT):
            return [Decimal("999999") if kind is ColumnType.DECIMAL else 999999.0, 0.5]
        if kind is ColumnType.STRING:
            return ["999", "ZZ", "9999", "X", "0", "x9", "ZZZZ9"]
        return []
    if kind is not ColumnType.STRING:
        return []
    if code == "pattern-mismatch" and col.pattern:
        return ["#", "!", "~", "x", "0", "ZZ", "-", "a b", "##########"]
    if code == "too-long" and col.max_length:
        n = col.max_length + 1
        return [ch * n for ch in "x0AZ9a1"] + _longer_matches(col)
    sem = col.semantic
    if code == "bad-cpr" and sem is SemanticType.CPR:
        return ["3201901234", "320190-1234", "2902001234", "290200-1234", "0013901234", "12345"]
    if code == "bad-pseudonym" and sem is SemanticType.PSEUDONYM:
        return ["A" * 64, "g" * 64, "a" * 63, "0" * 65]
    if code == "bad-iso-week" and sem is SemanticType.ISO_WEEK:
        y = ctx.period.start.year
        return [f"{y}-W54", f"{y}-W00", f"{y}W10", f"{y}-w10"]
    if code == "bad-period-label" and sem is SemanticType.PERIOD_MONTH:
        y = ctx.period.start.year
        return [f"{y}-13", f"{y}-00", f"{y}/01", f"{y}-1"]
    return []


def _out_of_period(ctx: TableContext, col: Column) -> list[Any]:
    before = ctx.period.start - timedelta(days=1)
    after = ctx.period.end + timedelta(days=1)
    if col.type is ColumnType.DATE:
        return [before, after, before - timedelta(days=400)]
    if col.type is ColumnType.TIMESTAMP:
        return [datetime.combine(before, datetime.min.time()),
                datetime.combine(after, datetime.min.time())]
    if col.semantic is SemanticType.PERIOD_MONTH:
        months = period_months(ctx)
        first = date.fromisoformat(months[0] + "-01") - timedelta(days=1)
        last = date.fromisoformat(months[-1] + "-28") + timedelta(days=10)
        return [f"{first.year}-{first.month:02d}", f"{last.year}-{last.month:02d}"]
    if col.semantic is SemanticType.ISO_WEEK:
        wb, wa = (before - timedelta(days=7)).isocalendar(), (after + timedelta(days=7)).isocalendar()
        return [f"{wb.year}-W{wb.week:02d}", f"{wa.year}-W{wa.week:02d}"]
    return []


def _beyond(col: Column) -> list[Any]:
    assert col.range is not None
    lo, hi = col.range.min, col.range.max
    out: list[Any] = []
    for bound, sign in ((hi, 1), (lo, -1)):
        if bound is None:
            continue
        if isinstance(bound, date):
            step = timedelta(days=sign)
            value: Any = bound + step
            out.append(datetime.combine(value, datetime.min.time())
                       if col.type is ColumnType.TIMESTAMP else value)
        elif col.type is ColumnType.INTEGER:
            out.append(int(bound) + sign)
        elif col.type is ColumnType.DECIMAL:
            unit = Decimal(1).scaleb(-(col.scale or 0))
            out += [Decimal(str(bound)) + sign, Decimal(str(bound)) + sign * unit]
        else:
            out.append(float(bound) + sign)
    return out


def _fits_precision(col: Column, value: Any) -> bool:
    if col.type is not ColumnType.DECIMAL or not isinstance(value, Decimal):
        return True
    top = Decimal(10) ** ((col.precision or 38) - (col.scale or 0))
    return abs(value) < top and value == value.quantize(Decimal(1).scaleb(-(col.scale or 0)))


def _longer_matches(col: Column) -> list[str]:
    from contractkit.synth.regex_sample import sample_regex

    rnd = random.Random(0)
    out: list[str] = []
    for _ in range(200):
        try:
            s = sample_regex(col.pattern or ".", rnd, tries=5)
        except UsageError:
            break
        if len(s) > (col.max_length or 0):
            out.append(s)
            if len(out) >= 3:
                break
    return out


def _bad_value(ctx: TableContext, col: Column, code: str, taken: tuple[Any, ...]) -> Any:
    """A value that earns exactly ``code`` in ``col`` (or ``_NONE``)."""
    if code == "wrong-type":
        # Readers parse any column from its text, so only a non-string column has a type
        # that a value can fail.
        return _NONE if col.type is ColumnType.STRING else "wrong-type"
    if code == "out-of-period":
        if col.name != ctx.table.period_column:
            return _NONE
        candidates = _out_of_period(ctx, col)
    elif code == "out-of-scope":
        sc = ctx.lc.contract.scope
        listed = codelist_for(col, ctx.codelists)
        if ctx.scope is None or sc.column != col.name or listed is None:
            return _NONE
        spec_type = col.type
        candidates = [int(v.code) if spec_type is ColumnType.INTEGER else v.code
                      for v in listed.values if v.code != ctx.scope][:5]
    elif code == "below-min-cell-size":
        mcs = ctx.table.min_cell_size
        if mcs is None or mcs.column != col.name:
            return _NONE
        below = [v for v in (mcs.min - 1, 1, 0) if v < mcs.min]
        candidates = [Decimal(v) if col.type is ColumnType.DECIMAL else v for v in below]
    else:
        candidates = _candidates(ctx, col, code)
    for value in candidates:
        if value in taken or not _fits_precision(col, value):
            continue
        if code == "pattern-mismatch" and re.search(col.pattern or "", str(value)):
            continue
        if value_violations(ctx, col, value) == {code}:
            return value
    return _NONE


# --- applying a mutant to a frame -------------------------------------------------


def break_frame(mutant: Mutant, frame: pl.DataFrame, ctx: TableContext, seed: int,
                parents: dict[str, pl.DataFrame] | None = None) -> pl.DataFrame:
    """Return a copy of the conforming ``frame`` that breaks exactly ``mutant``'s rule.

    File-level mutants leave the frame as it is (see :mod:`~contractkit.synth.malformed`).

    Raises:
        NotApplicable: the frame is too small for the mutant (or no value qualifies).
    """
    rng = np.random.default_rng(seed)
    what = mutant.name.split(":", 1)[1]
    if mutant.level == "file":
        return frame
    if mutant.level == "cell":
        assert mutant.column is not None
        return _break_cell(mutant, frame, ctx, rng)
    if what == "not-unique":
        return _copy_values(frame, [mutant.column or ""], rng)
    if what == "duplicate-key":
        return _duplicate_key(frame, ctx, seed, rng, parents)
    if what == "missing-column":
        return frame.drop(mutant.column or "")
    if what == "extra-column":
        name = next(f"ekstra{i or ''}" for i in range(100)
                    if f"ekstra{i or ''}" not in frame.columns)
        return frame.with_columns(pl.lit("x").alias(name))
    if mutant.name == "row_count:min":
        rc = ctx.table.row_count
        assert rc is not None
        assert rc.min is not None
        return frame.head(rc.min - 1)
    if mutant.name == "row_count:max":
        from contractkit.synth.generate import generate_frame

        rc = ctx.table.row_count
        assert rc is not None
        assert rc.max is not None
        bigger = ctx.table.model_copy(update={"row_count": None})
        return generate_frame(ctx.for_table(bigger), rc.max + 1, seed, parents)
    if what == "broken-reference":
        return _break_reference(mutant, frame, ctx, rng, parents or {})
    raise UsageError(f"unknown mutant {mutant.name!r}")


def _row(frame: pl.DataFrame, rng: np.random.Generator, need: int = 1) -> int:
    if frame.height < need:
        raise NotApplicable(f"needs at least {need} row(s); the frame has {frame.height}")
    return int(rng.integers(0, frame.height))


def _break_cell(mutant: Mutant, frame: pl.DataFrame, ctx: TableContext,
                rng: np.random.Generator) -> pl.DataFrame:
    col = ctx.table.column(mutant.column or "")
    assert col is not None
    row = _row(frame, rng)
    fmt = ctx.lc.contract.format
    if mutant.code == "wrong-type":
        # The column as the text a reader parses (Parquet: its string form), one cell junk.
        text = (csv_text_columns(frame.select(col.name), fmt).to_series()
                if isinstance(fmt, CsvFormat) else frame[col.name].cast(pl.String))
        bad = "maybe" if col.type is ColumnType.BOOLEAN else "x1y"
        return frame.with_columns(text.scatter(row, bad).alias(col.name))
    taken = tuple(v for v in frame[col.name].unique().to_list() if v is not None)
    value = _bad_value(ctx, col, mutant.code, taken)
    if value is _NONE:
        raise NotApplicable(f"no value breaks only {mutant.name}")
    dtype = polars_type(col)
    series = frame[col.name].cast(dtype)
    return frame.with_columns(series.scatter(row, pl.Series([value], dtype=dtype)).alias(col.name))


def _copy_values(frame: pl.DataFrame, cols: list[str], rng: np.random.Generator) -> pl.DataFrame:
    _row(frame, rng, need=2)
    src, dst = (int(i) for i in rng.permutation(frame.height)[:2])
    return frame.with_columns(
        frame[c].scatter(dst, frame[c][src]).alias(c) for c in cols
    )


def _duplicate_key(frame: pl.DataFrame, ctx: TableContext, seed: int, rng: np.random.Generator,
                   parents: dict[str, pl.DataFrame] | None) -> pl.DataFrame:
    """Append a fresh conforming row that repeats an existing row's key.

    Appending (rather than overwriting a row's key) keeps every row that other tables
    refer to, and a fresh row keeps ``unique`` columns unique.
    """
    from contractkit.synth.generate import generate_frame

    src = _row(frame, rng)
    table = ctx.table.model_copy(update={"row_count": None})
    extra = generate_frame(ctx.for_table(table), 1, seed + 1, parents)
    key = ctx.table.primary_key or []
    extra = extra.with_columns(frame[c].slice(src, 1).alias(c) for c in key)
    return pl.concat([frame, extra.select(frame.columns).cast(frame.schema)])  


def _break_reference(mutant: Mutant, frame: pl.DataFrame, ctx: TableContext,
                     rng: np.random.Generator, parents: dict[str, pl.DataFrame]) -> pl.DataFrame:
    index = int(mutant.name.split("]")[0].split("[")[1])
    ref = ctx.table.references[index]
    parent = parents.get(ref.table)
    if parent is None:
        raise NotApplicable(f"needs the referenced table {ref.table!r}")
    row = _row(frame, rng)
    col = ctx.table.column(ref.columns[0])
    assert col is not None
    known = set(parent[ref.to_columns[0]].to_list()) | set(frame[col.name].to_list())
    spec = column_spec(ctx, col)
    fresh = draw_domain(spec.domain, polars_type(col), 64, rng, random.Random(int(rng.integers(9))),
                        name=col.name).to_list()
    value = next((v for v in fresh if v not in known), None)
    if value is None:
        raise NotApplicable(f"every value of {col.name!r} is a key of {ref.table!r}")
    patch = pl.Series([value], dtype=frame.schema[col.name])
    return frame.with_columns(frame[col.name].scatter(row, patch).alias(col.name))
