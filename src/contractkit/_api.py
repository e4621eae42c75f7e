"""The functions the package root offers (``contractkit.validate``); heavy parts load lazily."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from contractkit.loader import LoadedContract, load_contract

if TYPE_CHECKING:
    from contractkit.contract.codelists import CodeList
    from contractkit.report.model import Report

__all__ = ["validate"]


def validate(contract: Path | str | LoadedContract, path: Path | str | Sequence[Path | str], *,
             table: str | None = None, period: str | None = None, scope: str | None = None,
             max_examples: int = 20, codelists: Mapping[str, CodeList] | None = None,
             engine: str = "polars", spark_master: str | None = None) -> Report:
    """Validate delivered file(s) against a contract (heavy libraries load on first call).

    Files given together are one delivery: references between their tables are checked.

    Args:
        contract: the contract file, or a contract already loaded.
        path: one delivered file (CSV or Parquet) or several.
        table: judge the files by this table (default: by file name).
        period: the delivery period, e.g. ``2024-03`` (default: from the file name).
        scope: the municipality/region code of a per-scope feed (``0751`` = ``751``).
        max_examples: example findings kept per rule; counts stay exact.
        codelists: code lists by id (default: ``codelists/`` beside the contract).
        engine: ``polars`` (default) or ``spark``; the report is the same.
        spark_master: the Spark master URL (default: ``SPARK_REMOTE``, else ``local[2]``).

    Returns:
        The report: one entry per file with exact counts per finding code.

    Raises:
        ContractError: the contract is invalid.
        DeliveryError: a file cannot be opened.
        UsageError: a bad table, period or count.
        CompileError: a contract rule cannot be compiled (e.g. a code list is missing).
    """
    from contractkit.contract.scopes import normalise_scope_code
    from contractkit.engine import validate_paths

    lc = contract if isinstance(contract, LoadedContract) else load_contract(contract)
    paths = [Path(path)] if isinstance(path, str | Path) else [Path(p) for p in path]
    return validate_paths(lc, paths, table=table, period=period,
                          scope=None if scope is None else normalise_scope_code(scope),
                          max_examples=max_examples, codelists=codelists, engine=engine,
                          spark_master=spark_master)
