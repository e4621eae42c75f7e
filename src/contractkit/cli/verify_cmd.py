"""``contractkit verify`` (a received delivery folder) and ``contractkit status`` (cadence)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from contractkit.atomic import atomic_write_text
from contractkit.cli._app import EXIT_FINDINGS, EXIT_OK, OutputFormat, app, console
from contractkit.cli._scope import resolve_scope
from contractkit.delivery.status import delivery_status, status_to_json, today
from contractkit.delivery.status_text import render_status_junit, render_status_text
from contractkit.delivery.verify import verify_delivery
from contractkit.errors import UsageError
from contractkit.loader import LoadedContract, discover_contract_files, load_contract

__all__ = ["status", "verify"]


StatusFormat = OutputFormat  # the same set as every reporting command (junit: a case per feed)


ContractsOption = Annotated[
    list[Path] | None,
    typer.Option("--contract", "-c", metavar="PATH",
                 help="Contract file or folder held; repeatable (default: contracts/)."),
]
ScopeOption = Annotated[str | None, typer.Option(
    "--scope", help="Your municipality/region code (751 or 0751), for a per-municipality/region "
    "feed; checked against the code list.")]
FeedOption = Annotated[list[str] | None, typer.Option(
    "--feed", metavar="ID", help="Only this feed (contract id); repeat for several.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report here (atomically).")
]


def _held(paths: Sequence[Path] | None) -> list[LoadedContract]:
    files = discover_contract_files(paths or [Path("contracts")])
    if not files:
        raise UsageError("no contracts found (give them with -c)")
    return [load_contract(f) for f in files]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        console.file.write(text)
        console.file.flush()
    else:
        atomic_write_text(output, text)


def _plain_text(render: Callable[[Console], None]) -> str:
    buffer = io.StringIO()
    plain = Console(file=buffer, width=120, no_color=True, highlight=False, soft_wrap=True)
    render(plain)
    return buffer.getvalue()


_EXAMPLE_VERIFY = """\b
Examples:
  contractkit verify deliveries/dst-ledighed/2024-03 -c contracts/
  contractkit verify RECEIVED_DIR -c contracts/ --scope 751 --format json -o report.json
"""


@app.command(epilog=_EXAMPLE_VERIFY)
def verify(
    folder: Annotated[Path, typer.Argument(
        metavar="FOLDER", help="The received delivery folder (with manifest).")],
    contracts: ContractsOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text, json or junit.")] = (
        OutputFormat.TEXT
    ),
    output: OutputOption = None,
    scope: ScopeOption = None,
    max_examples: Annotated[int, typer.Option(min=1, help="Examples kept per rule.")] = 20,
) -> None:
    """Verify a received delivery: manifest, hashes, contract version, period, then the data."""
    if output is not None and output.resolve().is_relative_to(folder.resolve()):
        raise UsageError(f"{output}: verify never writes into the received folder {folder}")
    from contractkit.report import render_junit, render_text, report_to_json

    held = _held(contracts)
    report = verify_delivery(folder, held, scope=resolve_scope(scope, held),
                             max_examples=max_examples)
    if fmt is OutputFormat.JSON:
        _emit(json.dumps(report_to_json(report), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt is OutputFormat.JUNIT:
        _emit(render_junit(report), output)
    elif output is None:
        render_text(report, console)
    else:
        _emit(_plain_text(lambda c: render_text(report, c)), output)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FINDINGS)


def _day(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


_EXAMPLE_STATUS = """\b
Examples:
  contractkit status deliveries/ -c contracts/ --as-of 2024-04-20
  contractkit status deliveries/dream-kommuner -c contracts/ --scope 751 --format json
"""


@app.command(epilog=_EXAMPLE_STATUS)
def status(
    root: Annotated[Path, typer.Argument(
        metavar="ROOT", help="Deliveries root <root>/<feed>/<period>/, a feed's folder or one "
        "delivery.")],
    contracts: ContractsOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge as of this day "
                                              "(YYYY-MM-DD; default today).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Consider periods from the one "
                                              "holding this day (YYYY-MM-DD).")] = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", help="text, json or junit.")] = (
        StatusFormat.TEXT
    ),
    output: OutputOption = None,
    scope: ScopeOption = None,
    feed: FeedOption = None,
) -> None:
    """Per feed: periods delivered, late, missing, due next; missing municipalities' files.

    Deliveries made after --as-of are ignored. ROOT may be a deliveries root, one feed's
    folder or one delivery folder; a folder without any manifest is an error (exit 2).
    """
    day = today() if as_of is None else _day("--as-of", as_of)
    first = None if since is None else _day("--since", since)
    held = _held(contracts)
    report = delivery_status(root, held, day, since=first, scope=resolve_scope(scope, held),
                             feeds=feed)
    if fmt is StatusFormat.JSON:
        _emit(json.dumps(status_to_json(report), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt is StatusFormat.JUNIT:
        _emit(render_status_junit(report), output)
    elif output is None:
        render_status_text(report, console)
    else:
        _emit(_plain_text(lambda c: render_status_text(report, c)), output)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FINDINGS)
