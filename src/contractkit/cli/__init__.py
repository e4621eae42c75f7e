"""The ``contractkit`` command line (typer). Thin: parse, call, print, exit.

Exit codes everywhere: 0 conforms/clean · 1 does not conform (findings) · 2 cannot judge
(bad arguments, missing paths, invalid contract given to ``validate``, internal error).
Each command lives in its own module and registers itself on ``app`` when imported.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import signal
import sys
import traceback

from contractkit import _process
from contractkit.cli import _app
from contractkit.cli._app import EXIT_CANNOT_JUDGE, err_console
from contractkit.errors import ContractError, ContractkitError

_COMMANDS = {
    "lint": "lint_cmd", "schema": "schema_cmd", "validate": "validate_cmd",
    "diff": "diff_cmd", "catalog": "catalog_cmd", "export": "interop_cmd",
    "import": "interop_cmd", "synth": "synth_cmd", "dbt": "dbt_cmd", "ci": "ci_cmd",
    "verify": "verify_cmd", "status": "verify_cmd", "warehouse": "warehouse_cmd",
    "extract": "extract_cmd", "new": "new_cmd",
}
"""Command → the module that registers it on the app, in the order ``--help`` lists them.

Each command lives in its own module. ``main`` imports only the module of the command it
runs (a recipient's ``validate`` does not pay for dbt, the catalog or the ODCS schemas:
start-up is mostly imports); ``contractkit.cli.app`` has them all.
"""


def _register(command: str | None = None) -> None:
    """Import the module of ``command`` (every command module when ``None`` or unknown)."""
    module = _COMMANDS.get(command or "")
    for name in [module] if module else dict.fromkeys(_COMMANDS.values()):
        importlib.import_module(f"contractkit.cli.{name}")


def __getattr__(name: str) -> object:
    if name == "app":  # the whole application, as tests and embedding code use it
        _register()
        return _app.app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    # the process ends after the command: Python's last collection at shut-down would walk
    # every object the imports made (≈ 70 ms of each exit once polars and numpy are loaded)
    # for cycles to finalise, and ours hold none that matter (temporary folders go through
    # weakref.finalize's exit handler, files and connections are closed). Frozen objects are
    # left to the OS. Registered before the command runs, it runs after every exit handler
    # the command registers (Spark's gateway); a test process calling main() exits faster.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    # the command's modules (polars, numpy, pydantic models…) are imported with the cycle
    # collector paused: they make many objects and no garbage, and its passes cost ≈ 13 %
    # of the import time (restored right after; a long `ci` run collects as usual)
    gc.disable()
    try:
        _register(next((a for a in args if not a.startswith("-")), None))
    finally:
        gc.enable()
    # this process is contractkit's own: e.g. pandera is imported with its polars API only,
    # not its pandas API (contractkit.engine.pandera_import)
    _process.claim()
    try:
        _app.app(args=args, prog_name="contractkit", standalone_mode=True)
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
