"""Validate one file: read it in batches, judge each batch's row rules
(:mod:`contractkit.engine.evaluate`), hand key columns to the key store for the
whole-file key rules, then run the dataset rules. Row numbers are file-global, 1-based.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from contractkit.contract.models import Column, CsvFormat, ParquetFormat, Table
from contractkit.engine.collect import Collector
from contractkit.engine.compile import Rule, TableRules
from contractkit.engine.csvread import Reread, text_dtypes, typed_read_ok
from contractkit.engine.dtypes import csv_read_dtypes
from contractkit.engine.evaluate import DICTIONARY_SHARE, BatchJudge
from contractkit.engine.families import FamilyLayout
from contractkit.engine.keys import KeyStore, key_batch
from contractkit.engine.overlap import Background, prefetch
from contractkit.engine.parquet_schema import check_stored_types
from contractkit.engine.read import Malformed, SourceFile, open_source
from contractkit.engine.structure import RowMap, Structure
from contractkit.report.model import Code

__all__ = ["BATCH_BYTES", "BATCH_CELLS", "BATCH_CELLS_PARQUET", "BATCH_ROWS", "FileRun",
           "batch_rows_for", "ref_target_key", "run_file", "show_key"]

BATCH_ROWS = 1_000_000
"""Rows per batch at most (a narrow file: 1M rows of 9 columns is ≈ 0.3 GB in memory)."""
BATCH_CELLS = 6_000_000
"""Cells per batch at most, so that memory is bounded at any width: a text cell costs about
16 bytes in memory (a string view) plus its text beyond 12 bytes, null or not, and a batch
lives in a few copies at once (being read, queued, judged). 9 columns: 666,666 rows; 2,103
DREAM columns: 2,853 rows. Measured 2026-12-04 on a quiet 2-core machine: 9M cells peaked at
2.08 GB on the 200k-person DREAM file, 6M at 1.81 GB, with the 20M-row narrow feed unchanged
within noise (5.84 s / 5.96 s)."""
BATCH_BYTES = 128 * 1024 * 1024
"""Bytes of CSV text per batch at most (long text cells cost memory beyond their views)."""


BATCH_CELLS_PARQUET = 12_000_000
"""Cells per batch of a Parquet file, whose typed values cost less memory than text: at 9
columns a batch is then :data:`BATCH_ROWS` rows, a row group as pyarrow writes them.
Measured 2026-12-04 on the 20M-row benchmark: 2.78–2.84 s against 2.95–3.02 s with
batches of :data:`BATCH_CELLS` (666,666 rows: most row groups read in two pieces)."""


def batch_rows_for(limit: int, width: int, row_bytes: float | None,
                   cells: int = BATCH_CELLS) -> int:
    """Rows per batch for a file of ``width`` columns and ``row_bytes`` bytes per row:
    ``limit`` unless ``cells`` (:data:`BATCH_CELLS`) or :data:`BATCH_BYTES` bound it lower."""
    rows = min(limit, cells // max(width, 1))
    if row_bytes:
        rows = min(rows, int(BATCH_BYTES // row_bytes))
    return max(rows, 1)


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
    dictionary_share: float = DICTIONARY_SHARE
    families: FamilyLayout | None = None


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
        present = _check_header(table, source.header, coll, run.families)
        if not source.is_csv:  # a stored type that needs a cast is wrong-type, never cast
            present -= check_stored_types(run.path, table.columns, coll)
        columns = [c for c in table.columns if c.name in present]
        rules = [r for r in run.rules.rules if r.column in present]
        key_sets = {k: v for k, v in _key_sets(table, run.ref_targets).items() if set(v) <= present}
        expected = source.expected_rows()
        for key in key_sets:  # a file without data rows still has an (empty) key set
            run.keys.declare(f"{run.key_prefix}{key}", expected)
        members = run.families.members if run.families is not None else ()
        fmt = run.fmt
        dtypes = (csv_read_dtypes(source.header, columns, rules, run.rules.casts, members,
                                  typed=typed_read_ok(fmt))
                  if isinstance(fmt, CsvFormat) and run.dictionary_share > 0 else None)
        before = coll.snapshot()
        while True:
            try:
                rows = _judge_batches(run, source, columns, rules, key_sets, dtypes)
                break
            except Reread:  # judged again from the first row, all as text
                coll.restore(before)
                for key in key_sets:
                    run.keys.drop(f"{run.key_prefix}{key}")
                    run.keys.declare(f"{run.key_prefix}{key}", expected)
                dtypes = text_dtypes(dtypes) if dtypes else None
            except Malformed as exc:
                # a file that cannot be read to its end is malformed, and only that: the
                # rows polars handed out before the failure need not be the file's rows
                coll.row_map = None
                coll.restore(before)
                for key in key_sets:
                    run.keys.drop(f"{run.key_prefix}{key}")
                _malformed(coll, exc)
                return None
    if source.structure is not None:
        _bad_records(coll, source.structure)
        rows = source.structure.rows
    _dataset_rules(run, rows, key_sets)
    return rows


def _judge_batches(run: FileRun, source: SourceFile, columns: list[Column], rules: list[Rule],
                   key_sets: dict[str, list[str]],
                   dtypes: Mapping[str, pl.DataType] | None) -> int:
    """Judge every batch of ``source``; returns its data rows. Raises what the batches
    raise (:class:`Reread`, :class:`Malformed`): the caller drops what was found so far."""
    coll = run.collector
    judge = BatchJudge(columns, rules, run.rules.casts, source.is_csv, coll,
                       run.dictionary_share)
    key_columns = {c for cols in key_sets.values() for c in cols}
    coll.row_map = source.row_map.original  # rows of the batches → rows of the file
    rows = 0
    # the next batch is read and the previous batch's keys stored while this one is judged
    with contextlib.ExitStack() as stack:
        behind = Background()
        stack.callback(behind.close)
        try:
            size = batch_rows_for(run.batch_rows, len(source.header), source.row_bytes,
                                  BATCH_CELLS if source.is_csv else BATCH_CELLS_PARQUET)
            for read in prefetch(source.read_batches(size, dtypes)):
                text = judge.text(read.frame)
                typed = judge.typed(text, judge.direct_columns())
                if key_sets:
                    behind.submit(functools.partial(_store_keys, run, key_sets,
                                                    judge.key_frame(text, key_columns), rows,
                                                    source.row_map))
                judge.judge(text, typed, rows, read.as_text)
                judge.flush(wait=False)
                rows += read.frame.height
                if run.on_progress is not None:
                    run.on_progress(rows)
            behind.wait()
        except (Malformed, Reread):
            behind.wait()  # no key of the batches read so far is stored after this
            raise
    judge.flush(wait=True)
    coll.row_map = None
    return rows


def _store_keys(run: FileRun, key_sets: dict[str, list[str]], typed: pl.DataFrame,
                offset: int, row_map: RowMap | None = None) -> None:
    for key, cols in key_sets.items():
        keep = not (set(cols) & run.collector.personal)
        keys = key_batch(typed, cols, offset, keep)
        if row_map:  # the key store holds the rows of the original file
            rows = row_map.originals(keys.rows)
            values = keys.values  # its first column is the row
            if values is not None:
                values = values.with_columns(pl.Series(values.columns[0], rows))
            keys = dataclasses.replace(keys, rows=rows, values=values)
        run.keys.append(f"{run.key_prefix}{key}", keys)


def show_key(values: tuple[object, ...] | str) -> str:
    """A key as text: its values joined by ``|`` (a hash text is returned as is)."""
    if isinstance(values, str):
        return values
    return "|".join("" if v is None else str(v) for v in values)


def _malformed(coll: Collector, exc: Malformed) -> None:
    for p in exc.problems:
        coll.add(Code.MALFORMED_FILE, "file:malformed-file", p.message, row=p.row)


def _bad_records(coll: Collector, found: Structure) -> None:
    """One ``malformed-file`` finding per bad record (located examples capped per kind),
    plus one for the file saying on how many rows the column rules ran and why not all."""
    for bad in found.examples:
        coll.example(Code.MALFORMED_FILE, f"file:{bad.kind}", bad.message, row=bad.row,
                     personal=False)
    for kind, n in found.counts.items():
        coll.count(Code.MALFORMED_FILE, n, f"file:{kind}")
    coll.add(Code.MALFORMED_FILE, "file:malformed-file", found.summary(), personal=False)


def _check_header(table: Table, header: list[str], coll: Collector,
                  families: FamilyLayout | None = None) -> set[str]:
    declared = set(table.column_names)
    members = families.members if families is not None else {}
    for col in table.columns:  # a family's member is expected even when it may be empty
        if col.name not in header and (col.required or col.name in members):
            coll.add(Code.MISSING_COLUMN, f"{col.name}:{Code.MISSING_COLUMN}",
                     "a required column is missing from the file", column=col.name)
    # family members outside the period are extra even with allow_extra_columns
    strays = families.report_strays(header, coll) if families is not None else set()
    if not table.allow_extra_columns:
        for name in header:
            if name not in declared and name not in strays:
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
        for row, values, first in examples:
            coll.example(code, rule, f"this row repeats the key of row {first}",
                         column=",".join(cols), row=row, value=show_key(values),
                         personal=isinstance(values, str))
