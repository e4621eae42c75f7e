"""Staging folders of a delivery, and what a crashed run leaves of them.

A feed's delivery is written into ``<out>/<feed>/.<period>.new-<random>/`` and renamed into
place when complete; the folder it replaces is first moved aside into
``.<period>.old-<random>/`` and removed after the rename. A run killed between those
steps (``kill -9``, power loss) leaves such a folder behind — holding CPR numbers. The next
``ci`` run removes those of the feeds it builds, before it writes anything: it holds the
deliveries folder's lock (:mod:`contractkit.pipeline.lock`), so no live run is writing
there, and it only removes folders made before it started.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["STAGING_PATTERN", "remove_stale_staging", "staging_prefix"]

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
