"""Judging a dictionary-read column on its dictionary: each distinct value once per file.

A column read as a ``Categorical`` (:mod:`contractkit.engine.dtypes`) holds a small code
per row, and the codes of one file's batches mean the same text. So a rule's verdict on a
value is computed once, the first time its code occurs, and kept; a batch then costs a
``bincount`` of its codes and one product of those counts with the kept verdicts — no
text is parsed or matched again. polars does not promise that codes outlive the data that
uses them (a dictionary no batch refers to any more may start afresh), so each batch's
codes are checked against the text they had when judged, and the kept verdicts are
dropped when one differs. The verdicts come from the very expressions the
row-by-row path uses (a property test holds both to the same counts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

__all__ = ["CodeVerdicts", "JudgeValues"]

JudgeValues = Callable[[pl.Series], "np.ndarray[Any, np.dtype[np.bool_]]"]
"""Given distinct values as text (a null among them possibly), a ``values × rules`` matrix,
``True`` where the value fails the rule."""


class CodeVerdicts:
    """The kept verdicts of one column's rules, by dictionary code."""

    def __init__(self, judge: JudgeValues, rules: int) -> None:
        self._judge = judge
        self._verdicts = np.zeros((0, rules), dtype=np.int64)
        self._judged = np.zeros(0, dtype=bool)
        self._null: np.ndarray[Any, np.dtype[np.int64]] | None = None
        self._texts = pl.Series(dtype=pl.String)

    def counts(self, column: pl.Series) -> tuple[list[int], int]:
        """Failures per rule in ``column`` (one batch) and its number of distinct values."""
        dtype = column.dtype
        assert isinstance(dtype, pl.Categorical)
        codes = column.to_physical()
        nulls = codes.null_count()
        found = np.bincount((codes.fill_null(0) if nulls else codes).to_numpy())
        if nulls:
            found[0] -= nulls
        present = np.flatnonzero(found)
        texts = dtype.categories.to_series().gather(present)  # all there: the batch is done
        self._grow(len(found))
        judged = self._judged[present]
        if judged.any() and not (self._texts.gather(present[judged])
                                 == texts.filter(judged)).all():
            self._judged[:] = False  # the codes mean other text now: judge afresh
            judged[:] = False
        if not judged.all():
            new = present[~judged]
            self._verdicts[new] = self._judge(texts.filter(~judged))
            self._judged[new] = True
            self._texts.scatter(new, texts.filter(~judged))
        out = found[present] @ self._verdicts[present]
        if nulls:
            if self._null is None:
                self._null = self._judge(pl.Series([None], dtype=pl.String))[0].astype(np.int64)
            out = out + nulls * self._null
        return [int(n) for n in out], len(present) + (1 if nulls else 0)

    def _grow(self, size: int) -> None:
        have = len(self._judged)
        if size <= have:
            return
        size = max(size, 2 * have)
        verdicts = np.zeros((size, self._verdicts.shape[1]), dtype=np.int64)
        verdicts[:have] = self._verdicts
        judged = np.zeros(size, dtype=bool)
        judged[:have] = self._judged
        self._verdicts, self._judged = verdicts, judged
        self._texts = self._texts.extend(pl.Series([None] * (size - have), dtype=pl.String))
