"""Rule-breaking mutants: each breaks exactly one contract rule of a conforming frame.

A mutant is named ``<target>:<what>`` (``timer:out-of-range``, ``primary_key:duplicate-key``,
``file:ragged-row``) and carries the one finding code the engine must report for it
(interfaces.md: each rule kind maps to exactly one code). Cell mutants pick, with the
reference judge in :mod:`~contractkit.synth.oracle`, a value that breaks only their rule;
mutants that could not avoid breaking a second rule are simply not offered.
File-level mutants (malformed files, bad file name) live in
:mod:`~contractkit.synth.malformed`.

A column family (DREAM's ``y_YYWW``) gets its mutants once, not once per member:
``y_YYWW:not-in-codelist`` (a bad value in one member), ``y_YYWW:missing-column`` (one member
left out) and ``y_YYWW:extra-column`` (a member past the period); the member is chosen by the
seed. A member can also be named: ``y_2410:not-in-codelist``, ``y_2410:missing-column``,
``y_2414:extra-column`` (see :func:`member_mutant`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import numpy as np
import polars as pl

from contractkit.contract.models import ColumnType, CsvFormat
from contractkit.contract.periods import period_containing
from contractkit.errors import UsageError
from contractkit.synth.bad_values import CELL_CODES, NO_VALUE, bad_value
from contractkit.synth.context import TableContext
from contractkit.synth.domains import column_spec
from contractkit.synth.draw import draw_domain, polars_type
from contractkit.synth.writers import csv_text_columns

__all__ = ["FILE_MUTANTS", "Mutant", "NotApplicable", "break_frame", "member_mutant",
           "mutants_for"]


class NotApplicable(UsageError):
    """The mutant cannot be applied to this particular frame (e.g. too few rows)."""


@dataclass(frozen=True)
class Mutant:
    """One way to break one rule of one table.

    Attributes:
        name: the rule name (``--break`` value), ``<target>:<what>``.
        code: the finding code the engine must report, and no other.
        table: the table whose file is broken.
        column: the column the rule is about, if any (for a family: the member, or None
            to let the seed choose one).
        level: ``cell``, ``frame`` (columns, rows, keys) or ``file`` (bytes or file name).
        family: the column family (display name, ``y_YYWW``) the mutant breaks, if any.
    """

    name: str
    code: str
    table: str
    column: str | None
    level: str
    family: str | None = None


FILE_MUTANTS = ("wrong-encoding", "ragged-row", "binary-junk", "truncated", "empty-file",
                "missing-header")
"""Kinds of malformed files (all expected to yield ``malformed-file``)."""

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
        if col.name in ctx.family_of:
            continue  # members: once per family, below
        if col.name not in refs:
            for code in CELL_CODES:
                if bad_value(ctx, col, code, ()) is not NO_VALUE:
                    out.append(Mutant(f"{col.name}:{code}", code, table.name, col.name, "cell"))
        if col.unique and col.name not in refs:
            out.append(Mutant(f"{col.name}:not-unique", "not-unique", table.name, col.name,
                              "frame"))
        if col.required and named_columns:
            out.append(Mutant(f"{col.name}:missing-column", "missing-column", table.name,
                              col.name, "frame"))
    out += _family_mutants(ctx, named_columns)
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


FAMILY_FRAME_CODES = ("missing-column", "extra-column")
"""Frame-level mutants of a family: a member left out, a member past the period."""


def _family_mutants(ctx: TableContext, named_columns: bool) -> list[Mutant]:
    out: list[Mutant] = []
    for family in ctx.families:
        names = family.member_names(ctx.period)
        if not names:
            continue
        show, member = family.display_name, ctx.table.column(names[-1])
        assert member is not None
        for code in CELL_CODES:
            if bad_value(ctx, member, code, ()) is not NO_VALUE:
                out.append(Mutant(f"{show}:{code}", code, ctx.table.name, None, "cell", show))
        if named_columns:  # without a header a member is known only by its position
            out += [Mutant(f"{show}:{code}", code, ctx.table.name, None, "frame", show)
                    for code in FAMILY_FRAME_CODES]
    return out


def member_mutant(ctx: TableContext, name: str) -> Mutant | None:
    """The mutant ``<member>:<code>`` of one named family member, or None if not one.

    ``y_2410:not-in-codelist`` breaks member ``y_2410``; ``y_2414:extra-column`` adds a
    member the period does not have.

    Raises:
        UsageError: the member is not (or, for ``extra-column``, already) in the period's
            range, or the family has no such mutant.
    """
    column, _, code = name.partition(":")
    family = ctx.family_of.get(column) or next(
        (f for f in ctx.families if f.member_regex().match(column)), None)
    if family is None:
        return None
    show = family.display_name
    offered = {m.code: m for m in _family_mutants(ctx, named_columns=True)
               if m.family == show}
    if code not in offered:
        raise UsageError(f"--break {name!r}: family {show} has no rule {code!r} "
                         f"(its rules: {', '.join(sorted(offered)) or 'none'})")
    inside = column in ctx.family_of
    if inside == (code == "extra-column"):
        where = "inside" if inside else "outside"
        raise UsageError(f"--break {name!r}: {column} lies {where} the range of {show} for "
                         f"period {ctx.period.label}")
    return Mutant(name, code, ctx.table.name, column, offered[code].level, show)


def _past_member(ctx: TableContext, family_name: str) -> str:
    """The first member of the family after the delivery period's last one."""
    family = next(f for f in ctx.families if f.display_name == family_name)
    current = set(family.member_names(ctx.period))
    later = period_containing(ctx.period.frequency, ctx.period.end + timedelta(days=1))
    return next(n for n in family.member_names(later) if n not in current)


def _break_family(mutant: Mutant, frame: pl.DataFrame, ctx: TableContext,
                  rng: np.random.Generator) -> pl.DataFrame:
    """Apply a family mutant to one member (the named one, or one chosen by the seed)."""
    assert mutant.family is not None
    members = [n for n, f in ctx.family_of.items() if f.display_name == mutant.family]
    column = mutant.column
    if column is None and mutant.code == "extra-column":
        column = _past_member(ctx, mutant.family)
    elif column is None:
        column = members[int(rng.integers(0, len(members)))]
    if mutant.code == "missing-column":
        return frame.drop(column)
    if mutant.code == "extra-column":  # an empty column: its name alone is the fault
        return frame.with_columns(pl.lit(None, frame.schema[members[0]]).alias(column))
    return _break_cell(replace(mutant, column=column), frame, ctx, rng)


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
    if mutant.family is not None:
        return _break_family(mutant, frame, ctx, rng)
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
    value = bad_value(ctx, col, mutant.code, taken)
    if value is NO_VALUE:
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
