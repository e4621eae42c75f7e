"""Cadence status: which deliveries of each feed are delivered, late, missing or due next.

Reads a deliveries root laid out as ``<root>/<contract id>/<period>/`` (files plus
``manifest.json``), one feed's folder or one delivery folder (see
:mod:`contractkit.delivery.layout`), and compares it with each contract's cadence as of a
day: what was made after that day is ignored. Only manifests and file names are read, never
file contents.

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
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Contract, Frequency, ScopeKind, Status
from contractkit.contract.periods import Period, file_name, parse_period, period_containing
from contractkit.contract.scopes import SCOPE_CODELISTS, normalise_scope_code
from contractkit.delivery.layout import locate_deliveries
from contractkit.delivery.manifest import parse_generated_at, read_manifest
from contractkit.delivery.status_model import (
    FeedStatus,
    PeriodState,
    PeriodStatus,
    StatusReport,
    status_to_json,
)
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract, default_codelist_dir, load_codelists

__all__ = [
    "FeedStatus",
    "PeriodState",
    "PeriodStatus",
    "StatusReport",
    "danish_day",
    "delivery_status",
    "feed_status",
    "status_to_json",
    "today",
]

_SCOPE_PLACEHOLDER = {ScopeKind.PER_MUNICIPALITY: "kommune", ScopeKind.PER_REGION: "region"}
_SCOPE_CODELIST = SCOPE_CODELISTS


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


def danish_day(instant: datetime) -> date:
    """The day ``instant`` (time-zone aware) falls on in Denmark, where deliveries are due."""
    return instant.astimezone(_local_zone()).date()


def today() -> date:
    """Today in Denmark: the default day a status is judged as of. (The machine's own
    date would judge a delivery made at 23:30 UTC in winter — 00:30 the next day in
    Denmark — as made after the day it was made on.)"""
    return danish_day(datetime.now(UTC))


def _manifest_day(folder: Path) -> date | None:
    """The Danish day a folder's manifest was made, or None without a readable manifest."""
    try:
        manifest = read_manifest(folder)
    except DeliveryError:
        return None
    return danish_day(parse_generated_at(manifest.generated_at))


def _delivered(folder: Path, period: Period, due: date, as_of: date,
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
        day = danish_day(parse_generated_at(manifest.generated_at))
        state = PeriodState.LATE if day > due else PeriodState.ON_TIME
    scopes = _missing_scopes(contract, folder, period.label, expected)
    return PeriodStatus(period.label, due, state, manifest.generated_at, scopes)


def _period_folders(feed_dir: Path | None, freq: Frequency) -> tuple[dict[str, Path], list[str]]:
    """Period folders of a feed folder by label, and the entries that are not periods."""
    folders: dict[str, Path] = {}
    unexpected: list[str] = []
    if feed_dir is None or not feed_dir.is_dir():
        return folders, unexpected
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
    return folders, unexpected


def feed_status(lc: LoadedContract, root: Path, as_of: date, *, since: date | None = None,
                scope: str | None = None,
                codelists: Mapping[str, CodeList] | None = None,
                feed_dir: Path | None = None,
                folders: Mapping[str, Path] | None = None) -> FeedStatus:
    """The status of one feed below ``root`` as of ``as_of``.

    What was made after ``as_of`` is ignored: a period folder whose period starts after that
    day, and a delivery whose manifest was made after it (such periods are listed in
    ``FeedStatus.after_as_of``), so a report "as of" a past day reads as it would have then.
    Periods considered run from the one containing ``since`` (default: the earliest
    delivered period, or else the latest period already due) to the last delivered or due one.
    For a per-municipality/region feed the files of every recipient in the contract's scope
    (or its code list) are expected, or only those of ``scope`` when given.

    Args:
        lc: the feed's contract.
        root: the deliveries root (``<root>/<feed id>/<period>/``).
        as_of: the day judged.
        since: consider periods from the one containing this day.
        scope: the recipient's municipality/region code.
        codelists: code lists (default: those beside the contract).
        feed_dir: the feed's folder of periods (default ``root/<feed id>``).
        folders: only these period folders by label (one delivery folder given).

    Returns:
        The feed's periods, due-next period and stray entries.
    """
    c = lc.contract
    freq, due_days = c.cadence.frequency, c.cadence.due_days
    scope = None if scope is None else normalise_scope_code(scope)
    unexpected: list[str] = []
    if folders is None:
        folders, unexpected = _period_folders(feed_dir or root / c.id, freq)
    later: list[str] = []
    known: dict[str, Path] = {}
    for label, folder in folders.items():
        made = _manifest_day(folder)
        if parse_period(freq, label).start > as_of or (made is not None and made > as_of):
            later.append(label)
        else:
            known[label] = folder
    # The earliest period whose due date has not passed yet.
    first_open = period_containing(freq, as_of - timedelta(days=due_days))
    last_due = first_open.previous()
    delivered = sorted(parse_period(freq, label) for label in known)
    if since is not None:
        start = period_containing(freq, since)
    elif delivered:
        start = min(delivered[0], last_due)
    else:
        start = last_due
    end = max([last_due, *delivered])
    expected = _expected_scopes(lc, codelists, scope)
    periods: list[PeriodStatus] = []
    p = start
    while p <= end:
        due = p.due(due_days)
        if p.label in known:
            periods.append(_delivered(known[p.label], p, due, as_of, c, expected))
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
        unexpected=tuple(unexpected), after_as_of=tuple(sorted(later)),
    )


def _recipients(lc: LoadedContract, codelists: Mapping[str, CodeList] | None) -> set[str]:
    """Every municipality/region code a per-scope feed delivers to (normalised)."""
    c = lc.contract
    if c.scope.recipients:
        return {normalise_scope_code(code) for code in c.scope.recipients}
    name = SCOPE_CODELISTS.get(c.scope.kind)
    if name is None:
        return set()
    lists = codelists
    if lists is None or name not in lists:
        lists, _ = load_codelists(default_codelist_dir(lc.path), [name])
    codelist = lists.get(name)
    return set() if codelist is None else {normalise_scope_code(v.code) for v in codelist.values}


def delivery_status(root: Path | str, contracts: Sequence[LoadedContract], as_of: date, *,
                    since: date | None = None, scope: str | None = None,
                    feeds: Sequence[str] | None = None,
                    codelists: Mapping[str, CodeList] | None = None) -> StatusReport:
    """Status of every active or deprecated feed in ``contracts`` below ``root``.

    ``root`` may be a deliveries root (``<root>/<feed>/<period>/manifest.json``), one feed's
    folder (``<root>/<period>/manifest.json``: only that feed is judged) or one delivery
    folder (only that feed and period).

    Args:
        root: the folder to judge.
        contracts: the contracts held.
        as_of: the day judged; deliveries made after it are ignored.
        since: consider periods from the one containing this day.
        scope: the recipient's municipality/region code: only per-scope feeds that deliver
            to it are judged, each expecting only that recipient's files.
        feeds: judge only these feed ids.
        codelists: code lists (default: those beside each contract).

    Returns:
        One status per judged feed, sorted by id.

    Raises:
        DeliveryError: ``root`` is not a folder, or holds no manifest at any depth.
        UsageError: a feed in ``feeds`` (or the feed of ``root``) is not held.
    """
    root = Path(root)
    if not root.is_dir():
        raise DeliveryError(f"{root}: no such deliveries folder", root)
    active = [lc for lc in sorted(contracts, key=lambda x: x.contract.id)
              if lc.contract.status in (Status.ACTIVE, Status.DEPRECATED)]
    held = {lc.contract.id for lc in active}
    layout = locate_deliveries(root, held)
    root = layout.root
    folders: dict[str, Mapping[str, Path]] = {}
    feed_dir: Path | None = None
    if layout.feed is not None:
        if layout.feed not in held:
            raise UsageError(f"{root}: a delivery of feed {layout.feed!r}, but no active "
                             f"contract {layout.feed!r} is held (give it with -c)")
        if feeds is not None and layout.feed not in feeds:
            raise UsageError(f"{root} holds feed {layout.feed}, not {', '.join(feeds)}")
        feeds = [layout.feed]
        if layout.periods is not None:
            folders[layout.feed] = layout.periods
        feed_dir = layout.feed_dir
    if feeds is not None:
        unknown = sorted(set(feeds) - held)
        if unknown:
            raise UsageError(f"--feed {', '.join(unknown)}: no such active feed among the "
                             f"contracts held ({', '.join(sorted(held)) or 'none'})")
        active = [lc for lc in active if lc.contract.id in set(feeds)]
    if scope is not None:
        scope = normalise_scope_code(scope)
        active = [lc for lc in active if lc.contract.scope.kind is not ScopeKind.NATIONAL
                  and scope in _recipients(lc, codelists)]
    judged = [
        feed_status(lc, root, as_of, since=since, scope=scope, codelists=codelists,
                    feed_dir=feed_dir, folders=folders.get(lc.contract.id))
        for lc in active
    ]
    return StatusReport(as_of, str(root), tuple(judged))
