"""The key store: duplicate keys and broken references agree with a plain Python oracle
for any keys and any batching, and personal key values never reach its spill files."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.engine.keys import PARTITIONS, KeyStore, key_batch

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


def _oracle_duplicates(keys: list[tuple[Any, ...]]) -> list[tuple[int, tuple[Any, ...]]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row, key in enumerate(keys, start=1):
        if None in key:
            continue
        if key in seen:
            out.append((row, key))
        seen.add(key)
    return out


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(keys=KEYS, cuts=CUTS, keep=st.booleans(), limit=st.integers(0, 5))
def test_duplicates_match_the_oracle(keys: list[tuple[Any, ...]], cuts: list[int], keep: bool,
                                     limit: int) -> None:
    store = KeyStore()
    try:
        _store(store, "pk", keys, cuts, keep)
        total, examples = store.duplicates("pk", limit)
    finally:
        store.close()
    want = _oracle_duplicates(keys)
    assert total == len(want)
    assert [row for row, _ in examples] == [row for row, _ in want[:limit]]
    if keep:
        assert [key for _, key in examples] == [key for _, key in want[:limit]]
    else:  # hash text only, one text per key
        shown = [key for _, key in examples]
        keys_shown = [key for _, key in want[:limit]]
        assert all(isinstance(t, str) and len(t) == 32 for t in shown)
        assert len(set(zip(keys_shown, shown, strict=True))) == len(set(keys_shown)) == len(
            set(shown))


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(child=KEYS, parent=KEYS, cuts=CUTS, limit=st.integers(0, 5))
def test_missing_references_match_the_oracle(child: list[tuple[Any, ...]],
                                             parent: list[tuple[Any, ...]], cuts: list[int],
                                             limit: int) -> None:
    store = KeyStore()
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


def test_keys_spread_over_partitions_and_are_found_in_each() -> None:
    n = 20_000
    frame = pl.DataFrame({"id": [i % (n - 50) for i in range(n)]})  # the last 50 repeat
    store = KeyStore()
    try:
        store.append("pk", key_batch(frame, ["id"], 0, False))
        parts = [p for p in store.folder.rglob("p*") if p.stat().st_size]
        total, examples = store.duplicates("pk", 100)
    finally:
        store.close()
    assert len(parts) == PARTITIONS
    assert total == 50
    assert [row for row, _ in examples] == list(range(n - 49, n + 1))


def test_personal_key_values_never_reach_the_spill_files() -> None:
    cprs = [f"{d:02d}0180-{s:04d}" for d in range(1, 29) for s in range(1000, 1040)]
    frame = pl.DataFrame({"cpr": cprs + cprs[:10], "uge": ["2024-W10"] * (len(cprs) + 10)})
    store = KeyStore()
    try:
        store.append("pk", key_batch(frame, ["cpr", "uge"], 0, keep_values=False))
        spilled = b"".join(p.read_bytes() for p in store.folder.rglob("*") if p.is_file())
        total, examples = store.duplicates("pk", 20)
    finally:
        store.close()
    assert spilled
    for cpr in cprs:
        assert cpr.encode() not in spilled
        assert cpr.replace("-", "").encode() not in spilled
    assert total == 10
    assert all(isinstance(key, str) for _, key in examples)


def test_close_removes_the_spill_folder() -> None:
    store = KeyStore()
    store.append("pk", key_batch(pl.DataFrame({"id": [1, 1]}), ["id"], 0, True))
    folder = store.folder
    assert any(folder.rglob("*"))
    store.close()
    assert not folder.exists()
