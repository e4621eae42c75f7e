"""Judging batches: counting on distinct values agrees with counting row by row, and
examples are the earliest failing rows whatever the batching."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from contractkit import load_contract
from contractkit.engine import validate_paths
from contractkit.engine.collect import Collector
from contractkit.engine.compile import compile_table
from contractkit.engine.dtypes import csv_read_dtypes, is_dictionary_dtype
from contractkit.engine.evaluate import BatchJudge
from contractkit.errors import UsageError
from contractkit.loader import load_codelists
from contractkit.report.mask import MASK_PREFIX, Masker
from contractkit.report.model import FileReport

COLUMNS = [
    {"name": "k", "type": "string", "allowed_values": ["M", "K"], "personal": "quasi"},
    {"name": "n", "type": "integer", "range": {"min": 16, "max": 80}},
    {"name": "x", "type": "decimal", "precision": 5, "scale": 2, "range": {"min": 0, "max": 37},
     "required": False},
    {"name": "w", "type": "string", "semantic": "iso_week"},
    {"name": "y", "type": "string", "codelist": "ydelser"},
    {"name": "b", "type": "boolean", "required": False},
    {"name": "c", "type": "string", "semantic": "cpr", "personal": "direct"},
    # members of a family (identical rules): judged together on their distinct values
    {"name": "y_2401", "type": "string", "codelist": "ydelser", "required": False},
    {"name": "y_2402", "type": "string", "codelist": "ydelser", "required": False},
    {"name": "y_2403", "type": "string", "codelist": "ydelser", "required": False},
    {"name": "g_2401", "type": "integer", "range": {"min": 0, "max": 100}},
    {"name": "g_2402", "type": "integer", "range": {"min": 0, "max": 100}},
]
HEADER = [c["name"] for c in COLUMNS]
# few values per column, valid and not, so columns repeat values as real deliveries do
VALUES: dict[str, list[str | None]] = {
    "k": ["M", "K", "X", None],
    "n": ["16", "80", "81", "0x", "", None],
    "x": ["1,5", "37,00", "37,01", "1.5", "1,555", None],
    "w": ["2024-W10", "2024-W54", "2024-10", None],
    "y": ["111", "651", "999", None],
    "b": ["true", "nej", "maybe", None],
    "c": ["010180-1234", "3001801234", "320180-1234", "290201-1234", None],
    "y_2401": ["111", "999", None, None],
    "y_2402": ["651", "99", None, None],
    "y_2403": [None],
    "g_2401": ["0", "100", "101", "x", None],
    "g_2402": ["50", "-1", "5.0", None],
}
ROWS = st.lists(st.tuples(*(st.sampled_from(VALUES[h]) for h in HEADER)), min_size=1,
                max_size=60)


def _seen(report: FileReport) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """Counts and findings; masked values differ between reports (a key per report)."""
    findings = [(f.row, f.column, f.code, f.rule,
                 None if f.value is not None and f.value.startswith(MASK_PREFIX) else f.value)
                for f in report.findings]
    return report.counts, findings


# reported as drawn, not shrunk: each example validates three times (~0.3 s)
@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=ROWS, batch_rows=st.integers(1, 25), max_examples=st.integers(0, 4),
       parquet=st.booleans())
def test_distinct_value_counting_agrees_with_row_by_row(
        kit: Any, rows: list[tuple[str | None, ...]], batch_rows: int, max_examples: int,
        parquet: bool) -> None:
    # one folder for all examples: they run one after another and each rewrites the files
    table: dict[str, Any] = {"columns": COLUMNS, "primary_key": ["c", "w"]}
    if parquet:
        table["file_pattern"] = "case_{period}.parquet"
        lc = load_contract(kit.contract(table, {"type": "parquet"}))
        path = kit.parquet("case_2024-03.parquet", HEADER, [list(r) for r in rows])
    else:
        lc = load_contract(kit.contract(table))
        path = kit.csv("case_2024-03.csv", HEADER, [list(r) for r in rows])
    seen = [_seen(validate_paths(lc, [path], batch_rows=batch_rows, max_examples=max_examples,
                                 dictionary_share=share).files[0])
            for share in (0.0, 0.1, 1.0)]
    assert seen[0] == seen[1] == seen[2]
    assert sum(seen[0][0].values()) >= len(seen[0][1])


def test_examples_are_the_earliest_failing_rows_across_batches(kit: Any) -> None:
    contract = kit.contract({"columns": [{"name": "k", "type": "string",
                                          "allowed_values": ["M", "K"]}]})
    rows = [["X" if i % 3 == 0 else "M"] for i in range(1, 61)]
    path = kit.csv("case_2024-03.csv", ["k"], rows)
    for share in (0.0, 1.0):
        rep = validate_paths(load_contract(contract), [path], batch_rows=4, max_examples=3,
                             dictionary_share=share).files[0]
        assert rep.counts == {"not-allowed": 20}
        assert [(f.row, f.code) for f in rep.findings] == [
            (3, "not-allowed"), (6, "not-allowed"), (9, "not-allowed")]
        assert rep.truncated


def _judge(kit: Any, column: dict[str, Any], share: float) -> tuple[BatchJudge, Collector]:
    lc = load_contract(kit.contract({"columns": [column]}))
    table = lc.contract.tables[0]
    rules = compile_table(table, lc.contract.format, codelists=load_codelists(
        kit.root / "contracts" / "codelists")[0], scope_kind=lc.contract.scope.kind,
        scope_column=None, scope=None, period=None)
    coll = Collector("f.csv", 20, Masker())
    return BatchJudge(list(table.columns), rules.rules, rules.casts, True, coll, share), coll


def _feed(judge: BatchJudge, name: str, values: list[str]) -> None:
    text = judge.text(pl.DataFrame({name: values}))
    judge.judge(text, judge.typed(text, judge.direct_columns()), 0)


def test_a_column_of_many_distinct_values_goes_back_to_row_by_row(kit: Any) -> None:
    judge, coll = _judge(kit, {"name": "n", "type": "integer", "range": {"min": 0, "max": 9}},
                         0.1)
    _feed(judge, "n", ["1", "2", "12"] * 10)  # 3 distinct values in 30 rows
    assert judge.dictionary == {"n"}
    _feed(judge, "n", [str(i) for i in range(30)])  # 30 distinct values in 30 rows
    assert judge.dictionary == set()
    _feed(judge, "n", ["12", "x"])
    judge.flush(wait=True)
    assert coll.counts == {"out-of-range": 31, "wrong-type": 1}


def test_a_string_column_with_only_a_not_null_rule_is_judged_row_by_row(kit: Any) -> None:
    judge, _ = _judge(kit, {"name": "s", "type": "string"}, 1.0)
    _feed(judge, "s", ["a"] * 10)
    assert judge.dictionary == set()
    judge, _ = _judge(kit, {"name": "s", "type": "string", "max_length": 2}, 1.0)
    _feed(judge, "s", ["a"] * 10)
    assert judge.dictionary == {"s"}


def test_the_first_batch_sample_keeps_columns_of_unique_values_row_by_row(kit: Any) -> None:
    column = {"name": "n", "type": "integer", "range": {"min": 0, "max": 10**9}}
    judge, _ = _judge(kit, column, 0.1)
    _feed(judge, "n", [str(i) for i in range(50_000)])  # sampled: every value differs
    assert judge.dictionary == set()
    judge, coll = _judge(kit, column, 0.1)
    _feed(judge, "n", [str(i % 3000) for i in range(50_000)])  # sampled: values repeat
    assert judge.dictionary == {"n"}
    assert coll.counts == {}


def _feed_dictionary_read(judge: BatchJudge, name: str, values: list[str]) -> None:
    """Feed a batch as the CSV reader yields a bounded-value column: a Categorical."""
    series = pl.Series(name, values, dtype=pl.String).cast(pl.Categorical(pl.Categories.random()))
    text = judge.text(series.to_frame())
    judge.judge(text, judge.typed(text, judge.direct_columns()), 0)


def test_a_dictionary_read_column_counts_the_same_on_distinct_values_and_row_by_row(
        kit: Any) -> None:
    column = {"name": "n", "type": "integer", "range": {"min": 0, "max": 9}}
    judge, coll = _judge(kit, column, 0.1)
    _feed_dictionary_read(judge, "n", ["1", "2", "12"] * 10)
    assert judge.dictionary == {"n"}  # a dictionary-read column starts on distinct values
    _feed_dictionary_read(judge, "n", [str(i) for i in range(30)])  # too many: row by row
    assert judge.dictionary == set()
    _feed_dictionary_read(judge, "n", ["12", "x", "3"])
    judge.flush(wait=True)
    assert coll.counts == {"out-of-range": 31, "wrong-type": 1}
    assert [f.value for f in coll.examples["n:wrong-type"]] == ["x"]


def test_bounded_value_columns_are_read_as_categorical_and_others_as_text(kit: Any) -> None:
    lc = load_contract(kit.contract({"columns": COLUMNS, "primary_key": ["c", "w"]}))
    table = lc.contract.tables[0]
    rules = compile_table(table, lc.contract.format, codelists=load_codelists(
        kit.root / "contracts" / "codelists")[0], scope_kind=lc.contract.scope.kind,
        scope_column=None, scope=None, period=None)
    dtypes = csv_read_dtypes([*HEADER, "extra"], list(table.columns), rules.rules, rules.casts,
                             {"w"})
    dictionary = {name for name, d in dtypes.items() if is_dictionary_dtype(d)}
    # a small integer range, a decimal range with a scale, a code list, a boolean; not two
    # allowed values (k: a chain of equalities is cheaper), not the CPR number (unbounded),
    # not columns named plain (family members), not columns sharing their rules with
    # another (judged together as a group: y_24*, g_24*), not undeclared columns
    assert dictionary == {"n", "x", "y", "b"}
    assert dtypes["k"] == pl.String
    assert dtypes["extra"] == pl.String


def test_an_integer_column_without_a_small_set_of_values_is_read_typed(kit: Any) -> None:
    lc = load_contract(kit.contract({"columns": [
        {"name": "antal", "type": "integer", "range": {"min": 0}},
        {"name": "alder", "type": "integer", "range": {"min": 16, "max": 80}},
        {"name": "kode", "type": "string"}]}))
    table = lc.contract.tables[0]
    rules = compile_table(table, lc.contract.format, codelists={},
                          scope_kind=lc.contract.scope.kind, scope_column=None, scope=None,
                          period=None)
    header = ["antal", "alder", "kode"]
    dtypes = csv_read_dtypes(header, list(table.columns), rules.rules, rules.casts)
    assert dtypes["antal"] == pl.Int64
    assert dtypes["kode"] == pl.String
    assert is_dictionary_dtype(dtypes["alder"])
    untyped = csv_read_dtypes(header, list(table.columns), rules.rules, rules.casts, typed=False)
    assert untyped["antal"] == pl.String


def test_a_wrong_type_planted_in_a_dictionary_read_column_is_found_at_its_exact_row(
        kit: Any) -> None:
    contract = kit.contract({"columns": [
        {"name": "alder", "type": "integer", "range": {"min": 16, "max": 80}},
        {"name": "koen", "type": "string", "allowed_values": ["M", "K"]}]})
    rows = [[str(16 + i % 60), "MK"[i % 2]] for i in range(3000)]
    rows[2344][0] = "4x"  # data row 2,345, in the fourth batch of 700
    rows[2999][1] = "m"
    path = kit.csv("case_2024-03.csv", ["alder", "koen"], rows)
    for share in (0.0, 0.1):  # text read, row by row / Categorical read, distinct values
        rep = validate_paths(load_contract(contract), [path], batch_rows=700,
                             dictionary_share=share).files[0]
        assert rep.counts == {"not-allowed": 1, "wrong-type": 1}
        assert [(f.row, f.column, f.value) for f in rep.findings] == [
            (2345, "alder", "4x"), (3000, "koen", "m")]


def test_the_cycle_collector_is_restored_after_a_file_is_judged(kit: Any) -> None:
    import gc

    contract = load_contract(kit.contract({"columns": [{"name": "k", "type": "string"}]}))
    path = kit.csv("case_2024-03.csv", ["k"], [["a"]])
    assert gc.isenabled()
    validate_paths(contract, [path])
    assert gc.isenabled()
    gc.disable()  # a caller that keeps it off finds it off
    try:
        validate_paths(contract, [path])
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(UsageError):  # and on the way out of an error while judging
        validate_paths(contract, [path], table="no-such-table")
    assert gc.isenabled()
