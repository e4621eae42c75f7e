"""`century_digits` is the exact inverse of the century rule, for every year."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from contractkit.checks.cpr import century_digits, cpr_birth_date


@given(st.integers(min_value=1700, max_value=2200), st.integers(min_value=0, max_value=9))
def test_a_digit_is_offered_exactly_when_it_decodes_to_the_year(year: int, digit: int) -> None:
    cpr = f"0101{year % 100:02d}{digit}123"
    decodes_to_year = cpr_birth_date(cpr) == date(year, 1, 1)
    assert (digit in century_digits(year)) is decodes_to_year


def test_the_span_cpr_can_express() -> None:
    assert century_digits(1857) == ()
    assert century_digits(1858) == (5, 6, 7, 8)
    assert century_digits(1937) == (0, 1, 2, 3, 4, 9)
    assert century_digits(2036) == (4, 5, 6, 7, 8, 9)
    assert century_digits(2058) == ()
