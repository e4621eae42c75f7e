"""Atomic file writes: every file contractkit writes appears whole or not at all.

A write goes to a temporary file in the target's folder, is flushed and fsynced, then
renamed over the target (``os.replace`` is atomic on POSIX within one file system). An
interrupted run therefore leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text"]


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success rename it to ``path``.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``path`` is left as it was. Parent folders are created.
    """
    if mode != "wb":
        raise ValueError("atomic_open only supports binary writes ('wb')")
    path.parent.mkdir(parents=True, exist_ok=True)
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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (newlines are written as given)."""
    atomic_write_bytes(path, text.encode(encoding))
