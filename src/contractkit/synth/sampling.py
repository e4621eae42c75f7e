"""Seeded sampling primitives shared by the vectorised generators (numpy only)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["distinct_draws", "sorted_unique"]


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """The distinct values of ``a``, sorted (sort-based; numpy 2's ``unique`` is slower)."""
    s = np.sort(a, kind="stable")
    if s.size == 0:
        return s
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def distinct_draws(rng: np.random.Generator, n: int,
                   draw: Callable[[int], np.ndarray]) -> np.ndarray:
    """``n`` distinct int64 keys from ``draw(k)`` (k random keys), in random order.

    The caller guarantees the key space is much larger than ``n``; the loop only tops
    up the few collisions.
    """
    keys = sorted_unique(draw(n))
    while keys.size < n:
        keys = sorted_unique(np.concatenate([keys, draw(2 * (n - keys.size) + 16)]))
    return rng.permutation(keys)[:n]
