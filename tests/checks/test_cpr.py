"""CPR birth date and century rule (DESIGN §5), and agreement with the polars check."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractkit.checks.cpr import cpr_birth_date, is_valid_cpr
from contractkit.checks.exprs import CHECKS


@pytest.mark.parametrize(("cpr", "born"), [
    ("010180-1234", date(1980, 1, 1)),
    ("0101801234", date(1980, 1, 1)),
    ("290200-4321", date(2000, 2, 29)),
    ("010137-4321", date(1937, 1, 1)),
    ("010136-9321", date(2036, 1, 1)),
    ("010158-5321", date(1858, 1, 1)),
    ("010157-8321", date(2057, 1, 1)),
    ("290296-1234", date(1996, 2, 29)),
])
def test_birth_dates(cpr: str, born: date) -> None:
    assert cpr_birth_date(cpr) == born


@pytest.mark.parametrize("cpr", ["290200-1234", "290297-1234", "320180-1234", "011380-1234",
                                 "010180 1234", "010180-123", "", "abcdefghij"])
def test_invalid(cpr: str) -> None:
    assert not is_valid_cpr(cpr)


@given(st.text(alphabet="0123456789-", min_size=10, max_size=11))
def test_polars_check_agrees_with_python(s: str) -> None:
    got = pl.select(CHECKS["cpr"](pl.lit(s))).item()
    assert bool(got) is is_valid_cpr(s)


def test_polars_check_agrees_on_every_date_and_century_digit() -> None:
    values = [f"{d:02d}{m:02d}{y:02d}{sep}{d7}123" for y in range(100) for m in range(14)
              for d in range(33) for d7 in range(10) for sep in ("-", "")]
    got = pl.select(CHECKS["cpr"](pl.lit(pl.Series(values)))).to_series().to_list()
    assert [bool(g) for g in got] == [is_valid_cpr(v) for v in values]
