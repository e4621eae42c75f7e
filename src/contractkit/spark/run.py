"""Validate one file with Spark: the polars engine's :class:`~contractkit.engine.run.FileRun`
(same compiled rules, collector and key sets), judged by Spark jobs.

1. structural checks and header (shared with the polars engine; a file with bad records is
   read from the copy without them, which lives until :meth:`SparkFileRunner.release`);
2. one aggregation counts every row rule's failures (exact), the rows, the ragged
   records and the partitions the read used;
3. one more job, only when some rule failed, picks each failing rule's first rows
   (a window ranked by row, limited per rule before the shuffle);
4. dataset rules: row count (shared), keys as aggregations (:mod:`contractkit.spark.keys`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from contractkit.engine.compile import Rule
from contractkit.engine.parquet_schema import check_stored_types
from contractkit.engine.read import Malformed, Problem, open_source, structure_problems
from contractkit.engine.run import (
    FileRun,
    _bad_records,
    _check_header,
    _dataset_rules,
    _key_sets,
    _malformed,
    show_key,
)
from contractkit.errors import SparkError
from contractkit.report.model import Code
from contractkit.spark.exprs import SPARK_CHECKS
from contractkit.spark.keys import KeyFrame, SparkKeys
from contractkit.spark.read import (
    CORRUPT,
    PARTITION,
    ROW,
    SparkFrame,
    check_utf8,
    original_rows,
    read_frame,
)
from contractkit.spark.session import spark_errors

__all__ = ["SPREAD_BYTES", "SparkFileRunner"]

SPREAD_BYTES = 16 * 1024 * 1024
"""CSV files above this size are repartitioned and cached once numbered."""


def _valid(rule: Rule, col: Column) -> Column:
    if rule.check == "not_null":
        return col.isNotNull()
    return SPARK_CHECKS[rule.check](col, **rule.stats)


@dataclass
class SparkFileRunner:
    """Runs files of one validation call on ``spark``; keeps their key sets in ``keys``."""

    spark: SparkSession
    keys: SparkKeys = field(default_factory=SparkKeys)
    kept: list[DataFrame] = field(default_factory=list)
    copies: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    """Private copies of files without their bad records: Spark reads them again for the
    keys and references, so they are removed by :meth:`release`."""

    def __call__(self, run: FileRun) -> int | None:
        """Validate one file; findings go to ``run.collector``. Returns data rows or ``None``."""
        with contextlib.ExitStack() as stack:
            try:
                source = open_source(run.path, run.fmt, run.table, stack)
                if source.is_csv:
                    check_utf8(run.path, run.fmt)  # type: ignore[arg-type]
            except Malformed as exc:
                _malformed(run.collector, exc)
                return None
            present = _check_header(run.table, source.header, run.collector, run.families)
            if not source.is_csv:  # a stored type that needs a cast is wrong-type, never cast
                present -= check_stored_types(run.path, run.table.columns, run.collector)
            columns = [c for c in run.table.columns if c.name in present]
            found = source.structure
            path, fmt = run.path, run.fmt
            if found is not None:  # the copy without the bad records (UTF-8)
                path, fmt = source.read_path, run.fmt.model_copy(update={"encoding": "utf-8"})
            with spark_errors(f"reading {run.path.name}"):
                frame = read_frame(self.spark, path, fmt, source.header, columns)
                original_rows(frame, source.row_map)
                if frame.is_csv and run.path.stat().st_size > SPREAD_BYTES:
                    self._spread(frame)
            rows = self._rows(run, frame, present, source.header)
            if found is not None:
                self.copies.enter_context(stack.pop_all())
        if rows is None:
            return None
        if found is not None:
            _bad_records(run.collector, found)
            rows = found.rows
        _dataset_rules(run, rows, {})  # the row count; keys follow as Spark jobs
        self._keys(run, frame, present)
        return rows

    def _spread(self, frame: SparkFrame) -> None:
        # a CSV file is read as one partition (exact row numbers); once numbered, its rows
        # are spread over the cluster and kept, so the later passes run in parallel and
        # do not parse the file again
        parts = int(self.spark.conf.get("spark.sql.shuffle.partitions") or "4")
        frame.df = frame.df.repartition(parts, F.col(ROW)).persist(
            StorageLevel.MEMORY_AND_DISK)
        self.kept.append(frame.df)

    def release(self) -> None:
        """Drop the files kept in Spark's cache."""
        for df in self.kept:
            df.unpersist()
        self.kept.clear()
        self.copies.close()

    def _rows(self, run: FileRun, frame: SparkFrame, present: set[str],
              header: list[str]) -> int | None:
        coll = run.collector
        rules = [r for r in run.rules.rules if r.column in present
                 and (r.check != "parses_as" or r.column in frame.parsed)]
        by_name = {c.name: c for c in frame.columns}
        typed = {c.name: frame.typed(c, run.rules.casts[c.name]) for c in frame.columns}
        # one projection computes each parse once; the aggregation sums the failures
        wide = frame.df.select(
            F.col(ROW), *([F.col(CORRUPT), F.col(PARTITION)] if frame.is_csv else []),
            *[frame.raw(n).alias(f"r_{frame.alias[n]}") for n in by_name],
            *[typed[n].alias(f"t_{frame.alias[n]}") for n in by_name])
        fails = [self._fail(r, frame) for r in rules]
        extra = ([F.count(F.col(CORRUPT)), F.max(PARTITION)] if frame.is_csv
                 else [F.lit(0), F.lit(0)])
        with spark_errors(f"checking the rows of {run.path.name}"):
            first = wide.agg(F.count(F.lit(1)), *extra,
                             *[F.count(F.when(f, 1)) for f in fails]).first()
        assert first is not None
        rows, corrupt, partitions, *counts = (int(v or 0) for v in first)
        if corrupt:
            problems = structure_problems(run.path, run.fmt, len(header))  # type: ignore[arg-type]
            _malformed(coll, Malformed(problems or [Problem(
                "ragged rows: a record has more or fewer fields than the header")]))
            return None
        if partitions:
            raise SparkError(f"{run.path.name}: Spark read the CSV file in more than one "
                             "partition, so its row numbers would not be exact")
        wanted: list[tuple[Rule, Column]] = []
        for rule, fail, n in zip(rules, fails, counts, strict=True):
            if n:
                coll.count(rule.code, n, rule.rule_id)
                if coll.room(rule.rule_id) > 0:
                    wanted.append((rule, fail))
        if wanted:
            with spark_errors(f"collecting examples from {run.path.name}"):
                self._examples(run, frame, wide, wanted)
        return rows

    @staticmethod
    def _fail(rule: Rule, frame: SparkFrame) -> Column:
        a = frame.alias[rule.column]
        raw, typed = F.col(f"r_{a}"), F.col(f"t_{a}")
        if rule.check == "parses_as":
            return raw.isNotNull() & typed.isNull()
        return ~_valid(rule, raw if rule.stage == "raw" else typed)

    @staticmethod
    def _examples(run: FileRun, frame: SparkFrame, wide: DataFrame,
                  wanted: list[tuple[Rule, Column]]) -> None:
        coll = run.collector
        picks = []
        for i, (rule, fail) in enumerate(wanted):
            a = frame.alias[rule.column]
            value = F.col(f"r_{a}").cast("string")  # as written in the file, not as parsed
            picks.append(F.when(fail, F.struct(F.lit(i).alias("r"), F.col(ROW).alias("row"),
                                               value.alias("v"))))
        limit = max(coll.room(rule.rule_id) for rule, _ in wanted)
        failing = F.lit(False)
        for _, fail in wanted:
            failing = failing | F.coalesce(fail, F.lit(False))
        cells = (wide.where(failing).select(F.explode(F.array(*picks)).alias("f"))
                 .where(F.col("f").isNotNull()).select("f.*"))
        ranked = cells.withColumn("k", F.row_number().over(
            Window.partitionBy("r").orderBy("row"))).where(F.col("k") <= limit)
        for rec in ranked.orderBy("row", "r").collect():
            rule = wanted[rec["r"]][0]
            coll.example(rule.code, rule.rule_id, rule.message, column=rule.column,
                         row=int(rec["row"]),
                         value=None if rule.check == "not_null" else rec["v"])

    def _keys(self, run: FileRun, frame: SparkFrame, present: set[str]) -> None:
        coll = run.collector
        key_sets = {k: v for k, v in _key_sets(run.table, run.ref_targets).items()
                    if set(v) <= present}
        by_name = {c.name: c for c in frame.columns}
        for key, cols in key_sets.items():
            parts = [frame.typed(by_name[c], run.rules.casts[c]).alias(f"k{i}")
                     for i, c in enumerate(cols)]
            complete = F.lit(True)
            for i in range(len(cols)):
                complete = complete & F.col(f"k{i}").isNotNull()
            df = frame.df.select(F.col(ROW), *parts).where(complete)
            self.keys.add(f"{run.key_prefix}{key}",
                          KeyFrame(df, len(cols), bool(set(cols) & coll.personal)))
        for key, cols in key_sets.items():
            if key.startswith("ref"):
                continue
            code = Code.DUPLICATE_KEY if key == "pk" else Code.NOT_UNIQUE
            rule = "primary_key" if key == "pk" else f"{cols[0]}:{Code.NOT_UNIQUE}"
            with spark_errors(f"checking the keys of {run.path.name}"):
                total, examples = self.keys.duplicates(f"{run.key_prefix}{key}",
                                                       coll.max_examples)
            coll.count(code, total, rule)
            for row, values, first in examples:
                coll.example(code, rule, f"this row repeats the key of row {first}",
                             column=",".join(cols), row=row,
                             value=show_key(values),
                             personal=isinstance(values, str))

