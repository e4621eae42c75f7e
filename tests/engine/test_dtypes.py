"""Dictionary-read columns: the verdicts kept per code count exactly what judging every
row counts, for any values, nulls and batches of one file."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.engine.codes import CodeVerdicts

VALUES = st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "ab", "", "x", "zz"])),
                  max_size=40)


def _judge(values: pl.Series) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Three rules: not null; longer than one character; starts with a (nulls pass)."""
    frame = values.alias("v").to_frame()
    return frame.select(pl.col("v").is_null().alias("0"),
                        (pl.col("v").str.len_chars() > 1).fill_null(False).alias("1"),
                        pl.col("v").str.starts_with("a").fill_null(False).alias("2")).to_numpy()


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(batches=st.lists(VALUES, min_size=1, max_size=5), fresh=st.booleans())
def test_kept_verdicts_count_what_judging_every_row_counts(batches: list[list[str | None]],
                                                          fresh: bool) -> None:
    # the batches of one file share one dictionary; `fresh` gives each batch its own, as a
    # new file does, and the kept verdicts must not carry over. (A dictionary that no
    # column refers to any more may also start afresh: the casts here are dropped at once.)
    kept = CodeVerdicts(_judge, 3)
    dtype = pl.Categorical(pl.Categories.random())
    for values in batches:
        if fresh:
            dtype = pl.Categorical(pl.Categories.random())
        text = pl.Series("v", values, dtype=pl.String)
        failing, distinct = kept.counts(text.cast(dtype))
        assert failing == [int(n) for n in _judge(text).sum(axis=0)]
        assert distinct == text.n_unique()
