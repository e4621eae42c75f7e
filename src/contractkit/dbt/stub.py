"""A delivery model stub per table of a new outbound contract (``contractkit new``).

``contractkit ci`` builds each outbound table from the dbt model ``<contract id>__<table>``;
without it the feed is rejected. The stub selects one typed, empty column per contract
column, so ``dbt build`` passes at once and the steward replaces the select with the real
query over the staging models.
"""

from __future__ import annotations

from pathlib import Path

from contractkit.dbt.generate import duckdb_type, model_name
from contractkit.loader import LoadedContract

__all__ = ["model_stubs"]


def model_stubs(lc: LoadedContract, models_dir: Path) -> dict[Path, str]:
    """The SQL text of each table's delivery model, by the path it belongs at.

    Args:
        lc: an outbound contract.
        models_dir: the folder of delivery models (``models/deliveries``).

    Returns:
        ``{models_dir/<model>.sql: sql}`` per table.
    """
    out: dict[Path, str] = {}
    for table in lc.contract.tables:
        name = model_name(lc.contract.id, table.name)
        columns = ",\n".join(f"    cast(null as {duckdb_type(col)}) as {col.name}"
                             for col in table.columns)
        out[models_dir / f"{name}.sql"] = (
            f"-- Delivery model of {lc.contract.id}, table {table.name}: scaffolded by "
            "`contractkit new`.\n-- Replace this empty select with the query over the staging "
            "models; keep the names and types.\n"
            f"select\n{columns}\nwhere false\n")
    return out
