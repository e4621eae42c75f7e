"""``contractkit new``: scaffold a contract (and its dbt model stub) from a sample CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.atomic import atomic_write_text
from contractkit.cli._app import EXIT_OK, app, console
from contractkit.errors import UsageError

__all__ = ["new"]

_EXAMPLE = """\b
Examples:
  contractkit new dst-ledige-unge --from-csv sample.csv
  contractkit new dst-ledige-unge --direction inbound --out-dir contracts/
"""


@app.command(epilog=_EXAMPLE)
def new(
    feed_id: Annotated[str, typer.Argument(metavar="ID", help="The new contract's id (kebab-case).")],
    from_csv: Annotated[Path | None, typer.Option(
        "--from-csv", help="A sample CSV: its dialect and columns become the contract's.")] = None,
    direction: Annotated[str, typer.Option(help="outbound (STAR sends) or inbound.")] = (
        "outbound"),
    out_dir: Annotated[Path, typer.Option("--out-dir", help="The contracts folder.")] = Path(
        "contracts"),
    models_dir: Annotated[Path, typer.Option(
        "--models-dir", help="Where an outbound contract's dbt model stub goes.")] = Path(
        "models/deliveries"),
    encoding: Annotated[str, typer.Option(help="The sample's encoding.")] = "utf-8",
) -> None:
    """Scaffold a contract (and, when outbound, its dbt model stub) from a sample or nothing."""
    from contractkit.dbt.stub import model_stubs
    from contractkit.interop.scaffold import scaffold_contract
    from contractkit.loader import load_contract_text

    target = out_dir / f"{feed_id}.yaml"
    text = scaffold_contract(feed_id, sample=from_csv, direction=direction, encoding=encoding)
    stubs = (model_stubs(load_contract_text(text, target), models_dir)
             if direction == "outbound" else {})
    for path in (target, *stubs):
        if path.exists():
            raise UsageError(f"{path}: exists; contractkit new never overwrites a file")
    atomic_write_text(target, text)
    console.print(f"wrote {target}", markup=False, highlight=False)
    for path, sql in stubs.items():
        atomic_write_text(path, sql)
        console.print(f"wrote {path}", markup=False, highlight=False)
    console.print("next: fill in every TODO, then `contractkit lint "
                  f"{target}`" + (" and `contractkit dbt generate`" if stubs else ""),
                  markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)
