"""``contractkit catalog``: write the register of deliveries (static HTML + Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.catalog import Lang, build_catalog
from contractkit.cli._app import EXIT_OK, app, console
from contractkit.contract.models import Purpose

__all__ = ["catalog"]


_EXAMPLE_CATALOG = """\b
Examples:
  contractkit catalog contracts/ --out-dir register
  contractkit catalog contracts/ --out-dir register --deliveries deliveries --lang en
"""


@app.command(epilog=_EXAMPLE_CATALOG)
def catalog(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", help="Contract files or folders (default: contracts/).")] = None,
    output: Annotated[Path, typer.Option("--out-dir", help="Folder to write the site into.")
                      ] = Path("catalog"),
    deliveries: Annotated[Path | None, typer.Option(
        help="Deliveries folder (<id>/<period>/manifest.json) for the last verdicts.")] = None,
    lang: Annotated[Lang, typer.Option(help="Label language: da or en.")] = Lang.DA,
    recipient: Annotated[str | None, typer.Option(
        help="Only feeds to (or from) this party code, e.g. DST.")] = None,
    purpose: Annotated[Purpose | None, typer.Option(help="Only feeds with this purpose.")] = None,
) -> None:
    """Write the register of deliveries from the contracts (exit 2 on an invalid contract)."""
    result = build_catalog(paths or [Path("contracts")], output, deliveries=deliveries,
                           lang=lang, recipient=recipient,
                           purpose=purpose.value if purpose else None)
    console.print(f"{len(result.feeds)} feed(s), {len(result.files)} file(s) written to "
                  f"{result.out}", markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)
