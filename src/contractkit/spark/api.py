"""The Spark engine's entry point: the polars engine's contract side, Spark's execution.

Choosing the table, the file-name, period and scope findings and compiling the rules are
the polars engine's own code (:func:`contractkit.engine.api._validate_one`), so both
engines judge a file by the same compiled rules; only running a file
(:class:`~contractkit.spark.run.SparkFileRunner`) and the key store differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Table
from contractkit.engine.api import _check_path, _codelists, _references, _validate_one
from contractkit.engine.evaluate import DICTIONARY_SHARE
from contractkit.engine.keys import KeyStore
from contractkit.engine.run import BATCH_ROWS
from contractkit.loader import LoadedContract
from contractkit.report.mask import Masker
from contractkit.report.model import FileReport, Report
from contractkit.spark.run import SparkFileRunner
from contractkit.spark.session import spark_errors, spark_session

__all__ = ["validate_paths_spark"]


def validate_paths_spark(lc: LoadedContract, paths: Sequence[str | Path], *,
                         table: str | None = None,
                         period: str | None = None, scope: str | None = None,
                         max_examples: int = 20, codelists: Mapping[str, CodeList] | None = None,
                         master: str | None = None) -> Report:
    """Validate files of one delivery against ``lc`` with Spark (references included).

    Args:
        lc: the contract.
        paths: the delivered files (CSV or Parquet).
        table: judge the files by this table (default: by file name).
        period: the delivery period (default: from the file name).
        scope: the municipality/region of a per-scope feed.
        max_examples: example findings kept per rule; counts stay exact.
        codelists: code lists by id (default: ``codelists/`` beside the contract).
        master: a Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``); default
            ``SPARK_REMOTE`` (Spark Connect) if set, else ``local[2]``.

    Returns:
        The same report the polars engine gives.

    Raises:
        DeliveryError: a path is missing or cannot be opened.
        UsageError: bad ``table``/``period``.
        CompileError: a contract rule cannot be compiled.
        SparkError: Spark cannot start or a Spark job failed.
    """
    files = [Path(p) for p in paths]
    for p in files:
        _check_path(p)
    lists = _codelists(lc, codelists)
    runner = SparkFileRunner(spark_session(master))
    masker = Masker()
    unused = KeyStore()  # the polars engine's store stays empty: Spark keeps its own keys
    try:
        done: list[tuple[FileReport, Table, str]] = []
        for i, path in enumerate(files):
            prefix = f"f{i}_"
            rep, chosen = _validate_one(lc, path, table=table, period=period, scope=scope,
                                        max_examples=max_examples, codelists=lists,
                                        masker=masker, keys=unused, prefix=prefix,
                                        on_progress=None, batch_rows=BATCH_ROWS,
                                        dictionary_share=DICTIONARY_SHARE, runner=runner)
            done.append((rep, chosen, prefix))
        with spark_errors("checking references between the files"):
            reports = _references(done, runner.keys, masker, max_examples)
    finally:
        unused.close()
        runner.release()
    return Report(tuple(reports))
