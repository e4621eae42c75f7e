"""Property: each mutant yields exactly its own finding code, and no other.

Also proves the property has teeth: with a deliberately weakened range check swapped in
at test time, the property fails.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import assume, given, settings
from synthcase import (
    CONTRACTS,
    EXAMPLES_PER_MUTANT,
    HERE,
    REPO,
    codes,
    contract_id,
    period_for,
    spread,
    validate_delivery,
    write_delivery,
)

from contractkit.checks import exprs
from contractkit.loader import LoadedContract, load_contract
from contractkit.report.model import Code
from contractkit.synth.context import TableContext, resolve_context
from contractkit.synth.generate import generate_delivery
from contractkit.synth.mutants import Mutant, NotApplicable, break_frame
from contractkit.synth.sample import all_mutants, find_mutant
from contractkit.synth.strategies import delivery_strategy


def _context(path: Path) -> tuple[LoadedContract, TableContext]:
    lc = load_contract(path)
    return lc, resolve_context(lc, period=period_for(lc))


def check_mutant(lc: LoadedContract, ctx: TableContext, mutant: Mutant,
                 frames: dict[str, pl.DataFrame], seed: int = 0) -> None:
    """Apply ``mutant`` to a conforming delivery, validate, and assert exactly its code."""
    tctx = ctx.for_table(lc.contract.table(mutant.table) or ctx.table)
    broken = dict(frames)
    broken[mutant.table] = break_frame(mutant, frames[mutant.table], tctx, seed, parents=frames)
    with tempfile.TemporaryDirectory() as d:
        paths = write_delivery(ctx, broken, Path(d), mutant, seed)
        found = codes(validate_delivery(lc, ctx, paths, mutant))
    assert found == {mutant.code}, f"{mutant.table}.{mutant.name}: expected {mutant.code}, got {found}"


def mutant_property(lc: LoadedContract, ctx: TableContext, mutant: Mutant) -> Any:
    """The hypothesis property: over conforming deliveries, ``mutant`` yields only its code."""

    @settings(max_examples=EXAMPLES_PER_MUTANT)
    @given(delivery_strategy(ctx, min_rows=2, max_rows=6))
    def prop(frames: dict[str, pl.DataFrame]) -> None:
        try:
            check_mutant(lc, ctx, mutant, frames)
        except NotApplicable:
            assume(False)

    return prop


@pytest.mark.parametrize("path", CONTRACTS, ids=contract_id)
def test_each_mutant_yields_exactly_its_code(path: Path) -> None:
    lc, ctx = _context(path)
    failures = []
    for mutant in spread(all_mutants(ctx), lc.contract.id):
        try:
            mutant_property(lc, ctx, mutant)()
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, failures


def _exhaustive_cases() -> list[tuple[Path, str]]:
    out = []
    for path in (REPO / "contracts" / "dst-ledighed.yaml", HERE / "contracts" / "kitchen-sink.yaml"):
        _, ctx = _context(path)
        out += [(path, f"{m.table}.{m.name}") for m in all_mutants(ctx)]
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("path", "rule"), _exhaustive_cases(),
                         ids=[f"{p.stem}:{r}" for p, r in _exhaustive_cases()])
def test_every_mutant_of_reference_contracts(path: Path, rule: str) -> None:
    """Every mutant of the DST feed and of the kitchen-sink contract, on volume data."""
    lc, ctx = _context(path)
    mutant = find_mutant(ctx, rule)
    frames = generate_delivery(ctx, 40, seed=5)
    check_mutant(lc, ctx, mutant, frames, seed=5)


def test_every_finding_code_has_a_mutant() -> None:
    offered = {m.code for path in CONTRACTS for m in all_mutants(_context(path)[1])}
    # period-over-period codes compare two deliveries: no single file can break them
    # (tests/delivery/test_baseline_compare.py and tests/pipeline/test_ci_baseline.py do)
    between_periods = {Code.VOLUME_CHANGE, Code.SHARE_CHANGE, Code.CODE_VANISHED, Code.SHIFT}
    assert offered == {str(c) for c in Code} - between_periods


def test_weakened_range_check_breaks_the_property(monkeypatch: pytest.MonkeyPatch) -> None:
    lc, ctx = _context(REPO / "contracts" / "dst-ledighed.yaml")
    prop = mutant_property(lc, ctx, find_mutant(ctx, "timer:out-of-range"))
    prop()  # the real check passes the property

    real = exprs.CHECKS["in_range"]

    def ignores_upper_bound(e: pl.Expr, *, min: Any = None, max: Any = None) -> pl.Expr:
        return real(e, min=min)

    monkeypatch.setitem(exprs.CHECKS, "in_range", ignores_upper_bound)
    with pytest.raises(AssertionError, match="expected out-of-range"):
        prop()
