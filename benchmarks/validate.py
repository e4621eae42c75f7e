"""Benchmark: contractkit validate vs a raw polars read of the same file, four cases.

* ``csv``, ``parquet``: a seeded delivery of the DST unemployment feed
  (contracts/dst-ledighed.yaml: CPR, municipality, benefit code, period, ISO week, hours,
  sex, age, a-kasse; 8 rules incl. a composite key) with 0.1 % bad rows;
* ``wide``: DREAM as municipalities receive it (``wide_data.py``): a row per person,
  2,103 columns for 2024-03 (1,709 weeks, 2 × 195 months), mostly empty, spells of codes;
* ``startup``: the ``contractkit validate`` command on a 10-row file, as a user runs it.

Each measurement runs in its own process, so peak RSS is the measured step's own; with
``--repeat N`` polars and contractkit are measured N times, alternating, and medians are
printed (timings on a shared machine swing). Besides wall time each line shows the CPU
seconds of both and the CPU split of contractkit: imports, and checks beyond the read
(contractkit's CPU minus imports minus the polars read's own). ``--keep DIR`` keeps the
generated files for the next run.

    .venv/bin/python benchmarks/validate.py --rows 20000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"
CHUNK = 1_000_000
BAD_SHARE = 0.001


def _chunk(start: int, n: int, seed: int) -> object:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed + start)
    i = np.arange(start, start + n)
    person, week = i // 4, i % 4
    day, month = person % 28 + 1, (person // 28) % 12 + 1
    year, seq = 50 + (person // 336) % 50, (person // 16800) % 4000

    def pick(values: list[object], dtype: object = pl.String) -> pl.Series:
        return pl.Series(values, dtype=dtype).gather(pl.Series(rng.integers(0, len(values), n)))

    frame = pl.DataFrame({"d": day, "m": month, "y": year, "s": seq, "w": week + 10}).select(
        cpr=pl.format("{}{}{}-{}", *(pl.col(c).cast(pl.String).str.zfill(z)
                                     for c, z in (("d", 2), ("m", 2), ("y", 2), ("s", 4)))),
        kommune_kode=pick([101, 147, 151, 153, 155, 157, 159, 161, 751, 851], pl.Int64),
        ydelse_kode=pick(["111", "651", "730", "881"]),
        periode=pl.lit("2024-03"),
        uge=pl.format("2024-W{}", pl.col("w")),
        timer=pl.Series(np.round(rng.uniform(0, 37, n), 2)),
        koen=pick(["M", "K"]),
        alder=pl.Series(rng.integers(16, 80, n)),
        akasse_medlem=pick([True, False, None], pl.Boolean),
    )
    bad = rng.random(n) < BAD_SHARE
    kind = rng.integers(0, 4, n)
    return frame.with_columns(
        timer=pl.when(pl.Series(bad & (kind == 0))).then(99.0).otherwise("timer"),
        kommune_kode=pl.when(pl.Series(bad & (kind == 1))).then(999).otherwise("kommune_kode"),
        cpr=pl.when(pl.Series(bad & (kind == 2))).then(pl.lit("320180-1234"))
        .otherwise("cpr"),
        koen=pl.when(pl.Series(bad & (kind == 3))).then(pl.lit("X")).otherwise("koen"),
    )


def generate(rows: int, folder: Path, seed: int = 42) -> tuple[Path, Path]:
    """Write the CSV (';' and ',' decimals, as the contract says) and Parquet files."""
    import polars as pl
    import pyarrow.parquet as pq

    csv_path = folder / "dst_ledighed_2024-03.csv"
    pq_path = folder / "dst_ledighed_2024-03.parquet"
    writer = None
    with csv_path.open("wb") as fh:
        for start in range(0, rows, CHUNK):
            frame = _chunk(start, min(CHUNK, rows - start), seed)
            assert isinstance(frame, pl.DataFrame)
            text = frame.with_columns(
                pl.col("timer").cast(pl.String).str.replace(".", ",", literal=True),
                pl.col("akasse_medlem").cast(pl.String).str.to_lowercase())
            text.write_csv(fh, separator=";", include_header=start == 0)
            # stored as the contract's types: decimal(5,2) for timer (a float would be type drift)
            table = frame.with_columns(pl.col("timer").cast(pl.Decimal(5, 2))).to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(pq_path, table.schema, compression="zstd")
            writer.write_table(table)
    if writer is not None:
        writer.close()
    return csv_path, pq_path


def _contract(path: Path) -> object:
    """The contract the file is validated with (DST feed as CSV or Parquet, or wide DREAM)."""
    from contractkit.loader import load_contract

    if path.name.startswith("dream_"):
        from wide_data import wide_contract

        return wide_contract()
    lc = load_contract(CONTRACT)
    if path.suffix == ".parquet":
        from dataclasses import replace

        from contractkit.contract.models import ParquetFormat

        c = lc.contract
        tables = [t.model_copy(update={"file_pattern": "dst_ledighed_{period}.parquet"})
                  for t in c.tables]
        lc = replace(lc, contract=c.model_copy(update={"format": ParquetFormat(
            type="parquet"), "tables": tables}))
    return lc


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(step: str, path: Path) -> None:
    started = time.perf_counter()
    out: dict[str, object] = {}
    if step == "polars":
        import polars as pl

        out["import_cpu"] = _cpu()
        sep = ";" if path.suffix == ".csv" else None
        frame = pl.read_csv(path, separator=sep) if sep else pl.read_parquet(path)
        out["rows"] = frame.height
    else:
        from contractkit import _process
        from contractkit.engine import validate_paths

        _process.claim()  # as `contractkit validate` does: the process is contractkit's own
        lc = _contract(path)
        out["import_cpu"] = _cpu()
        report = validate_paths(lc, [path])  # type: ignore[arg-type]
        out["rows"] = report.files[0].rows
        out["counts"] = report.files[0].counts
    out["seconds"] = time.perf_counter() - started
    out["cpu"] = _cpu()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _measure(step: str, path: Path) -> dict[str, object]:
    res = subprocess.run([sys.executable, __file__, "--child", step, str(path)],
                         capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def _startup(path: Path) -> dict[str, object]:
    """``contractkit validate`` on a small file, as a user runs it (a fresh CLI process)."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "contractkit"), "validate", "-c",
                             str(CONTRACT), str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"start-up case: exit code {os.waitstatus_to_exitcode(status)}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024}


def _median(runs: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)  # type: ignore[arg-type]


def _line(case: str, raws: list[dict[str, object]], cks: list[dict[str, object]]) -> str:
    raw_s, ck_s = _median(raws, "seconds"), _median(cks, "seconds")
    raw_cpu, ck_cpu = _median(raws, "cpu"), _median(cks, "cpu")
    ck_import = _median(cks, "import_cpu") if "import_cpu" in cks[0] else 0.0
    rss = max(float(c["peak_rss_mb"]) for c in cks)  # type: ignore[arg-type]
    return (f"{case:8} {raw_s:>10.2f}s {ck_s:>10.2f}s {ck_s / raw_s:>6.2f}x {rss:>7.0f}MB  "
            f"cpu {raw_cpu:.1f} / {ck_cpu:.1f} s (imports {ck_import:.1f}, checks "
            f"{ck_cpu - ck_import - (raw_cpu - _median(raws, 'import_cpu')):.1f} beyond the "
            f"read)  {cks[0].get('counts', '')}")


def _files(args: argparse.Namespace, folder: Path) -> dict[str, Path]:
    """Generate the cases' files in ``folder`` (kept ones are reused)."""
    from wide_data import write_wide

    files: dict[str, Path] = {}
    cases = set(args.cases.split(","))
    if cases & {"csv", "parquet"}:
        csv_path = folder / "dst_ledighed_2024-03.csv"
        pq_path = folder / "dst_ledighed_2024-03.parquet"
        if not (csv_path.exists() and pq_path.exists()):
            generate(args.rows, folder, args.seed)
        files["csv"], files["parquet"] = csv_path, pq_path
    if "wide" in cases:
        wide = folder / "dream_101_2024-03.csv"
        if not wide.exists():
            write_wide(wide, args.wide_rows, args.seed)
        files["wide"] = wide
    if "startup" in cases:
        small = folder / "small" / "dst_ledighed_2024-03.csv"
        if not small.exists():
            small.parent.mkdir(exist_ok=True)
            generate(10, small.parent, args.seed)
        files["startup"] = small
    return {k: v for k, v in files.items() if k in cases}


def main() -> None:
    """Parse arguments, generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the DST feed")
    parser.add_argument("--wide-rows", type=int, default=200_000,
                        help="persons in the wide DREAM file (2,103 columns)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--cases", default="csv,parquet,wide,startup",
                        help="comma-separated: csv, parquet, wide, startup")
    parser.add_argument("--keep", type=Path, help="generate into (and reuse) this folder")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="contractkit-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = _files(args, folder)
        print(f"files ready in {time.perf_counter() - started:.1f} s: " + ", ".join(
            f"{k} {p.stat().st_size / 1e6:.0f} MB" for k, p in files.items()))
        print(f"{'case':8} {'polars':>11} {'contractkit':>11} {'ratio':>7} {'peak RSS':>9}")
        for case, path in files.items():
            raws, cks = [], []
            for _ in range(max(args.repeat, 1)):
                raws.append(_measure("polars", path))
                cks.append(_startup(path) if case == "startup" else _measure("contractkit", path))
            print(_line(case, raws, cks), flush=True)


if __name__ == "__main__":
    main()
