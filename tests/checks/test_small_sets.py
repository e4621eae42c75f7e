"""Set membership: a chain of equalities for small sets gives the very verdicts of a hashed
lookup, nulls included (null in, null out: the not-null rule alone judges nullness)."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.checks.exprs import SMALL_SET, in_set

WORDS = st.sampled_from(["M", "K", "", "m", "MK", "111", "0111", "x"])


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(values=st.lists(WORDS, min_size=1, max_size=SMALL_SET + 3, unique=True),
       cells=st.lists(st.one_of(st.none(), WORDS), max_size=30))
def test_small_sets_agree_with_a_hashed_lookup(values: list[str], cells: list[str | None]
                                               ) -> None:
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.String})
    got = frame.select(in_set(pl.col("v"), values=values)).to_series().to_list()
    want = frame.select(pl.col("v").is_in(values)).to_series().to_list()
    assert got == want


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(values=st.lists(st.integers(-3, 9), min_size=1, max_size=SMALL_SET + 3, unique=True),
       cells=st.lists(st.one_of(st.none(), st.integers(-3, 9)), max_size=30))
def test_small_integer_sets_agree_with_a_hashed_lookup(values: list[int],
                                                       cells: list[int | None]) -> None:
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.Int64})
    got = frame.select(in_set(pl.col("v"), values=values)).to_series().to_list()
    want = frame.select(pl.col("v").is_in(values)).to_series().to_list()
    assert got == want
