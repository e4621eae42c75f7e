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

__all__ = ["validate"]

_PROGRESS_BYTES = 64 * 1024 * 1024


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Delivered files (CSV or Parquet).")],
    contract: Annotated[Path, typer.Option("--contract", "-c", help="The contract YAML.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text, json or junit.")] = (
        OutputFormat.TEXT),
    table: Annotated[str | None, typer.Option(help="Table to judge the files by.")] = None,
    period: Annotated[str | None, typer.Option(help="Delivery period, e.g. 2024-03.")] = None,
    scope: Annotated[str | None, typer.Option(
        help="Recipient's municipality/region code (default: from the file name).")] = None,
    max_examples: Annotated[int, typer.Option(
        "--max-examples", min=0, help="Example findings kept per rule (counts stay exact).")] = 20,
    debug: Annotated[bool, typer.Option(help="Show internal error details.")] = False,
    engine: Annotated[Engine, typer.Option(
        help="polars (this machine) or spark (local[2], a cluster, or SPARK_REMOTE).")] = (
        Engine.POLARS),
    spark_master: Annotated[str | None, typer.Option(
        "--spark-master", help="Spark master URL for --engine spark (default local[2]).")] = None,
) -> None:
    """Validate delivered files against a contract: exit 0 conforms, 1 does not, 2 cannot judge."""
    from contractkit.engine import validate_paths
    from contractkit.loader import load_contract
    from contractkit.report import render_junit, render_text, report_to_json

    lc = load_contract(contract)
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
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.JUNIT:
        typer.echo(render_junit(report), nl=False)
    else:
        render_text(report, console)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FINDINGS)
