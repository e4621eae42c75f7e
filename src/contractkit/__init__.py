"""contractkit: declarative data contracts for recurring register deliveries.

Importing the package is cheap: heavy parts (pandera, dbt, duckdb, hypothesis) load only
when a function that needs them is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from contractkit.contract import Contract
from contractkit.errors import (
    CompileError,
    ContractError,
    ContractkitError,
    ContractProblem,
    DbtError,
    DeliveryError,
    GitError,
    SparkError,
    UsageError,
)
from contractkit.loader import LoadedContract, load_contract

__all__ = [
    "CompileError",
    "Contract",
    "ContractError",
    "ContractProblem",
    "ContractkitError",
    "DbtError",
    "DeliveryError",
    "GitError",
    "LoadedContract",
    "SparkError",
    "UsageError",
    "__version__",
    "load_contract",
    "validate",
]

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from contractkit.contract.codelists import CodeList
    from contractkit.report.model import Report


def validate(contract: Path | LoadedContract, path: Path | Sequence[Path], *,
             table: str | None = None, period: str | None = None, scope: str | None = None,
             max_examples: int = 20, codelists: Mapping[str, CodeList] | None = None,
             engine: str = "polars", spark_master: str | None = None) -> Report:
    """Validate delivered file(s) against a contract (heavy libraries load on first call).

    ``engine="spark"`` judges the files with Apache Spark (``spark_master``, else
    ``SPARK_REMOTE``, else ``local[2]``); the report is the same.

    Raises:
        ContractError: the contract is invalid. DeliveryError: a file cannot be opened.
    """
    from contractkit.engine import validate_paths

    lc = contract if isinstance(contract, LoadedContract) else load_contract(Path(contract))
    paths = [Path(path)] if isinstance(path, str | Path) else [Path(p) for p in path]
    return validate_paths(lc, paths, table=table, period=period, scope=scope,
                          max_examples=max_examples, codelists=codelists, engine=engine,
                          spark_master=spark_master)
