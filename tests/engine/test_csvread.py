"""Integer columns read typed from CSV, with a fallback to text: the same findings, rows
and values as reading every column as text, for any cells and batch sizes."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from contractkit import load_contract
from contractkit.contract.models import CsvFormat
from contractkit.engine import read, validate_paths
from contractkit.engine.csvread import Reread, csv_batches, has_blank
from contractkit.engine.read import open_source
from contractkit.report.mask import MASK_PREFIX
from contractkit.report.model import FileReport

# integer columns without a small set of valid values: read typed (a bounded one is read
# as a dictionary, contractkit.engine.dtypes)
AGE = {"name": "alder", "type": "integer", "range": {"min": 16}}
COUNT = {"name": "antal", "type": "integer", "required": False}
CPR = {"name": "cpr", "type": "string", "semantic": "cpr", "personal": "direct"}
PLANTED_CPR = "010180-1234"


def _seen(report: FileReport) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    findings = [(f.row, f.column, f.code, f.rule,
                 None if f.value is not None and f.value.startswith(MASK_PREFIX) else f.value)
                for f in report.findings]
    return report.counts, findings


def _both_ways(path: Path, contract: Path, **kw: Any) -> list[FileReport]:
    """The file judged with every column read as text (share 0) and with the fast reads
    (integers typed, bounded columns as dictionaries: share 1)."""
    lc = load_contract(contract)
    return [validate_paths(lc, [path], dictionary_share=share, **kw).files[0]
            for share in (0.0, 1.0)]


def _big(kit: Any, bad: dict[int, str]) -> tuple[Path, list[list[str]]]:
    """600,000 rows of age and count (polars reads ahead of the batches it hands out — a
    small file whole —, so batches come out before the read reaches a bad value here);
    ``bad`` maps a data row (1-based) to its whole line."""
    rows = [[str(16 + i % 60), str(i)] for i in range(600_000)]
    lines = [";".join(r) for r in rows]
    for row, line in bad.items():
        lines[row - 1] = line
    return kit.raw("case_2024-03.csv", ("alder;antal\n" + "\n".join(lines) + "\n").encode()), rows


def test_a_typed_read_that_fails_after_handing_out_batches_asks_for_a_reread(kit: Any) -> None:
    path, rows = _big(kit, {500_001: "4x;500000"})
    dtypes = {"alder": pl.Int64(), "antal": pl.Int64()}
    handed: list[pl.DataFrame] = []

    def read_all() -> None:
        handed.extend(b.frame for b in csv_batches(path, CsvFormat(type="csv"), 100_000, dtypes))

    with pytest.raises(Reread):
        read_all()
    assert handed
    assert all(f.schema["alder"] == pl.Int64 for f in handed)
    again = list(csv_batches(path, CsvFormat(type="csv"), 100_000,
                             {"alder": pl.String(), "antal": pl.String()}))
    assert pl.concat([b.frame for b in again]).get_column("antal").to_list() == [
        r[1] for r in rows]

    for rep in _both_ways(path, kit.contract({"columns": [AGE, COUNT]}), batch_rows=100_000):
        assert rep.counts == {"wrong-type": 1}
        assert [(f.row, f.column, f.value) for f in rep.findings] == [
            (500_001, "alder", "4x")]


def test_a_typed_read_that_fails_at_once_goes_on_as_text(kit: Any) -> None:
    rows = [[str(16 + i % 60), str(i)] for i in range(3000)]
    rows[2344][0] = "4x"  # a small file is read whole before the first batch
    path = kit.csv("case_2024-03.csv", ["alder", "antal"], rows)
    batches = list(csv_batches(path, CsvFormat(type="csv"), 700,
                               {"alder": pl.Int64(), "antal": pl.Int64()}))
    assert [b.frame.height for b in batches] == [700, 700, 700, 700, 200]
    assert all(b.frame.schema["alder"] == pl.String and b.as_text is None for b in batches)
    for rep in _both_ways(path, kit.contract({"columns": [AGE, COUNT]}), batch_rows=700):
        assert [(f.row, f.column, f.value) for f in rep.findings] == [(2345, "alder", "4x")]


def test_bad_records_found_after_the_first_batches_are_judged_from_the_first_row(
        kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # a large file is not checked record by record up front: its bad records show when
    # polars fails, after batches that may hold rows of later in the file
    monkeypatch.setattr(read, "STRUCTURE_CHECK_BYTES", 0)
    # a wrong type before the bad record, a key repeated after it (of data row 10)
    path, _ = _big(kit, {250_001: "x;250000", 500_001: "40;500000;9", 550_001: "30;9"})
    contract = kit.contract({"columns": [AGE, COUNT], "primary_key": ["antal"]})
    for rep in _both_ways(path, contract, batch_rows=100_000):
        assert rep.rows == 600_000
        assert rep.counts == {"malformed-file": 2, "wrong-type": 1, "duplicate-key": 1}
        assert sorted((f.row, f.code) for f in rep.findings if f.row) == [
            (250_001, "wrong-type"), (500_001, "malformed-file"), (550_001, "duplicate-key")]
        (dup,) = [f for f in rep.findings if f.code == "duplicate-key"]
        assert dup.message == "this row repeats the key of row 10"


def test_a_finding_of_a_typed_column_shows_the_value_as_written(kit: Any) -> None:
    rows = [["30"], ["007"], ["+09"], ["-0"], ["40"]]
    path = kit.csv("case_2024-03.csv", ["alder"], rows)
    for rep in _both_ways(path, kit.contract({"columns": [AGE]}), batch_rows=2):
        assert [(f.row, f.value) for f in rep.findings] == [(2, "007"), (3, "+09"), (4, "-0")]
        assert rep.counts == {"out-of-range": 3}


@pytest.mark.parametrize("cell", [" 5", "\t5", '" 20"', "5 ", "20\t"])
def test_a_blank_around_a_number_is_a_wrong_type_though_polars_would_skip_it(
        kit: Any, cell: str) -> None:
    path = kit.raw("case_2024-03.csv", f"alder\n30\n{cell}\n40\n".encode())
    assert has_blank(path)
    for rep in _both_ways(path, kit.contract({"columns": [AGE]})):
        assert rep.counts == {"wrong-type": 1}
        assert [f.row for f in rep.findings] == [2]


def test_a_quoted_empty_integer_is_a_wrong_type_when_it_means_an_empty_text(kit: Any) -> None:
    path = kit.raw("case_2024-03.csv", b'alder\n30\n""\n\n40\n')
    fmt = {"type": "csv", "delimiter": ";", "decimal": ",", "quoted_empty": "empty_string"}
    contract = kit.contract({"columns": [AGE]}, fmt)
    for rep in _both_ways(path, contract):
        assert [(f.row, f.code) for f in rep.findings] == [(2, "wrong-type"), (3, "not-null")]


def test_no_planted_cpr_number_leaks_from_a_typed_read_that_falls_back(kit: Any) -> None:
    rows = [[PLANTED_CPR if i == 5 else "3001801234", str(20 + i % 50)] for i in range(40)]
    rows[5][1] = "x"  # the planted CPR number's row also breaks the typed read
    rows[7][0] = "320180-1234"  # a bad CPR number, masked in its finding
    path = kit.csv("case_2024-03.csv", ["cpr", "alder"], rows)
    contract = kit.contract({"columns": [CPR, AGE], "primary_key": ["cpr"]})
    for rep in _both_ways(path, contract, batch_rows=4):
        text = repr(rep)  # every count, finding and value of the report
        assert PLANTED_CPR not in text
        assert "320180-1234" not in text
        assert {(f.row, f.code) for f in rep.findings} >= {(6, "wrong-type"), (8, "bad-cpr")}


# cells an integer column may hold: mostly numbers written every way polars and contractkit
# both read (so whole files read typed), now and then blanks, text, overflow, empty
NUMBERS = st.one_of(st.integers(-100, 200).map(str), st.sampled_from(["007", "+5", "-0"]))
ODD = st.sampled_from([" 5", "5 ", "\t7", "1e3", "5.0", "1,0", "x", "", "9223372036854775808",
                       "-9223372036854775808", "١٢", '"30"', '" 30"'])
CELLS = st.one_of(NUMBERS, NUMBERS, NUMBERS, NUMBERS, NUMBERS, ODD)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CELLS, CELLS, st.sampled_from(["M", "K", "X", ""])),
                     min_size=1, max_size=40),
       batch_rows=st.integers(1, 12), max_examples=st.integers(0, 3))
def test_typed_reads_find_what_reading_text_finds(kit: Any, rows: list[tuple[str, ...]],
                                                  batch_rows: int, max_examples: int) -> None:
    body = "alder;antal;koen\n" + "".join(";".join(r) + "\n" for r in rows)
    path = kit.raw("case_2024-03.csv", body.encode())
    contract = kit.contract({"columns": [
        AGE, COUNT, {"name": "koen", "type": "string", "allowed_values": ["M", "K"]}]})
    text, fast = (_seen(rep) for rep in _both_ways(path, contract, batch_rows=batch_rows,
                                                   max_examples=max_examples))
    assert text == fast


def test_a_typed_read_of_an_unreadable_file_is_reported_not_raised(kit: Any) -> None:
    path = kit.raw("case_2024-03.csv", b"alder;antal\n30;1\n31\n32;3;4\n")
    for rep in _both_ways(path, kit.contract({"columns": [AGE, COUNT]})):
        assert {f.code for f in rep.findings} == {"malformed-file"}
        assert sorted(f.row for f in rep.findings if f.row) == [2, 3]


def test_the_source_file_yields_typed_batches_with_their_text(kit: Any) -> None:
    path = kit.csv("case_2024-03.csv", ["alder"], [["30"], ["031"]])
    lc = load_contract(kit.contract({"columns": [AGE]}))
    with contextlib.ExitStack() as stack:
        source = open_source(path, lc.contract.format, lc.contract.tables[0], stack)
        (batch,) = source.read_batches(10, {"alder": pl.Int64()})
        assert batch.frame.get_column("alder").to_list() == [30, 31]
        assert batch.as_text is not None
        assert batch.as_text().get_column("alder").to_list() == ["30", "031"]
