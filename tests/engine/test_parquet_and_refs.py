"""Parquet with native types, truncated Parquet, references between files, batching."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from contractkit import DeliveryError, load_contract
from contractkit.engine import validate_file, validate_paths

COLUMNS = [
    {"name": "cpr", "type": "string", "semantic": "cpr", "personal": "direct"},
    {"name": "n", "type": "integer", "range": {"min": 0, "max": 10}},
    {"name": "d", "type": "date"},
    {"name": "x", "type": "decimal", "precision": 5, "scale": 2},
]


def _parquet(kit: Any, frame: pl.DataFrame, name: str = "case_2024-03.parquet") -> Path:
    path = kit.root / "delivery" / name
    path.parent.mkdir(exist_ok=True)
    frame.write_parquet(path)
    return path


def test_native_parquet_types(kit: Any) -> None:
    contract = kit.contract({"columns": COLUMNS, "file_pattern": "case_{period}.parquet",
                             "primary_key": ["cpr"]}, {"type": "parquet"})
    frame = pl.DataFrame({"cpr": ["010180-1234", "320180-1234", "010180-1234"],
                          "n": [1, 11, 3], "d": [date(2024, 3, 1)] * 3,
                          "x": pl.Series(["1.5", "2.0", "3.25"]).cast(pl.Decimal(5, 2))})
    rep = validate_file(load_contract(contract), _parquet(kit, frame))
    got = {(f.row, f.column, f.code) for f in rep.findings}
    assert got == {(2, "cpr", "bad-cpr"), (2, "n", "out-of-range"), (3, "cpr", "duplicate-key")}


def test_parquet_column_of_wrong_type_is_wrong_type(kit: Any) -> None:
    # the stored type decides (tests/engine/test_parquet_schema.py): one finding per column
    contract = kit.contract({"columns": COLUMNS[1:2], "file_pattern": "case_{period}.parquet"},
                            {"type": "parquet"})
    frame = pl.DataFrame({"n": [1.0, 2.5]})
    rep = validate_file(load_contract(contract), _parquet(kit, frame))
    assert {(f.row, f.column, f.code) for f in rep.findings} == {(None, "n", "wrong-type")}


def test_truncated_parquet_is_malformed(kit: Any) -> None:
    contract = kit.contract({"columns": COLUMNS, "file_pattern": "case_{period}.parquet"},
                            {"type": "parquet"})
    path = _parquet(kit, pl.DataFrame({"cpr": ["010180-1234"] * 100, "n": list(range(100))}))
    path.write_bytes(path.read_bytes()[:-40])
    rep = validate_file(load_contract(contract), path)
    assert rep.counts == {"malformed-file": 1}
    assert rep.rows is None
    assert not rep.ok


def test_batches_keep_global_row_numbers(kit: Any) -> None:
    contract = kit.contract({"columns": [COLUMNS[1]], "primary_key": ["n"]})
    rows = [[str(i % 7 if i > 20 else i)] for i in range(1, 41)]
    path = kit.csv("case_2024-03.csv", ["n"], rows)
    report = validate_paths(load_contract(contract), [path], batch_rows=6, max_examples=100)
    got = sorted((f.row, f.code) for f in report.files[0].findings)
    want_range = [(i, "out-of-range") for i in range(11, 21)]
    seen: set[str] = set()
    want_dups = []
    for i, (value,) in enumerate(rows, start=1):
        if value in seen:
            want_dups.append((i, "duplicate-key"))
        seen.add(value)
    assert [g for g in got if g[1] == "out-of-range"] == want_range
    assert [g for g in got if g[1] == "duplicate-key"] == want_dups
    assert report.files[0].rows == 40


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.integers(0, 14), min_size=0, max_size=60),
       row_group=st.integers(1, 25), batch_rows=st.integers(1, 25))
def test_parquet_batches_across_row_groups_keep_every_row_once(
        kit: Any, values: list[int], row_group: int, batch_rows: int) -> None:
    # Parquet is read a slice of rows at a time (contractkit.engine.read): slices and the
    # file's row groups need not line up, and no row may be lost, repeated or misnumbered
    contract = kit.contract({"columns": [COLUMNS[1]], "file_pattern": "case_{period}.parquet",
                             "primary_key": ["n"]}, {"type": "parquet"})
    path = kit.root / "delivery" / "case_2024-03.parquet"
    path.parent.mkdir(exist_ok=True)
    pl.DataFrame({"n": values}, schema={"n": pl.Int64}).write_parquet(
        path, row_group_size=row_group)
    report = validate_paths(load_contract(contract), [path], batch_rows=batch_rows,
                            max_examples=100).files[0]
    seen: set[int] = set()
    want = []
    for row, n in enumerate(values, start=1):
        if n > 10:
            want.append((row, "out-of-range"))
        if n in seen:
            want.append((row, "duplicate-key"))
        seen.add(n)
    assert sorted((f.row, f.code) for f in report.findings) == sorted(want)
    assert report.rows == len(values)


def test_broken_reference_between_files(kit: Any) -> None:
    people = {"name": "personer", "file_pattern": "personer_{period}.csv",
              "columns": [{"name": "pid", "type": "integer"}]}
    contract = kit.contract(
        {"columns": [{"name": "pid", "type": "integer"}, {"name": "v", "type": "string"}],
         "references": [{"columns": ["pid"], "table": "personer", "to_columns": ["pid"]}]},
        extra_tables=[people])
    child = kit.csv("case_2024-03.csv", ["pid", "v"], [["1", "a"], ["3", "b"], ["2", "c"]])
    parent = kit.csv("personer_2024-03.csv", ["pid"], [["1"], ["2"]])
    report = validate_paths(load_contract(contract), [child, parent])
    child_rep = report.files[0]
    assert child_rep.counts == {"broken-reference": 1}
    assert [(f.row, f.code) for f in child_rep.findings] == [(2, "broken-reference")]
    assert report.files[1].ok


def test_reference_into_a_parent_file_without_rows_is_broken(kit: Any) -> None:
    people = {"name": "personer", "file_pattern": "personer_{period}.csv",
              "columns": [{"name": "pid", "type": "integer"}]}
    contract = kit.contract(
        {"columns": [{"name": "pid", "type": "integer"}],
         "references": [{"columns": ["pid"], "table": "personer", "to_columns": ["pid"]}]},
        extra_tables=[people])
    child = kit.csv("case_2024-03.csv", ["pid"], [["1"], ["2"]])
    parent = kit.csv("personer_2024-03.csv", ["pid"], [])
    report = validate_paths(load_contract(contract), [child, parent])
    assert report.files[0].counts == {"broken-reference": 2}
    assert report.files[1].rows == 0


def test_references_and_bad_records(kit: Any) -> None:
    # issue 19, 2: a parent with a bad record has an incomplete key set, so it proves no
    # key missing; a child's broken reference names its row in the child file as written
    people = {"name": "personer", "file_pattern": "personer_{period}.csv",
              "columns": [{"name": "pid", "type": "integer"}]}
    contract = load_contract(kit.contract(
        {"columns": [{"name": "pid", "type": "integer"}, {"name": "v", "type": "string"}],
         "references": [{"columns": ["pid"], "table": "personer", "to_columns": ["pid"]}]},
        extra_tables=[people]))
    child = kit.raw("case_2024-03.csv", b"pid;v\n1;a\n2;b;extra\n9;c\n")
    parent = kit.raw("personer_2024-03.csv", b"pid\n1\n2;x\n")
    report = validate_paths(contract, [child, parent])
    assert report.files[0].counts == {"malformed-file": 2}  # row 2 and the note
    assert report.files[1].counts == {"malformed-file": 2}
    clean = kit.raw("personer_2024-03.csv", b"pid\n1\n2\n")
    report = validate_paths(contract, [child, clean])
    assert {(f.row, f.code) for f in report.files[0].findings} == {
        (2, "malformed-file"), (None, "malformed-file"), (3, "broken-reference")}


def test_missing_path_raises_delivery_error(kit: Any, tmp_path: Path) -> None:
    contract = kit.contract({"columns": [COLUMNS[1]]})
    with pytest.raises(DeliveryError):
        validate_file(load_contract(contract), tmp_path / "nope.csv")
    with pytest.raises(DeliveryError):
        validate_file(load_contract(contract), tmp_path)


def test_pandera_validates_data_not_only_schema(kit: Any) -> None:
    """Examples come from pandera on eager frames: a LazyFrame with pandera's default
    depth would check only the schema and report nothing here."""
    from contractkit.engine.compile import Rule
    from contractkit.engine.pandera_checks import failures
    from contractkit.report.model import Code

    rule = Rule("n:out-of-range", Code.OUT_OF_RANGE, "n", "typed", "in_range",
                {"min": 0, "max": 5}, "m")
    got = failures(pl.DataFrame({"n": [1, 9, 3, 7]}), [rule], {"n:out-of-range": 10})
    assert [(f.index, f.value) for f in got] == [(1, "9"), (3, "7")]


_STATS: dict[str, tuple[dict[str, Any], list[Any]]] = {
    # check → its statistics and a column to judge (some values fail)
    "parses_as": ({"kind": "integer"}, ["1", "x", None]),
    "cpr": ({}, ["010180-1234", "320180-1234"]),
    "pseudonym": ({}, ["a" * 64, "A"]),
    "iso_week": ({}, ["2024-W10", "2024-W60"]),
    "period_month": ({}, ["2024-03", "2024-13"]),
    "in_set": ({"values": ["M", "K"]}, ["M", "X"]),
    "label_in_period": ({"values": ["2024-03"], "kind": "month"}, ["2024-03", "2024-04"]),
    "in_range": ({"min": 0, "max": 5}, [1, 9]),
    "at_least": ({"min": 2}, [1, 9]),
    "pattern": ({"regex": "^[0-9]+$"}, ["12", "1a"]),
    "max_length": ({"n": 2}, ["ab", "abc"]),
    "equals": ({"value": "x"}, ["x", "y"]),
}


def test_every_check_is_built_as_its_registered_method_would_build_it() -> None:
    # the engine builds its pandera checks without pandera's registry (which imports
    # pandas): same function, name, error text, statistics and verdicts as Check.ck_<name>
    from contractkit.checks.exprs import CHECKS
    from contractkit.engine.pandera_checks import make_check, register_checks

    register_checks()  # imports pandera (quieting pyspark's pandas warning first)
    import pandera.polars as pa

    assert set(_STATS) == set(CHECKS)
    for name, (stats, values) in _STATS.items():
        built = make_check(name, stats, 7)
        registered = getattr(pa.Check, f"ck_{name}")(**stats, n_failure_cases=7)
        assert (built.name, built.error, built.statistics, built.n_failure_cases) == (
            registered.name, registered.error, registered.statistics,
            registered.n_failure_cases), name
        frame = pl.DataFrame({"v": values})
        verdicts = []
        for check in (built, registered):
            schema = pa.DataFrameSchema({"v": pa.Column(None, checks=[check])})
            try:
                schema.validate(frame, lazy=True)
                verdicts.append([])
            except pa.errors.SchemaErrors as exc:
                verdicts.append(exc.failure_cases.select("index", "failure_case").rows())
        assert verdicts[0] == verdicts[1] != [], name


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(groups=st.lists(st.integers(1, 50), max_size=30), batch_rows=st.integers(1, 30))
def test_parquet_batches_are_spans_of_whole_row_groups(groups: list[int],
                                                       batch_rows: int) -> None:
    from contractkit.engine.parquetread import spans

    planned = spans(groups, batch_rows)
    if max(groups, default=0) > 2 * batch_rows:
        assert planned is None  # read as a stream: slicing inside it decodes it again
        return
    assert planned is not None
    bounds = {0}
    for g in groups:  # where each row group starts and ends
        bounds.add(max(bounds) + g)
    at = 0
    for start, rows in planned:
        assert start == at  # contiguous: no row read twice or lost
        assert rows > 0
        assert start in bounds  # whole row groups
        assert start + rows in bounds
        # no larger than a batch, unless it is one row group of its own
        after = sorted(bounds)
        assert rows <= batch_rows or after[after.index(start) + 1] == start + rows
        at += rows
    assert at == sum(groups)


def test_a_parquet_file_of_one_large_row_group_is_read_whole(kit: Any) -> None:
    contract = kit.contract({"columns": [COLUMNS[1]], "file_pattern": "case_{period}.parquet"},
                            {"type": "parquet"})
    path = kit.root / "delivery" / "case_2024-03.parquet"
    path.parent.mkdir(exist_ok=True)
    values = [i % 12 for i in range(100)]
    pl.DataFrame({"n": values}).write_parquet(path, row_group_size=100)
    report = validate_paths(load_contract(contract), [path], batch_rows=7,
                            max_examples=100).files[0]
    assert sorted(f.row for f in report.findings) == [i + 1 for i, n in enumerate(values)
                                                      if n > 10]
    assert report.rows == 100


def test_a_file_that_breaks_after_its_first_batches_is_only_malformed(kit: Any) -> None:
    # rows judged before a read fails need not be the file's rows (polars' CSV stream hands
    # out later rows before it fails): a file that cannot be read to its end is reported
    # as malformed, with no finding of its rows and no key of it kept
    import pyarrow.parquet as pq

    contract = kit.contract({"columns": [COLUMNS[1]], "file_pattern": "case_{period}.parquet",
                             "primary_key": ["n"]}, {"type": "parquet"})
    path = kit.root / "delivery" / "case_2024-03.parquet"
    path.parent.mkdir(exist_ok=True)
    pl.DataFrame({"n": [11, 11, *range(2998)]}).write_parquet(path, row_group_size=1000)
    page = pq.read_metadata(path).row_group(2).column(0)
    data = bytearray(path.read_bytes())
    start = page.dictionary_page_offset or page.data_page_offset
    data[start:start + 12] = bytes(b ^ 0xFF for b in data[start:start + 12])
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    lc = load_contract(contract)
    report = validate_paths(lc, [path], batch_rows=1000).files[0]
    assert report.counts == {"malformed-file": 1}
    assert report.rows is None
    assert path.read_bytes() == before  # the input is never changed
