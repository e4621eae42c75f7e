"""``contractkit warehouse build|info``: the embedded DSDW stand-in (a DuckDB file)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_OK, app, console
from contractkit.errors import ContractError
from contractkit.loader import load_codelists
from contractkit.warehouse.build import (  # light: heavy libraries load inside the functions
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    build_warehouse,
    warehouse_info,
)

__all__ = ["build", "info"]

warehouse_app = typer.Typer(help="The embedded warehouse (DSDW stand-in).", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")

DEFAULT_PATH = Path("warehouse/dsdw.duckdb")


def kommune_regions(codelists: Path) -> dict[str, str]:
    """Municipality code -> region code from the ``kommuner`` code list in ``codelists``."""
    lists, problems = load_codelists(codelists)
    if problems or "kommuner" not in lists:
        raise ContractError(codelists / "kommuner.yaml", problems)
    return {v.code: v.parent or "" for v in lists["kommuner"].values}


_EXAMPLE_BUILD = """\b
Examples:
  contractkit warehouse build --persons 20000 --seed 1
"""


@warehouse_app.command(epilog=_EXAMPLE_BUILD)
def build(
    path: Annotated[Path, typer.Option("--path", help="The DuckDB file to write.")] = DEFAULT_PATH,
    persons: Annotated[int, typer.Option(help="Number of persons.")] = DEFAULT_PERSONS,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = DEFAULT_SEED,
    codelists: Annotated[Path, typer.Option(help="Folder of code lists.")] = Path(
        "contracts/codelists"),
) -> None:
    """Generate the warehouse (seeded, deterministic; replaces the file atomically)."""
    started = time.perf_counter()
    result = build_warehouse(path, kommune_regions(codelists), persons=persons, seed=seed)
    took = time.perf_counter() - started
    console.print(f"built {path} ({result.persons:,} persons, seed {result.seed}) in {took:.1f} s",
                  markup=False)
    for table, rows in result.rows.items():
        console.print(f"  {table:<22} {rows:>12,} rows", markup=False)
    raise typer.Exit(EXIT_OK)


_EXAMPLE_INFO = """\b
Examples:
  contractkit warehouse info --path warehouse/dsdw.duckdb
"""


@warehouse_app.command(epilog=_EXAMPLE_INFO)
def info(
    path: Annotated[Path, typer.Option("--path", help="The DuckDB file.")] = DEFAULT_PATH,
) -> None:
    """Show what a built warehouse holds."""
    result = warehouse_info(path)
    console.print(f"{path}: {result.persons:,} persons, seed {result.seed}", markup=False)
    for table, rows in result.rows.items():
        console.print(f"  {table:<22} {rows:>12,} rows", markup=False)
    raise typer.Exit(EXIT_OK)
