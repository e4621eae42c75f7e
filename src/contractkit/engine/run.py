"""Validate one file: read in batches, count failures with polars, take examples from
pandera, and feed key columns to DuckDB for whole-file key rules.

Counts-first (DESIGN §5): per batch every rule's failures are counted with the same
polars expressions the registered pandera checks use; pandera then validates only the
rows of the batch that fail a rule still wanting examples, and its ``failure_cases``
give the located, masked examples. Row numbers are file-global and 1-based.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from contractkit.checks.exprs import cast_expr, target_dtype
from contractkit.contract.models import Column, ColumnType, CsvFormat, ParquetFormat, Table
from contractkit.engine.collect import Collector
from contractkit.engine.compile import Rule, TableRules
from contractkit.engine.keys import KeyStore, key_frame
from contractkit.engine.overlap import Background, prefetch
from contractkit.engine.pandera_checks import failures, warm_up
from contractkit.engine.read import Malformed, open_source
from contractkit.report.model import Code

__all__ = ["BATCH_ROWS", "FileRun", "ref_target_key", "run_file", "show_key"]

BATCH_ROWS = 1_000_000
_RAW = "\x00raw:"


@dataclass
class FileRun:
    """Everything one file's validation needs."""

    path: Path
    table: Table
    fmt: CsvFormat | ParquetFormat
    rules: TableRules
    collector: Collector
    keys: KeyStore
    key_prefix: str
    batch_rows: int = BATCH_ROWS
    on_progress: Callable[[int], None] | None = None
    ref_targets: tuple[tuple[str, ...], ...] = ()


def _native_ok(dtype: pl.DataType, col: Column) -> bool:
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


def _prepare(raw: pl.DataFrame, columns: list[Column], is_csv: bool,
             casts: dict[str, dict[str, object]]) -> tuple[pl.DataFrame, pl.DataFrame, set[str]]:
    """Return (raw frame, typed frame, columns whose raw values were parsed)."""
    parsed: set[str] = set()
    raw_cols: list[pl.Expr] = []
    typed_cols: list[pl.Expr] = []
    for col in columns:
        name = col.name
        dtype = raw.schema[name]
        if not is_csv and _native_ok(dtype, col):
            raw_cols.append(pl.col(name))
            target = target_dtype(col.type.value, col.precision, col.scale)
            typed_cols.append(pl.col(name).cast(target))
            continue
        text = pl.col(name) if dtype == pl.String else pl.col(name).cast(pl.String)
        raw_cols.append(text.alias(name))
        typed_cols.append(cast_expr(text, **casts[name]).alias(name))  # type: ignore[arg-type]
        parsed.add(name)
    raw2 = raw.select(raw_cols)
    return raw2, raw2.lazy().select(typed_cols).collect(), parsed


def _fail_exprs(rules: list[Rule]) -> list[pl.Expr]:
    out = []
    for i, r in enumerate(rules):
        if r.check == "parses_as":
            # same verdict as the registered check (which re-parses), without parsing twice
            fail = pl.col(_RAW + r.column).is_not_null() & pl.col(r.column).is_null()
        else:
            src = pl.col(_RAW + r.column) if r.stage == "raw" else pl.col(r.column)
            fail = r.valid(src).not_().fill_null(False)
        out.append(fail.alias(str(i)))
    return out


def _examples(run: FileRun, rules: list[Rule], raw: pl.DataFrame, typed: pl.DataFrame,
              mask: pl.Series, offset: int) -> None:
    positions = mask.arg_true()
    budget = {r.rule_id: run.collector.room(r.rule_id) for r in rules}
    for stage, frame in (("raw", raw), ("typed", typed)):
        stage_rules = [r for r in rules if r.stage == stage and budget[r.rule_id] > 0]
        if not stage_rules:
            continue
        cols = sorted({r.column for r in stage_rules})
        subset = frame.select(cols).filter(mask)
        for f in failures(subset, stage_rules, budget):
            row = offset + int(positions[f.index]) + 1
            run.collector.example(f.rule.code, f.rule.rule_id, f.rule.message,
                                  column=f.rule.column, row=row, value=f.value)


def _batch(run: FileRun, rules: list[Rule], raw: pl.DataFrame, typed: pl.DataFrame,
           offset: int) -> None:
    if not rules:
        return
    both = pl.concat([raw.select(pl.all().name.prefix(_RAW)), typed], how="horizontal")
    fails = both.lazy().select(_fail_exprs(rules)).collect()  # lazy: common subexpressions once
    counts = fails.sum().row(0)
    failing = [i for i, n in enumerate(counts) if n]
    if not failing:
        return
    for i in failing:
        run.collector.count(rules[i].code, int(counts[i]), rules[i].rule_id)
    wanted = [i for i in failing if run.collector.room(rules[i].rule_id) > 0]
    if not wanted:
        return
    mask = fails.select(pl.any_horizontal([pl.col(str(i)) for i in wanted])).to_series()
    _examples(run, [rules[i] for i in wanted], raw, typed, mask, offset)


def ref_target_key(table: str, columns: Sequence[str]) -> str:
    """Key-store name of the referenced columns of ``table``."""
    return f"ref-target:{table}:{','.join(columns)}"


def _key_sets(table: Table, targets: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    if table.primary_key:
        sets["pk"] = list(table.primary_key)
    for col in table.columns:
        if col.unique:
            sets[f"u:{col.name}"] = [col.name]
    for i, ref in enumerate(table.references):
        sets[f"ref:{i}"] = list(ref.columns)
    for cols in targets:
        sets[ref_target_key(table.name, cols)] = list(cols)
    return sets


def run_file(run: FileRun) -> int | None:
    """Validate one file; findings go to ``run.collector``. Returns data rows (or ``None``)."""
    table, coll = run.table, run.collector
    with contextlib.ExitStack() as stack:
        try:
            source = open_source(run.path, run.fmt, table, stack)
        except Malformed as exc:
            _malformed(coll, exc)
            return None
        present = _check_header(table, source.header, coll)
        columns = [c for c in table.columns if c.name in present]
        rules = [r for r in run.rules.rules if r.column in present]
        key_sets = {k: v for k, v in _key_sets(table, run.ref_targets).items() if set(v) <= present}
        if rules:
            warm_up()
        rows = 0
        # the next batch is read and the previous batch's keys stored while this one is checked
        behind = Background()
        stack.callback(behind.close)
        try:
            for batch in prefetch(source.batches(run.batch_rows)):
                raw, typed, parsed = _prepare(batch, columns, source.is_csv, run.rules.casts)
                if key_sets:
                    behind.submit(functools.partial(_store_keys, run, key_sets, typed, rows))
                active = [r for r in rules if r.check != "parses_as" or r.column in parsed]
                _batch(run, active, raw, typed, rows)
                rows += batch.height
                if run.on_progress is not None:
                    run.on_progress(rows)
            behind.wait()
        except Malformed as exc:
            _malformed(coll, exc)
            return None
    _dataset_rules(run, rows, key_sets)
    return rows


def _store_keys(run: FileRun, key_sets: dict[str, list[str]], typed: pl.DataFrame,
                offset: int) -> None:
    for key, cols in key_sets.items():
        keep = not (set(cols) & run.collector.personal)
        run.keys.append(f"{run.key_prefix}{key}", key_frame(typed, cols, offset, keep))


def show_key(values: tuple[object, ...] | str) -> str:
    """A key as text: its values joined by ``|`` (a hash text is returned as is)."""
    if isinstance(values, str):
        return values
    return "|".join("" if v is None else str(v) for v in values)


def _malformed(coll: Collector, exc: Malformed) -> None:
    for p in exc.problems:
        coll.add(Code.MALFORMED_FILE, "file:malformed-file", p.message, row=p.row)


def _check_header(table: Table, header: list[str], coll: Collector) -> set[str]:
    declared = set(table.column_names)
    for col in table.columns:
        if col.name not in header and col.required:
            coll.add(Code.MISSING_COLUMN, f"{col.name}:{Code.MISSING_COLUMN}",
                     "a required column is missing from the file", column=col.name)
    if not table.allow_extra_columns:
        for name in header:
            if name not in declared:
                coll.add(Code.EXTRA_COLUMN, "file:extra-column",
                         "the file has a column the contract does not declare", column=name,
                         personal=False)
    return declared & set(header)


def _dataset_rules(run: FileRun, rows: int, key_sets: dict[str, list[str]]) -> None:
    table, coll = run.table, run.collector
    rc = table.row_count
    if rc is not None and ((rc.min is not None and rows < rc.min)
                           or (rc.max is not None and rows > rc.max)):
        coll.add(Code.ROW_COUNT, "row_count", f"the file has {rows} data rows; the contract "
                 f"allows {rc.min if rc.min is not None else 0}–"
                 f"{rc.max if rc.max is not None else 'any'}", value=rows, personal=False)
    for key, cols in key_sets.items():
        if key.startswith("ref"):
            continue
        code = Code.DUPLICATE_KEY if key == "pk" else Code.NOT_UNIQUE
        rule = "primary_key" if key == "pk" else f"{cols[0]}:{Code.NOT_UNIQUE}"
        total, examples = run.keys.duplicates(f"{run.key_prefix}{key}", coll.max_examples)
        coll.count(code, total, rule)
        for row, values in examples:
            coll.example(code, rule, "this row repeats the key of an earlier row",
                         column=",".join(cols), row=row, value=show_key(values),
                         personal=isinstance(values, str))
