"""What a ``contractkit ci`` run found: per feed its verdict, files, dbt problems and report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contractkit.pipeline.export import ExportedFile
from contractkit.report.model import Report

__all__ = ["CiResult", "FeedProblem", "FeedResult"]


@dataclass(frozen=True)
class FeedProblem:
    """A reason a feed is rejected that is not a file finding (dbt model error or test)."""

    file: str
    rule: str
    message: str


@dataclass(frozen=True)
class FeedResult:
    """The outcome of one feed (one outbound contract) for the period."""

    feed: str
    version: str
    recipient: str
    period: str
    period_note: str | None
    folder: Path
    files: tuple[ExportedFile, ...]
    status: str
    problems: tuple[FeedProblem, ...] = ()
    report: Report | None = None

    @property
    def rows(self) -> int:
        """Data rows over all files."""
        return sum(f.rows for f in self.files)

    @property
    def ok(self) -> bool:
        """True when the delivery was released."""
        return self.status == "released"


@dataclass(frozen=True)
class CiResult:
    """The outcome of one ``ci`` run."""

    period: str
    warehouse: Path
    built_warehouse: bool
    feeds: tuple[FeedResult, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every feed was released."""
        return all(f.ok for f in self.feeds)
