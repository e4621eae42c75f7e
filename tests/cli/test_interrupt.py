"""Ctrl-C is "interrupted" (exit 130), not "does not conform" (1), and leaves no half file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "contractkit"
REPO = Path(__file__).resolve().parents[2]


def test_ctrl_c_exits_130_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "dsdw.duckdb"
    proc = subprocess.Popen(
        [str(BIN), "warehouse", "build", "--persons", "3000000", "--path", str(target),
         "--codelists", str(REPO / "contracts" / "codelists")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(4)  # well inside a multi-million-person build, well after start-up
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
