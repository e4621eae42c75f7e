"""``contractkit extract``: cut one recipient's files and manifest out of a full delivery."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_OK, app, console
from contractkit.cli._scope import resolve_scope_at
from contractkit.delivery.extract import extract_delivery

__all__ = ["extract"]

_EXAMPLE = """\b
Examples:
  contractkit extract deliveries/dream-kommuner/2024-03 --scope 751 --out-dir to-aarhus/2024-03
  contractkit verify to-aarhus/2024-03 -c contracts/ --scope 751
"""


@app.command(epilog=_EXAMPLE)
def extract(
    delivery: Annotated[Path, typer.Argument(metavar="DELIVERY", help="The producer's delivery folder (with "
                                             "manifest.json).")],
    scope: Annotated[str, typer.Option("--scope", help="The recipient's municipality/region "
                                       "code (751 or 0751).")],
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="The new delivery folder "
                                          "(must not exist, or be empty).")],
    contract: Annotated[list[Path] | None, typer.Option(
        "--contract", "-c", metavar="PATH", help="Contract file or folder whose code lists check --scope "
        "(default: contracts/ when present).")] = None,
) -> None:
    """Cut one recipient's files plus a manifest for it (hashes kept): what STAR sends them."""
    paths = contract or ([Path("contracts")] if Path("contracts").is_dir() else [])
    result = extract_delivery(delivery, resolve_scope_at(scope, paths), out_dir)
    console.print(f"wrote {result.folder}: {len(result.manifest.files)} file(s) and "
                  f"manifest.json for scope {result.manifest.scope} (left out "
                  f"{result.skipped} of other recipients)", markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)
