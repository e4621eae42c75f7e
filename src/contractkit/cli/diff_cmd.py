"""``contractkit diff``: classify every change between contract versions.

Exit codes: 0 whatever the changes (a diff is information), unless ``--fail-on`` names a
class: then 1 when a change of that class (or a worse one) occurs. 2 cannot judge (bad
arguments, missing file, invalid contract, unknown git revision).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_FINDINGS, EXIT_OK, app, console
from contractkit.diff import (
    Change,
    ChangeClass,
    DiffReport,
    diff_against,
    diff_files,
    diff_to_json,
    render_markdown,
    render_text,
)
from contractkit.errors import UsageError

__all__ = ["diff"]


class DiffFormat(StrEnum):
    """Output formats of ``diff``: the set every reporting command has, plus a changelog."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    MARKDOWN = "markdown"


class FailOn(StrEnum):
    """Which changes make ``diff`` exit 1."""

    NONE = "none"
    BREAKING = "breaking"
    COMPATIBLE = "compatible"
    PATCH = "patch"
    GOVERNANCE = "governance"


def fails_change(change: Change, fail_on: FailOn) -> bool:
    """Whether one change is at or above the ``fail_on`` threshold."""
    if fail_on is FailOn.NONE:
        return False
    if fail_on is FailOn.GOVERNANCE:
        return change.governance
    return change.change_class.rank >= ChangeClass(fail_on.value).rank


def fails(report: DiffReport, fail_on: FailOn) -> bool:
    """Whether the report holds a change at or above the ``fail_on`` threshold."""
    return any(fails_change(c, fail_on) for c in report.changes)


_EXAMPLE_DIFF = """\b
Examples:
  contractkit diff old/dst-ledighed.yaml contracts/dst-ledighed.yaml
  contractkit diff --against origin/main --fail-on breaking
  contractkit diff --against origin/main --fail-on breaking --format junit
"""


@app.command(epilog=_EXAMPLE_DIFF)
def diff(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", help="OLD NEW contract files; with --against: contract files or folders "
             "(default: contracts).")] = None,
    against: Annotated[str | None, typer.Option(
        "--against", help="Compare with the same files at this git revision (e.g. "
                          "origin/main).")] = None,
    fmt: Annotated[DiffFormat, typer.Option(
        "--format", help="text, json, junit (a case per change, failing per --fail-on) or "
                         "markdown (a changelog section).")] = DiffFormat.TEXT,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 when a change of this class or worse occurs "
                          "(breaking, compatible, patch, governance).")] = FailOn.NONE,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the output to this file instead of stdout.")] = None,
) -> None:
    """Show what changed between contract versions, classed from the recipient's side."""
    if against is not None:
        report = diff_against(against, paths or [Path("contracts")])
    elif paths is None or len(paths) != 2:
        raise UsageError("diff takes two contract files (OLD NEW), or --against REF [PATHS…]")
    else:
        report = diff_files(paths[0], paths[1])
    if fmt is DiffFormat.TEXT and output is None:
        render_text(report, console)
    else:
        if fmt is DiffFormat.JSON:
            text = json.dumps(diff_to_json(report), ensure_ascii=False, indent=2) + "\n"
        elif fmt is DiffFormat.MARKDOWN:
            text = render_markdown(report)
        elif fmt is DiffFormat.JUNIT:
            from contractkit.diff.junit import render_diff_junit

            text = render_diff_junit(report, lambda c: fails_change(c, fail_on),
                                     gate=fail_on is not FailOn.NONE)
        else:
            from rich.console import Console

            capture = Console(width=120, no_color=True, highlight=False)
            with capture.capture() as cap:
                render_text(report, capture)
            text = cap.get()
        if output is None:
            console.out(text, end="", highlight=False)
        else:
            from contractkit.atomic import atomic_write_text

            atomic_write_text(output, text)
    raise typer.Exit(EXIT_FINDINGS if fails(report, fail_on) else EXIT_OK)
