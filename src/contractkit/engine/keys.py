"""Whole-file key rules in DuckDB with bounded memory: primary key, unique columns,
references between files of one delivery.

Batches append their key columns and file-global row numbers to DuckDB tables; the
checks are then one ``GROUP BY … HAVING count(*) > 1`` (or an anti-join) each. DuckDB
spills to a private temporary folder beyond :data:`MEMORY_LIMIT`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from typing import Any

import polars as pl

__all__ = ["MEMORY_LIMIT", "ROW", "KeyStore"]

MEMORY_LIMIT = "700MB"
ROW = "__ck_row"


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

    def duplicates(self, name: str, columns: Sequence[str],
                   limit: int) -> tuple[int, list[tuple[int, tuple[Any, ...]]]]:
        """Rows repeating an earlier row's key (nulls excluded).

        Returns:
            The exact number of such rows and up to ``limit`` examples ``(row, key)``,
            in file order (the first occurrence of a key is not counted).
        """
        if name not in self._tables:
            return 0, []
        cols = ", ".join(_q(c) for c in columns)
        not_null = " AND ".join(f"{_q(c)} IS NOT NULL" for c in columns)
        self._con.execute(
            f"CREATE OR REPLACE TEMP TABLE dup AS SELECT {cols}, count(*) AS n FROM {_q(name)} "
            f"WHERE {not_null} GROUP BY ALL HAVING count(*) > 1")
        row = self._con.execute("SELECT coalesce(sum(n - 1), 0), count(*) FROM dup").fetchone()
        total = int(row[0]) if row else 0
        if total == 0:
            return 0, []
        using = ", ".join(_q(c) for c in columns)
        # the first occurrence of each key is row_number 1 and not a finding
        rows = self._con.execute(
            f"SELECT {ROW}, {cols} FROM (SELECT t.{ROW}, {', '.join('t.' + _q(c) for c in columns)}, "
            f"row_number() OVER (PARTITION BY {', '.join('t.' + _q(c) for c in columns)} "
            f"ORDER BY t.{ROW}) AS rn FROM {_q(name)} t SEMI JOIN dup USING ({using})) "
            f"WHERE rn > 1 ORDER BY {ROW} LIMIT {int(limit)}").fetchall()
        return total, [(int(r[0]), tuple(r[1:])) for r in rows]

    def missing_references(self, child: str, child_cols: Sequence[str], parent: str,
                           parent_cols: Sequence[str],
                           limit: int) -> tuple[int, list[tuple[int, tuple[Any, ...]]]]:
        """Rows of ``child`` whose key (no nulls) is absent from ``parent``."""
        if child not in self._tables or parent not in self._tables:
            return 0, []
        cond = " AND ".join(f"c.{_q(a)} = p.{_q(b)}" for a, b in zip(child_cols, parent_cols,
                                                                   strict=True))
        not_null = " AND ".join(f"c.{_q(a)} IS NOT NULL" for a in child_cols)
        base = (f"FROM {_q(child)} c WHERE {not_null} AND NOT EXISTS "
                f"(SELECT 1 FROM {_q(parent)} p WHERE {cond})")
        row = self._con.execute(f"SELECT count(*) {base}").fetchone()
        total = int(row[0]) if row else 0
        cols = ", ".join(f"c.{_q(a)}" for a in child_cols)
        rows = self._con.execute(
            f"SELECT c.{ROW}, {cols} {base} ORDER BY c.{ROW} LIMIT {int(limit)}").fetchall()
        return total, [(int(r[0]), tuple(r[1:])) for r in rows]
