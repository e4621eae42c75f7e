"""``contractkit synth``: write sample files that conform, or break exactly one rule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_OK, app, console
from contractkit.cli._scope import resolve_scope

__all__ = ["synth"]


_EXAMPLE_SYNTH = """\b
Examples:
  contractkit synth -c contracts/dst-ledighed.yaml --rows 1000 --period 2024-03 -o sample/
  contractkit synth -c contracts/dst-ledighed.yaml --break timer:out-of-range -o broken.csv
"""


@app.command(epilog=_EXAMPLE_SYNTH)
def synth(
    contract: Annotated[Path, typer.Option("--contract", "-c", help="The contract YAML.")],
    out: Annotated[Path, typer.Option(
        "--output", "-o", help="A folder (files named by the contract's pattern) or a file path.")],
    rows: Annotated[int, typer.Option(min=0, help="Data rows per file.")] = 100,
    table: Annotated[str | None, typer.Option(
        help="Only this table (default: the whole delivery into a folder).")] = None,
    period: Annotated[str | None, typer.Option(
        help="Delivery period, e.g. 2024-03 (default: the latest complete period).")] = None,
    scope: Annotated[str | None, typer.Option(
        help="Municipality/region code of a scoped feed (default: its first recipient).")] = None,
    break_rule: Annotated[str | None, typer.Option(
        "--break", help="Break exactly this rule (a bad name lists the valid ones).")] = None,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same bytes.")] = 0,
) -> None:
    """Write synthetic sample files in the contract's exact format (deterministic per seed)."""
    from contractkit.loader import load_contract
    from contractkit.synth.sample import synth_files

    lc = load_contract(contract)
    written = synth_files(lc, rows=rows, out=out, table=table, period=period,
                          scope=resolve_scope(scope, [lc]),
                          break_rule=break_rule, seed=seed)
    for f in written:
        note = f"  breaks {f.mutant.name} (expect {f.mutant.code})" if f.mutant else ""
        console.print(f"wrote {f.path} ({f.rows} rows, table {f.table}){note}",
                      markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)
