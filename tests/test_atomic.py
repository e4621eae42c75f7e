"""Files contractkit writes are whole or absent, and owner-only."""

from __future__ import annotations

import os
from pathlib import Path

from contractkit.atomic import OWNER_ONLY_UMASK, atomic_write_text, owner_only


def test_written_files_and_the_folders_made_for_them_are_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2024" / "report.json"
    atomic_write_text(target, "{}")
    for path, mode in ((tmp_path / "reports", 0o700), (tmp_path / "reports" / "2024", 0o700),
                       (target, 0o600)):
        assert path.stat().st_mode & 0o777 == mode, path
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_owner_only_sets_and_restores_the_umask(tmp_path: Path) -> None:
    before = os.umask(0o022)
    try:
        with owner_only():
            (tmp_path / "d").mkdir()
            (tmp_path / "d" / "f").write_text("x", encoding="utf-8")
            assert os.umask(OWNER_ONLY_UMASK) == OWNER_ONLY_UMASK
        assert (tmp_path / "d").stat().st_mode & 0o777 == 0o700
        assert (tmp_path / "d" / "f").stat().st_mode & 0o777 == 0o600
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(before)
