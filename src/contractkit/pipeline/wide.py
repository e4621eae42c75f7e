"""Pivot the long family models into a wide delivery (DREAM's ``y_YYWW`` columns).

dbt builds, for a table with column families, the model of its plain columns and one long
model per family (:mod:`contractkit.dbt.families`). Here they become the wide file of the
period: each family's rows are pivoted (polars) into its members for the period, in the
contract's order; members without any row (weeks before the warehouse's history, weeks
nobody had a benefit) are empty columns; rows outside the period's members are left out.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from contractkit.contract.models import Contract, Table
from contractkit.contract.periods import parse_period
from contractkit.dbt.families import family_models
from contractkit.synth.draw import polars_type

__all__ = ["wide_frame"]


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def wide_frame(query: Callable[[str], pl.DataFrame], contract: Contract, table: Table,
               model: str, period: str, extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """The wide rows of ``table`` for ``period``: plain columns, then every family's members.

    Args:
        query: runs SQL against the database dbt built into and returns a frame.
        contract: the contract.
        table: the contract table (with its families).
        model: the dbt model of the plain columns.
        period: the delivery period label (sets which members there are).
        extra: further columns of ``model`` to keep after the plain ones (e.g. routing).
    """
    expanded = parse_period(contract.cadence.frequency, period)
    names = [*table.column_names, *extra]
    frame = query(f"SELECT {_quoted(names)} FROM {model}")
    for fm in family_models(model, table):
        members = fm.family.member_names(expanded)
        labels = fm.family.member_labels(expanded)
        keys = [c.name for c in fm.keys]
        long = query(f"SELECT {_quoted([*keys, fm.label.name, fm.value.name])} FROM {fm.name}")
        long = (long.with_columns(pl.col(fm.label.name).replace_strict(
                    labels, members, default=None, return_dtype=pl.String))
                .drop_nulls(fm.label.name))
        dtype = polars_type(fm.value)
        if long.height:
            pivoted = long.pivot(on=fm.label.name, index=keys, values=fm.value.name)
        else:
            pivoted = long.select(keys)
        pivoted = pivoted.select(
            *keys,
            *(pl.col(m).cast(dtype) if m in pivoted.columns else pl.lit(None, dtype).alias(m)
              for m in members))
        frame = frame.join(pivoted, on=keys, how="left", maintain_order="left")
    return frame.select(*(c.name for c in table.for_period(expanded).columns), *extra)
