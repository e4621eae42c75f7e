"""The engine's public entry points: ``validate_file`` and ``validate_paths``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from contractkit._gc import paused
from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Contract, ScopeKind, Table
from contractkit.contract.periods import file_name_regex, period_option
from contractkit.engine.checked import checked_rules
from contractkit.engine.collect import Collector
from contractkit.engine.compile import codelists_needed, compile_table
from contractkit.engine.evaluate import DICTIONARY_SHARE
from contractkit.engine.families import expand_table
from contractkit.engine.keys import Example, KeyStore
from contractkit.engine.run import BATCH_ROWS, FileRun, ref_target_key, run_file, show_key
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract, default_codelist_dir, load_codelists
from contractkit.report.mask import Masker
from contractkit.report.model import Code, FileReport, Report

__all__ = ["ENGINES", "validate_file", "validate_paths"]

Progress = Callable[[Path, int], None]
ENGINES = ("polars", "spark")
"""Which engine judges the files: polars (default, this package) or Spark (contractkit.spark)."""
FileRunner = Callable[[FileRun], int | None]


class References(Protocol):
    """What the reference rule asks of a key store (polars: KeyStore; Spark: SparkKeys)."""

    def missing_references(self, child: str, parent: str,
                           limit: int) -> tuple[int, list[Example]]:
        """Rows of key set ``child`` whose key is absent from key set ``parent``."""


def _codelists(lc: LoadedContract,
               given: Mapping[str, CodeList] | None) -> Mapping[str, CodeList]:
    if given is not None:
        return given
    needed = codelists_needed(lc.contract.tables)
    if not needed:
        return {}
    lists, _ = load_codelists(default_codelist_dir(lc.path), needed)
    return lists


def _choose_table(contract: Contract, path: Path, table: str | None) -> tuple[Table, bool]:
    """The table to judge ``path`` by, and whether its name matches the table's pattern."""
    freq = contract.cadence.frequency
    if table is not None:
        chosen = contract.table(table)
        if chosen is None:
            raise UsageError(f"--table {table!r}: the contract has tables "
                             f"{', '.join(t.name for t in contract.tables)}")
        return chosen, bool(file_name_regex(chosen.file_pattern, freq).match(path.name))
    for t in contract.tables:
        if file_name_regex(t.file_pattern, freq).match(path.name):
            return t, True
    if len(contract.tables) == 1:
        return contract.tables[0], False
    raise UsageError(f"{path.name}: the name matches no table's file pattern; name the table "
                     "with --table")



def _check_path(path: Path) -> None:
    if not path.exists():
        raise DeliveryError(f"{path}: no such file", path)
    if path.is_dir():
        raise DeliveryError(f"{path}: is a directory, not a file", path)


def _validate_one(lc: LoadedContract, path: Path, *, table: str | None, period: str | None,
                  scope: str | None, max_examples: int, codelists: Mapping[str, CodeList],
                  masker: Masker, keys: KeyStore, prefix: str,
                  on_progress: Progress | None, batch_rows: int,
                  dictionary_share: float,
                  runner: FileRunner = run_file) -> tuple[FileReport, Table]:
    contract = lc.contract
    _check_path(path)
    chosen, name_ok = _choose_table(contract, path, table)
    match = file_name_regex(chosen.file_pattern, contract.cadence.frequency).match(path.name)
    named = match.groupdict() if match else {}
    period_obj = period_option(contract.cadence.frequency, period or named.get("period"))
    chosen, layout = expand_table(chosen, period_obj, path.name)
    coll = Collector(str(path), max_examples, masker,
                     (c.name for c in chosen.columns if c.personal.value != "none"),
                     layout.members if layout is not None else None)
    if not name_ok:
        coll.add(Code.BAD_FILE_NAME, "file_pattern",
                 f"the file name does not follow the pattern {chosen.file_pattern}",
                 personal=False)
    if period is not None and named.get("period") not in (None, period):
        coll.add(Code.BAD_FILE_NAME, "file_pattern",
                 f"the file name carries period {named['period']}, not {period}", personal=False)
    placeholder = "kommune" if contract.scope.kind is ScopeKind.PER_MUNICIPALITY else "region"
    scope_value = scope or named.get(placeholder)
    if scope is not None and named.get(placeholder) not in (None, scope):
        coll.add(Code.BAD_FILE_NAME, "file_pattern",
                 f"the file name carries {placeholder} {named[placeholder]}, not {scope}",
                 personal=False)
    rules = compile_table(chosen, contract.format, codelists=codelists,
                          scope_kind=contract.scope.kind, scope_column=contract.scope.column,
                          scope=scope_value, period=period_obj)
    coll.declare(checked_rules(chosen, rules, layout.members if layout is not None else ()))
    progress = (lambda n: on_progress(path, n)) if on_progress is not None else None
    targets = tuple(tuple(r.to_columns) for t in contract.tables for r in t.references
                    if r.table == chosen.name)
    run = FileRun(path, chosen, contract.format, rules, coll, keys, prefix, batch_rows, progress,
                  targets, dictionary_share, layout)
    rows = runner(run)
    rep = coll.report(contract_id=contract.id, contract_version=contract.version,
                      table=chosen.name, rows=rows)
    return rep, chosen


def validate_paths(lc: LoadedContract, paths: Sequence[Path | str], *,
                   table: str | None = None,
                   period: str | None = None, scope: str | None = None,
                   max_examples: int = 20, codelists: Mapping[str, CodeList] | None = None,
                   on_progress: Progress | None = None, batch_rows: int = BATCH_ROWS,
                   dictionary_share: float = DICTIONARY_SHARE, engine: str = "polars",
                   spark_master: str | None = None) -> Report:
    """Validate files of one delivery against ``lc``; also checks references between them.

    ``batch_rows`` and ``dictionary_share`` tune the engine (rows per batch; the share of
    distinct values up to which a column is judged on its distinct values); the findings
    do not depend on them. ``engine="spark"`` judges the same rules with Apache Spark
    (:mod:`contractkit.spark`; ``spark_master`` or ``SPARK_REMOTE`` say where).

    Args:
        lc: the contract.
        paths: the delivered files (CSV or Parquet), one delivery.
        table: judge the files by this table (default: by file name).
        period: the delivery period (default: from the file name).
        scope: the municipality/region of a per-scope feed.
        max_examples: example findings kept per rule; counts stay exact.
        codelists: code lists by id (default: ``codelists/`` beside the contract).
        on_progress: called with a file and the rows checked so far.
        batch_rows: rows per batch.
        dictionary_share: see above.
        engine: ``polars`` or ``spark``.
        spark_master: the Spark master URL for ``engine="spark"``.

    Returns:
        One file report per path, in order.

    Raises:
        DeliveryError: a path is missing or cannot be opened.
        UsageError: bad ``table``/``period``/``max_examples``.
        CompileError: a contract rule cannot be compiled.
    """
    if max_examples < 0:
        raise UsageError("--max-examples must be 0 or more")
    files = [Path(p) for p in paths]
    if engine == "spark":
        from contractkit.spark import validate_paths_spark

        return validate_paths_spark(lc, files, table=table, period=period, scope=scope,
                                    max_examples=max_examples, codelists=codelists,
                                    master=spark_master)
    if engine != "polars":
        raise UsageError(f"--engine: {engine!r} is not polars or spark")
    for p in files:
        _check_path(p)
    with paused():  # the code lists' YAML: many objects, no cycles to collect
        lists = _codelists(lc, codelists)
    masker = Masker()
    keys = KeyStore()
    try:
        done: list[tuple[FileReport, Table, str]] = []
        for i, path in enumerate(files):
            prefix = f"f{i}_"
            with paused():  # per file: garbage of one file is collected after it
                rep, chosen = _validate_one(lc, path, table=table, period=period, scope=scope,
                                            max_examples=max_examples, codelists=lists,
                                            masker=masker, keys=keys, prefix=prefix,
                                            on_progress=on_progress, batch_rows=batch_rows,
                                            dictionary_share=dictionary_share)
            done.append((rep, chosen, prefix))
        reports = _references(done, keys, masker, max_examples)
    finally:
        keys.close()
    return Report(tuple(reports))


def _references(done: list[tuple[FileReport, Table, str]], keys: References, masker: Masker,
                max_examples: int) -> list[FileReport]:
    """Add broken-reference findings between files of the same call."""
    from dataclasses import replace

    from contractkit.report.model import Finding

    out: list[FileReport] = []
    for rep, chosen, prefix in done:
        if not chosen.references or rep.rows is None:
            out.append(rep)
            continue
        counts = dict(rep.counts)
        findings = list(rep.findings)
        truncated = rep.truncated
        rules = dict(rep.rules)
        for i, ref in enumerate(chosen.references):
            # a parent with bad records has an incomplete key set: it proves no key missing
            parents = [(p, pt, pp) for p, pt, pp in done if pt.name == ref.table
                       and p.rows is not None and not p.counts.get(Code.MALFORMED_FILE)]
            for _parent_rep, _pt, pprefix in parents:
                total, examples = keys.missing_references(
                    f"{prefix}ref:{i}", pprefix + ref_target_key(ref.table, ref.to_columns),
                    max_examples)
                rule = f"references:{ref.table}"
                rules[rule] = rules.get(rule, 0) + total
                if total:
                    counts[Code.BROKEN_REFERENCE] = counts.get(Code.BROKEN_REFERENCE, 0) + total
                    truncated = truncated or total > len(examples)
                    for row, values in examples:
                        findings.append(Finding(
                            Code.BROKEN_REFERENCE, f"the key is not found in table {ref.table}",
                            rep.file, ",".join(ref.columns), row,
                            masker.show(show_key(values), isinstance(values, str)), "error",
                            f"references:{ref.table}"))
        out.append(replace(rep, counts=dict(sorted(counts.items())), findings=tuple(findings),
                           truncated=truncated, rules=dict(sorted(rules.items()))))
    return out


def validate_file(lc: LoadedContract, path: Path | str, *, table: str | None = None,
                  period: str | None = None, scope: str | None = None, max_examples: int = 20,
                  codelists: Mapping[str, CodeList] | None = None,
                  engine: str = "polars", spark_master: str | None = None) -> FileReport:
    """Validate one file against ``lc`` (see :func:`validate_paths`).

    Args:
        lc: the contract.
        path: the delivered file.
        table: judge the file by this table (default: by file name).
        period: the delivery period (default: from the file name).
        scope: the municipality/region of a per-scope feed.
        max_examples: example findings kept per rule; counts stay exact.
        codelists: code lists by id (default: ``codelists/`` beside the contract).
        engine: ``polars`` or ``spark``.
        spark_master: the Spark master URL for ``engine="spark"``.

    Returns:
        The file's report.
    """
    return validate_paths(lc, [path], table=table, period=period, scope=scope,
                          max_examples=max_examples, codelists=codelists, engine=engine,
                          spark_master=spark_master).files[0]
