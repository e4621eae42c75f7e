"""Benchmark: ``contractkit synth`` writing 1,000,000 conforming rows of the DST feed.

Runs the real CLI in a fresh process (import time included, as a user experiences it),
then validates the file with ``contractkit validate`` and prints both times, the file
size and rows per second. Not a test: the numbers go into README ("Sample files").

    .venv/bin/python benchmarks/synth.py --rows 1000000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"
BIN = Path(sys.executable).parent / "contractkit"


def _timed(args: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run([str(BIN), *args], capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result.returncode


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        times = []
        for i in range(args.repeat):
            seconds, rc = _timed(["synth", "-c", str(CONTRACT), "--rows", str(args.rows),
                                  "--period", "2024-03", "--seed", str(i), "-o", str(out)])
            if rc != 0:
                raise SystemExit(f"synth failed with exit code {rc}")
            times.append(seconds)
        path = out / "dst_ledighed_2024-03.csv"
        check, rc = _timed(["validate", "-c", str(CONTRACT), str(path)])
        best = min(times)
        print(f"synth {args.rows:,} rows: best {best:.2f} s of {args.repeat} "
              f"({args.rows / best:,.0f} rows/s), file {path.stat().st_size / 1e6:.1f} MB")
        print(f"validate the last file: {check:.2f} s, exit code {rc} "
              f"({'conforms' if rc == 0 else 'DOES NOT CONFORM'})")


if __name__ == "__main__":
    main()
