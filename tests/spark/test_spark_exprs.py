"""The Spark checks are the polars checks: same names, same parameters, same verdicts.

Every check and every parse runs in both engines over the same edge values (blanks,
signs, other decimal marks, impossible dates, week 53, regex line ends) and must agree
value by value, so the two vocabularies cannot drift apart silently.
"""

from __future__ import annotations

import inspect
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest

from contractkit.checks.exprs import CHECKS, cast_expr
from contractkit.spark.exprs import SPARK_CHECKS, spark_cast

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]

_TEXT = ["", " ", "x", "5", "+5", " 5", "5 ", "-5", "007", "5.0", "1e3", "0x10", "1_000",
         "9223372036854775808", "1,5", "1.5", "+1,5", ",5", "1,", "inf", "NaN", "-Infinity",
         "1,5d", "1,5e2", "2024-01-05", "2024-1-5", "2024-02-30", "2024-02-29", "2023-02-29",
         "24-01-05", "+2024-01-05", "2024-01-05 ", "20240105", "05.01.2024",
         "2024-01-05 10:00:00", "2024-01-05T10:00", "2024-01-05 10:00:00.123", "2024-01-05 25:00",
         "true", "Ja", "NEJ", "maybe", "2024-W53", "2020-W53", "2024-W00", "1799-W10",
         "2024-03", "2024-13", "abc\n", "010180-1234", "0101801234", "290200-4123",
         "290200-1123", "310299-1111", "a" * 64, "0" * 64, None]
_CASTS: list[dict[str, Any]] = [
    {"kind": "integer"},
    {"kind": "float", "decimal": ","},
    {"kind": "float", "decimal": "."},
    {"kind": "decimal", "decimal": ",", "precision": 6, "scale": 2},
    {"kind": "decimal", "decimal": ".", "precision": 4, "scale": 0},
    {"kind": "boolean"},
    {"kind": "date", "date_format": "%Y-%m-%d"},
    {"kind": "date", "date_format": "%d.%m.%Y"},
    {"kind": "timestamp"},
]
_CHECKS: list[tuple[str, dict[str, Any]]] = [
    ("cpr", {}), ("pseudonym", {}), ("iso_week", {}), ("period_month", {}),
    ("in_set", {"values": ["x", "5", "007"]}), ("in_set", {"values": ["5"], "strip_zeros": True}),
    ("label_in_period", {"values": ["2024-03"], "kind": "period_month"}),
    ("label_in_period", {"values": ["2024-W10"], "kind": "iso_week"}),
    ("pattern", {"regex": "^[a-z]+$"}), ("pattern", {"regex": "[0-9]{1,3}"}),
    ("max_length", {"n": 2}), ("equals", {"value": "5"}),
    ("equals", {"value": "05", "strip_zeros": True}),
]


def _spark_column(spark: Any, values: list[Any], build: Any) -> list[Any]:
    df = spark.createDataFrame([(v,) for v in values], "v string")
    return [r[0] for r in df.select(build(df["v"])).collect()]


def test_same_checks_same_parameters() -> None:
    assert set(SPARK_CHECKS) == set(CHECKS)
    for name, builder in CHECKS.items():
        polars_params = list(inspect.signature(builder).parameters)[1:]
        spark_params = list(inspect.signature(SPARK_CHECKS[name]).parameters)[1:]
        assert polars_params == spark_params, name


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    return bool(a == b)


@pytest.mark.parametrize("kw", _CASTS, ids=lambda kw: "-".join(str(v) for v in kw.values()))
def test_parse_agrees_with_polars(spark: Any, kw: dict[str, Any]) -> None:
    expected = pl.DataFrame({"v": _TEXT}, schema={"v": pl.String}).select(
        cast_expr(pl.col("v"), **kw)).to_series().to_list()
    got = _spark_column(spark, _TEXT, lambda c: spark_cast(c, **kw))
    diff = [(v, e, g) for v, e, g in zip(_TEXT, expected, got, strict=True) if not _same(e, g)]
    assert not diff


@pytest.mark.parametrize(("name", "stats"), _CHECKS, ids=lambda x: str(x))
def test_check_agrees_with_polars(spark: Any, name: str, stats: dict[str, Any]) -> None:
    expected = pl.DataFrame({"v": _TEXT}, schema={"v": pl.String}).select(
        CHECKS[name](pl.col("v"), **stats).fill_null(True)).to_series().to_list()
    got = [True if g is None else g for g in
           _spark_column(spark, _TEXT, lambda c: SPARK_CHECKS[name](c, **stats))]
    diff = [(v, e, g) for v, e, g in zip(_TEXT, expected, got, strict=True) if e != g]
    assert not diff


@pytest.mark.parametrize(("stats", "values"), [
    ({"min": 0, "max": 37}, [-1, 0, 37, 38, None]),
    ({"min": date(2024, 3, 1), "max": date(2024, 3, 31)},
     [date(2024, 2, 29), date(2024, 3, 1), date(2024, 4, 1), None]),
    ({"min": None, "max": datetime(2024, 3, 31, 23, 59, 59)},
     [datetime(2024, 3, 31, 23, 59, 59), datetime(2024, 4, 1), None]),
])
def test_range_agrees_with_polars(spark: Any, stats: dict[str, Any], values: list[Any]) -> None:
    expected = pl.DataFrame({"v": values}).select(
        CHECKS["in_range"](pl.col("v"), **stats).fill_null(True)).to_series().to_list()
    kind = type(next(v for v in values if v is not None)).__name__
    schema = {"int": "v long", "date": "v date", "datetime": "v timestamp_ntz"}[kind]
    df = spark.createDataFrame([(v,) for v in values], schema)
    got = [True if r[0] is None else r[0]
           for r in df.select(SPARK_CHECKS["in_range"](df["v"], **stats)).collect()]
    assert got == expected
