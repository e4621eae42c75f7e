"""Drift between the data contracts and the dbt project's compiled manifest.

``target/manifest.json`` records each model's declared columns, data types and whether its
contract is enforced. A delivery model drifts from its data contract when it is missing,
is not enforced, lacks a column, has a column the contract does not, or types a column
differently than :func:`~contractkit.dbt.generate.duckdb_type` says. A table with column
families also needs each family's long model (:mod:`contractkit.dbt.families`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.contract.models import ScopeKind
from contractkit.dbt.families import family_models
from contractkit.dbt.generate import ROUTE_COLUMN, duckdb_type, model_name
from contractkit.errors import UsageError
from contractkit.loader import LoadedContract

__all__ = ["Drift", "find_drift", "read_manifest_models"]


@dataclass(frozen=True)
class Drift:
    """One difference between a contract and its dbt model."""

    contract: str
    model: str
    kind: str  # missing-model | not-enforced | missing-column | extra-column | type-mismatch
    column: str | None = None
    expected: str | None = None
    found: str | None = None


def _norm(data_type: str | None) -> str:
    return re.sub(r"\s+", "", (data_type or "").lower())


def read_manifest_models(manifest_path: str | Path) -> dict[str, dict[str, Any]]:
    """Model nodes of a dbt ``manifest.json`` by model name.

    Args:
        manifest_path: dbt's ``target/manifest.json``.

    Returns:
        Model name → its node.

    Raises:
        UsageError: the manifest is missing or not a dbt manifest.
    """
    manifest_path = Path(manifest_path)
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{manifest_path}: no dbt manifest (run `contractkit dbt drift "
                         "--parse` or a dbt build first)") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{manifest_path}: not a readable dbt manifest ({exc})") from None
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, dict):
        raise UsageError(f"{manifest_path}: not a dbt manifest (no nodes)")
    return {n["name"]: n for n in nodes.values()
            if isinstance(n, dict) and n.get("resource_type") == "model" and "name" in n}


def _expected(lc: LoadedContract) -> list[tuple[str, dict[str, str]]]:
    """Every model a contract needs, with its columns and their DuckDB types."""
    c = lc.contract
    out: list[tuple[str, dict[str, str]]] = []
    for table in c.tables:
        name = model_name(c.id, table.name)
        expected = {col.name: duckdb_type(col) for col in table.columns}
        if c.scope.kind is not ScopeKind.NATIONAL:
            expected[ROUTE_COLUMN] = "varchar"
        out.append((name, expected))
        out += [(fm.name, {col.name: duckdb_type(col) for col in fm.columns})
                for fm in family_models(name, table)]
    return out


def find_drift(contracts: Iterable[LoadedContract],
               models: dict[str, dict[str, Any]]) -> list[Drift]:
    """Every difference between the contracts' tables (and families) and the manifest's models."""
    out: list[Drift] = []
    for lc in contracts:
        cid = lc.contract.id
        for name, expected in _expected(lc):
            node = models.get(name)
            if node is None:
                out.append(Drift(cid, name, "missing-model"))
                continue
            enforced = (node.get("config") or {}).get("contract", {}).get("enforced")
            if not enforced:
                out.append(Drift(cid, name, "not-enforced"))
            declared = dict((node.get("columns") or {}).items())
            for col, typ in expected.items():
                if col not in declared:
                    out.append(Drift(cid, name, "missing-column", col, typ))
                elif _norm(declared[col].get("data_type")) != _norm(typ):
                    out.append(Drift(cid, name, "type-mismatch", col, typ,
                                     declared[col].get("data_type")))
            for col in declared:
                if col not in expected:
                    out.append(Drift(cid, name, "extra-column", col, None,
                                     declared[col].get("data_type")))
    return out
