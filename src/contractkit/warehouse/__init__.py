"""The embedded warehouse: a seeded DuckDB stand-in for STAR's DSDW (issue 4)."""

from __future__ import annotations

from contractkit.warehouse.build import (
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    WarehouseInfo,
    build_warehouse,
    warehouse_info,
)

__all__ = ["DEFAULT_PERSONS", "DEFAULT_SEED", "WarehouseInfo", "build_warehouse", "warehouse_info"]
