"""How contractkit writes files: whole or not at all, and owner-only.

A write goes to a temporary file in the target's folder, is flushed and fsynced, then
renamed over the target (``os.replace`` is atomic on POSIX within one file system). An
interrupted run therefore leaves either the old file or the new one, never half of one.

Anything that can hold personal data is created owner-only (folders 0700, files 0600):
temporary files are 0600 by construction, folders this module creates are 0700, and
:func:`owner_only` sets the process umask to 077 while the warehouse, dbt's database and
the deliveries are written (DuckDB and dbt create their files and spill folders themselves).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["OWNER_ONLY_UMASK", "atomic_open", "atomic_write_bytes", "atomic_write_text",
           "owner_only"]

OWNER_ONLY_UMASK = 0o077
"""The umask under :func:`owner_only`: new folders 0700, new files 0600."""


@contextlib.contextmanager
def owner_only() -> Iterator[None]:
    """Create files and folders owner-only inside the block (umask 077), then restore.

    The umask belongs to the process: this is meant for the command that is running (the
    CLI runs one command per process), not for code running beside other threads that
    create files meant to be shared.
    """
    old = os.umask(OWNER_ONLY_UMASK)
    try:
        yield
    finally:
        os.umask(old)


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success rename it to ``path``.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``path`` is left as it was. Parent folders are created owner-only; the file is 0600.
    """
    if mode != "wb":
        raise ValueError("atomic_open only supports binary writes ('wb')")
    _make_private_dirs(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents 0700 (no umask change: other threads)."""
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=0o700)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (newlines are written as given)."""
    atomic_write_bytes(path, text.encode(encoding))
