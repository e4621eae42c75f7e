"""contractkit: declarative data contracts for recurring register deliveries.

Importing the package is cheap: heavy parts (pandera, dbt, duckdb, hypothesis) load only
when a function that needs them is called. Paths may be given as ``str`` or ``pathlib.Path``
everywhere.

Example::

    import contractkit
    report = contractkit.validate("contracts/dst-ledighed.yaml", "dst_ledighed_2024-03.csv")
    report.ok, report.counts, report.to_json(), report.findings_frame()
"""

from contractkit._gc import paused as _paused

with _paused():  # imports: many objects, no cycles to collect
    from contractkit._api import validate
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
    from contractkit.report.model import FileReport, Finding, Report

__all__ = [
    "CompileError",
    "Contract",
    "ContractError",
    "ContractProblem",
    "ContractkitError",
    "DbtError",
    "DeliveryError",
    "FileReport",
    "Finding",
    "GitError",
    "LoadedContract",
    "Report",
    "SparkError",
    "UsageError",
    "__version__",
    "load_contract",
    "validate",
]

__version__ = "0.1.0"
