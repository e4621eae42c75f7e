"""The cycle collector is paused while contractkit imports, loads a contract or judges a
file, and left as the caller had it."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from contractkit import load_contract
from contractkit._gc import paused

CONTRACT = Path(__file__).resolve().parents[1] / "contracts" / "dst-ledighed.yaml"


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_a_contract_leaves_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        load_contract(CONTRACT)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_paused_restores_the_collector_on_the_way_out_of_an_error() -> None:
    seen: list[bool] = []

    def fail() -> None:
        with paused():
            seen.append(gc.isenabled())
            raise ValueError("boom")

    assert gc.isenabled()
    with pytest.raises(ValueError, match="boom"):
        fail()
    assert seen == [False]
    assert gc.isenabled()


def test_importing_the_engine_collects_no_cycles_and_leaves_the_collector_on() -> None:
    code = ("import gc; import contractkit.engine; "
            "print(gc.isenabled(), gc.get_stats()[2]['collections'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "0"]
