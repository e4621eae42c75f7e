"""contractkit: declarative data contracts for recurring register deliveries.

Importing the package is cheap: heavy parts (pandera, dbt, duckdb, hypothesis) load only
when a function that needs them is called.
"""

from __future__ import annotations

from contractkit.contract import Contract
from contractkit.errors import (
    CompileError,
    ContractError,
    ContractkitError,
    ContractProblem,
    DbtError,
    DeliveryError,
    GitError,
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
    "UsageError",
    "__version__",
    "load_contract",
]

__version__ = "0.1.0"
