"""Whole-file key rules with bounded memory: primary key, unique columns, references
between files of one delivery.

Batches append a 128-bit hash of each row's key (two independent 64-bit polars hashes;
a false match among 10⁸ keys has probability below 10⁻²¹) and the file-global row
number to three flat spill files in a private temporary folder, in file order — plus,
when no key column is personal, the key values, so examples can show them. Appending is
three sequential writes (a few ms per 1M keys, behind the checks).

* duplicates: a numpy sort of the first 64 bits finds the few candidate hashes; the
  candidates' rows are grouped exactly on all 128 bits;
* references: an anti-join of child and parent hashes.

A key set of up to :data:`MEMORY_KEYS` keys is judged whole (its first hashes in memory,
the rest memory-mapped); a larger one is first split into :data:`PARTITIONS` by the top
bits of the first hash, so memory stays bounded by about 1/:data:`PARTITIONS` of its keys
(24 bytes a key) at any file size. Splitting at every batch instead (the earlier design)
cost 30–40 ms per 1M keys for files that never needed it.

Why not DuckDB (the earlier store): its hash aggregate over 20M distinct 64-bit keys took
2.1 s wall and 4.2 CPU-s on this 2-core machine (spilling past its memory limit), a serial
tail after the last batch; numpy's vectorised sort of the same keys takes 0.4 s on one
core. Personal key values never enter the store: their examples show a mask of the key
hash, stable within the report.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from contractkit.engine.keyarrays import HeldKeys, positions_in, repeats, rows_array

__all__ = ["MEMORY_KEYS", "PARTITIONS", "ROW", "Duplicate", "Example", "KeyBatch", "KeyStore", "key_batch"]

ROW = "__ck_row"
H1, H2 = "__ck_h1", "__ck_h2"
_SALTS = (0x5EED_0000, 0x5EED_1000)
"""Salts of the two hashes; column ``i`` of a key is hashed with ``salt + i``."""
_PARTITION_BITS = 6
PARTITIONS = 1 << _PARTITION_BITS
"""Spill files per key set; the rules hold one partition in memory at a time."""
_RECORD = np.dtype([("h1", "<u8"), ("h2", "<u8"), ("row", "<i8")])

Example = tuple[int, tuple[Any, ...] | str]
Duplicate = tuple[int, tuple[Any, ...] | str, int]
"""A repeated key: its row, the key (values or hash text) and the row where it first occurs."""
MEMORY_KEYS = 1 << 25
"""Keys held in memory at most, over all key sets of a run (33.5M: 512 MiB of hashes);
a key set of up to this many keys is also judged in one piece."""
_FIRST = "__ck_first"


@dataclass(frozen=True)
class KeyBatch:
    """The non-null keys of one batch: two 64-bit hashes and the file row of each key,
    plus the key values (with :data:`ROW` first) when none of the key columns is personal."""

    h1: np.ndarray[Any, np.dtype[np.uint64]]
    h2: np.ndarray[Any, np.dtype[np.uint64]]
    rows: np.ndarray[Any, np.dtype[np.int64]]
    values: pl.DataFrame | None = None


def _column_hash(frame: pl.DataFrame, name: str, salt: int) -> pl.Expr:
    dtype = frame.schema[name]
    if isinstance(dtype, pl.Categorical):
        # a dictionary-read column (contractkit.engine.dtypes): each distinct text hashed
        # once and looked up by code, the very hash of the text (so files read either way
        # agree). Codes of a finished batch all have their text; null keys are dropped.
        hashes = dtype.categories.to_series().hash(salt)
        return pl.lit(hashes).gather(pl.col(name).to_physical()).fill_null(0)
    return pl.col(name).hash(salt)


def _key_hash(frame: pl.DataFrame, columns: list[str], salt: int) -> pl.Expr:
    # one hash per column, each with its own salt, combined by XOR: as strong as a
    # struct hash for telling keys apart and several times cheaper on chunked batches
    out = _column_hash(frame, columns[0], salt)
    for i, c in enumerate(columns[1:], start=1):
        out = out ^ _column_hash(frame, c, salt + i)
    return out


def key_batch(typed: pl.DataFrame, columns: list[str], offset: int,
              keep_values: bool) -> KeyBatch:
    """The keys of a batch whose first data row is file row ``offset + 1``.

    ``typed`` holds the key columns parsed; a string column may be dictionary-read (a
    ``Categorical``): its hashes and values are those of its text.
    """
    ok = "\x00ok"
    frame = typed.select(_key_hash(typed, columns, _SALTS[0]).alias(H1),
                         _key_hash(typed, columns, _SALTS[1]).alias(H2),
                         pl.all_horizontal(pl.col(c).is_not_null() for c in columns).alias(ok))
    h1, h2 = frame.get_column(H1).to_numpy(), frame.get_column(H2).to_numpy()
    rows = np.arange(offset + 1, offset + 1 + typed.height, dtype=np.int64)
    valid = frame.get_column(ok)
    if valid.null_count() or not valid.all():
        keep = valid.fill_null(False).to_numpy()
        h1, h2, rows = h1[keep], h2[keep], rows[keep]
    values = None
    if keep_values:
        values = pl.DataFrame({ROW: rows}).hstack(
            typed.select(pl.col(c).cast(pl.String)
                         if isinstance(typed.schema[c], pl.Categorical) else pl.col(c)
                         for c in columns)
            .filter(frame.get_column(ok).fill_null(False)))
    return KeyBatch(h1, h2, rows, values)


class KeyStore:
    """Spill files holding the key hashes of the files of one validation run.

    Args:
        memory_keys: a key set of at most this many keys is judged in one piece (its
            first hashes sorted in memory, 8 bytes a key); a larger one is split into
            :data:`PARTITIONS` by the top bits of its first hash, one pass over its spill
            files, and judged a partition at a time.
    """

    def __init__(self, memory_keys: int = MEMORY_KEYS) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="contractkit-keys-")
        self._folders: dict[str, Path] = {}
        self._sizes: dict[str, int] = {}
        self._value_files: dict[str, list[Path]] = {}
        self._split: set[str] = set()
        self._held: dict[str, HeldKeys] = {}
        self._expected: dict[str, int] = {}
        self._on_disk: set[str] = set()
        self._in_memory = 0
        self._serial = 0
        self.memory_keys = memory_keys

    @property
    def folder(self) -> Path:
        """The private spill folder (removed by :meth:`close`)."""
        return Path(self._tmp.name)

    def close(self) -> None:
        """Remove the spill folder."""
        self._tmp.cleanup()

    def declare(self, name: str, expected: int = 0) -> Path:
        """Start key set ``name`` (empty until batches arrive); returns its folder.
        ``expected``: about how many keys will come (an estimate from the file's size),
        so their first hashes are gathered without growing (copying) their array."""
        folder = self._folders.get(name)
        if folder is None:
            self._expected[name] = min(expected, self.memory_keys)
            self._serial += 1
            folder = self.folder / str(self._serial)
            folder.mkdir()
            self._folders[name] = folder
            self._sizes[name] = 0
            self._value_files[name] = []
        return folder

    def drop(self, name: str) -> None:
        """Forget key set ``name`` (its file is judged again from the start)."""
        held = self._held.pop(name, None)
        self._in_memory -= len(held) if held is not None else 0
        self._on_disk.discard(name)
        self._split.discard(name)
        self._sizes.pop(name, None)
        self._value_files.pop(name, None)
        folder = self._folders.pop(name, None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def append(self, name: str, keys: KeyBatch) -> None:
        """Append a batch's keys to key set ``name``: held in memory while all sets together
        hold at most :attr:`memory_keys` keys, else in three flat spill files, in file order."""
        folder = self.declare(name)
        if keys.values is not None:
            target = folder / f"v{len(self._value_files[name]):06d}.arrow"
            keys.values.write_ipc(target)
            self._value_files[name].append(target)
        n = len(keys.rows)
        if not n:
            return
        self._sizes[name] += n
        rows = keys.rows
        start = int(rows[0])
        consecutive = int(rows[-1]) - start + 1 == n
        if name in self._on_disk:
            self._write(name, keys.h1, keys.h2, rows)
            return
        held = self._held.get(name)
        if held is None:
            held = self._held[name] = HeldKeys(self._expected.get(name, 0))
        held.add(keys.h1, keys.h2, start if consecutive else rows)
        self._in_memory += n
        while self._in_memory > self.memory_keys:
            self._spill(max(self._held, key=lambda k: len(self._held[k])))

    def _spill(self, name: str) -> None:
        held = self._held.pop(name)
        self._in_memory -= len(held)
        self._on_disk.add(name)
        self._write(name, held.h1.data, held.h2.data, rows_array(held.rows(), len(held)))

    def _write(self, name: str, h1: np.ndarray[Any, Any], h2: np.ndarray[Any, Any],
               rows: np.ndarray[Any, Any]) -> None:
        folder = self._folders[name]
        with ((folder / H1).open("ab") as f1, (folder / H2).open("ab") as f2,
              (folder / ROW).open("ab") as fr):
            h1.tofile(f1)
            h2.tofile(f2)
            rows.tofile(fr)

    def _column(self, name: str, column: str) -> np.ndarray[Any, Any]:
        dtype = np.int64 if column == ROW else np.uint64
        if not self._sizes[name]:
            return np.empty(0, dtype=dtype)
        if name in self._on_disk:
            return np.memmap(self._folders[name] / column, dtype=dtype, mode="r")
        held = self._held[name]
        if column == ROW:
            return rows_array(held.rows(), len(held))
        return (held.h1 if column == H1 else held.h2).data

    def _parts(self, name: str, split: bool) -> Iterator[list[_Chunk]]:
        """The key set whole (as held: one chunk per batch, or its spill files), or
        (``split``) one partition after another."""
        if not split:
            if name in self._on_disk or not self._sizes[name]:
                yield [_Chunk(self._column(name, H1), self._column(name, H2),
                              self._column(name, ROW))]
            else:
                held = self._held[name]
                yield [_Chunk(held.h1.data, held.h2.data, held.rows())]
            return
        self._split_up(name)
        for p in range(PARTITIONS):
            path = self._folders[name] / f"p{p:02d}"
            if path.exists():
                records = np.fromfile(path, dtype=_RECORD)
                yield [_Chunk(records["h1"], records["h2"], records["row"])]
            else:
                yield []

    def _split_up(self, name: str) -> None:
        """Partition key set ``name`` by the top bits of its first hash (once)."""
        if name in self._split:
            return
        self._split.add(name)
        folder, size = self._folders[name], self._sizes[name]
        h1, h2, rows = (self._column(name, c) for c in (H1, H2, ROW))
        step = max(self.memory_keys, 1)
        for lo in range(0, size, step):
            chunk = slice(lo, min(lo + step, size))
            part = (h1[chunk] >> np.uint64(64 - _PARTITION_BITS)).astype(np.uint8)
            order = np.argsort(part, kind="stable")  # a radix sort for 8-bit keys
            records = np.empty(len(order), dtype=_RECORD)
            records["h1"] = h1[chunk][order]
            records["h2"] = h2[chunk][order]
            records["row"] = rows[chunk][order]
            bounds = np.searchsorted(part[order], np.arange(PARTITIONS + 1))
            for p in np.flatnonzero(np.diff(bounds)):
                with (folder / f"p{p:02d}").open("ab") as fh:
                    records[bounds[p]:bounds[p + 1]].tofile(fh)

    def duplicates(self, name: str, limit: int) -> tuple[int, list[Duplicate]]:
        """Rows repeating an earlier row's key (rows with a null key part excluded).

        Returns:
            The exact number of such rows and up to ``limit`` examples ``(row, key,
            first)``, in file order: ``first`` is the row where the key first occurs (which
            is not counted). ``key`` is the tuple of values, or the key's hash text when
            the values were not stored.
        """
        if name not in self._folders:
            return 0, []
        total, found = 0, []
        split = self._sizes[name] > self.memory_keys
        for chunks in self._parts(name, split):
            if sum(len(c.h1) for c in chunks) < 2:
                continue
            held = None if split else self._held.get(name)
            if held is not None:
                values = held.repeated_firsts()
            else:
                values = repeats(np.concatenate([c.h1 for c in chunks]))  # sorts a copy
            repeated = pl.Series(values).implode()
            if not len(repeated[0]):
                continue
            cand = pl.concat([c.frame(where) for c in chunks
                              for where in [positions_in(c.h1, repeated)]])
            dup = cand.with_columns(pl.col(ROW).min().over(H1, H2).alias(_FIRST)).filter(
                pl.col(ROW) > pl.col(_FIRST))
            total += dup.height
            found.append(dup.sort(ROW).head(limit))
        first = {int(r): int(f) for r, f in
                 pl.concat(found).select(ROW, _FIRST).iter_rows()} if found else {}
        return total, [(row, key, first[row]) for row, key in
                       self._examples(name, [f.drop(_FIRST) for f in found], limit)]

    def missing_references(self, child: str, parent: str,
                           limit: int) -> tuple[int, list[Example]]:
        """Rows of ``child`` whose key (no nulls) is absent from ``parent``."""
        if child not in self._folders or parent not in self._folders:
            return 0, []
        split = self._sizes[child] + self._sizes[parent] > self.memory_keys
        total, found = 0, []
        for kids, targets in zip(self._parts(child, split), self._parts(parent, split),
                                 strict=True):
            if not kids:
                continue
            missing = pl.concat([c.frame() for c in kids])
            if targets:
                missing = missing.join(pl.concat([c.frame().drop(ROW) for c in targets]),
                                       on=[H1, H2], how="anti")
            total += missing.height
            found.append(missing.sort(ROW).head(limit))
        return total, self._examples(child, found, limit)

    def _examples(self, name: str, found: list[pl.DataFrame], limit: int) -> list[Example]:
        if not found:
            return []
        rows = pl.concat(found).sort(ROW).head(limit)
        files = self._value_files[name]
        if files:
            wanted = rows.get_column(ROW).to_list()
            values = pl.scan_ipc(files).filter(pl.col(ROW).is_in(wanted)).collect()
            return [(int(rec[0]), tuple(rec[1:])) for rec in values.sort(ROW).iter_rows()]
        return [(int(row), f"{h1:016x}{h2:016x}")
                for h1, h2, row in rows.select(H1, H2, ROW).iter_rows()]


@dataclass(frozen=True)
class _Chunk:
    """Keys of one held batch, of the spill files or of one partition."""

    h1: np.ndarray[Any, Any]
    h2: np.ndarray[Any, Any]
    rows: np.ndarray[Any, Any] | int
    """The rows, or the first of ``len(h1)`` consecutive rows."""

    def frame(self, where: np.ndarray[Any, Any] | None = None) -> pl.DataFrame:
        """The keys at positions ``where`` (all by default) with their rows."""
        if where is None:
            where = np.arange(len(self.h1))
        rows = (self.rows + where if isinstance(self.rows, int)
                else np.asarray(self.rows)[where])
        return pl.DataFrame({H1: np.asarray(self.h1)[where], H2: np.asarray(self.h2)[where],
                             ROW: rows.astype(np.int64)})
