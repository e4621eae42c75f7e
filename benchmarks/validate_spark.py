"""Benchmark: the Spark engine (local mode) beside the polars engine on the same files.

Uses the delivery of ``benchmarks/validate.py`` (DST unemployment feed, 0.1 % bad rows,
CSV and Parquet) and, in a fresh process per measurement, times ``validate_paths`` with
``engine="polars"`` and with ``engine="spark"`` (``local[2]``, or ``--master``). Spark is
timed twice: from a cold start (JVM and session included, as a CLI run pays it) and
the validation alone (the session already running, as a long-lived service pays it).
Both engines' counts are printed, and must be equal.

    .venv/bin/python benchmarks/validate_spark.py --rows 20000000
    .venv/bin/python benchmarks/validate_spark.py --files /tmp/bench/dst_ledighed_2024-03.csv
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from validate import CONTRACT, generate  # noqa: E402


def _contract(path: Path) -> object:
    from dataclasses import replace

    from contractkit.contract.models import ParquetFormat
    from contractkit.loader import load_contract

    lc = load_contract(CONTRACT)
    if path.suffix != ".parquet":
        return lc
    c = lc.contract
    tables = [t.model_copy(update={"file_pattern": "dst_ledighed_{period}.parquet"})
              for t in c.tables]
    return replace(lc, contract=c.model_copy(update={"format": ParquetFormat(type="parquet"),
                                                     "tables": tables}))


def _child(engine: str, path: Path, master: str) -> None:
    from contractkit.engine import validate_paths

    started = time.perf_counter()
    out: dict[str, object] = {}
    lc = _contract(path)
    if engine == "spark":
        from contractkit.spark.session import spark_session

        spark_session(master)
        out["start_seconds"] = time.perf_counter() - started
    t0 = time.perf_counter()
    report = validate_paths(lc, [path], engine=engine,  # type: ignore[arg-type]
                            spark_master=master if engine == "spark" else None)
    out["validate_seconds"] = time.perf_counter() - t0
    out["seconds"] = time.perf_counter() - started
    out["rows"] = report.files[0].rows
    out["counts"] = report.files[0].counts
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _measure(engine: str, path: Path, master: str) -> dict[str, object] | None:
    started = time.perf_counter()
    res = subprocess.run([sys.executable, __file__, "--child", engine, str(path), master],
                         capture_output=True, text=True, check=False)
    if res.returncode:  # say why (the last lines of the child's stderr) and go on
        print(f"{path.suffix[1:]:8} {engine:7} failed after {time.perf_counter() - started:.1f} s "
              f"(exit {res.returncode}): {' | '.join(res.stderr.strip().splitlines()[-3:])}",
              flush=True)
        return None
    result: dict[str, object] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Parse arguments, generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    parser.add_argument("--files", nargs="+", type=Path,
                        help="measure these files of benchmarks/validate.py's delivery "
                             "(left as they are) instead of generating one")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), args.child[2])
        return
    if args.files:
        _compare(args.files, args.master)
        return
    with tempfile.TemporaryDirectory(prefix="contractkit-bench-") as tmp:
        started = time.perf_counter()
        files = generate(args.rows, Path(tmp), args.seed)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
              f"(CSV {files[0].stat().st_size / 1e6:.0f} MB, "
              f"Parquet {files[1].stat().st_size / 1e6:.0f} MB)", flush=True)
        _compare(files, args.master)


def _compare(files: list[Path], master: str) -> None:
    print(f"{'format':8} {'engine':7} {'total':>9} {'validate':>9} {'driver RSS':>11}  "
          "findings", flush=True)
    for path in files:
        for engine in ("polars", "spark"):
            r = _measure(engine, path, master)
            if r is None:
                continue
            print(f"{path.suffix[1:]:8} {engine:7} {float(r['seconds']):>8.1f}s "  # type: ignore[arg-type]
                  f"{float(r['validate_seconds']):>8.1f}s "  # type: ignore[arg-type]
                  f"{float(r['peak_rss_mb']):>9.0f}MB  rows {r['rows']}  {r['counts']}",
                  flush=True)


if __name__ == "__main__":
    main()
