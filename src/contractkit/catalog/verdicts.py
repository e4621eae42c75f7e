"""The last validation verdicts of a feed, read defensively from delivery manifests.

Layout (written by the pipeline): ``<deliveries>/<contract id>/<period>/manifest.json``.
Manifests come from outside the catalog's control, so nothing in them is trusted or echoed:
every value shown is re-derived from a checked form (a status from a closed set, a period
that parses for the feed's cadence, a timestamp that parses, integer row counts, file names
that match the contract's own file pattern). Anything else — including any value that might
be personal — is dropped, never rendered.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contractkit.contract.base import SEMVER
from contractkit.contract.models import Contract
from contractkit.contract.periods import file_name_regex, parse_period

__all__ = ["STATUSES", "Verdict", "read_verdicts"]

STATUSES = frozenset({"released", "rejected", "pending"})
"""The manifest statuses the catalog shows (anything else is shown as ``unknown``)."""
_CODE = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Verdict:
    """What the catalog shows about one delivered period.

    Attributes:
        period: the period label (from the folder name, checked against the cadence).
        status: released | rejected | pending | unknown (manifest unreadable or odd).
        generated_at: UTC timestamp ``YYYY-MM-DD HH:MM`` or ``None``.
        contract_version: the contract version the delivery was made under, if well-formed.
        files: number of files listed whose names match the contract's file patterns.
        rows: total rows of those files (``None`` if the manifest gives none).
        counts: findings per code from an optional ``report.json`` (codes only, no values).
    """

    period: str
    status: str
    generated_at: str | None
    contract_version: str | None
    files: int
    rows: int | None
    counts: tuple[tuple[str, int], ...] = ()


def _read_json(path: Path) -> Any:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None


def _timestamp(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC)
    return stamp.strftime("%Y-%m-%d %H:%M")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _files(manifest: dict[str, Any], contract: Contract) -> tuple[int, int | None]:
    patterns = [file_name_regex(t.file_pattern, contract.cadence.frequency)
                for t in contract.tables]
    files = manifest.get("files")
    if not isinstance(files, list):
        return 0, None
    count, rows, any_rows = 0, 0, False
    for entry in files:
        if not isinstance(entry, dict):
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not any(p.match(name) for p in patterns):
            continue
        count += 1
        if _is_int(entry.get("rows")):
            rows += entry["rows"]
            any_rows = True
    return count, (rows if any_rows else None)


def _counts(report: Any) -> tuple[tuple[str, int], ...]:
    """Per-code totals from a contractkit JSON report: codes and integers, nothing else."""
    if not isinstance(report, dict) or not isinstance(report.get("files"), list):
        return ()
    totals: dict[str, int] = {}
    for file in report["files"]:
        counts = file.get("counts") if isinstance(file, dict) else None
        if not isinstance(counts, dict):
            continue
        for code, n in counts.items():
            if isinstance(code, str) and _CODE.match(code) and len(code) <= 40 and _is_int(n):
                totals[code] = totals.get(code, 0) + n
    return tuple(sorted((c, n) for c, n in totals.items() if n))


def _verdict(folder: Path, contract: Contract) -> Verdict | None:
    try:
        parse_period(contract.cadence.frequency, folder.name)
    except ValueError:
        return None
    manifest = _read_json(folder / "manifest.json")
    counts = _counts(_read_json(folder / "report.json"))
    if not isinstance(manifest, dict):
        return Verdict(folder.name, "unknown", None, None, 0, None, counts)
    status = manifest.get("status")
    version = manifest.get("contract_version")
    files, rows = _files(manifest, contract)
    return Verdict(
        period=folder.name,
        status=status if isinstance(status, str) and status in STATUSES else "unknown",
        generated_at=_timestamp(manifest.get("generated_at")),
        contract_version=version if isinstance(version, str) and SEMVER.match(version) else None,
        files=files,
        rows=rows,
        counts=counts,
    )


def read_verdicts(deliveries: Path, contract: Contract, limit: int = 12) -> list[Verdict]:
    """The newest ``limit`` delivered periods of ``contract`` under ``deliveries``, newest first.

    Never raises for what it finds on disk: unreadable folders or manifests are skipped or
    shown as ``unknown``.
    """
    feed = deliveries / contract.id
    try:
        folders = [p for p in feed.iterdir() if p.is_dir()] if feed.is_dir() else []
    except OSError:
        return []
    verdicts = [v for f in folders if (v := _verdict(f, contract)) is not None]
    verdicts.sort(key=lambda v: v.period, reverse=True)
    return verdicts[:limit]
