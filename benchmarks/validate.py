"""Benchmark: contractkit validate vs a raw polars read of the same file.

Generates (seeded) a delivery of the DST unemployment feed (contracts/dst-ledighed.yaml:
CPR, municipality, benefit code, period, ISO week, hours, sex, age, a-kasse) as CSV and
Parquet with 0.1 % bad rows, then prints for each format: polars raw read time,
contractkit validate time, their ratio and peak RSS. Each measurement runs in its own
process so peak RSS is the measured step's own; with ``--repeat N`` the two are measured
N times, alternating, and the medians are printed (timings on a shared machine swing).

    .venv/bin/python benchmarks/validate.py --rows 20000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
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
            table = frame.to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(pq_path, table.schema, compression="zstd")
            writer.write_table(table)
    if writer is not None:
        writer.close()
    return csv_path, pq_path


def _child(step: str, path: Path) -> None:
    started = time.perf_counter()
    out: dict[str, object] = {}
    if step == "polars":
        import polars as pl

        frame = pl.read_csv(path, separator=";") if path.suffix == ".csv" else pl.read_parquet(
            path)
        out["rows"] = frame.height
    else:
        from contractkit.engine import validate_paths
        from contractkit.loader import load_contract

        lc = load_contract(CONTRACT)
        if path.suffix == ".parquet":
            from dataclasses import replace

            from contractkit.contract.models import ParquetFormat

            c = lc.contract
            tables = [t.model_copy(update={"file_pattern": "dst_ledighed_{period}.parquet"})
                      for t in c.tables]
            lc = replace(lc, contract=c.model_copy(update={"format": ParquetFormat(
                type="parquet"), "tables": tables}))
        report = validate_paths(lc, [path])
        out["rows"] = report.files[0].rows
        out["counts"] = report.files[0].counts
    out["seconds"] = time.perf_counter() - started
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _measure(step: str, path: Path) -> dict[str, object]:
    res = subprocess.run([sys.executable, __file__, "--child", step, str(path)],
                         capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Parse arguments, generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="contractkit-bench-") as tmp:
        started = time.perf_counter()
        files = generate(args.rows, Path(tmp), args.seed)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
              f"(CSV {files[0].stat().st_size / 1e6:.0f} MB, "
              f"Parquet {files[1].stat().st_size / 1e6:.0f} MB)")
        print(f"{'format':8} {'polars read':>12} {'contractkit':>12} {'ratio':>6} "
              f"{'peak RSS':>10}  findings")
        for path in files:
            raws, cks = [], []
            for _ in range(max(args.repeat, 1)):
                raws.append(_measure("polars", path))
                cks.append(_measure("contractkit", path))
            raw_s = statistics.median(float(r["seconds"]) for r in raws)  # type: ignore[arg-type]
            ck_s = statistics.median(float(c["seconds"]) for c in cks)  # type: ignore[arg-type]
            rss = max(float(c["peak_rss_mb"]) for c in cks)  # type: ignore[arg-type]
            print(f"{path.suffix[1:]:8} {raw_s:>11.2f}s {ck_s:>11.2f}s "
                  f"{ck_s / raw_s:>5.2f}x {rss:>8.0f}MB  {cks[0]['counts']}")


if __name__ == "__main__":
    main()
