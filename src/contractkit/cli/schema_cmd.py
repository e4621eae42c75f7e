"""``contractkit schema``: write (or check) the JSON Schemas of the contract language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_FINDINGS, EXIT_OK, app, console
from contractkit.contract.jsonschema import (
    codelist_json_schema,
    contract_json_schema,
    render_schema,
)

__all__ = ["schema"]


_EXAMPLE_SCHEMA = """\b
Examples:
  contractkit schema --check
  contractkit schema --out-dir schemas/
"""


@app.command(epilog=_EXAMPLE_SCHEMA)
def schema(
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Folder for the schemas.")] = Path(
        "schemas"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the committed schemas are stale.")
    ] = False,
) -> None:
    """Generate schemas/contract.schema.json and schemas/codelist.schema.json from the models."""
    wanted = {
        out_dir / "contract.schema.json": render_schema(contract_json_schema()),
        out_dir / "codelist.schema.json": render_schema(codelist_json_schema()),
    }
    stale = [
        p for p, text in wanted.items()
        if not p.is_file() or p.read_text(encoding="utf-8") != text
    ]
    if check:
        for p in stale:
            console.print(f"stale: {p} (run `contractkit schema`)", markup=False)
        raise typer.Exit(EXIT_FINDINGS if stale else EXIT_OK)
    for p in stale:
        from contractkit.atomic import atomic_write_text

        atomic_write_text(p, wanted[p])
        console.print(f"wrote {p}", markup=False)
    raise typer.Exit(EXIT_OK)
