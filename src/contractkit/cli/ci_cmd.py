"""``contractkit ci --period YYYY-MM``: build, export, validate and release every delivery."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_FINDINGS, EXIT_OK, Engine, OutputFormat, app, console

__all__ = ["ci"]


_EXAMPLE_CI = """\b
Examples:
  contractkit ci --period 2024-03
  contractkit ci --period 2024-03 --feed dst-ledighed --format junit > ci.xml
"""


@app.command(epilog=_EXAMPLE_CI)
def ci(
    period: Annotated[str, typer.Option("--period", help="The delivery month YYYY-MM.")],
    warehouse: Annotated[Path, typer.Option(help="The warehouse (built if absent).")] = Path(
        "warehouse/dsdw.duckdb"),
    out: Annotated[Path, typer.Option("--out-dir", help="Deliveries folder.")] = Path(
        "deliveries"),
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text, json or junit.")] = (
        OutputFormat.TEXT),
    project_dir: Annotated[Path, typer.Option(help="The dbt project folder.")] = Path("."),
    contracts: Annotated[Path, typer.Option("--contract", "-c", help="Contracts folder.")] = Path(
        "contracts"),
    target_dir: Annotated[Path | None, typer.Option(help="dbt target folder.")] = None,
    persons: Annotated[int | None, typer.Option(help="Persons if the warehouse is built.")] = None,
    memory_limit: Annotated[str, typer.Option(help="DuckDB memory limit for dbt.")] = "2GB",
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", metavar="ID", help="Only this feed (contract id); repeat for several.")] = None,
    engine: Annotated[Engine, typer.Option(
        help="Engine of the gate: polars or spark (see validate --engine).")] = Engine.POLARS,
    spark_master: Annotated[str | None, typer.Option(
        "--spark-master", help="Spark master URL for --engine spark (default local[2]).")] = None,
) -> None:
    """Build every outbound delivery for a period; release conforming ones, reject the rest."""
    from contractkit.pipeline.ci import run_ci
    from contractkit.pipeline.render import ci_to_json, render_ci_junit, render_ci_text

    result = run_ci(period, project_dir=project_dir, contracts_dir=contracts,
                    warehouse=warehouse, out_dir=out, target_dir=target_dir, persons=persons,
                    memory_limit=memory_limit, feed_ids=feed, engine=engine.value,
                    spark_master=spark_master)
    if fmt is OutputFormat.JSON:
        console.print_json(json.dumps(ci_to_json(result), ensure_ascii=False))
    elif fmt is OutputFormat.JUNIT:
        console.print(render_ci_junit(result), markup=False, highlight=False, end="")
    else:
        render_ci_text(result, console)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)
