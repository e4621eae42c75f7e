"""Stored (Parquet) decimals are compared with the contract's bounds as decimals, without a
cast to float: the same findings as the same values written as text in a CSV file (which
are parsed to floats), for any values and bounds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractkit import load_contract
from contractkit.contract.models import Column
from contractkit.engine import validate_paths
from contractkit.engine.compile import Rule
from contractkit.engine.decimals import decimal_bounds, native_decimals
from contractkit.report.model import Code

# values of a decimal(7, 2) column, and bounds as a contract writes them: whole, with
# fewer, as many or more decimals than the column has, sometimes on a value exactly
VALUES = st.decimals(min_value=-99999, max_value=99999, places=2, allow_nan=False)
BOUNDS = st.one_of(st.none(), st.integers(-100_000, 100_000),
                   st.floats(-100_000, 100_000, allow_nan=False).map(lambda f: round(f, 3)),
                   VALUES.map(float))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), VALUES), min_size=1, max_size=30),
       low=BOUNDS, high=BOUNDS)
def test_stored_decimals_are_judged_as_their_text_is(kit: Any, values: list[Decimal | None],
                                                     low: float | None,
                                                     high: float | None) -> None:
    column: dict[str, Any] = {"name": "beloeb", "type": "decimal", "precision": 7, "scale": 2,
                              "required": False}
    if low is not None and high is not None and low > high:
        low, high = high, low
    if low is not None or high is not None:
        column["range"] = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    rows = [[None if v is None else str(v)] for v in values]
    csv_path = kit.csv("case_2024-03.csv", ["beloeb"], [
        [None if r[0] is None else r[0].replace(".", ",")] for r in rows])
    from_text = validate_paths(load_contract(kit.contract({"columns": [column]})), [csv_path],
                               max_examples=100).files[0]
    pq_table = {"columns": [column], "file_pattern": "case_{period}.parquet"}
    pq_path = kit.parquet("case_2024-03.parquet", ["beloeb"], rows, [column])
    assert pl.read_parquet_schema(pq_path)["beloeb"] == pl.Decimal(7, 2)
    stored = validate_paths(load_contract(kit.contract(pq_table, {"type": "parquet"})),
                            [pq_path], max_examples=100).files[0]
    assert stored.counts == from_text.counts
    assert [(f.row, f.code) for f in stored.findings] == [
        (f.row, f.code) for f in from_text.findings]


def _range(low: object, high: object) -> Rule:
    return Rule("x:out-of-range", Code.OUT_OF_RANGE, "x", "typed", "in_range",
                {"min": low, "max": high}, "value is outside the range")


def test_only_columns_stored_with_few_digits_and_plain_bounds_are_judged_as_stored() -> None:
    col = Column.model_validate({"name": "x", "type": "decimal", "precision": 7, "scale": 2})
    assert native_decimals([col], [pl.Decimal(7, 2)], set(), [_range(0.0, 37.5)]) == {"x"}
    assert not native_decimals([col], [pl.Decimal(20, 2)], set(), [_range(0.0, 37.5)])
    assert not native_decimals([col], [pl.Float64()], set(), [_range(0.0, 37.5)])
    assert not native_decimals([col], [pl.Decimal(7, 2)], {"x"}, [_range(0.0, 37.5)])
    assert not native_decimals([col], [pl.Decimal(7, 2)], set(), [_range(0.1 + 0.2, None)])
    assert not native_decimals([col], [pl.Decimal(7, 2)], set(), [_range(1e300, None)])
    assert decimal_bounds(_range(0.0, 37.5)).stats == {"min": Decimal("0.0"),
                                                       "max": Decimal("37.5")}
