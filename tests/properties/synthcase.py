"""Helpers of the property tests: contract discovery, writing and validating deliveries."""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import polars as pl

from contractkit.engine import validate_file, validate_paths
from contractkit.loader import LoadedContract, discover_contract_files
from contractkit.report.model import FileReport
from contractkit.synth.context import TableContext
from contractkit.synth.malformed import bad_file_name, break_bytes
from contractkit.synth.mutants import Mutant
from contractkit.synth.writers import render_file

T = TypeVar("T")
HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PERIODS = {"daily": "2024-03-15", "weekly": "2024-W10", "monthly": "2024-03",
           "quarterly": "2024-Q1", "yearly": "2024"}
"""A fixed delivery period per cadence, so every run judges the same period."""


THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
MUTANTS_PER_CONTRACT = 0 if THOROUGH else 3
"""Mutants checked per contract (0: all); the quick run rotates which ones by contract."""
EXAMPLES_PER_MUTANT = 8 if THOROUGH else 2
"""Hypothesis deliveries each selected mutant is applied to."""


def spread(items: Sequence[T], key: str, k: int = MUTANTS_PER_CONTRACT) -> list[T]:
    """``k`` items spread evenly over ``items``, starting at an offset derived from ``key``
    (so different contracts exercise different mutant kinds); all items if ``k`` is 0."""
    n = len(items)
    if k == 0 or n <= k:
        return list(items)
    offset = zlib.crc32(key.encode()) % n
    return [items[(offset + j * n // k) % n] for j in range(k)]


def period_for(lc: LoadedContract) -> str:
    """The fixed period label for the contract's cadence."""
    return PERIODS[lc.contract.cadence.frequency.value]


def contract_files() -> list[Path]:
    """Every contract in ``contracts/`` (discovered, so new ones are covered) plus the
    kitchen-sink test contract that uses every rule kind."""
    return [*discover_contract_files([REPO / "contracts"]), HERE / "contracts" / "kitchen-sink.yaml"]


def contract_id(path: Path) -> str:
    """A readable test id."""
    return path.stem


CONTRACTS = contract_files()

def write_delivery(ctx: TableContext, frames: Mapping[str, pl.DataFrame], folder: Path,
                   mutant: Mutant | None = None, seed: int = 0) -> dict[str, Path]:
    """Write every table's frame under its pattern's file name; apply a file mutant."""
    folder.mkdir(parents=True, exist_ok=True)
    fmt = ctx.lc.contract.format
    paths: dict[str, Path] = {}
    for name, frame in frames.items():
        tctx = ctx.for_table(ctx.lc.contract.table(name) or ctx.table)
        data = render_file(frame, fmt)
        path = folder / tctx.file_name
        if mutant is not None and mutant.table == name and mutant.level == "file":
            kind = mutant.name.split(":", 1)[1]
            if kind == "bad-file-name":
                path = path.with_name(bad_file_name(path.name))
            else:
                data = break_bytes(kind, data, fmt, seed)
        path.write_bytes(data)
        paths[name] = path
    return paths


def validate_delivery(lc: LoadedContract, ctx: TableContext, paths: Mapping[str, Path],
                      mutant: Mutant | None = None) -> list[FileReport]:
    """Validate the delivery (references included) as a recipient would.

    A file with a broken name cannot be matched to its table by name, so it is validated
    on its own with the table named explicitly.
    """
    period = ctx.period.label
    if mutant is not None and mutant.code == "bad-file-name":
        broken = paths[mutant.table]
        return [validate_file(lc, broken, table=mutant.table, period=period, scope=ctx.scope)]
    report = validate_paths(lc, list(paths.values()), period=period, scope=ctx.scope)
    return list(report.files)


def codes(reports: list[FileReport]) -> set[str]:
    """Every finding code with a non-zero count."""
    return {str(code) for rep in reports for code, n in rep.counts.items() if n}
