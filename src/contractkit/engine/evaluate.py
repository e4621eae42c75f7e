"""Row rules over one batch: exact failure counts per rule, examples from pandera.

Counts-first (DESIGN §5): every rule's failures are counted with the same polars
expressions the registered pandera checks use; pandera then validates only the rows of
the batch that fail a rule still wanting examples, and its ``failure_cases`` give the
located examples.

Every row rule is a function of one cell. A column with few distinct values (sex, a
benefit code, a week, hours with two decimals) is therefore judged on its distinct
values, each weighted by how often it occurs: one hash aggregation instead of a parse
and a set lookup or regex per rule over every row. Which columns qualify is decided
from an even sample of the first batch; a column whose distinct values pass
:data:`DICTIONARY_SHARE` of a batch goes back to row-by-row counting. Columns that share
identical rules (a column family's members: DREAM's 1,709 week columns) are judged
together on the union of their distinct values (:mod:`contractkit.engine.groups`), so
per-column work does not grow with the width. All ways count the same failures (a
property test holds them equal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np
import polars as pl

from contractkit.checks.exprs import SMALL_SET, cast_expr, target_dtype
from contractkit.contract.models import Column, ColumnType
from contractkit.engine.codes import CodeVerdicts
from contractkit.engine.collect import Collector
from contractkit.engine.compile import Rule
from contractkit.engine.csvread import is_text_dtype
from contractkit.engine.decimals import decimal_bounds, native_decimals
from contractkit.engine.dtypes import is_dictionary_dtype, may_repeat, native_ok
from contractkit.engine.fails import RAW, fail_exprs
from contractkit.engine.groups import ColumnGroup, group_columns, group_counts, rule_signature
from contractkit.engine.pandera_checks import failures, pandera_ready, warm_up

__all__ = ["DICTIONARY_SHARE", "BatchJudge"]

DICTIONARY_SHARE = 0.1
"""A column is judged on its distinct values while they are at most this share of rows."""
_SAMPLE_ROWS = 10_000
_N = "\x00n"


@dataclass
class BatchJudge:
    """Judges the batches of one file against its row rules.

    Attributes:
        columns: the contract columns present in the file.
        rules: the row rules of those columns.
        casts: per column, the keyword arguments of its parse (:func:`cast_expr`).
        is_csv: whether values arrive as text (CSV) or typed (Parquet).
        collector: where counts and examples go.
        share: :data:`DICTIONARY_SHARE` (0 judges every column row by row).
    """

    columns: list[Column]
    rules: list[Rule]
    casts: dict[str, dict[str, object]]
    is_csv: bool
    collector: Collector
    share: float = DICTIONARY_SHARE
    dictionary: set[str] = field(default_factory=set, init=False)
    _chosen: bool = field(default=False, init=False)
    parsed: set[str] = field(default_factory=set, init=False)
    groups: list[ColumnGroup] = field(default_factory=list, init=False)
    grouped: set[str] = field(default_factory=set, init=False)
    _active: list[Rule] = field(default_factory=list, init=False)
    _indexed: tuple[pl.DataType, ...] | None = field(default=None, init=False)
    _dictionary_read: set[str] = field(default_factory=set, init=False)
    _decimals: set[str] = field(default_factory=set, init=False)
    _rules_of: dict[str, list[Rule]] = field(default_factory=dict, init=False)
    _signatures: dict[tuple[str, bool], tuple[object, ...]] = field(default_factory=dict,
                                                                     init=False)
    _column: dict[str, Column] = field(default_factory=dict, init=False)
    _reserved: dict[str, int] = field(default_factory=dict, init=False)
    _pending: list[_Pending] = field(default_factory=list, init=False)
    _codes: dict[tuple[str, tuple[str, ...]], CodeVerdicts] = field(default_factory=dict,
                                                                    init=False)

    def __post_init__(self) -> None:
        self._column = {c.name: c for c in self.columns}

    def text(self, batch: pl.DataFrame) -> pl.DataFrame:
        """The batch as read: text for columns to parse, native values otherwise."""
        names = [c.name for c in self.columns]
        if self.is_csv:
            # a CSV batch is text already (String, or a Categorical of the same text: see
            # contractkit.engine.dtypes); at 2,000 columns a select per batch shows
            text = batch if batch.columns == names else batch.select(names)
        else:  # Parquet: native where the stored type holds the contract's, else as text
            schema = batch.schema
            cast = [c.name for c in self.columns
                    if not native_ok(schema[c.name], c) and schema[c.name] != pl.String]
            text = batch if batch.columns == names and not cast else batch.select(
                pl.col(n).cast(pl.String) if n in cast else pl.col(n) for n in names)
        self._index(text)
        if not self._chosen:
            self._choose(text)
        return text

    def _index(self, text: pl.DataFrame) -> None:
        """This batch's parsed columns, rules by column and groups of columns with identical
        rules (kept while the batches' column types stay the same)."""
        dtypes = tuple(text.dtypes)
        if dtypes == self._indexed:
            return
        self._indexed = dtypes
        # a CSV column read typed (contractkit.engine.csvread) needs no parse, as in Parquet
        self.parsed = parsed = {c.name for c, d in zip(self.columns, dtypes, strict=True)
                                if (is_text_dtype(d) if self.is_csv else not native_ok(d, c))}
        self._dictionary_read = {c.name for c, d in zip(self.columns, dtypes, strict=True)
                                 if is_dictionary_dtype(d)}
        self._decimals = native_decimals(self.columns, dtypes, parsed, self.rules)
        self._active = [decimal_bounds(r) if r.column in self._decimals else r
                        for r in self.rules if r.check != "parses_as" or r.column in parsed]
        self._rules_of = {}
        for r in self._active:
            self._rules_of.setdefault(r.column, []).append(r)
        self.groups, self.grouped = [], set()
        if self.share <= 0:
            return
        signatures = {}
        for name, rules in self._rules_of.items():
            key = (name, name in parsed)
            sig = self._signatures.get(key)
            if sig is None:
                sig = self._signatures[key] = rule_signature(rules, self.casts.get(name))
            signatures[name] = sig
        self.groups = group_columns([c.name for c in self.columns], self._rules_of, signatures,
                                    dict(text.schema))
        self.grouped = {name for g in self.groups for name in g.columns}

    def typed(self, text: pl.DataFrame, names: Iterable[str]) -> pl.DataFrame:
        """Columns ``names`` of ``text`` parsed as their contract types (unparsable → null)."""
        wanted = set(names)
        return self._project(text, [c for c in self.columns if c.name in wanted],
                             self._decimals)

    def key_frame(self, text: pl.DataFrame, names: Iterable[str]) -> pl.DataFrame:
        """Key columns ``names`` parsed, a string column as read (dictionary-read or not:
        the key store hashes its text either way)."""
        wanted = [c for c in self.columns if c.name in set(names)]
        return self._project(text, wanted, {c.name for c in wanted
                                            if c.type is ColumnType.STRING})

    def _project(self, text: pl.DataFrame, columns: list[Column],
                 as_read: set[str]) -> pl.DataFrame:
        """``columns`` of ``text`` parsed (those in ``as_read`` as they are). A column
        whose parse changes nothing is taken as it is: a query per batch for a mere
        projection waits for polars' threads, which are busy reading the next batch."""
        schema = text.schema
        work = [c for c in columns if c.name not in as_read
                and not self._parse_is_identity(c, schema[c.name])]
        done = (text.lazy().select(self._typed_expr(c).alias(c.name) for c in work).collect()
                if work else text)
        return pl.DataFrame([(done if c.name in done.columns else text).get_column(c.name)
                             for c in columns])

    def _parse_is_identity(self, col: Column, dtype: pl.DataType) -> bool:
        if col.name in self.parsed:  # text: a string column's parse is the text itself
            return col.type is ColumnType.STRING and col.name not in self._dictionary_read
        return dtype == target_dtype(col.type.value, col.precision, col.scale)

    def _text_expr(self, name: str) -> pl.Expr:
        """Column ``name`` as text (a dictionary-read column as its plain strings)."""
        e = pl.col(name)
        return e.cast(pl.String) if name in self._dictionary_read else e

    def _typed_expr(self, col: Column) -> pl.Expr:
        e = self._text_expr(col.name)
        if col.name in self.parsed:
            return cast_expr(e, **self.casts[col.name])  # type: ignore[arg-type]
        return e.cast(target_dtype(col.type.value, col.precision, col.scale))

    def _both(self, text: pl.DataFrame, typed: pl.DataFrame, names: set[str]) -> pl.DataFrame:
        """The raw (prefixed; as plain text) and parsed columns ``names`` side by side."""
        cols = sorted(names)
        raw = [text.get_column(c).cast(pl.String) if c in self._dictionary_read
               else text.get_column(c) for c in cols]
        return pl.DataFrame([*(s.alias(RAW + c) for s, c in zip(raw, cols, strict=True)),
                             *(typed.get_column(c) for c in cols)])

    def active(self) -> list[Rule]:
        """The rules that apply to the current batch (a native Parquet column needs no parse)."""
        return self._active

    def direct_columns(self) -> set[str]:
        """Columns whose rules are counted row by row (decided on the first batch)."""
        return set(self._rules_of) - self.dictionary - self.grouped

    def _choose(self, text: pl.DataFrame) -> None:
        # on the first batch: columns with work beyond a not-null check whose values repeat
        # in an even sample of the batch; the batch counts then confirm it (or not)
        # a column stored as a number, boolean or date (Parquet) is judged row by row: its
        # rules are plain comparisons there, cheaper than a group-by (measured per 666k rows:
        # timer 1.0 ms against 9.5, alder 0.9 against 4.2)
        schema = text.schema
        cols = [c.name for c in self.columns
                if c.name not in self.grouped
                and (schema[c.name] == pl.String or is_dictionary_dtype(schema[c.name]))
                and self._worth_it(c, not is_dictionary_dtype(schema[c.name]))]
        self._chosen = True
        if self.share <= 0 or not cols or not text.height:
            return
        # a column read with a dictionary has few distinct values by its contract
        self.dictionary = {c for c in cols if c in self._dictionary_read}
        cols = [c for c in cols if c not in self.dictionary]
        if not cols:
            return
        sample = text.select(cols).gather_every(max(text.height // _SAMPLE_ROWS, 1))
        distinct = sample.select(pl.all().n_unique()).row(0)
        self.dictionary |= {c for c, d in zip(cols, distinct, strict=True)
                            if may_repeat(d, sample.height, text.height, self.share)}

    def _worth_it(self, col: Column, small_sets_cheap: bool) -> bool:
        # a string column with only not-null (and its trivial parse) is cheaper row by row,
        # and so is one whose set of allowed values is small (a chain of equalities), unless
        # it was read with a dictionary (a bincount of its codes is cheaper still)
        for r in self._rules_of.get(col.name, ()):
            if r.check == "not_null":
                continue
            if r.check == "parses_as" and col.type is ColumnType.STRING:
                continue
            if (small_sets_cheap and r.check == "in_set" and col.type is ColumnType.STRING
                    and not r.stats.get("strip_zeros") and len(r.stats["values"]) <= SMALL_SET):
                continue
            return True
        return False

    def judge(self, text: pl.DataFrame, typed: pl.DataFrame, offset: int,
              as_text: Callable[[], pl.DataFrame] | None = None) -> None:
        """Count every rule's failures in the batch and collect the wanted examples.

        Args:
            text: the batch as read (:meth:`text`).
            typed: at least the :meth:`direct_columns`, parsed (:meth:`typed`).
            offset: data rows before this batch (row numbers are file-global, 1-based).
            as_text: the batch read again as text, for examples of columns it holds typed
                (CSV: :class:`contractkit.engine.csvread.Batch`).
        """
        rules = self.active()
        if not rules:
            return
        counts = self._counts(rules, text, typed)
        coll = self.collector
        wanted = []
        for rule, n in zip(rules, counts, strict=True):
            if n:
                coll.count(rule.code, n, rule.rule_id)
                if self._room(rule) > 0:
                    wanted.append(rule)
        if wanted:
            self._examples(wanted, text, typed, offset, as_text)

    def _counts(self, rules: list[Rule], text: pl.DataFrame, typed: pl.DataFrame) -> list[int]:
        dictionary = self.dictionary - self.grouped
        direct = [i for i, r in enumerate(rules)
                  if r.column not in dictionary and r.column not in self.grouped]
        queries: list[pl.LazyFrame] = []
        if direct:
            both = self._both(text, typed, {rules[i].column for i in direct})
            queries.append(both.lazy().select(fail_exprs(rules[i] for i in direct)).sum())
        position = {r.rule_id: i for i, r in enumerate(rules)}
        per_column = {c: [position[r.rule_id] for r in self._rules_of[c]]
                      for c in sorted(set(self._rules_of) & dictionary)}
        counts = [0] * len(rules)
        for name in [c for c in per_column if c in self._dictionary_read]:
            idx = per_column.pop(name)  # judged on the dictionary's codes, no polars query
            failing, distinct = self._code_verdicts(name, [rules[i] for i in idx]).counts(
                text.get_column(name))
            for i, n in zip(idx, failing, strict=True):
                counts[i] = n
            if distinct > self.share * text.height:
                self.dictionary.discard(name)
        for name, idx in per_column.items():
            queries.append(self._distinct_counts(text, name, [rules[i] for i in idx]))
        results = pl.collect_all(queries) if queries else []
        if direct:
            for i, n in zip(direct, results.pop(0).row(0), strict=True):
                counts[i] = int(n)
        for (name, idx), frame in zip(per_column.items(), results, strict=True):
            *values, distinct = frame.row(0)
            for i, n in zip(idx, values, strict=True):
                counts[i] = int(n or 0)
            if distinct > self.share * text.height:
                self.dictionary.discard(name)  # many distinct values: row by row from now on
        for group in self.groups:
            found = group_counts(text, group, RAW,
                                 lambda n: self._typed_expr(self._column[n]), fail_exprs)
            for rule_id, n in found.items():
                counts[position[rule_id]] = n
        return counts

    def _code_verdicts(self, name: str, rules: list[Rule]) -> CodeVerdicts:
        key = (name, tuple(r.rule_id for r in rules))
        kept = self._codes.get(key)
        if kept is None:
            col = self._column[name]

            def judge(values: pl.Series) -> np.ndarray[Any, np.dtype[np.bool_]]:
                raw = pl.col(RAW + name)
                parse = (cast_expr(raw, **self.casts[name])  # type: ignore[arg-type]
                         if name in self.parsed
                         else raw.cast(target_dtype(col.type.value, col.precision, col.scale)))
                frame = values.alias(RAW + name).to_frame().with_columns(parse.alias(name))
                return frame.select(fail_exprs(rules)).to_numpy().astype(bool)

            kept = self._codes[key] = CodeVerdicts(judge, len(rules))
        return kept

    def _distinct_counts(self, text: pl.DataFrame, name: str, rules: list[Rule]) -> pl.LazyFrame:
        col = self._column[name]
        counted = text.lazy().group_by(name).agg(pl.len().alias(_N))
        distinct = counted.select(
            self._text_expr(name).alias(RAW + name), self._typed_expr(col).alias(name),
            pl.col(_N))
        weighted = [pl.col(_N).filter(fail).sum().alias(fail.meta.output_name())
                    for fail in fail_exprs(rules)]
        return distinct.select(*weighted, pl.len().alias(_N))

    def _examples(self, rules: list[Rule], text: pl.DataFrame, typed: pl.DataFrame,
                  offset: int, as_text: Callable[[], pl.DataFrame] | None = None) -> None:
        """Queue the first failing rows of each rule (as many as it still has room for)."""
        missing = {r.column for r in rules} - set(typed.columns)
        if missing:
            typed = pl.concat([typed, self.typed(text, missing)], how="horizontal")
        fails = self._both(text, typed, {r.column for r in rules}).lazy().select(
            [e.arg_true().head(self._room(r)).implode() for e, r in
             zip(fail_exprs(rules), rules, strict=True)]).collect().row(0)
        budget = {}
        for rule, found in zip(rules, fails, strict=True):
            budget[rule.rule_id] = len(found)
            self._reserved[rule.rule_id] = self._reserved.get(rule.rule_id, 0) + len(found)
        warm_up()  # pandera (≈ 1 CPU-s to import) only once an example is to be built
        positions = pl.Series(sorted({int(i) for found in fails for i in found}), dtype=pl.Int64)
        written = text  # the values as written: a column read typed is read again as text
        if as_text is not None and not all(is_text_dtype(text.schema[r.column]) for r in rules):
            written = as_text()
        for stage, frame in (("raw", text), ("typed", typed)):
            stage_rules = [r for r in rules if r.stage == stage and budget[r.rule_id]]
            if stage_rules:
                cols = sorted({r.column for r in stage_rules})
                as_read = written.select(self._text_expr(n) for n in cols)[positions]
                subset = as_read if stage == "raw" else frame.select(cols)[positions]
                self._pending.append(_Pending(stage_rules, subset, positions + offset + 1,
                                              {r.rule_id: budget[r.rule_id] for r in stage_rules},
                                              as_read))

    def _room(self, rule: Rule) -> int:
        return self.collector.room(rule.rule_id) - self._reserved.get(rule.rule_id, 0)

    def flush(self, wait: bool) -> None:
        """Turn queued failing rows into examples with pandera.

        Args:
            wait: wait for pandera's import; otherwise only flush if it is already loaded
                (so the first batches need not wait for it).
        """
        if not self._pending or not (wait or pandera_ready()):
            return
        pending, self._pending = self._pending, []
        coll = self.collector
        for item in pending:
            left = dict(item.budget)  # a row picked for another rule may fail this one too
            for f in sorted(failures(item.subset, item.rules, item.budget),
                            key=attrgetter("index")):
                if left[f.rule.rule_id] > 0:
                    left[f.rule.rule_id] -= 1
                    coll.example(f.rule.code, f.rule.rule_id, f.rule.message,
                                 column=f.rule.column, row=int(item.rows[f.index]),
                                 value=None if f.value is None  # as written in the file
                                 else item.written[f.rule.column][f.index])
            for rule_id, n in item.budget.items():
                self._reserved[rule_id] -= n


@dataclass(frozen=True)
class _Pending:
    """Failing rows of one batch awaiting pandera: the rules, the rows' values, their file
    rows, how many examples each rule takes from them, and the values as written (CSV
    text, Parquet as stored: a finding shows ``38,50``, not the parsed ``38.5``)."""

    rules: list[Rule]
    subset: pl.DataFrame
    rows: pl.Series
    budget: dict[str, int]
    written: pl.DataFrame
