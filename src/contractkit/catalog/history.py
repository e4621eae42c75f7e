"""Version history of a contract file, read from ``git log`` when the file is in a checkout."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HistoryEntry", "git_history"]

_SEP = "\x1e"
_FIELD = "\x1f"
_VERSION = re.compile(r"""^\+version:\s*["']?([0-9A-Za-z.+-]+)""")


@dataclass(frozen=True)
class HistoryEntry:
    """One commit that touched the contract file.

    Attributes:
        commit: abbreviated commit hash.
        date: commit date ``YYYY-MM-DD``.
        version: the contract's version after this commit (``None`` if it cannot be told).
        subject: the first line of the commit message.
    """

    commit: str
    date: str
    version: str | None
    subject: str


def git_history(path: Path, limit: int = 30) -> list[HistoryEntry]:
    """Commits that changed ``path``, newest first (empty outside a git checkout).

    One ``git log --follow -p`` call per file; the version after each commit is read from the
    ``version:`` lines the commit added (carried forward when a commit leaves it unchanged).
    """
    git = shutil.which("git")
    if git is None or not path.is_file():
        return []
    try:
        proc = subprocess.run(
            [git, "log", "--follow", "-p", "--unified=0", "--no-color", "--date=short",
             f"-n{limit}", f"--format={_SEP}%h{_FIELD}%ad{_FIELD}%s", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=30, check=False,
            encoding="utf-8", errors="replace",
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if proc.returncode != 0:
        return []
    raw: list[tuple[str, str, str, str | None]] = []
    for block in proc.stdout.split(_SEP)[1:]:
        head, _, diff = block.partition("\n")
        parts = head.split(_FIELD)
        if len(parts) != 3:
            continue
        version = next((m.group(1) for line in diff.splitlines()
                        if (m := _VERSION.match(line))), None)
        raw.append((parts[0], parts[1], parts[2], version))
    entries: list[HistoryEntry] = []
    current: str | None = None
    for commit, day, subject, version in reversed(raw):  # oldest first: carry the version
        current = version or current
        entries.append(HistoryEntry(commit, day, current, subject))
    return entries[::-1]
