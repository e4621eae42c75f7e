"""Helpers for engine tests: write a contract around a table snippet and delivery files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"

HEAD = """\
id: case-feed
version: 1.0.0
title: Case feed
direction: outbound
owner: STAR
steward: {name: Steward}
provider: {name: Styrelsen for Arbejdsmarked og Rekruttering, code: STAR}
recipient: {name: Danmarks Statistik, code: DST}
purpose: administrative
legal_basis:
  - text: "§ 6 i lov om Danmarks Statistik."
personal_data: identifiable
cadence: {frequency: monthly, due_days: 10}
"""


def contract_text(table: dict[str, Any], fmt: dict[str, Any] | None = None,
                  scope: dict[str, Any] | None = None,
                  extra_tables: list[dict[str, Any]] | None = None) -> str:
    """Contract YAML (JSON is YAML) with one table and the given format and scope."""
    body = {
        "scope": scope or {"kind": "national"},
        "format": fmt or {"type": "csv", "delimiter": ";", "decimal": ","},
        "tables": [{"name": "rows", "file_pattern": "case_{period}.csv", **table},
                   *(extra_tables or [])],
    }
    return HEAD + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items())


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A folder with contracts/codelists copied from the repository."""
    lists = tmp_path / "contracts" / "codelists"
    lists.mkdir(parents=True)
    for f in (CONTRACTS / "codelists").glob("*.yaml"):
        (lists / f.name).write_bytes(f.read_bytes())
    return tmp_path


def write_csv(path: Path, header: list[str] | None, rows: list[list[Any]], *,
              delimiter: str = ";", encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write a CSV file the simple way (values written as given; None → empty)."""
    def cell(v: Any) -> str:
        if v is None:
            return ""
        s = str(v)
        if delimiter in s or '"' in s or "\n" in s:
            return '"' + s.replace('"', '""') + '"'
        return s

    lines = ([delimiter.join(header)] if header is not None else []) + [
        delimiter.join(cell(v) for v in r) for r in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def _stored(values: pl.Series, column: dict[str, Any] | None) -> pl.Series:
    """``values`` (text) stored as the contract column's type, as a producer writes Parquet;
    text that does not parse as that type stays text (the engine calls that wrong-type)."""
    kind = (column or {}).get("type", "string")
    try:
        if kind == "integer":
            return values.cast(pl.Int64, strict=True)
        if kind == "decimal":
            return values.cast(pl.Decimal(column["precision"], column.get("scale", 0)),  # type: ignore[index]
                               strict=True)
        if kind == "float":
            return values.cast(pl.Float64, strict=True)
        if kind == "boolean":
            return values.replace_strict({"true": True, "false": False}, return_dtype=pl.Boolean)
        if kind == "date":
            return values.str.to_date("%Y-%m-%d", strict=True)
        if kind == "timestamp":
            return values.str.to_datetime(time_unit="us", strict=True)
    except (pl.exceptions.PolarsError, ValueError):
        return values
    return values


def write_parquet(path: Path, header: list[str], rows: list[list[Any]],
                  columns: list[dict[str, Any]] | None = None) -> Path:
    """Write rows as a Parquet file, each column stored as its contract type when
    ``columns`` (the contract's column dicts) are given, else as text."""
    by_name = {c["name"]: c for c in columns or []}
    frame = pl.DataFrame({h: pl.Series(h, [None if r[i] is None else str(r[i]) for r in rows],
                                       dtype=pl.String)
                          for i, h in enumerate(header)})
    frame.select(_stored(frame[h], by_name.get(h)) for h in header).write_parquet(path)
    return path


Writer = Callable[..., Path]


class CaseKit:
    """Writes contracts and delivery files into a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def contract(self, table: dict[str, Any], fmt: dict[str, Any] | None = None,
                 scope: dict[str, Any] | None = None,
                 extra_tables: list[dict[str, Any]] | None = None) -> Path:
        path = self.root / "contracts" / "case.yaml"
        path.write_text(contract_text(table, fmt, scope, extra_tables), encoding="utf-8")
        return path

    def csv(self, name: str, header: list[str] | None, rows: list[list[Any]],
            **kw: Any) -> Path:
        folder = self.root / "delivery"
        folder.mkdir(exist_ok=True)
        return write_csv(folder / name, header, rows, **kw)

    def parquet(self, name: str, header: list[str], rows: list[list[Any]],
                columns: list[dict[str, Any]] | None = None) -> Path:
        folder = self.root / "delivery"
        folder.mkdir(exist_ok=True)
        return write_parquet(folder / name, header, rows, columns)

    def raw(self, name: str, data: bytes) -> Path:
        folder = self.root / "delivery"
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
        return folder / name


@pytest.fixture
def kit(case_dir: Path) -> CaseKit:
    """Contract and file writer rooted in a temporary folder."""
    return CaseKit(case_dir)
