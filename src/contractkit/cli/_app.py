"""The typer application object and shared CLI plumbing (consoles, exit codes, options)."""

from __future__ import annotations

from enum import StrEnum

import typer
from rich.console import Console

__all__ = [
    "EXIT_CANNOT_JUDGE",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "Engine",
    "OutputFormat",
    "app",
    "console",
    "err_console",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_JUDGE = 2

app = typer.Typer(
    name="contractkit",
    help="Data contracts for recurring register deliveries: lint, validate, build, diff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    """Report formats."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"


class Engine(StrEnum):
    """Validation engines (``--engine``)."""

    POLARS = "polars"
    SPARK = "spark"


@app.callback()
def _root() -> None:
    """contractkit: one data contract per feed; many enforcers."""
