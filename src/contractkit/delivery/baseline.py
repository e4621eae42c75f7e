"""The baseline of a delivery and judging a validated delivery against it.

The baseline is what was released: the last delivery of the same feed, of an earlier
period, whose manifest says ``released`` (``ci`` finds it under ``<out>/<feed>/``). A file
is compared with the baseline's file of the same table and scope (a per-municipality feed
is judged municipality by municipality). A recipient compares two received periods with
``validate --baseline DIR|MANIFEST``: a folder's files are profiled afresh, a manifest's
stored profiles are used as they are (an old manifest without profiles still gives row
counts, so volume rules work).

The first period of a feed has no baseline; the report says so in a note.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from contractkit.contract.models import Contract, ScopeKind, Table
from contractkit.contract.periods import Period, file_name_regex, parse_period
from contractkit.delivery.compare import compare_profiles
from contractkit.delivery.manifest import MANIFEST_NAME, Manifest, read_manifest
from contractkit.delivery.profile import FileProfile, profile_file
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract
from contractkit.report.model import FileReport, Finding, Report

__all__ = [
    "BaselineFile",
    "BaselineSet",
    "baseline_from_manifest",
    "judge_report",
    "last_released",
    "load_baseline",
]


@dataclass(frozen=True)
class BaselineFile:
    """One file of the baseline: its table, scope and profile."""

    name: str
    table: str
    scope: str | None
    profile: FileProfile


@dataclass(frozen=True)
class BaselineSet:
    """The baseline of a delivery: a period and the profile of each of its files."""

    period: str
    source: str
    files: tuple[BaselineFile, ...]

    def find(self, table: str, scope: str | None) -> BaselineFile | None:
        """The baseline's file of ``table`` and ``scope``, if it has one."""
        return next((f for f in self.files if f.table == table and f.scope == scope), None)


def baseline_from_manifest(manifest: Manifest, source: str) -> BaselineSet:
    """The baseline a manifest describes (rows only where a file has no profile)."""
    files = tuple(BaselineFile(f.name, f.table, f.scope,
                               f.profile or FileProfile(rows=f.rows, min_cell_size=1))
                  for f in manifest.files)
    return BaselineSet(manifest.period, source, files)


def _period(contract: Contract, label: str) -> Period | None:
    try:
        return parse_period(contract.cadence.frequency, label)
    except ValueError:
        return None


def last_released(contract: Contract, feed_dir: Path, period: str) -> BaselineSet | None:
    """The last released delivery of the feed in ``feed_dir`` before ``period``, if any.

    Folders that are not a period of the feed, or whose manifest is missing or malformed,
    are passed over (``verify`` and ``status`` report those); so is a rejected delivery.
    """
    current = _period(contract, period)
    if current is None or not feed_dir.is_dir():
        return None
    best: tuple[Period, Manifest, Path] | None = None
    for folder in feed_dir.iterdir():
        found = _period(contract, folder.name)
        if found is None or found >= current or not (folder / MANIFEST_NAME).is_file():
            continue
        if best is not None and found <= best[0]:
            continue
        with contextlib.suppress(DeliveryError):
            manifest = read_manifest(folder)
            if manifest.status == "released" and manifest.feed == contract.id:
                best = (found, manifest, folder)
    if best is None:
        return None
    return baseline_from_manifest(best[1], str(best[2]))


def _named(contract: Contract, table: Table, name: str) -> dict[str, str]:
    match = file_name_regex(table.file_pattern, contract.cadence.frequency).match(name)
    return {k: v for k, v in match.groupdict().items() if v is not None} if match else {}


def _scope_of(contract: Contract, named: Mapping[str, str]) -> str | None:
    if contract.scope.kind is ScopeKind.NATIONAL:
        return None
    key = "kommune" if contract.scope.kind is ScopeKind.PER_MUNICIPALITY else "region"
    return named.get(key)


def _from_folder(lc: LoadedContract, folder: Path) -> BaselineSet:
    contract = lc.contract
    files: list[BaselineFile] = []
    periods: set[str] = set()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        for table in contract.tables:
            named = _named(contract, table, path.name)
            if not named:
                continue
            profile = profile_file(path, table, contract.format)
            if profile is not None:
                files.append(BaselineFile(path.name, table.name, _scope_of(contract, named),
                                          profile))
                periods.add(named.get("period", ""))
            break
    if not files:
        if (folder / MANIFEST_NAME).is_file():
            return baseline_from_manifest(read_manifest(folder), str(folder / MANIFEST_NAME))
        raise UsageError(f"--baseline {folder}: no file of a table with baseline rules of "
                         f"{contract.id}, and no manifest")
    if len(periods) != 1:
        raise UsageError(f"--baseline {folder}: files of several periods "
                         f"({', '.join(sorted(periods))}); give one period's folder")
    return BaselineSet(periods.pop(), str(folder), tuple(files))


def load_baseline(lc: LoadedContract, path: str | Path) -> BaselineSet:
    """A recipient's baseline: a received folder (its files profiled) or a manifest file.

    Args:
        lc: the contract the baseline's files were delivered under.
        path: the previous period's delivery folder, or its ``manifest.json``.

    Returns:
        The baseline's period and the profile of each of its files.

    Raises:
        UsageError: the folder holds no usable file, or files of several periods.
        DeliveryError: the path is missing, or the manifest is missing or malformed.
    """
    path = Path(path)
    if path.is_dir():
        return _from_folder(lc, path)
    if not path.exists():
        raise DeliveryError(f"{path}: no such file or folder", path)
    manifest = read_manifest(path.parent) if path.name == MANIFEST_NAME else None
    if manifest is None:
        raise UsageError(f"--baseline {path}: give a delivery folder or its {MANIFEST_NAME}")
    if manifest.feed != lc.contract.id:
        raise UsageError(f"--baseline {path}: a manifest of feed {manifest.feed}, "
                         f"not {lc.contract.id}")
    return baseline_from_manifest(manifest, str(path))


def _merge(fr: FileReport, extra: list[Finding]) -> FileReport:
    if not extra:
        return fr
    counts = dict(fr.counts)
    for f in extra:
        counts[f.code] = counts.get(f.code, 0) + 1
    warn_only = {f.code for f in extra} - {f.code for f in extra if f.severity == "error"}
    return replace(fr, counts=dict(sorted(counts.items())), findings=fr.findings + tuple(extra),
                   warning_codes=fr.warning_codes | (warn_only - set(fr.counts)))


def judge_report(lc: LoadedContract, report: Report, paths: Sequence[str | Path],
                 baseline: BaselineSet | None, *, period: str | None = None,
                 scope: str | None = None) -> tuple[Report, dict[str, FileProfile]]:
    """Add period-over-period findings to a validated delivery; also return its profiles.

    Args:
        lc: the contract.
        report: the engine's report on ``paths``.
        paths: the delivered files.
        baseline: the baseline, or ``None`` for the first period of the feed.
        period: the delivery period (default: from each file name).
        scope: the municipality/region (default: from each file name).

    Returns:
        The report with the findings (and notes), and file name → profile for every file
        whose table has baseline rules and could be read.
    """
    contract = lc.contract
    profiles: dict[str, FileProfile] = {}
    files: list[FileReport] = []
    notes: list[str] = []
    judged = False
    by_name = {str(Path(p)): Path(p) for p in paths}
    for fr in report.files:
        path = by_name.get(fr.file)
        table = contract.table(fr.table) if fr.table else None
        if path is None or table is None or table.baseline is None or fr.rows is None:
            files.append(fr)
            continue
        profile = profile_file(path, table, contract.format, fr.rows)
        if profile is None:
            files.append(fr)
            continue
        profiles[path.name] = profile
        if baseline is None:
            files.append(fr)
            continue
        named = _named(contract, table, path.name)
        file_scope = scope or _scope_of(contract, named)
        base = baseline.find(table.name, file_scope)
        if base is None:
            where = f" ({file_scope})" if file_scope else ""
            notes.append(f"{path.name}: no file of table {table.name}{where} in the baseline "
                         f"{baseline.period}; period-over-period rules not judged")
            files.append(fr)
            continue
        judged = True
        extra = compare_profiles(table.baseline, fr.file, profile, base.profile,
                                 period=period or named.get("period"),
                                 baseline_period=baseline.period)
        files.append(_merge(fr, extra))
    if profiles and baseline is None:
        notes.insert(0, f"{contract.id}: no released delivery before this period to compare "
                        "with (first period): period-over-period rules not judged")
    elif judged and baseline is not None:
        notes.insert(0, f"{contract.id}: compared with period {baseline.period} "
                        f"({baseline.source})")
    return replace(report, files=tuple(files), notes=report.notes + tuple(notes)), profiles
