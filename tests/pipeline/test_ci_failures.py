"""How ``ci`` fails: killed with SIGKILL, run twice at once, out of disk space — and which
modes it gives what it writes. Real ``contractkit ci`` processes on a small warehouse."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from contractkit.delivery.manifest import MANIFEST_NAME, file_sha256, read_manifest
from contractkit.loader import load_codelists
from contractkit.pipeline.ci import run_ci
from contractkit.pipeline.lock import LOCK_NAME
from contractkit.pipeline.render import feed_reasons
from contractkit.pipeline.staging import STAGING_PATTERN
from contractkit.warehouse import build_warehouse

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent / "contractkit"
MONTH = "2024-03"
PERSONS = 2000
CPR = re.compile(r"\b\d{6}-\d{4}\b")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-person warehouse (a full ci run on it takes seconds, not tens)."""
    path = tmp_path_factory.mktemp("small") / "dsdw.duckdb"
    lists, _ = load_codelists(REPO / "contracts" / "codelists")
    build_warehouse(path, {v.code: v.parent or "" for v in lists["kommuner"].values},
                    persons=PERSONS)
    return path


def _args(warehouse: Path, out: Path, target: Path) -> list[str]:
    return [str(BIN), "ci", "--period", MONTH, "--warehouse", str(warehouse), "--out", str(out),
            "--project-dir", str(REPO), "--contracts", str(REPO / "contracts"),
            "--target-dir", str(target), "--format", "json"]


def _start(warehouse: Path, out: Path, target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(_args(warehouse, out, target), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd,
                          timeout=600)


def _staging(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*/.*") if STAGING_PATTERN.match(p.name))


def _assert_whole(out: Path) -> int:
    """Every released-looking folder holds exactly its manifest's files, unchanged."""
    whole = 0
    for folder in sorted(out.glob("*/*")):
        if folder.name.startswith("."):
            continue
        manifest = read_manifest(folder)
        listed = {f.name: f for f in manifest.files}
        present = {p.name for p in folder.iterdir()} - {MANIFEST_NAME}
        assert present == set(listed), folder
        for name, entry in listed.items():
            assert file_sha256(folder / name) == entry.sha256, folder / name
        whole += 1
    return whole


def _wait_for(predicate: object, proc: subprocess.Popen[str], timeout: float = 300) -> bool:
    """Poll until ``predicate()`` holds; False if the process ended first."""
    assert callable(predicate)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("timed out")


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()


def test_kill_9_at_random_points_leaves_no_partial_release(small_warehouse: Path,
                                                          tmp_path: Path) -> None:
    out, target = tmp_path / "deliveries", tmp_path / "target"
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        proc = _start(small_warehouse, out, target)
        if seed == 1:  # anywhere early: loading, dbt
            time.sleep(rng.uniform(0.5, 4.0))
        else:  # somewhere in the export: a feed's staging folder exists
            _wait_for(lambda: bool(_staging(out)), proc)
            time.sleep(rng.uniform(0.0, 2.0))
        _kill(proc)
        _assert_whole(out)
    planted = out / "dst-ledighed" / ".2024-02.new-planted"  # one surely left behind
    planted.mkdir(parents=True)
    (planted / "dst_ledighed_2024-02.csv").write_text("cpr\n", encoding="utf-8")
    os.utime(planted, (time.time() - 60, time.time() - 60))
    left = _staging(out)
    done = _run(_args(small_warehouse, out, target))
    assert done.returncode in (0, 1), done.stderr  # 1: a municipality without persons
    data = json.loads(done.stdout)
    assert len(data["feeds"]) == 12
    assert _staging(out) == []
    assert _assert_whole(out) == 12
    notes = "\n".join(data["notes"])
    assert "took over the lock" in notes
    for folder in left:
        assert f"removed {folder}:" in notes
    assert not CPR.search(done.stdout + done.stderr)


def test_a_second_run_is_refused_and_a_held_database_is_said_plainly(
        small_warehouse: Path, tmp_path: Path) -> None:
    out, target = tmp_path / "deliveries", tmp_path / "target"
    first = _start(small_warehouse, out, target)
    try:
        assert _wait_for(lambda: (out / LOCK_NAME).is_file()
                         and (target / LOCK_NAME).is_file()
                         and (target / LOCK_NAME).read_text(encoding="utf-8") != "", first)
        same_out = _run(_args(small_warehouse, out, tmp_path / "target2"))
        same_target = _run(_args(small_warehouse, tmp_path / "deliveries2", target))
    finally:
        _kill(first)
    for done, held in ((same_out, out), (same_target, target)):
        assert done.returncode == 2
        assert (f"another ci run (pid {first.pid}, started " in done.stderr), done.stderr
        assert f"holds {held}/; wait or use --out-dir/--target-dir" in done.stderr
    # a DuckDB lock held by some other process: said plainly, never DuckDB's own text
    warehouse = tmp_path / "held.duckdb"
    shutil.copyfile(small_warehouse, warehouse)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
        "time.sleep(120)"), str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        busy = _run(_args(warehouse, tmp_path / "deliveries3", tmp_path / "target3"))
    finally:
        _kill(holder)
        assert holder.stdout is not None
        holder.stdout.close()
    assert busy.returncode == 2, busy.stderr
    assert "in use by another process" in busy.stderr
    for raw in ("Conflicting lock", "PID", str(Path(sys.executable).parent), "internal error"):
        assert raw not in busy.stderr + busy.stdout


def _walk(root: Path) -> Iterator[Path]:
    yield root
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            yield Path(dirpath) / name


def test_everything_the_demo_writes_is_owner_only(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(REPO / name, project / name)
    for name in ("models", "macros", "contracts"):
        shutil.copytree(REPO / name, project / name)
    # what a warehouse build killed midway leaves (CPR numbers in it): ci removes it
    (project / "warehouse").mkdir(mode=0o700)
    killed = [project / "warehouse" / ".dsdw.duckdb.k1ll3d.tmp",
              project / "warehouse" / ".dsdw.duckdb.k1ll3d.tmp.wal"]
    for path in killed:
        path.write_bytes(b"010180-1234")
        os.utime(path, (time.time() - 60, time.time() - 60))
    before = set(_walk(project))
    # as `make demo` does (with fewer persons): lint, then ci building the warehouse itself
    lint = _run([str(BIN), "lint", "contracts/", "--register"], cwd=project)
    assert lint.returncode == 0, lint.stdout
    ci = _run([str(BIN), "ci", "--period", MONTH, "--persons", str(PERSONS)], cwd=project)
    assert ci.returncode in (0, 1), ci.stderr
    assert "warehouse built" in ci.stdout
    for path in killed:
        assert not path.exists()
        assert f"note: removed {path.relative_to(project)}: left by a warehouse build" in ci.stdout
    report = project / "reports" / "dst-ledighed.json"
    verify = _run([str(BIN), "--debug", "verify", f"deliveries/dst-ledighed/{MONTH}",
                   "-c", "contracts/", "--format", "json", "-o", str(report)], cwd=project)
    assert verify.returncode == 0, verify.stderr
    written = [p for p in _walk(project) if p not in before]
    for top in ("target", "deliveries", "reports"):
        assert project / top in written
    assert project / "warehouse" / "dsdw.duckdb" in written
    assert project / "target" / "contractkit.duckdb" in written
    loose = [f"{p.relative_to(project)} {p.stat().st_mode & 0o777:o}" for p in written
             if p.stat().st_mode & 0o077]
    assert loose == []
    assert not CPR.search(report.read_text(encoding="utf-8"))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 400 KiB tmpfs (the test runs as root): room for some feeds, not for all."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k,mode=0700", "tmpfs", str(mount)],
                   check=True, capture_output=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_rejects_the_feed_and_releases_nothing_partial(
        small_warehouse: Path, tmp_path: Path, tiny_disk: Path) -> None:
    out = tiny_disk / "deliveries"
    result = run_ci(MONTH, project_dir=REPO, contracts_dir=REPO / "contracts",
                    warehouse=small_warehouse, out_dir=out, target_dir=tmp_path / "target")
    full = [f for f in result.feeds
            if any(rule == "write-error" for _, rule, _ in feed_reasons(f))]
    assert full, "the tiny disk held every feed"
    assert any(f.ok for f in result.feeds)
    for feed in full:
        assert feed.status == "rejected"
        assert feed.files == ()
        assert not (out / feed.feed / feed.period).exists()
        [(_, _, message)] = [r for r in feed_reasons(feed) if r[1] == "write-error"]
        assert "No space left on device (ENOSPC); nothing was released" in message
    assert _staging(out) == []
    assert _assert_whole(out) == len(result.feeds) - len(full)
    for feed in result.feeds:
        if feed.ok:
            assert read_manifest(out / feed.feed / feed.period).status == "released"
