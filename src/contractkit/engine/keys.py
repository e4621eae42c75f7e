"""Whole-file key rules in DuckDB with bounded memory: primary key, unique columns,
references between files of one delivery.

Batches append a 128-bit hash of each row's key (two independent 64-bit polars hashes;
a false match among 10⁸ keys has probability below 10⁻²¹) and the file-global row
number to DuckDB tables — plus the key values themselves when no key column is
personal, so examples can show them. The checks are then one ``GROUP BY … HAVING
count(*) > 1`` (or an anti-join) each. DuckDB spills to a private temporary folder
beyond :data:`MEMORY_LIMIT`. Personal key values never enter the store: their examples
show a mask of the key hash, stable within the report.
"""

from __future__ import annotations

import tempfile
from typing import Any

import polars as pl

__all__ = ["MEMORY_LIMIT", "ROW", "KeyStore", "key_frame"]

MEMORY_LIMIT = "700MB"
ROW = "__ck_row"
H1, H2 = "__ck_h1", "__ck_h2"
_SEEDS = (0x5EED_0001, 0x5EED_0002)


def key_frame(typed: pl.DataFrame, columns: list[str], offset: int,
              keep_values: bool) -> pl.DataFrame:
    """Hashes (and, if allowed, values) of the non-null keys of a batch, with global rows."""
    key = pl.struct([pl.col(c) for c in columns])
    exprs = [key.hash(_SEEDS[0]).alias(H1), key.hash(_SEEDS[1]).alias(H2), pl.col(ROW)]
    if keep_values:
        exprs += [pl.col(c) for c in columns]
    not_null = pl.all_horizontal([pl.col(c).is_not_null() for c in columns])
    # number the rows before dropping null keys, so each kept row keeps its own file row
    rows = pl.int_range(offset + 1, offset + 1 + pl.len(), dtype=pl.Int64).alias(ROW)
    return typed.lazy().with_columns(rows).filter(not_null).select(exprs).collect()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class KeyStore:
    """A private DuckDB database holding key columns of the files of one validation run."""

    def __init__(self, memory_limit: str = MEMORY_LIMIT) -> None:
        import duckdb

        self._tmp = tempfile.TemporaryDirectory(prefix="contractkit-keys-")
        self._con = duckdb.connect(":memory:", config={
            "memory_limit": memory_limit,
            "temp_directory": self._tmp.name,
            "preserve_insertion_order": False,
            "threads": 2,
        })
        self._tables: set[str] = set()

    def close(self) -> None:
        """Close the database and remove its spill folder."""
        self._con.close()
        self._tmp.cleanup()

    def append(self, name: str, frame: pl.DataFrame) -> None:
        """Append ``frame`` (key columns plus :data:`ROW`) to table ``name``."""
        batch = frame  # noqa: F841  (DuckDB scans the local polars frame by name)
        if name not in self._tables:
            self._con.execute(f"CREATE TABLE {_q(name)} AS SELECT * FROM batch")
            self._tables.add(name)
        else:
            self._con.execute(f"INSERT INTO {_q(name)} SELECT * FROM batch")

    def has(self, name: str) -> bool:
        """Whether table ``name`` received any batch."""
        return name in self._tables

    def duplicates(self, name: str,
                   limit: int) -> tuple[int, list[tuple[int, tuple[Any, ...] | str]]]:
        """Rows repeating an earlier row's key (rows with a null key part excluded).

        Returns:
            The exact number of such rows and up to ``limit`` examples ``(row, key)``, in
            file order (the first occurrence of a key is not counted). ``key`` is the tuple
            of values, or the key's hash text when the values were not stored.
        """
        if name not in self._tables:
            return 0, []
        t = _q(name)
        # two phases: candidates by the first 64 bits (a cheap one-column GROUP BY), then
        # exact groups of the full 128-bit hash among the few candidates
        self._con.execute(
            f"CREATE OR REPLACE TEMP TABLE cand AS SELECT {H1} FROM {t} GROUP BY {H1} "
            "HAVING count(*) > 1")
        self._con.execute(
            f"CREATE OR REPLACE TEMP TABLE dup AS SELECT {H1}, {H2}, count(*) AS n, "
            f"min({ROW}) AS first_row FROM {t} SEMI JOIN cand USING ({H1}) "
            f"GROUP BY {H1}, {H2} HAVING count(*) > 1")
        row = self._con.execute("SELECT coalesce(sum(n - 1), 0) FROM dup").fetchone()
        total = int(row[0]) if row else 0
        if total == 0:
            return 0, []
        rows = self._frame(
            f"SELECT t.* FROM {t} t JOIN dup d ON t.{H1} = d.{H1} AND t.{H2} = d.{H2} "
            f"AND t.{ROW} > d.first_row ORDER BY t.{ROW} LIMIT {int(limit)}")
        return total, self._examples(rows)

    def _frame(self, query: str) -> pl.DataFrame:
        cur = self._con.execute(query)
        names = [d[0] for d in cur.description]
        return pl.DataFrame(cur.fetchall(), schema=names, orient="row")

    @staticmethod
    def _examples(rows: pl.DataFrame) -> list[tuple[int, tuple[Any, ...] | str]]:
        values = [c for c in rows.columns if c not in (H1, H2, ROW)]
        out: list[tuple[int, tuple[Any, ...] | str]] = []
        for rec in rows.iter_rows(named=True):
            key: tuple[Any, ...] | str = (tuple(rec[c] for c in values) if values
                                          else f"{rec[H1]:016x}{rec[H2]:016x}")
            out.append((int(rec[ROW]), key))
        return out

    def missing_references(self, child: str, parent: str,
                           limit: int) -> tuple[int, list[tuple[int, tuple[Any, ...] | str]]]:
        """Rows of ``child`` whose key (no nulls) is absent from ``parent``."""
        if child not in self._tables or parent not in self._tables:
            return 0, []
        base = (f"FROM {_q(child)} c WHERE NOT EXISTS (SELECT 1 FROM {_q(parent)} p "
                f"WHERE p.{H1} = c.{H1} AND p.{H2} = c.{H2})")
        row = self._con.execute(f"SELECT count(*) {base}").fetchone()
        total = int(row[0]) if row else 0
        if total == 0:
            return 0, []
        rows = self._frame(f"SELECT c.* {base} ORDER BY c.{ROW} LIMIT {int(limit)}")
        return total, self._examples(rows)
