"""Run dbt in-process (``dbtRunner``) and turn its results into plain, safe records.

DESIGN §5: pass absolute ``--project-dir``/``--profiles-dir``; use a fresh runner per
invocation (a parsed manifest reused with other ``--vars`` wrote one period's rows into
another's file); the profile sets ``keep_open: false`` so the DuckDB file is free after
``invoke``. dbt's messages can quote data (DuckDB names the duplicate key, CPR included),
so every message is reduced to a category with column names only before it leaves here.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.atomic import owner_only
from contractkit.errors import DbtError

__all__ = ["DbtNodeResult", "DbtRun", "DbtSettings", "run_dbt", "sanitise_message"]


@dataclass(frozen=True)
class DbtSettings:
    """Where dbt finds its project and writes its outputs (all made absolute).

    Attributes:
        project_dir: folder with ``dbt_project.yml``.
        profiles_dir: folder with ``profiles.yml`` (usually the project folder).
        warehouse: the DSDW stand-in attached read-only.
        target_dir: dbt's target folder; the database it builds into lives inside it.
        memory_limit: DuckDB memory limit for the build.
    """

    project_dir: Path
    profiles_dir: Path
    warehouse: Path
    target_dir: Path
    memory_limit: str = "2GB"

    @property
    def database(self) -> Path:
        """The DuckDB file dbt builds the models into."""
        return self.target_dir / "contractkit.duckdb"


@dataclass(frozen=True)
class DbtNodeResult:
    """The outcome of one dbt node (a model or a data test).

    Attributes:
        name: node name (model name, or the generated test name).
        resource_type: ``model`` or ``test`` (others are passed through).
        status: dbt's status: success, error, fail, warn, pass, skipped.
        model: the model the node is (models) or tests (tests).
        rule: a short rule name, e.g. ``dbt:contract``, ``dbt-test:accepted_values``.
        column: the tested column, if any.
        message: a sanitised message (no data values).
        failures: number of failing rows of a test, if known.
    """

    name: str
    resource_type: str
    status: str
    model: str | None
    rule: str
    column: str | None
    message: str
    failures: int | None = None

    @property
    def failed(self) -> bool:
        """True when the node errored or its test failed."""
        return self.status in ("error", "fail")


@dataclass(frozen=True)
class DbtRun:
    """What one dbt invocation did."""

    success: bool
    results: tuple[DbtNodeResult, ...]


_CPR = re.compile(r"\b\d{6}-?\d{4}\b")
_HEX = re.compile(r"\b[0-9a-f]{64}\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NOT_NULL = re.compile(r"NOT NULL constraint failed: ([\w.]+)")


def _in_use(text: str) -> str | None:
    """DuckDB's lock conflict (it names a pid and a program path) said plainly."""
    if "Could not set lock on file" not in text and "Conflicting lock" not in text:
        return None
    return ("a DuckDB database it needs is in use by another process (a running ci, dbt or "
            "warehouse build); wait for it to finish, or use --target-dir/--warehouse")


def sanitise_message(message: str) -> tuple[str, str]:
    """Reduce a dbt/DuckDB message to ``(rule, text)`` without any data value."""
    text = message or ""
    busy = _in_use(text)
    if busy is not None:
        return "dbt:database-in-use", busy
    if "enforced contract" in text:
        lines = [ln.strip() for ln in text.splitlines() if "|" in ln]
        detail = "; ".join(_mask(ln) for ln in lines[1:]) if lines else ""
        return "dbt:contract", ("the model does not match its enforced contract"
                                + (f": {detail}" if detail else ""))
    if "Duplicate key" in text or "PRIMARY KEY or UNIQUE constraint" in text:
        return "dbt:primary_key", "primary key constraint violated (duplicate key)"
    m = _NOT_NULL.search(text)
    if m:
        return "dbt:not_null", f"not-null constraint violated on {m.group(1)}"
    if "Compilation Error" in text:
        return "dbt:compilation", _mask(_first_line(text))
    return "dbt:error", _mask(_first_line(text))


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return "dbt failed"


def _mask(text: str) -> str:
    text = _QUOTED.sub("<value>", text)
    text = _CPR.sub("<masked>", text)
    return _HEX.sub("<masked>", text)


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_dbt(command: Sequence[str], settings: DbtSettings,
            dbt_vars: Mapping[str, Any] | None = None) -> DbtRun:
    """Invoke dbt once with a fresh runner, e.g. ``run_dbt(["build"], settings, {...})``.

    Raises:
        DbtError: dbt could not run at all (project/profile/parse problem).
    """
    from dbt.cli.main import dbtRunner

    target = settings.target_dir.absolute()
    with owner_only():
        target.mkdir(parents=True, exist_ok=True)
    args = [
        *command,
        "--project-dir", str(settings.project_dir.absolute()),
        "--profiles-dir", str(settings.profiles_dir.absolute()),
        "--target-path", str(target),
        "--log-path", str(target / "logs"),
        "--log-level", "none",
        "--log-level-file", "none",
        "--no-partial-parse",
        "--no-use-colors",
    ]
    if dbt_vars:
        args += ["--vars", json.dumps(dict(dbt_vars))]
    env = {
        "CONTRACTKIT_DBT_DB": str(settings.database.absolute()),
        "CONTRACTKIT_WAREHOUSE": str(settings.warehouse.absolute()),
        "CONTRACTKIT_MEMORY_LIMIT": settings.memory_limit,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    with _environment(env), owner_only():  # its database holds personal data
        outcome = dbtRunner().invoke(args)
    if outcome.result is None or not hasattr(outcome.result, "results"):
        if outcome.success:
            return DbtRun(True, ())
        detail = _mask(_first_line(str(outcome.exception))) if outcome.exception else "dbt failed"
        detail = _in_use(str(outcome.exception)) or detail
        raise DbtError(f"dbt {' '.join(command)} could not run: {detail}")
    return DbtRun(bool(outcome.success), tuple(_node(r) for r in outcome.result.results))


def _node(result: Any) -> DbtNodeResult:
    node = result.node
    status = str(getattr(result.status, "value", result.status))
    kind = str(getattr(node.resource_type, "value", node.resource_type))
    column: str | None = None
    model: str | None = node.name
    failures = getattr(result, "failures", None)
    if kind == "test":
        meta = getattr(node, "test_metadata", None)
        test_name = meta.name if meta is not None else "singular"
        column = getattr(node, "column_name", None)
        attached = getattr(node, "attached_node", None)
        model = attached.split(".")[-1] if attached else None
        rule = f"dbt-test:{test_name}"
        where = f"{model}.{column}" if column else str(model)
        message = f"data test {test_name} failed on {where}"
        if failures:
            message += f" ({failures} row{'s' if failures != 1 else ''})"
        if status == "error":
            rule, message = sanitise_message(str(result.message or ""))
    else:
        rule, message = ("dbt:ok", "") if status == "success" else sanitise_message(
            str(result.message or ""))
    return DbtNodeResult(node.name, kind, status, model, rule, column, message,
                         int(failures) if isinstance(failures, int) else None)
