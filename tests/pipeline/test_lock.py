"""The ci lock between real processes, and the removal of stale staging folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contractkit.errors import LockedError
from contractkit.pipeline.lock import LOCK_NAME, LockHolder, hold_lock
from contractkit.pipeline.staging import remove_stale_staging

HOLDER = """
import sys, time
from pathlib import Path
from contractkit.pipeline.lock import hold_lock
with hold_lock(Path(sys.argv[1]), "--out-dir/--target-dir", []):
    print("held", flush=True)
    time.sleep(120)
"""


def _end(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _holder(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_process_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    folder = tmp_path / "deliveries"
    proc = _holder(folder)
    try:
        with pytest.raises(LockedError) as info, hold_lock(folder, "--out-dir/--target-dir", []):
            pass
        message = str(info.value)
        assert message.startswith(f"another ci run (pid {proc.pid}, started ")
        assert message.endswith(f"holds {folder}/; wait or use --out-dir/--target-dir")
        assert info.value.pid == proc.pid
    finally:
        _end(proc)


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    folder = tmp_path / "deliveries"
    proc = _holder(folder)
    os.kill(proc.pid, signal.SIGKILL)
    _end(proc)
    left = LockHolder.read((folder / LOCK_NAME).read_text(encoding="utf-8"))
    assert left is not None
    assert left.pid == proc.pid
    notes: list[str] = []
    with hold_lock(folder, "--out-dir/--target-dir", notes):
        mine = LockHolder.read((folder / LOCK_NAME).read_text(encoding="utf-8"))
        assert mine is not None
        assert mine.pid == os.getpid()
    assert len(notes) == 1
    assert f"pid {proc.pid}" in notes[0]
    assert "took over" in notes[0]
    # released cleanly: empty, so the next run has nothing to take over
    assert (folder / LOCK_NAME).read_text(encoding="utf-8") == ""
    again: list[str] = []
    with hold_lock(folder, "--out-dir/--target-dir", again):
        pass
    assert again == []
    assert (folder / LOCK_NAME).stat().st_mode & 0o777 == 0o600


def test_only_old_staging_folders_of_the_given_feeds_are_removed(tmp_path: Path) -> None:
    feed = tmp_path / "dst-ledighed"
    old_new = feed / ".2024-03.new-abc123"
    old_old = feed / ".2024-02.old-x_y9"
    released = feed / "2024-03"
    other = tmp_path / "other-feed" / ".2024-03.new-abc123"
    for d in (old_new, old_old, released, other):
        d.mkdir(parents=True)
        (d / "f.csv").write_text("cpr\n", encoding="utf-8")
    past = time.time() - 60
    for d in (old_new, old_old, released, other):
        os.utime(d, (past, past))
    fresh = feed / ".2024-03.new-fresh1"  # made after the run started: a live run's
    fresh.mkdir()
    notes = remove_stale_staging(tmp_path, ["dst-ledighed", "absent-feed"], time.time() - 1)
    assert sorted(p.name for p in feed.iterdir()) == [".2024-03.new-fresh1", "2024-03"]
    assert other.is_dir()
    assert len(notes) == 2
    assert all("left by a run that did not finish" in n for n in notes)
