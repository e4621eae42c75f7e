"""Pivot the long family models into a wide delivery (DREAM's ``y_YYWW`` columns).

dbt builds, for a table with column families, the model of its plain columns and one long
model per family (:mod:`contractkit.dbt.families`). Here they become the wide file of the
period: each family's rows are pivoted (polars) into its members for the period, in the
contract's order; members without any row (weeks before the warehouse's history, weeks
nobody had a benefit) are empty columns; rows outside the period's members are left out.

The long rows are read once per table; each recipient's file is pivoted from just its own
persons, so only one recipient's wide frame (most of it empty cells) is in memory at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from contractkit.contract.models import Contract, Table
from contractkit.contract.periods import parse_period
from contractkit.dbt.families import FamilyModel, family_models
from contractkit.synth.draw import polars_type

__all__ = ["WideSource"]


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


@dataclass(frozen=True)
class _Family:
    model: FamilyModel
    members: list[str]
    rows: pl.DataFrame  # keys, the member's name (in the label column), the value


class WideSource:
    """The rows of one wide table for a period, read from dbt's models once.

    Attributes:
        rows: the plain columns (and ``extra`` columns such as routing) of every row.
    """

    def __init__(self, query: Callable[[str], pl.DataFrame], contract: Contract, table: Table,
                 model: str, period: str, extra: tuple[str, ...] = ()) -> None:
        """Read the plain model and every family's long model.

        Args:
            query: runs SQL against the database dbt built into and returns a frame.
            contract: the contract.
            table: the contract table (with its families).
            model: the dbt model of the plain columns.
            period: the delivery period label (sets which members there are).
            extra: further columns of ``model`` to keep after the plain ones (e.g. routing).
        """
        expanded = parse_period(contract.cadence.frequency, period)
        self._order = table.for_period(expanded).column_names
        self.rows = query(f"SELECT {_quoted([*table.column_names, *extra])} FROM {model}")
        self._families: list[_Family] = []
        for fm in family_models(model, table):
            members = fm.family.member_names(expanded)
            labels = fm.family.member_labels(expanded)
            keys = [c.name for c in fm.keys]
            long = query(f"SELECT {_quoted([*keys, fm.label.name, fm.value.name])} "
                         f"FROM {fm.name}")
            long = (long.with_columns(pl.col(fm.label.name).replace_strict(
                        labels, members, default=None, return_dtype=pl.String))
                    .drop_nulls(fm.label.name))
            self._families.append(_Family(fm, members, long))

    def wide(self, rows: pl.DataFrame) -> pl.DataFrame:
        """``rows`` (some of :attr:`rows`, plain columns only) with every family's members."""
        frame = rows
        for fam in self._families:
            fm = fam.model
            keys = [c.name for c in fm.keys]
            mine = fam.rows.join(rows.select(keys), on=keys, how="semi")
            pivoted = (mine.pivot(on=fm.label.name, index=keys, values=fm.value.name)
                       if mine.height else mine.select(keys))
            dtype = polars_type(fm.value)
            pivoted = pivoted.select(
                *keys,
                *(pl.col(m).cast(dtype) if m in pivoted.columns else pl.lit(None, dtype).alias(m)
                  for m in fam.members))
            frame = frame.join(pivoted, on=keys, how="left", maintain_order="left")
        return frame.select(self._order)
