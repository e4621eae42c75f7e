"""The typer application object and shared CLI plumbing (consoles, exit codes, options)."""

from __future__ import annotations

import os
import re
import sys
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from typer import _click  # typer 0.29 vendors click: its classes, not the click package's
from typer.core import TyperCommand, TyperGroup

from contractkit.cli._aliases import rewrite_aliases

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

_REQUIRED = re.compile(r"\{([A-Z][A-Z_]*(?:\.\.\.)?)\}")
_ARG_TYPE = re.compile(r"(?<=\S) <(?:list\[\w+\]|path|str|text)>(?=  )")


def _plain_help(text: str) -> str:
    """Help as people write it: ``FILE...`` not ``{FILE...}``, no ``<list[Path]>`` labels.

    typer (0.29) marks required arguments with braces and prints a Python type after each
    argument; the metavars given here already say what is meant.
    """
    text = _REQUIRED.sub(r"\1", text)
    head, options, rest = text.partition("\nOptions:")
    return _ARG_TYPE.sub(lambda m: " " * len(m.group(0)), head) + options + rest


class _Command(TyperCommand):
    def get_help(self, ctx: _click.Context) -> str:
        return _plain_help(super().get_help(ctx))


class _Group(TyperGroup):
    """Gives every subcommand (and sub-group) the plain help above; the root group rewrites
    old option spellings (:mod:`contractkit.cli._aliases`), so they work however the app is
    invoked: the ``contractkit`` script, ``python -m contractkit`` or typer's ``CliRunner``."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: _click.Context | None = None, **extra: Any) -> _click.Context:
        if parent is None:
            args = rewrite_aliases(args)
        return super().make_context(info_name, args, parent=parent, **extra)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if type(cmd) is TyperCommand:
            cmd.__class__ = _Command
        elif type(cmd) is TyperGroup:
            cmd.__class__ = _Group
        return cmd


app = typer.Typer(
    name="contractkit",
    cls=_Group,
    epilog="\b\nOne grammar: -c/--contract (a contract file or a folder of them), "
           "-o/--output (a file\nwritten), --out-dir (a folder written), --format "
           "text|json|junit, -h on every command.\n\b\nExamples:\n"
           "  contractkit lint contracts/\n"
           "  contractkit validate -c contracts/dst-ledighed.yaml dst_ledighed_2024-03.csv\n"
           "  contractkit verify deliveries/dst-ledighed/2024-03 -c contracts/\n",
    help="Data contracts for recurring register deliveries: lint, validate, build, diff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # -h everywhere (click hands help_option_names down to every subcommand's context).
    context_settings={"help_option_names": ["-h", "--help"]},
)
# In a pipe (a CI log, `| less`) rich would wrap tables at 80 columns, splitting paths and
# masked values; there the width is generous unless COLUMNS says otherwise.
_PIPE_WIDTH = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 400
console = Console(highlight=False, soft_wrap=True, width=_PIPE_WIDTH)
err_console = Console(stderr=True, highlight=False, soft_wrap=True,
                      width=None if sys.stderr.isatty() or "COLUMNS" in os.environ else 400)


class OutputFormat(StrEnum):
    """Report formats."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"


def _version(value: bool) -> None:
    if value:
        from contractkit import __version__

        console.print(f"contractkit {__version__}", markup=False, highlight=False)
        raise typer.Exit(EXIT_OK)


class Engine(StrEnum):
    """Validation engines (``--engine``)."""

    POLARS = "polars"
    SPARK = "spark"


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """contractkit: one data contract per feed; many enforcers.

    Options follow one grammar: -c/--contract (a contract file or a folder of them),
    -o/--output (a file written), --out-dir (a folder written), --format text|json|junit,
    -h/--help (with an example for every command).
    """
