"""Arrays that grow as key batches arrive, allocated at the size the file's rows suggest.

A key set of 20M keys holds 480 MB of hashes in memory. Grown by doubling, each growth
copies what was gathered into fresh memory, and fresh memory costs a page fault per
4 KiB: measured on this project's 2-core machine, gathering 20M first hashes that way
took 0.45 s, into an array allocated once at the expected size 0.04–0.1 s. The arrays
are private anonymous memory mappings: their untouched pages cost address space, not
memory, so a generous estimate is cheap. (Transparent huge pages were measured too:
0.03 s when the kernel has them ready, 0.7–1.4 s when it must first compact memory —
numpy asks for them for its large arrays, hence not ``numpy.empty``.)
"""

from __future__ import annotations

import mmap
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import polars as pl

__all__ = ["Growing", "HeldKeys", "big_array", "positions_in", "repeats", "rows_array"]

_MAPPED_FROM = 4 << 20
_PARALLEL_FROM = 1 << 20
"""Arrays from this many bytes on are memory mappings of their own."""


def big_array(n: int, dtype: np.dtype[Any] | type[Any]) -> np.ndarray[Any, Any]:
    """An uninitialised array of ``n`` items (zero pages until written)."""
    size = max(n, 0) * np.dtype(dtype).itemsize
    if size < _MAPPED_FROM:
        return np.empty(n, dtype=dtype)
    # freed with the last array using it
    area = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    return np.frombuffer(area, dtype=dtype, count=n)


class Growing:
    """An array to which values are appended; :attr:`data` is what was appended."""

    def __init__(self, dtype: np.dtype[Any] | type[Any], expected: int = 0) -> None:
        self._dtype = np.dtype(dtype)
        self._values = big_array(expected, self._dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, values: np.ndarray[Any, Any]) -> None:
        """Append ``values`` (the array grows to twice its size when full)."""
        end = self._size + len(values)
        if end > len(self._values):
            grown = big_array(max(end, 2 * len(self._values), 1 << 16), self._dtype)
            grown[:self._size] = self._values[:self._size]
            self._values = grown
        self._values[self._size:end] = values
        self._size = end

    @property
    def data(self) -> np.ndarray[Any, Any]:
        """The appended values (a view: later appends may or may not show in it)."""
        return self._values[:self._size]


class HeldKeys:
    """A key set held in memory: its first and second hashes in file order, a copy of the
    first hashes gathered as batches arrive (behind the checks) to be sorted in place
    after the last batch, and the rows of each batch (an array, or the first of
    consecutive rows: unless a key part is null)."""

    def __init__(self, expected: int) -> None:
        self.h1 = Growing(np.uint64, expected)
        self.h2 = Growing(np.uint64, expected)
        self.firsts = Growing(np.uint64, expected)
        self._rows: list[tuple[np.ndarray[Any, Any] | int, int]] = []

    def __len__(self) -> int:
        return len(self.h1)

    def add(self, h1: np.ndarray[Any, Any], h2: np.ndarray[Any, Any],
            rows: np.ndarray[Any, Any] | int) -> None:
        self.h1.add(h1)
        self.h2.add(h2)
        self.firsts.add(h1)
        self._rows.append((rows, len(h1)))

    def rows(self) -> np.ndarray[Any, Any] | int:
        """The rows of all keys, or the first of them when they are consecutive."""
        start = self._rows[0][0] if self._rows else 0
        if isinstance(start, int):
            at = start
            for rows, n in self._rows:
                if not isinstance(rows, int) or rows != at:
                    break
                at += n
            else:
                return start
        return np.concatenate([rows_array(rows, n) for rows, n in self._rows])

    def repeated_firsts(self) -> np.ndarray[Any, Any]:
        """The first hashes that occur more than once (sorted in place: see :func:`repeats`)."""
        return repeats(self.firsts.data)


def repeats(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The values that occur more than once in ``values``, once per repetition.

    ``values`` is sorted in place, on both cores: it is first partitioned around its
    median (0.03 s at 20M), then each half is sorted and scanned for equal neighbours at
    once (numpy lets go of the GIL) — the serial tail of a file's key rules: 0.23 s at 20M
    keys on one core, 0.12 s on two.
    """
    if len(values) < _PARALLEL_FROM:
        return _sorted_repeats(values)
    half = len(values) // 2
    values.partition(half)  # all before `half` ≤ all after: the halves sorted sort all
    with ThreadPoolExecutor(2, thread_name_prefix="contractkit-sort") as pool:
        left, right = pool.map(_sorted_repeats, (values[:half], values[half:]))
    seam = values[half - 1:half + 1]  # equal neighbours across the halves
    return np.concatenate([left, right, seam[1:][seam[1:] == seam[:-1]]])


def _sorted_repeats(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    values.sort()
    found: np.ndarray[Any, Any] = values[1:][values[1:] == values[:-1]]
    return found


def rows_array(rows: np.ndarray[Any, Any] | int, n: int) -> np.ndarray[Any, Any]:
    """Held rows: an array, or the first of ``n`` consecutive rows."""
    if isinstance(rows, int):
        return np.arange(rows, rows + n, dtype=np.int64)
    return rows


def positions_in(values: np.ndarray[Any, Any], wanted: pl.Series) -> np.ndarray[Any, Any]:
    """Positions of ``values`` that are among ``wanted`` (an imploded series), the two
    halves of ``values`` looked up at once."""
    def lookup(part: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        found: np.ndarray[Any, Any] = np.flatnonzero(pl.Series(part).is_in(wanted).to_numpy())
        return found

    if len(values) < _PARALLEL_FROM:
        return lookup(values)
    half = len(values) // 2
    with ThreadPoolExecutor(2, thread_name_prefix="contractkit-lookup") as pool:
        left, right = pool.map(lookup, (values[:half], values[half:]))
    return np.concatenate([left, right + half])
