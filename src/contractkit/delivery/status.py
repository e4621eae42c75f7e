"""Cadence status: which deliveries of each feed are delivered, late, missing or due next.

Reads a deliveries root laid out as ``<root>/<contract id>/<period>/`` (files plus
``manifest.json``) and compares it with each contract's cadence. Only manifests and file
names are read, never file contents.

States of one period:

- ``on-time``: a released manifest generated on or before the due date;
- ``late``: a released manifest generated after the due date;
- ``missing``: no delivery folder, and the due date has passed;
- ``no-manifest``: a folder without a readable manifest;
- ``rejected`` / ``pending``: the manifest says so;
- ``not-due``: nothing yet, and the due date has not passed.

Due dates are Danish calendar days: a manifest's ``generated_at`` (UTC) is converted to
Europe/Copenhagen before comparing it with ``Period.due(cadence.due_days)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Contract, ScopeKind, Status
from contractkit.contract.periods import Period, file_name, parse_period, period_containing
from contractkit.delivery.manifest import parse_generated_at, read_manifest
from contractkit.errors import DeliveryError
from contractkit.loader import LoadedContract, default_codelist_dir, load_codelists

__all__ = [
    "FeedStatus",
    "PeriodState",
    "PeriodStatus",
    "StatusReport",
    "delivery_status",
    "feed_status",
    "status_to_json",
]

STATUS_SCHEMA = "contractkit-status/1"
_SCOPE_PLACEHOLDER = {ScopeKind.PER_MUNICIPALITY: "kommune", ScopeKind.PER_REGION: "region"}
_SCOPE_CODELIST = {ScopeKind.PER_MUNICIPALITY: "kommuner", ScopeKind.PER_REGION: "regioner"}


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
    """

    feed: str
    title: str
    frequency: str
    due_days: int
    scope: str
    periods: tuple[PeriodStatus, ...]
    due_next: PeriodStatus
    unexpected: tuple[str, ...] = ()

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


def _local_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Copenhagen")
    except ZoneInfoNotFoundError:  # no tz database installed: fall back to UTC days
        return UTC


def _expected_scopes(lc: LoadedContract, codelists: Mapping[str, CodeList] | None,
                     scope: str | None) -> tuple[str, list[str]] | None:
    """(placeholder, codes) for per-scope feeds whose file names carry the scope, else None."""
    c = lc.contract
    placeholder = _SCOPE_PLACEHOLDER.get(c.scope.kind)
    if placeholder is None or not any(f"{{{placeholder}}}" in t.file_pattern for t in c.tables):
        return None
    if scope is not None:
        return placeholder, [scope]
    if c.scope.recipients:
        return placeholder, list(c.scope.recipients)
    if codelists is None:
        codelists, _ = load_codelists(default_codelist_dir(lc.path))
    codelist = codelists.get(_SCOPE_CODELIST[c.scope.kind])
    if codelist is None:
        raise DeliveryError(f"{lc.path}: code list {_SCOPE_CODELIST[c.scope.kind]!r} needed to "
                            "know which recipients a per-scope feed has is not found")
    return placeholder, [v.code for v in codelist.values]


def _missing_scopes(contract: Contract, folder: Path, period: str,
                    expected: tuple[str, list[str]] | None) -> tuple[str, ...]:
    if expected is None:
        return ()
    placeholder, codes = expected
    present = {p.name for p in folder.iterdir()}
    missing = []
    for code in codes:
        for table in contract.tables:
            if f"{{{placeholder}}}" not in table.file_pattern:
                continue
            name = file_name(table.file_pattern, period, **{placeholder: code})
            if name not in present:
                missing.append(code)
                break
    return tuple(missing)


def _delivered(folder: Path, period: Period, due: date, zone: tzinfo, as_of: date,
               contract: Contract, expected: tuple[str, list[str]] | None) -> PeriodStatus:
    try:
        manifest = read_manifest(folder)
    except DeliveryError as exc:
        return PeriodStatus(period.label, due, PeriodState.NO_MANIFEST, problem=exc.message)
    if manifest.status == "rejected":
        state = PeriodState.REJECTED
    elif manifest.status == "pending":
        state = PeriodState.PENDING if as_of > due else PeriodState.NOT_DUE
    else:
        day = parse_generated_at(manifest.generated_at).astimezone(zone).date()
        state = PeriodState.LATE if day > due else PeriodState.ON_TIME
    scopes = _missing_scopes(contract, folder, period.label, expected)
    return PeriodStatus(period.label, due, state, manifest.generated_at, scopes)


def feed_status(lc: LoadedContract, root: Path, as_of: date, *, since: date | None = None,
                scope: str | None = None,
                codelists: Mapping[str, CodeList] | None = None) -> FeedStatus:
    """The status of one feed below ``root`` as of ``as_of``.

    Periods considered run from the one containing ``since`` (default: the earliest
    delivered period, or else the latest period already due) to the last delivered or due one.
    For a per-municipality/region feed the files of every recipient in the contract's scope
    (or its code list) are expected, or only those of ``scope`` when given.
    """
    c = lc.contract
    freq, due_days = c.cadence.frequency, c.cadence.due_days
    feed_dir = root / c.id
    folders: dict[str, Path] = {}
    unexpected: list[str] = []
    if feed_dir.is_dir():
        for entry in sorted(feed_dir.iterdir()):
            try:
                parse_period(freq, entry.name)
            except ValueError:
                unexpected.append(entry.name)
                continue
            if entry.is_dir():
                folders[entry.name] = entry
            else:
                unexpected.append(entry.name)
    # The earliest period whose due date has not passed yet.
    first_open = period_containing(freq, as_of - timedelta(days=due_days))
    last_due = first_open.previous()
    delivered = sorted(parse_period(freq, label) for label in folders)
    if since is not None:
        start = period_containing(freq, since)
    elif delivered:
        start = min(delivered[0], last_due)
    else:
        start = last_due
    end = max([last_due, *delivered])
    zone = _local_zone()
    expected = _expected_scopes(lc, codelists, scope)
    periods: list[PeriodStatus] = []
    p = start
    while p <= end:
        due = p.due(due_days)
        if p.label in folders:
            periods.append(_delivered(folders[p.label], p, due, zone, as_of, c, expected))
        else:
            state = PeriodState.MISSING if due < as_of else PeriodState.NOT_DUE
            periods.append(PeriodStatus(p.label, due, state))
        p = p.next()
    done = {s.period for s in periods if s.state in (PeriodState.ON_TIME, PeriodState.LATE)}
    nxt = first_open
    while nxt.label in done:
        nxt = nxt.next()
    return FeedStatus(
        feed=c.id, title=c.title, frequency=freq.value, due_days=due_days,
        scope=c.scope.kind.value, periods=tuple(periods),
        due_next=PeriodStatus(nxt.label, nxt.due(due_days), PeriodState.NOT_DUE),
        unexpected=tuple(unexpected),
    )


def delivery_status(root: Path, contracts: Sequence[LoadedContract], as_of: date, *,
                    since: date | None = None, scope: str | None = None,
                    codelists: Mapping[str, CodeList] | None = None) -> StatusReport:
    """Status of every active or deprecated feed in ``contracts`` below ``root``.

    ``scope`` is the recipient's municipality/region code: per-scope feeds then expect
    only that recipient's files.

    Raises:
        DeliveryError: ``root`` is not a folder.
    """
    if not root.is_dir():
        raise DeliveryError(f"{root}: no such deliveries folder", root)
    feeds = [
        feed_status(lc, root, as_of, since=since, scope=scope, codelists=codelists)
        for lc in sorted(contracts, key=lambda x: x.contract.id)
        if lc.contract.status in (Status.ACTIVE, Status.DEPRECATED)
    ]
    return StatusReport(as_of, str(root), tuple(feeds))


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
            }
            for f in report.feeds
        ],
    }
