"""synth and column families: wide files with spells, and --break on a family member."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from contractkit.cli import main
from contractkit.engine import validate_paths
from contractkit.errors import UsageError
from contractkit.loader import load_codelists, load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.generate import generate_delivery, generate_frame
from contractkit.synth.mutants import break_frame
from contractkit.synth.sample import find_mutant, rule_names
from contractkit.synth.writers import write_file

REPO = Path(__file__).resolve().parent.parent.parent
DREAM = REPO / "contracts" / "dream-kommuner.yaml"
SINK = REPO / "tests" / "properties" / "contracts" / "kitchen-sink.yaml"


def run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    code = exc.value.code
    return code if isinstance(code, int) else 0


def test_a_wide_dream_frame_is_mostly_empty_with_spells_of_equal_codes() -> None:
    lc = load_contract(DREAM)
    ctx = resolve_context(lc, period="2024-03", scope="751")
    frame = generate_frame(ctx, 400, seed=3)
    assert frame.columns == ctx.table.column_names  # plain columns, then members in order
    weeks = [c for c in frame.columns if c.startswith("y_")]
    assert (len(weeks), weeks[0], weeks[-1]) == (1709, "y_9127", "y_2413")
    cells = frame.select(weeks).to_numpy()
    filled = cells != None  # noqa: E711 (numpy elementwise)
    assert 0.85 < 1 - filled.mean() < 0.995  # realistic sparsity: most weeks empty
    same = (cells[:, 1:] == cells[:, :-1]) & filled[:, 1:]
    assert same.sum() / filled[:, 1:].sum() > 0.8  # a week mostly repeats the week before
    codes = set(load_codelists(REPO / "contracts" / "codelists")[0]["ydelser"].codes)
    assert set(np.unique(cells[filled])) <= codes
    grad = frame.select(pl.col("^grad_.*$")).to_numpy().astype(float)
    assert np.nanmin(grad) >= 0
    assert np.nanmax(grad) <= 100
    assert frame.equals(generate_frame(ctx, 400, seed=3))
    assert not frame.equals(generate_frame(ctx, 400, seed=4))


def test_synth_cli_writes_the_wide_file_and_breaks_one_member(tmp_path: Path) -> None:
    assert run(["synth", "-c", str(DREAM), "--period", "2024-03", "--rows", "30",
                "--scope", "751", "-o", str(tmp_path / "ok")]) == 0
    header = (tmp_path / "ok" / "dream_751_2024-03.csv").read_text(encoding="utf-8")
    names = header.splitlines()[0].split(";")
    assert names[:5] == ["cpr", "kommune_kode", "koen", "alder", "y_9127"]
    assert len(names) == 4 + 1709 + 2 * 195
    assert names[-1] == "grad_2024_03"
    assert run(["synth", "-c", str(DREAM), "--period", "2024-03", "--rows", "30",
                "--scope", "751", "--break", "y_2410:not-in-codelist",
                "-o", str(tmp_path / "bad")]) == 0
    bad = pl.read_csv(tmp_path / "bad" / "dream_751_2024-03.csv", separator=";",
                      infer_schema=False)
    codes = load_codelists(REPO / "contracts" / "codelists")[0]["ydelser"].codes
    outside = bad.filter(pl.col("y_2410").is_not_null() & ~pl.col("y_2410").is_in(codes))
    assert outside.height == 1
    rules = rule_names(resolve_context(load_contract(DREAM), period="2024-03"))
    assert {"y_YYWW:not-in-codelist", "y_YYWW:missing-column", "y_YYWW:extra-column",
            "grad_YYYY_MM:out-of-range", "branche_YYYY_MM:pattern-mismatch"} <= set(rules)
    assert not any(r.startswith("y_24") for r in rules)  # members are not listed one by one


@pytest.mark.parametrize(("rule", "code", "column"), [
    ("kontakter.kode_202407:not-allowed", "not-allowed", "kode_202407"),
    ("kontakter.besoeg_202401:not-null", "not-null", "besoeg_202401"),
    ("kontakter.besoeg_202312:missing-column", "missing-column", "besoeg_202312"),
    ("kontakter.kode_202413:extra-column", "extra-column", "kode_202413"),
    ("kontakter.besoeg_202404:extra-column", "extra-column", "besoeg_202404"),
])
def test_a_named_member_mutant_yields_its_code_on_that_member(
        tmp_path: Path, rule: str, code: str, column: str) -> None:
    lc = load_contract(SINK)
    ctx = resolve_context(lc, period="2024-Q1", scope="1084")
    mutant = find_mutant(ctx, rule)
    frames = generate_delivery(ctx, 30, seed=2)
    tctx = ctx.for_table(lc.contract.tables[1])
    broken = dict(frames, kontakter=break_frame(mutant, frames["kontakter"], tctx, 2, frames))
    paths = []
    for name, frame in broken.items():
        t = ctx.for_table(lc.contract.table(name) or ctx.table)
        paths.append(write_file(frame, lc.contract.format, tmp_path / t.file_name))
    report = validate_paths(lc, paths, period="2024-Q1", scope="1084")
    found = [(f.code, f.column) for fr in report.files for f in fr.findings]
    assert {c for c, _ in found} == {code}
    assert {col for _, col in found} == {column}


@pytest.mark.parametrize("rule", [
    "kontakter.kode_202413:not-allowed",  # past the period: only extra-column applies
    "kontakter.kode_202407:extra-column",  # inside the range: cannot be extra
    "kontakter.kode_202407:out-of-range",  # the week family has no range
])
def test_a_member_mutant_that_cannot_apply_is_a_usage_error(rule: str) -> None:
    ctx = resolve_context(load_contract(SINK), period="2024-Q1", scope="1084")
    with pytest.raises(UsageError, match="kode_2024"):
        find_mutant(ctx, rule)
