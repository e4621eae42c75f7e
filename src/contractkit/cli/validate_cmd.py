"""``contractkit validate``: check delivered files against a contract (exit 0/1/2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import (
    EXIT_FINDINGS,
    EXIT_OK,
    Engine,
    OutputFormat,
    app,
    console,
    err_console,
)
from contractkit.cli._inputs import choose_contract, expand_files
from contractkit.cli._scope import resolve_scope

__all__ = ["validate"]

_PROGRESS_BYTES = 64 * 1024 * 1024


_EXAMPLE_VALIDATE = """\b
Examples:
  contractkit validate -c contracts/dst-ledighed.yaml dst_ledighed_2024-03.csv
  contractkit validate -c contracts/ deliveries/dst-ledighed/2024-03 --format junit
"""


@app.command(epilog=_EXAMPLE_VALIDATE)
def validate(
    files: Annotated[list[Path], typer.Argument(
        metavar="PATH", help="Delivered files (CSV or Parquet) or delivery folders.")],
    contract: Annotated[Path, typer.Option(
        "--contract", "-c", help="The contract YAML (or an ODCS document), or a folder of contracts (the one whose "
        "file pattern fits the files, or that a delivery folder's manifest names).")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text, json or junit.")] = (
        OutputFormat.TEXT),
    table: Annotated[str | None, typer.Option(help="Table to judge the files by.")] = None,
    period: Annotated[str | None, typer.Option(help="Delivery period, e.g. 2024-03.")] = None,
    scope: Annotated[str | None, typer.Option(
        help="Recipient's municipality/region code (default: from the file name).")] = None,
    max_examples: Annotated[int, typer.Option(
        "--max-examples", min=0, help="Example findings kept per rule (counts stay exact).")] = 20,
    debug: Annotated[bool, typer.Option(help="Show internal error details.")] = False,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="The previous period's delivery folder or manifest.json: judge the "
        "files against it with the contract's period-over-period rules.")] = None,
    engine: Annotated[Engine, typer.Option(
        help="polars (this machine) or spark (local[2], a cluster, or SPARK_REMOTE).")] = (
        Engine.POLARS),
    spark_master: Annotated[str | None, typer.Option(
        "--spark-master", help="Spark master URL for --engine spark (default local[2]).")] = None,
) -> None:
    """Validate delivered files against a contract: exit 0 conforms, 1 does not, 2 cannot judge."""
    from contractkit.engine import validate_paths
    from contractkit.interop.odcs_contract import load_any_contract

    given = files
    files = expand_files(given)
    if contract.is_dir():
        lc = choose_contract(contract, given, files)
    else:
        # an ODCS document (name *.odcs.yaml, or apiVersion + kind: DataContract) is imported
        lc = load_any_contract(contract, files, lambda text: err_console.print(
            text, markup=False, highlight=False, soft_wrap=True), table)
    scope = resolve_scope(scope, [lc])
    big = [p for p in files if p.is_file() and p.stat().st_size > _PROGRESS_BYTES]
    if big and engine is Engine.POLARS and err_console.is_terminal and fmt is OutputFormat.TEXT:
        from rich.progress import Progress, SpinnerColumn, TextColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("reading", total=None)

            def tick(path: Path, rows: int) -> None:
                bar.update(task, description=f"{path.name}: {rows:,} rows checked")

            report = validate_paths(lc, files, table=table, period=period, scope=scope,
                                    max_examples=max_examples, on_progress=tick)
    else:
        report = validate_paths(lc, files, table=table, period=period, scope=scope,
                                max_examples=max_examples, engine=engine.value,
                                spark_master=spark_master)
    if baseline is not None:
        from contractkit.delivery.baseline import judge_report, load_baseline

        report, _ = judge_report(lc, report, files, load_baseline(lc, baseline), period=period,
                                 scope=scope)
    # each format imports only its own renderer
    if fmt is OutputFormat.JSON:
        from contractkit.report.json_report import report_to_json

        typer.echo(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.JUNIT:
        from contractkit.report.junit import render_junit

        typer.echo(render_junit(report), nl=False)
    else:
        from contractkit.report.text import render_text

        render_text(report, console)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FINDINGS)
