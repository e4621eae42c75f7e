"""Whole-file key rules as Spark aggregations and anti-joins.

The same rules as :mod:`contractkit.engine.keys`: a row whose key (no part null) repeats
the key of an earlier row is a duplicate (the first occurrence is not counted); a child
row whose key (no part null) is absent from the parent file is a broken reference. Keys
are compared on parsed values, so ``007`` and ``7`` are one integer key.

Examples come back as ``(row, values)``; when a key column is personal the values come
back as one text (``a|b``) which the report masks, as the polars engine masks its hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from contractkit.engine.run import show_key
from contractkit.spark.read import ROW

__all__ = ["KeyFrame", "SparkKeys"]

Example = tuple[int, tuple[Any, ...] | str]
Duplicate = tuple[int, tuple[Any, ...] | str, int]
_N, _FIRST = "__ck_n", "__ck_first"


@dataclass(frozen=True)
class KeyFrame:
    """The non-null keys of one file: :data:`ROW` and key parts ``k0``, ``k1`` …"""

    df: DataFrame
    width: int
    personal: bool

    @property
    def parts(self) -> list[str]:
        """The key part columns."""
        return [f"k{i}" for i in range(self.width)]


class SparkKeys:
    """The key sets of the files of one validation run, by name."""

    def __init__(self) -> None:
        self._sets: dict[str, KeyFrame] = {}

    def add(self, name: str, keys: KeyFrame) -> None:
        """Register key set ``name``."""
        self._sets[name] = keys

    def _examples(self, frame: DataFrame, keys: KeyFrame, limit: int) -> list[Example]:
        if limit <= 0:
            return []
        out: list[Example] = []
        for rec in frame.orderBy(ROW).limit(limit).select(ROW, *keys.parts).collect():
            values = tuple(rec[1:])
            out.append((int(rec[0]), show_key(values) if keys.personal else values))
        return out

    def duplicates(self, name: str, limit: int) -> tuple[int, list[Duplicate]]:
        """Rows repeating an earlier row's key: exact count and up to ``limit`` examples
        ``(row, key, first)``, ``first`` being the row where the key first occurs."""
        keys = self._sets.get(name)
        if keys is None:
            return 0, []
        groups = (keys.df.groupBy(*keys.parts)
                  .agg(F.count(F.lit(1)).alias(_N), F.min(ROW).alias(_FIRST))
                  .where(F.col(_N) > 1))
        total = groups.agg(F.sum(F.col(_N) - 1)).first()
        n = int(total[0] or 0) if total is not None else 0
        if not n:
            return 0, []
        repeats = keys.df.join(groups, on=keys.parts).where(F.col(ROW) > F.col(_FIRST))
        if limit <= 0:
            return n, []
        first = {int(r[0]): int(r[1]) for r in
                 repeats.orderBy(ROW).limit(limit).select(ROW, _FIRST).collect()}
        return n, [(row, key, first[row]) for row, key in self._examples(repeats, keys, limit)]

    def missing_references(self, child: str, parent: str,
                           limit: int) -> tuple[int, list[Example]]:
        """Rows of ``child`` whose key is absent from ``parent``."""
        kids, targets = self._sets.get(child), self._sets.get(parent)
        if kids is None or targets is None:
            return 0, []
        missing = kids.df.join(targets.df.select(*targets.parts).distinct(), on=kids.parts,
                               how="left_anti")
        n = missing.count()
        return n, (self._examples(missing, kids, limit) if n else [])
