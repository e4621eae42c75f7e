"""Property: synthesised deliveries of every contract validate with no findings."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from synthcase import CONTRACTS, codes, contract_id, period_for, validate_delivery, write_delivery

from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.generate import generate_delivery
from contractkit.synth.strategies import delivery_strategy


@pytest.mark.parametrize("path", CONTRACTS, ids=contract_id)
def test_hypothesis_deliveries_validate_clean(path: Path) -> None:
    lc = load_contract(path)
    ctx = resolve_context(lc, period=period_for(lc))

    @given(delivery_strategy(ctx, max_rows=6))
    def prop(frames: dict[str, pl.DataFrame]) -> None:
        with tempfile.TemporaryDirectory() as d:
            paths = write_delivery(ctx, frames, Path(d))
            found = codes(validate_delivery(lc, ctx, paths))
            assert found == set(), found

    prop()


@pytest.mark.parametrize("path", CONTRACTS, ids=contract_id)
def test_vectorised_deliveries_validate_clean(path: Path, tmp_path: Path) -> None:
    lc = load_contract(path)
    ctx = resolve_context(lc, period=period_for(lc))
    frames = generate_delivery(ctx, 300, seed=11)
    paths = write_delivery(ctx, frames, tmp_path)
    assert codes(validate_delivery(lc, ctx, paths)) == set()
    assert all(f.height == 300 for f in frames.values())
