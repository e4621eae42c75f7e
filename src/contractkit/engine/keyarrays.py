"""Arrays that grow as key batches arrive, backed by huge pages where the system has them.

A key set of 20M keys holds 480 MB of hashes in memory. Written page by page, fresh memory
costs a page fault per 4 KiB, measured on this project's 2-core machine at about 0.35 s per
160 MB — more than the sort that later finds the duplicates. Backed by transparent huge
pages (2 MiB, where the kernel offers them on request: ``madvise``), the same array filled
in 0.08 s. The arrays are allocated at the size the file's rows suggest, so they rarely
grow; their untouched pages cost address space, not memory.
"""

from __future__ import annotations

import contextlib
import mmap
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

__all__ = ["Growing", "HeldKeys", "big_array", "repeats", "rows_array"]

_HUGE_FROM = 4 << 20
_TOP_BIT = np.uint64(1 << 63)
"""Arrays from this many bytes on are asked for huge pages."""


def big_array(n: int, dtype: np.dtype[Any] | type[Any]) -> np.ndarray[Any, Any]:
    """An uninitialised array of ``n`` items, on huge pages where the system has them."""
    size = max(n, 0) * np.dtype(dtype).itemsize
    advise = getattr(mmap, "MADV_HUGEPAGE", None)
    if size < _HUGE_FROM or advise is None:
        return np.empty(n, dtype=dtype)
    area = mmap.mmap(-1, size)  # anonymous memory, freed with the last array using it
    with contextlib.suppress(OSError):  # no huge pages here: plain pages then
        area.madvise(advise)
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
    """A key set held in memory: its first and second hashes in file order, and a copy of
    the first hashes gathered as batches arrive (behind the checks), split by their top
    bit, to be sorted in place after the last batch — the two halves at once, one per
    core (the sort is the serial tail of a file: 0.18 s at 20M keys on one core) — plus
    the rows of each batch (an array, or the first of consecutive rows: unless a key part
    is null)."""

    def __init__(self, expected: int) -> None:
        self.h1 = Growing(np.uint64, expected)
        self.h2 = Growing(np.uint64, expected)
        self._halves = (Growing(np.uint64, expected // 2 + expected // 8),
                        Growing(np.uint64, expected // 2 + expected // 8))
        self._rows: list[tuple[np.ndarray[Any, Any] | int, int]] = []

    def __len__(self) -> int:
        return len(self.h1)

    def add(self, h1: np.ndarray[Any, Any], h2: np.ndarray[Any, Any],
            rows: np.ndarray[Any, Any] | int) -> None:
        self.h1.add(h1)
        self.h2.add(h2)
        high = h1 >= _TOP_BIT
        self._halves[0].add(h1[~high])
        self._halves[1].add(h1[high])
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
        """The first hashes that occur more than once (each half sorted in place, the two
        in parallel: numpy's sort lets go of the GIL)."""
        with ThreadPoolExecutor(2, thread_name_prefix="contractkit-sort") as pool:
            found = list(pool.map(repeats, (half.data for half in self._halves)))
        return np.concatenate(found)


def repeats(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The values that occur more than once in ``values`` (sorted in place), once per
    repetition."""
    values.sort()
    found: np.ndarray[Any, Any] = values[1:][values[1:] == values[:-1]]
    return found


def rows_array(rows: np.ndarray[Any, Any] | int, n: int) -> np.ndarray[Any, Any]:
    """Held rows: an array, or the first of ``n`` consecutive rows."""
    if isinstance(rows, int):
        return np.arange(rows, rows + n, dtype=np.int64)
    return rows
