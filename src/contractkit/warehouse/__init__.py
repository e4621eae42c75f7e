"""The embedded warehouse: a seeded, reproducible DuckDB stand-in for STAR's DSDW and DREAM.

It holds synthetic persons, benefit payments, weekly DREAM codes, offers, visitations and
conversations, so the dbt project can build every outbound delivery without real data.
"""

from __future__ import annotations

from contractkit.warehouse.build import (
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    WarehouseInfo,
    build_warehouse,
    warehouse_info,
)

__all__ = ["DEFAULT_PERSONS", "DEFAULT_SEED", "WarehouseInfo", "build_warehouse", "warehouse_info"]
