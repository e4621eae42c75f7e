"""The in-memory arrays of the key store: growth, and duplicates found on both cores."""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.engine.keyarrays import Growing, HeldKeys, positions_in, repeats


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 2**32 - 1), distinct=st.integers(1, 50_000),
       size=st.sampled_from([0, 1, 2, 7, 1000, (1 << 20) - 1, 1 << 20, (1 << 20) + 3]))
def test_repeats_are_the_values_beyond_their_first_occurrence(seed: int, distinct: int,
                                                              size: int) -> None:
    # large arrays take the partition-and-sort-the-halves path; values equal to the median
    # land on both sides of it, and must still be found
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 2**64 - 1, distinct, dtype=np.uint64, endpoint=True)
    values = pool[rng.integers(0, distinct, size)]
    want = Counter(values.tolist())
    found = repeats(values.copy())
    assert Counter(found.tolist()) == {v: n - 1 for v, n in want.items() if n > 1}


def test_a_growing_array_keeps_what_was_added_across_growth() -> None:
    grown = Growing(np.uint64, 3)
    parts = [np.arange(i * 10, i * 10 + n, dtype=np.uint64) for i, n in enumerate([2, 5, 0, 70000])]
    for part in parts:
        grown.add(part)
    assert len(grown) == 70007
    assert np.array_equal(grown.data, np.concatenate(parts))


def test_held_keys_give_consecutive_rows_as_their_first_and_others_in_full() -> None:
    held = HeldKeys(10)
    one = np.array([1, 2], dtype=np.uint64)
    held.add(one, one, 1)
    held.add(one, one, 3)
    assert held.rows() == 1
    held.add(one, one, np.array([7, 9]))
    assert np.array_equal(np.asarray(held.rows()), [1, 2, 3, 4, 7, 9])
    assert held.repeated_firsts().tolist() == [1, 1, 2, 2]


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.sampled_from([5, (1 << 20) + 7]))
def test_positions_in_are_every_position_of_a_wanted_value(seed: int, size: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 1000, size).astype(np.uint64)
    wanted = [3, 999, 5000]
    found = positions_in(values, pl.Series(wanted, dtype=pl.UInt64).implode())
    assert np.array_equal(found, np.flatnonzero(np.isin(values, wanted)))
