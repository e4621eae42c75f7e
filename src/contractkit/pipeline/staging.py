"""Staging folders of a delivery, and what a crashed run leaves of them.

A feed's delivery is written into ``<out>/<feed>/.<period>.new-<random>/`` and renamed into
place when complete; the folder it replaces is first moved aside into
``.<period>.old-<random>/`` and removed after the rename. A run killed between those
steps (``kill -9``, power loss) leaves such a folder behind — holding CPR numbers. The next
``ci`` run removes those of the feeds it builds, before it writes anything: it holds the
deliveries folder's lock (:mod:`contractkit.pipeline.lock`), so no live run is writing
there, and it only removes folders made before it started.

The warehouse is built the same way (``.<name>.<random>.tmp`` beside it, DuckDB's
``.wal`` and spill folder next to that); a ``ci`` run about to build it removes what a
killed build left, under the lock of the warehouse's folder.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["STAGING_PATTERN", "remove_stale_staging", "remove_stale_warehouse_temps",
           "staging_prefix"]

STAGING_PATTERN = re.compile(r"^\.(?P<period>[^/]+)\.(?:new|old)-[A-Za-z0-9_]+$")
"""Names of staging folders (``.2024-03.new-x1y2z3``) and moved-aside old releases."""


def staging_prefix(period: str, kind: str = "new") -> str:
    """The ``tempfile.mkdtemp`` prefix of a staging (``new``) or moved-aside (``old``) folder."""
    return f".{period}.{kind}-"


def remove_stale_staging(out_dir: Path, feeds: Iterable[str], before: float) -> list[str]:
    """Remove the staging folders of ``feeds`` below ``out_dir`` made before ``before``
    (a POSIX time); return one note per folder removed (its path, never its contents)."""
    notes = []
    for feed in feeds:
        folder = out_dir / feed
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if not STAGING_PATTERN.match(entry.name) or not entry.is_dir():
                continue
            if entry.is_symlink() or entry.lstat().st_mtime >= before:
                continue
            shutil.rmtree(entry)
            notes.append(f"removed {entry}: a staging folder left by a run that did not finish")
    return notes


def remove_stale_warehouse_temps(warehouse: Path, before: float) -> list[str]:
    """Remove what a killed build of ``warehouse`` left beside it (its temporary DuckDB
    file, write-ahead log and spill folder) made before ``before``; one note per path."""
    pattern = re.compile(rf"^\.{re.escape(warehouse.name)}\.[A-Za-z0-9_]+\.tmp(?:\.wal|\.tmp)?$")
    notes: list[str] = []
    if not warehouse.parent.is_dir():
        return notes
    for entry in sorted(warehouse.parent.iterdir()):
        if not pattern.match(entry.name) or entry.is_symlink():
            continue
        if entry.lstat().st_mtime >= before:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        notes.append(f"removed {entry}: left by a warehouse build that did not finish")
    return notes
