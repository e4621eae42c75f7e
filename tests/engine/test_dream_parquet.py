"""A Parquet variant of the wide DREAM file is judged by the same column-family rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl

from contractkit.contract.models import ParquetFormat
from contractkit.engine import validate_paths
from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.generate import generate_frame
from contractkit.synth.mutants import break_frame
from contractkit.synth.sample import find_mutant
from contractkit.synth.writers import write_file

REPO = Path(__file__).resolve().parents[2]


def test_wide_dream_as_parquet_obeys_the_family_rules(tmp_path: Path) -> None:
    lc = load_contract(REPO / "contracts" / "dream-kommuner.yaml")
    (table,) = lc.contract.tables
    parquet = lc.contract.model_copy(update={
        "format": ParquetFormat(type="parquet", compression="zstd"),
        "tables": [table.model_copy(update={"file_pattern": "dream_{kommune}_{period}.parquet"})],
    })
    variant = replace(lc, contract=parquet)
    ctx = resolve_context(variant, period="2024-03", scope="751")
    frame = generate_frame(ctx, 60, seed=8)
    good = write_file(frame, parquet.format, tmp_path / "good" / "dream_751_2024-03.parquet")
    assert pl.read_parquet_schema(good)["y_2413"] == pl.String
    assert validate_paths(variant, [good]).ok

    broken = break_frame(find_mutant(ctx, "y_2410:not-in-codelist"), frame, ctx, seed=8)
    broken = broken.drop("y_2402").with_columns(pl.lit(None, pl.String).alias("y_2414"))
    bad = write_file(broken, parquet.format, tmp_path / "bad" / "dream_751_2024-03.parquet")
    report = validate_paths(variant, [bad])
    found = {(f.code, f.column) for fr in report.files for f in fr.findings}
    assert found == {("not-in-codelist", "y_2410"), ("missing-column", "y_2402"),
                     ("extra-column", "y_2414")}
    (cell,) = [f for fr in report.files for f in fr.findings if f.code == "not-in-codelist"]
    assert cell.row is not None
    assert broken["y_2410"][cell.row - 1] not in set(frame["y_2410"].drop_nulls())
