"""The failure expressions of row rules, shared by the ways a batch is judged.

Each rule becomes one boolean expression, ``True`` where a row fails it. A rule of the
``raw`` stage reads the value as written (a column named :data:`RAW` + its name), a rule
of the ``typed`` stage the parsed value (the column's own name). Row by row, on distinct
values (:mod:`contractkit.engine.evaluate`) and on groups of columns with the same rules
(:mod:`contractkit.engine.groups`) the same expressions count the same failures.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from contractkit.engine.compile import Rule

__all__ = ["RAW", "fail_exprs"]

RAW = "\x00raw:"
"""Prefix of a column holding the values of a column as written."""


def fail_exprs(rules: Iterable[Rule]) -> list[pl.Expr]:
    """One boolean per rule, ``True`` where the row fails it (aliased by position)."""
    out = []
    for i, r in enumerate(rules):
        if r.check == "parses_as":
            # same verdict as the registered check (which re-parses), without parsing twice
            fail = pl.col(RAW + r.column).is_not_null() & pl.col(r.column).is_null()
        else:
            src = pl.col(RAW + r.column) if r.stage == "raw" else pl.col(r.column)
            fail = r.valid(src).not_().fill_null(False)
        out.append(fail.alias(str(i)))
    return out
