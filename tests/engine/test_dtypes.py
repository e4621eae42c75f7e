"""Dictionary-read columns: counting on the dictionary's codes agrees with a group_by on
the text for any values, nulls and batches."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.engine.dtypes import category_counts

VALUES = st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=60)


def _as_set(frame: pl.DataFrame) -> set[tuple[str | None, int]]:
    return {(v, int(n)) for v, n in frame.iter_rows()}


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(batches=st.lists(VALUES, min_size=1, max_size=4))
def test_category_counts_agree_with_a_group_by_on_the_text(batches: list[list[str | None]]
                                                           ) -> None:
    # batches of one file share one dictionary, as the reader's batches do
    dtype = pl.Categorical(pl.Categories.random())
    for values in batches:
        column = pl.Series("c", values, dtype=pl.String).cast(dtype)
        want = pl.DataFrame({"c": values}, schema={"c": pl.String}).group_by("c").agg(
            pl.len().alias("n"))
        got = category_counts(column, "n")
        assert got.schema == pl.Schema({"c": pl.String, "n": pl.UInt32})
        assert _as_set(got) == _as_set(want)
