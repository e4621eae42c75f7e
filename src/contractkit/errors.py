"""The one exception tree of contractkit.

Exceptions mean "cannot run"; problems found *in data* are returned as findings
inside a report, never raised. The tree::

    ContractkitError                 base: anything contractkit refuses to do
    ├── UsageError                   bad arguments, unknown option values
    ├── ContractError                a contract (or code list) cannot be loaded or is invalid
    ├── DeliveryError                a delivery file/folder is missing or cannot be opened
    ├── CompileError                 a contract rule cannot be compiled into a check
    ├── DbtError                     dbt failed to parse/build (not a data finding)
    ├── LockedError                  another ``ci`` run holds the folder this run would write
    ├── GitError                     a git ref cannot be read (``--against``)
    └── SparkError                   the Spark engine cannot start or a Spark job failed

The CLI maps every ``ContractkitError`` to exit code 2 with a located one-line message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CompileError",
    "ContractError",
    "ContractProblem",
    "ContractkitError",
    "DbtError",
    "DeliveryError",
    "GitError",
    "LockedError",
    "SparkError",
    "UsageError",
]


class ContractkitError(Exception):
    """Base of every error contractkit raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ContractkitError):
    """The caller asked for something that cannot be done (bad option, bad argument)."""


@dataclass(frozen=True)
class ContractProblem:
    """One located problem in a contract file.

    Attributes:
        code: stable kebab-case code (``invalid-value``, ``unknown-key``, ``yaml-syntax`` …).
        path: the contract file.
        line: 1-based line, when known.
        column: 1-based column, when known.
        loc: dotted location inside the document, e.g. ``tables[0].columns[2].type``.
        message: human-readable explanation.
        severity: ``error`` or ``warning``.
    """

    code: str
    path: str
    line: int | None
    column: int | None
    loc: str
    message: str
    severity: str = "error"

    def location(self) -> str:
        """Return ``path:line:col`` (as far as known)."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        return f"{self.location()}: {where}{self.message}"


@dataclass
class ContractError(ContractkitError):
    """A contract file cannot be loaded, or is not a valid contract.

    Attributes:
        path: the file.
        problems: every located problem found (not just the first).
    """

    path: Path
    problems: list[ContractProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        first = str(self.problems[0]) if self.problems else f"{self.path}: invalid contract"
        more = len(self.problems) - 1
        msg = first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else "")
        ContractkitError.__init__(self, msg)


class DeliveryError(ContractkitError):
    """A delivery file or folder cannot be opened at all (missing, a directory, no permission)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class CompileError(ContractkitError):
    """A contract rule cannot be compiled into a check (never silently skipped)."""


class DbtError(ContractkitError):
    """dbt could not parse or run the project (as opposed to a failing data test)."""


class GitError(ContractkitError):
    """A git revision or file at a revision cannot be read."""


class LockedError(ContractkitError):
    """Another run holds the lock of a folder this run would write (wait, or use another).

    Attributes:
        folder: the locked folder.
        pid: the holder's process id, when known.
    """

    def __init__(self, message: str, folder: Path, pid: int | None = None) -> None:
        super().__init__(message)
        self.folder = folder
        self.pid = pid


class SparkError(ContractkitError):
    """The Spark engine cannot start (no Java, unreachable master) or a Spark job failed.

    The message names the step only: Spark's own text can quote the data.
    """
