"""One ``ci`` run at a time per deliveries folder and per dbt target folder.

A run holds an exclusive ``flock`` on ``<folder>/.contractkit-ci.lock`` in each folder it
writes (the deliveries folder and the dbt target folder) from start to end. The kernel
releases the lock when the process ends in any way (also ``kill -9``), so a lock left by
a dead run is simply taken over; the file's text — pid, start time and host of the holder —
only serves the message a second run prints and the note that a stale lock was taken over.

The lock file is never removed (only emptied on release): removing it would let a third
run lock a new file while a second one still holds the old, unlinked one. POSIX only
(``fcntl``), as is the rest of the pipeline's atomic renames.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from contractkit.errors import LockedError

__all__ = ["LOCK_NAME", "LockHolder", "hold_lock"]

LOCK_NAME = ".contractkit-ci.lock"
"""The lock file's name inside each folder a ``ci`` run writes."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) a lock, as written in the lock file."""

    pid: int
    started: str
    host: str

    @classmethod
    def read(cls, text: str) -> LockHolder | None:
        """The holder written in a lock file's ``text`` (``None`` when empty or unreadable)."""
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["started"]), str(data["host"]))
        except (ValueError, TypeError, KeyError):
            return None


@contextlib.contextmanager
def hold_lock(folder: Path, option: str, notes: list[str]) -> Iterator[None]:
    """Hold the ``ci`` lock of ``folder`` for the duration of the block.

    Args:
        folder: the folder to lock (created owner-only if absent).
        option: the command-line options that choose another folder (for the message).
        notes: a note is appended when a stale lock of a dead run is taken over.

    Raises:
        LockedError: another live run holds the lock (the CLI exits 2).
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = LockHolder.read(_read(fd))
            who = (f"pid {holder.pid}, started {holder.started}" if holder is not None
                   else "pid unknown")
            raise LockedError(
                f"another ci run ({who}) holds {folder}/; wait or use {option}",
                folder, holder.pid if holder else None) from None
        previous = LockHolder.read(_read(fd))
        if previous is not None:  # a released lock is empty: its holder died holding it
            notes.append(f"took over the lock of {folder}/ left by a run that ended without "
                         f"releasing it (pid {previous.pid}, started {previous.started})")
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": datetime.now(UTC).isoformat(timespec="seconds")}
        _write(fd, json.dumps(me))
        try:
            yield
        finally:
            _write(fd, "")
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace")


def _write(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode("utf-8"))
    os.fsync(fd)
