"""The ``contractkit`` command line (typer). Thin: parse, call, print, exit.

Exit codes everywhere: 0 conforms/clean · 1 does not conform (findings) · 2 cannot judge
(bad arguments, missing paths, invalid contract given to ``validate``, internal error).
Each command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

from contractkit.cli._app import EXIT_CANNOT_JUDGE, app, err_console
from contractkit.errors import ContractError, ContractkitError

# Command modules register themselves on import (one module per command).
from contractkit.cli import lint_cmd  # noqa: F401  isort: skip
from contractkit.cli import schema_cmd  # noqa: F401  isort: skip
from contractkit.cli import validate_cmd  # noqa: F401  isort: skip
from contractkit.cli import diff_cmd  # noqa: F401  isort: skip
from contractkit.cli import catalog_cmd  # noqa: F401  isort: skip
from contractkit.cli import interop_cmd  # noqa: F401  isort: skip
from contractkit.cli import synth_cmd  # noqa: F401  isort: skip
from contractkit.cli import dbt_cmd  # noqa: F401  isort: skip
from contractkit.cli import ci_cmd  # noqa: F401  isort: skip
from contractkit.cli import verify_cmd  # noqa: F401  isort: skip
from contractkit.cli import warehouse_cmd  # noqa: F401  isort: skip
from contractkit.cli import extract_cmd  # noqa: F401  isort: skip
from contractkit.cli import new_cmd  # noqa: F401  isort: skip

__all__ = ["app", "main"]


class _Interrupted(BaseException):
    """Ctrl-C, raised as a type click does not catch (so it keeps exit code 130)."""


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: never lets a traceback escape."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    args = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--debug"]
    if debug:
        os.environ["CONTRACTKIT_DEBUG"] = "1"
    # click's standalone mode turns KeyboardInterrupt into exit 1, which a CI system reads as
    # "does not conform"; an exception click does not know about carries Ctrl-C past it.
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app(args=args, prog_name="contractkit", standalone_mode=True)
    except _Interrupted:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
    except ContractkitError as exc:
        # every problem of an invalid contract/document, each with its path and line
        lines = [str(p) for p in exc.problems] if isinstance(exc, ContractError) else []
        for line in lines or [str(exc)]:
            err_console.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_CANNOT_JUDGE)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
    except Exception as exc:  # the outermost edge: a bug is "cannot judge", never a finding
        err_console.print(
            f"internal error: {type(exc).__name__} (run with --debug for details)",
            markup=False, highlight=False,
        )
        if debug:
            traceback.print_exc()
        sys.exit(EXIT_CANNOT_JUDGE)
