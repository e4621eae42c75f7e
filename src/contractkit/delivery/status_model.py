"""The cadence status report: states of each period and feed, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = ["STATUS_SCHEMA", "FeedStatus", "PeriodState", "PeriodStatus", "StatusReport",
           "status_to_json"]

STATUS_SCHEMA = "contractkit-status/1"


class PeriodState(StrEnum):
    """What is known about the delivery of one period."""

    ON_TIME = "on-time"
    LATE = "late"
    MISSING = "missing"
    NO_MANIFEST = "no-manifest"
    REJECTED = "rejected"
    PENDING = "pending"
    NOT_DUE = "not-due"


@dataclass(frozen=True)
class PeriodStatus:
    """The delivery state of one period of one feed.

    Attributes:
        period: the period label.
        due: the day the delivery is due.
        state: see :class:`PeriodState`.
        generated_at: the manifest's time, when there is a manifest.
        missing_scopes: municipality/region codes whose files are absent (per-scope feeds).
        problem: why the manifest could not be read (state ``no-manifest``).
    """

    period: str
    due: date
    state: PeriodState
    generated_at: str | None = None
    missing_scopes: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def needs_action(self) -> bool:
        """True when this period is a problem now (not merely late in the past)."""
        if self.state in (PeriodState.MISSING, PeriodState.NO_MANIFEST, PeriodState.REJECTED):
            return True
        return bool(self.missing_scopes) or self.state is PeriodState.PENDING


@dataclass(frozen=True)
class FeedStatus:
    """The delivery history of one feed up to the as-of date.

    Attributes:
        feed: the contract id.
        title: the contract title.
        frequency: the cadence frequency.
        due_days: days after period end a delivery is due.
        scope: national, per_municipality or per_region.
        periods: every period from the first considered one on, oldest first.
        due_next: the first undelivered period whose due date has not passed.
        unexpected: folder entries that are not period labels of this feed.
        after_as_of: periods whose delivery was made after the as-of day (ignored).
    """

    feed: str
    title: str
    frequency: str
    due_days: int
    scope: str
    periods: tuple[PeriodStatus, ...]
    due_next: PeriodStatus
    unexpected: tuple[str, ...] = ()
    after_as_of: tuple[str, ...] = ()

    def in_state(self, state: PeriodState) -> list[str]:
        """Labels of the periods in ``state``."""
        return [p.period for p in self.periods if p.state is state]

    @property
    def ok(self) -> bool:
        """True when no period needs action."""
        return not any(p.needs_action for p in self.periods)


@dataclass(frozen=True)
class StatusReport:
    """Status of every feed as of one day."""

    as_of: date
    root: str
    feeds: tuple[FeedStatus, ...]

    @property
    def ok(self) -> bool:
        """True when no feed has a period that needs action."""
        return all(f.ok for f in self.feeds)


def _period_json(p: PeriodStatus) -> dict[str, Any]:
    return {"period": p.period, "due": p.due.isoformat(), "state": p.state.value,
            "generated_at": p.generated_at, "missing_scopes": list(p.missing_scopes),
            "problem": p.problem}


def status_to_json(report: StatusReport) -> dict[str, Any]:
    """The status report as JSON-ready data (``"schema": "contractkit-status/1"``)."""
    return {
        "schema": STATUS_SCHEMA,
        "as_of": report.as_of.isoformat(),
        "root": report.root,
        "ok": report.ok,
        "feeds": [
            {
                "feed": f.feed, "title": f.title, "frequency": f.frequency,
                "due_days": f.due_days, "scope": f.scope, "ok": f.ok,
                "delivered": f.in_state(PeriodState.ON_TIME) + f.in_state(PeriodState.LATE),
                "late": f.in_state(PeriodState.LATE),
                "missing": f.in_state(PeriodState.MISSING),
                "due_next": {"period": f.due_next.period, "due": f.due_next.due.isoformat()},
                "periods": [_period_json(p) for p in f.periods],
                "unexpected": list(f.unexpected),
                "after_as_of": list(f.after_as_of),
            }
            for f in report.feeds
        ],
    }
