"""Shared pipeline fixtures: one built warehouse per test session (copied per defect)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contractkit.loader import load_codelists
from contractkit.warehouse import build_warehouse

REPO = Path(__file__).resolve().parents[2]


def kommune_regions() -> dict[str, str]:
    """Municipality code -> region code from the repository's code list."""
    lists, _ = load_codelists(REPO / "contracts" / "codelists")
    return {v.code: v.parent or "" for v in lists["kommuner"].values}


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A default-size warehouse, built once per session. Never modify it: copy it."""
    path = tmp_path_factory.mktemp("warehouse") / "dsdw.duckdb"
    build_warehouse(path, kommune_regions())
    return path


@pytest.fixture
def warehouse_copy(built_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of the session warehouse to plant defects in."""
    path = tmp_path / "dsdw.duckdb"
    shutil.copyfile(built_warehouse, path)
    return path
