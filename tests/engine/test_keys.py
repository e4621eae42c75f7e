"""The key store: duplicate keys and broken references agree with a plain Python oracle
for any keys and any batching, and personal key values never reach its spill files."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.engine.keys import MEMORY_KEYS, PARTITIONS, KeyStore, key_batch

KEYS = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 6)),
                          st.sampled_from(["a", "b", None])), max_size=80)
CUTS = st.lists(st.integers(1, 80), max_size=6)


def _store(store: KeyStore, name: str, keys: list[tuple[Any, ...]], cuts: list[int],
           keep: bool) -> None:
    frame = pl.DataFrame({"p": [k[0] for k in keys], "q": [k[1] for k in keys]},
                         schema={"p": pl.Int64, "q": pl.String})
    store.declare(name)
    bounds = sorted({0, len(keys), *(c for c in cuts if c < len(keys))})
    for lo, hi in itertools.pairwise(bounds):
        store.append(name, key_batch(frame.slice(lo, hi - lo), ["p", "q"], lo, keep))


def _oracle_duplicates(keys: list[tuple[Any, ...]]) -> list[tuple[int, tuple[Any, ...], int]]:
    first: dict[tuple[Any, ...], int] = {}
    out = []
    for row, key in enumerate(keys, start=1):
        if None in key:
            continue
        if key in first:
            out.append((row, key, first[key]))
        first.setdefault(key, row)
    return out


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(keys=KEYS, cuts=CUTS, keep=st.booleans(), limit=st.integers(0, 5),
       memory=st.sampled_from([MEMORY_KEYS, 7, 0]))
def test_duplicates_match_the_oracle(keys: list[tuple[Any, ...]], cuts: list[int], keep: bool,
                                     limit: int, memory: int) -> None:
    """Whole or split into partitions, the store finds every repeated key, the row where
    it first occurs, and examples in file order."""
    store = KeyStore(memory_keys=memory)
    try:
        _store(store, "pk", keys, cuts, keep)
        total, examples = store.duplicates("pk", limit)
    finally:
        store.close()
    want = _oracle_duplicates(keys)
    assert total == len(want)
    assert [(row, first) for row, _, first in examples] == [
        (row, first) for row, _, first in want[:limit]]
    if keep:
        assert [key for _, key, _ in examples] == [key for _, key, _ in want[:limit]]
    else:  # hash text only, one text per key
        shown = [key for _, key, _ in examples]
        keys_shown = [key for _, key, _ in want[:limit]]
        assert all(isinstance(t, str) and len(t) == 32 for t in shown)
        assert len(set(zip(keys_shown, shown, strict=True))) == len(set(keys_shown)) == len(
            set(shown))


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(child=KEYS, parent=KEYS, cuts=CUTS, limit=st.integers(0, 5),
       memory=st.sampled_from([MEMORY_KEYS, 7, 0]))
def test_missing_references_match_the_oracle(child: list[tuple[Any, ...]],
                                             parent: list[tuple[Any, ...]], cuts: list[int],
                                             limit: int, memory: int) -> None:
    store = KeyStore(memory_keys=memory)
    try:
        _store(store, "child", child, cuts, True)
        _store(store, "parent", parent, [], True)
        total, examples = store.missing_references("child", "parent", limit)
    finally:
        store.close()
    targets = {k for k in parent if None not in k}
    want = [(row, k) for row, k in enumerate(child, start=1) if None not in k
            and k not in targets]
    assert total == len(want)
    assert examples == want[:limit]


def test_a_large_key_set_is_split_into_partitions_and_judged_in_each() -> None:
    n = 20_000
    frame = pl.DataFrame({"id": [i % (n - 50) for i in range(n)]})  # the last 50 repeat
    store = KeyStore(memory_keys=n - 1)
    try:
        store.append("pk", key_batch(frame, ["id"], 0, False))
        total, examples = store.duplicates("pk", 100)
        parts = [p for p in store.folder.rglob("p*") if p.stat().st_size]
    finally:
        store.close()
    assert len(parts) == PARTITIONS
    assert total == 50
    assert [(row, first) for row, _, first in examples] == [
        (r, r - (n - 50)) for r in range(n - 49, n + 1)]


def test_personal_key_values_never_reach_the_spill_files() -> None:
    cprs = [f"{d:02d}0180-{s:04d}" for d in range(1, 29) for s in range(1000, 1040)]
    frame = pl.DataFrame({"cpr": cprs + cprs[:10], "uge": ["2024-W10"] * (len(cprs) + 10)})
    store = KeyStore(memory_keys=0)  # every key spilled to disk
    try:
        store.append("pk", key_batch(frame, ["cpr", "uge"], 0, keep_values=False))
        total, examples = store.duplicates("pk", 20)
        spilled = b"".join(p.read_bytes() for p in store.folder.rglob("*") if p.is_file())
    finally:
        store.close()
    assert spilled
    for cpr in cprs:
        assert cpr.encode() not in spilled
        assert cpr.replace("-", "").encode() not in spilled
    assert total == 10
    assert all(isinstance(key, str) for _, key, _ in examples)


def test_close_removes_the_spill_folder() -> None:
    store = KeyStore()
    store.append("pk", key_batch(pl.DataFrame({"id": [1, 1]}), ["id"], 0, True))
    folder = store.folder
    assert any(folder.rglob("*"))
    store.close()
    assert not folder.exists()


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(keys=KEYS, keep=st.booleans())
def test_a_dictionary_read_key_column_hashes_as_its_text(keys: list[tuple[Any, ...]],
                                                         keep: bool) -> None:
    """A key column read as a Categorical gives the very keys of its text, so files read
    either way find each other's keys (references) and the same duplicates."""
    text = pl.DataFrame({"p": [k[0] for k in keys], "q": [k[1] for k in keys]},
                        schema={"p": pl.Int64, "q": pl.String})
    dictionary = text.with_columns(pl.col("q").cast(pl.Categorical(pl.Categories.random())))
    a = key_batch(text, ["p", "q"], 10, keep)
    b = key_batch(dictionary, ["p", "q"], 10, keep)
    assert a.h1.tolist() == b.h1.tolist()
    assert a.h2.tolist() == b.h2.tolist()
    assert a.rows.tolist() == b.rows.tolist()
    if keep:
        assert a.values is not None
        assert b.values is not None
        assert a.values.equals(b.values)
