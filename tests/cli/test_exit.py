"""``contractkit`` skips the collector's last pass at exit (objects frozen, left to the OS)
and still leaves no temporary folder behind: none is left to garbage collection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEADER = "cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem"
ROWS = ["010180-1234;101;111;2024-03;2024-W10;37,00;M;44;true",
        "020280-2345;0147;651;2024-03;2024-W11;12,5;K;44;",
        "030380-3456;101;111;2024-03;2024-W10;1;M;30",  # a short row: the file is cleaned
        "030380-3456;101;111;2024-03;2024-W10;1;M;30;true"]


def test_temporary_folders_are_removed_at_exit(tmp_path: Path) -> None:
    delivery = tmp_path / "dst_ledighed_2024-03.csv"
    delivery.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    for rows in (ROWS[:2], ROWS):  # clean (key store only), and with a short row (cleaned copy)
        delivery.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-c", "from contractkit.cli import main; main()", "validate", "-c",
             str(REPO / "contracts" / "dst-ledighed.yaml"), str(delivery)],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "TMPDIR": str(tmp)})
        assert proc.returncode == (0 if rows == ROWS[:2] else 1), proc.stderr
        assert list(tmp.iterdir()) == []
