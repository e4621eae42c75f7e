"""``contractkit ci``: build every outbound delivery for a period and block the bad ones.

Steps: build the warehouse if absent → ``dbt build`` for the period (fresh runner, fresh
database) → export each delivery in its contract's format and file names to
``<out>/<contract id>/<period>/`` → validate every file with the engine → judge files whose
table has period-over-period (``baseline``) rules against the last released delivery of the
feed → write a manifest per delivery (with the profiles the next period compares with):
``released`` when dbt, the engine and the baseline rules found no error, else ``rejected``.

A feed whose cadence is not monthly is delivered for the period of its frequency that
contains the given month's last day (``2024-03`` → quarterly ``2024-Q1``, weekly
``2024-W13``); :attr:`FeedResult.period_note` says so.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from contractkit.atomic import owner_only
from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Direction, Frequency, ScopeKind, Status
from contractkit.contract.periods import file_name, parse_period, period_containing
from contractkit.dbt.families import family_models
from contractkit.dbt.generate import generate_files, model_name, stale_files
from contractkit.dbt.runner import DbtNodeResult, DbtSettings, run_dbt
from contractkit.errors import ContractError, DbtError, UsageError
from contractkit.loader import (
    LoadedContract,
    discover_contract_files,
    load_codelists,
    load_contract,
)
from contractkit.pipeline.export import ExportedFile, export_table
from contractkit.pipeline.lock import hold_lock
from contractkit.pipeline.result import CiResult, FeedProblem, FeedResult
from contractkit.pipeline.staging import (
    remove_stale_staging,
    remove_stale_warehouse_temps,
    staging_prefix,
)
from contractkit.report.model import Report

if TYPE_CHECKING:
    from contractkit.delivery.profile import FileProfile

__all__ = ["CiResult", "FeedProblem", "FeedResult", "load_outbound", "run_ci"]


def load_outbound(contracts_dir: Path) -> tuple[list[LoadedContract], dict[str, CodeList]]:
    """Load every outbound contract under ``contracts_dir`` and the code lists.

    Raises:
        UsageError: the folder does not exist.
        ContractError: a contract or code list is invalid.
    """
    if not contracts_dir.is_dir():
        raise UsageError(f"{contracts_dir}: no such contracts folder")
    loaded = [load_contract(p) for p in discover_contract_files([contracts_dir])]
    lists, problems = load_codelists(contracts_dir / "codelists")
    if problems:
        raise ContractError(Path(problems[0].path), problems)
    drafts = [lc.problem("draft-contract", ("placeholders",) if lc.contract.placeholders else (
        "status",), "a draft (placeholders from an import, or an outbound feed in status draft) "
        "cannot be delivered: finish it first")
        for lc in loaded if lc.contract.placeholders or (
            lc.contract.status is Status.DRAFT and lc.contract.direction is Direction.OUTBOUND)]
    if drafts:
        raise ContractError(Path(drafts[0].path), drafts)
    return [lc for lc in loaded if lc.contract.direction is Direction.OUTBOUND], lists


def choose_feeds(contracts: Sequence[LoadedContract],
                 feeds: Sequence[str] | None) -> list[LoadedContract]:
    """The outbound contracts of ``feeds`` (all when ``None``).

    Raises:
        UsageError: a feed id is not an outbound contract.
    """
    if feeds is None:
        return list(contracts)
    known = {lc.contract.id for lc in contracts}
    unknown = sorted(set(feeds) - known)
    if unknown:
        raise UsageError(f"--feed {', '.join(unknown)}: not an outbound contract (known: "
                         f"{', '.join(sorted(known)) or 'none'})")
    return [lc for lc in contracts if lc.contract.id in set(feeds)]


def _recipients(lc: LoadedContract, lists: Mapping[str, CodeList]) -> list[str]:
    scope = lc.contract.scope
    if scope.kind is ScopeKind.NATIONAL:
        return []
    if scope.recipients:
        return list(scope.recipients)
    name = "kommuner" if scope.kind is ScopeKind.PER_MUNICIPALITY else "regioner"
    if name not in lists:
        raise UsageError(f"{lc.contract.id}: code list {name!r} is needed for its recipients")
    return sorted(lists[name].codes, key=int)


def _feed_period(lc: LoadedContract, month: str) -> tuple[str, str | None]:
    freq = lc.contract.cadence.frequency
    end = parse_period(Frequency.MONTHLY, month).end
    label = period_containing(freq, end).label
    if freq is Frequency.MONTHLY:
        return label, None
    return label, f"{freq.value} feed: period {label} contains {end.isoformat()}"


def _dbt_problems(lc: LoadedContract, results: Sequence[DbtNodeResult],
                  period: str) -> tuple[list[FeedProblem], set[str]]:
    """Problems dbt reported for the feed's models, and the tables that were not built."""
    problems: list[FeedProblem] = []
    unbuilt: set[str] = set()
    by_model = {model_name(lc.contract.id, t.name): t for t in lc.contract.tables}
    for t in lc.contract.tables:  # a table's column families have long models of their own
        by_model.update((fm.name, t) for fm in family_models(model_name(lc.contract.id, t.name), t))
    seen_models: set[str] = set()
    for r in results:
        if r.model not in by_model:
            continue
        table = by_model[r.model]
        where = file_name(table.file_pattern, period, kommune="{kommune}", region="{region}")
        if r.resource_type == "model":
            seen_models.add(r.model)
            if r.status != "success":
                unbuilt.add(table.name)
                rule = "dbt:skipped" if r.status == "skipped" else r.rule
                message = r.message or f"model {r.model} was {r.status}"
                problems.append(FeedProblem(where, rule, f"{r.model}: {message}"))
        elif r.failed:
            col = f":{r.column}" if r.column else ""
            problems.append(FeedProblem(where, f"{r.rule}{col}", r.message))
    for model, table in by_model.items():
        if model not in seen_models and table.name not in unbuilt:
            unbuilt.add(table.name)
            where = file_name(table.file_pattern, period, kommune="{kommune}", region="{region}")
            problems.append(FeedProblem(where, "dbt:missing-model",
                                        f"no dbt model {model} was built"))
    return problems, unbuilt


def _replace_folder(staging: Path, final: Path) -> None:
    """Move a finished delivery folder into place (the old one, if any, goes away)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=staging_prefix(final.name, "old"), dir=final.parent))
        final.rename(old / final.name)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old)


def _deliver(lc: LoadedContract, lists: Mapping[str, CodeList], con: object, month: str,
             out_dir: Path, results: Sequence[DbtNodeResult], engine: str = "polars",
             spark_master: str | None = None) -> FeedResult:
    from contractkit.delivery.manifest import build_manifest, write_manifest
    from contractkit.engine import validate_paths

    c = lc.contract
    label, note = _feed_period(lc, month)
    problems, unbuilt = _dbt_problems(lc, results, label)
    final = out_dir / c.id / label
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(label), dir=final.parent))
    except OSError as exc:
        return _unwritable(lc, label, note, final, problems, exc)
    try:
        files: list[ExportedFile] = []
        recipients = _recipients(lc, lists)
        for table in c.tables:
            if table.name in unbuilt:
                continue
            files += export_table(con, c, table, model_name(c.id, table.name), label, staging,
                                  recipients)
        report = (validate_paths(lc, [f.path for f in files], period=label, codelists=lists,
                                 engine=engine, spark_master=spark_master)
                  if files else None)
        profiles: dict[str, FileProfile] = {}
        if report is not None and any(t.baseline is not None for t in c.tables):
            from contractkit.delivery.baseline import judge_report, last_released

            report, profiles = judge_report(lc, report, [f.path for f in files],
                                            last_released(c, out_dir / c.id, label), period=label)
        released = not problems and report is not None and report.ok
        status = "released" if released else "rejected"
        manifest = build_manifest(lc, label, [(f.path, f.table, f.scope, f.rows) for f in files],
                                  status, profiles=profiles)
        write_manifest(staging, manifest)
        _replace_folder(staging, final)
    except OSError as exc:  # a full disk (ENOSPC), a quota: this feed only, nothing released
        shutil.rmtree(staging, ignore_errors=True)
        return _unwritable(lc, label, note, final, problems, exc)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    moved = tuple(ExportedFile(final / f.path.name, f.table, f.scope, f.rows) for f in files)
    report = _relocate(report, staging, final)
    return FeedResult(c.id, c.version, c.recipient.code, label, note, final, moved, status,
                      tuple(problems), report)


def _unwritable(lc: LoadedContract, label: str, note: str | None, final: Path,
                problems: Sequence[FeedProblem], exc: OSError) -> FeedResult:
    """The feed rejected because its delivery could not be written; its staging folder is
    gone and whatever stood at ``final`` before is untouched."""
    c = lc.contract
    reason = exc.strerror or type(exc).__name__
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    code = f" ({name})" if name else ""
    message = (f"the delivery could not be written: {reason}{code}; nothing was released "
               f"and {final} was left as it was")
    return FeedResult(c.id, c.version, c.recipient.code, label, note, final, (), "rejected",
                      (*problems, FeedProblem(f"{c.id}/{label}", "write-error", message)), None)


def _relocate(report: Report | None, old: Path, new: Path) -> Report | None:
    """Point the report's file names at the final folder instead of the staging one."""
    if report is None:
        return None
    from dataclasses import replace

    def fix(name: str) -> str:
        return name.replace(str(old), str(new))

    files = tuple(replace(fr, file=fix(fr.file),
                          findings=tuple(replace(f, file=fix(f.file)) for f in fr.findings))
                  for fr in report.files)
    return replace(report, files=files)


def run_ci(month: str, *, project_dir: str | Path, contracts_dir: str | Path,
           warehouse: str | Path, out_dir: str | Path, target_dir: str | Path | None = None,
           persons: int | None = None,
           seed: int | None = None, pseudonym_key: str | None = None,
           memory_limit: str = "2GB", feed_ids: Sequence[str] | None = None,
           engine: str = "polars", spark_master: str | None = None) -> CiResult:
    """Build, export, validate and release (or reject) every outbound delivery for ``month``.

    ``feed_ids`` (contract ids) limits the run to those feeds: dbt then builds only their
    delivery models and what they depend on.
    One run at a time: the run holds the lock of ``out_dir`` and of the dbt target folder
    (:mod:`contractkit.pipeline.lock`) and first removes the staging folders a crashed run
    left in the feeds it builds; both are said in :attr:`CiResult.notes`.

    Args:
        month: the period, e.g. ``2024-03``.
        project_dir: the dbt project.
        contracts_dir: the contracts folder.
        warehouse: the DuckDB warehouse file.
        out_dir: the deliveries folder.
        target_dir: dbt's target folder (default: ``project_dir/target``).
        persons: persons in a warehouse built for the run (default: its own default).
        seed: the random seed of a warehouse built for the run.
        pseudonym_key: the key of the pseudonyms (default: from the environment).
        memory_limit: DuckDB's memory limit.
        feed_ids: run only these feeds (contract ids).
        engine: ``polars`` or ``spark`` judges the deliveries.
        spark_master: the Spark master URL for ``engine="spark"``.

    Returns:
        Each feed's verdict (released or rejected), its files and report.

    Raises:
        UsageError: bad period or paths.
        ContractError: an invalid contract or code list.
        DbtError: the generated dbt YAML is stale, or dbt cannot run at all.
        LockedError: another live ``ci`` run holds the deliveries or the target folder.
    """
    from dataclasses import replace

    project_dir, contracts_dir = Path(project_dir), Path(contracts_dir)
    warehouse, out_dir = Path(warehouse), Path(out_dir)
    notes: list[str] = []
    target = Path(target_dir) if target_dir is not None else project_dir / "target"
    with owner_only(), hold_lock(out_dir, "--out-dir/--target-dir", notes), \
            hold_lock(target, "--out-dir/--target-dir", notes):
        for private in (out_dir, target, warehouse):  # made before owner-only modes, perhaps
            if private.exists():
                private.chmod(0o700 if private.is_dir() else 0o600)
        result = _run_locked(month, project_dir=project_dir, contracts_dir=contracts_dir,
                             warehouse=warehouse, out_dir=out_dir, target_dir=target,
                             persons=persons, seed=seed, pseudonym_key=pseudonym_key,
                             memory_limit=memory_limit, feed_ids=feed_ids, engine=engine,
                             spark_master=spark_master)
    return replace(result, notes=(*notes, *result.notes))


def _run_locked(month: str, *, project_dir: Path, contracts_dir: Path, warehouse: Path,
                out_dir: Path, target_dir: Path | None = None, persons: int | None = None,
                seed: int | None = None, pseudonym_key: str | None = None,
                memory_limit: str = "2GB", feed_ids: Sequence[str] | None = None,
                engine: str = "polars", spark_master: str | None = None) -> CiResult:
    import duckdb

    from contractkit.warehouse import DEFAULT_PERSONS, DEFAULT_SEED, build_warehouse

    try:
        parse_period(Frequency.MONTHLY, month)
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None
    if not (project_dir / "dbt_project.yml").is_file():
        raise UsageError(f"{project_dir}: no dbt_project.yml (use --project-dir)")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    wall_start = time.time()
    contracts, lists = load_outbound(contracts_dir)
    notes = remove_stale_staging(out_dir, [lc.contract.id for lc in contracts], wall_start)
    stale = stale_files(generate_files(contracts, lists, project_dir), project_dir)
    if stale:
        raise DbtError(f"generated dbt YAML is stale: {', '.join(str(p) for p in stale)} "
                       "(run `contractkit dbt generate`)")
    contracts = choose_feeds(contracts, feed_ids)
    built = False
    if not warehouse.is_file():
        if "kommuner" not in lists:
            raise UsageError("code list 'kommuner' is needed to build the warehouse")
        regions = {v.code: v.parent or "" for v in lists["kommuner"].values}
        held = {p.resolve() for p in (out_dir, target_dir or project_dir / "target")}
        lock = (contextlib.nullcontext() if warehouse.parent.resolve() in held  # held already
                else hold_lock(warehouse.parent, "--warehouse", notes))
        with lock:  # one builder at a time
            notes += remove_stale_warehouse_temps(warehouse, wall_start)
            if not warehouse.is_file():
                build_warehouse(warehouse, regions, persons=persons or DEFAULT_PERSONS,
                                seed=DEFAULT_SEED if seed is None else seed)
                built = True
        seconds["warehouse"] = time.perf_counter() - started
    target = target_dir or project_dir / "target"
    settings = DbtSettings(project_dir, project_dir, warehouse, target, memory_limit)
    settings.database.unlink(missing_ok=True)  # never export a table left by another period
    dbt_vars: dict[str, str] = {"period": month}
    if pseudonym_key:
        dbt_vars["pseudonym_key"] = pseudonym_key
    t0 = time.perf_counter()
    select = [f"+{model_name(lc.contract.id, t.name)}" for lc in contracts
              for t in lc.contract.tables]
    run = run_dbt(["build"] if feed_ids is None else ["build", "--select", *select], settings,
                  dbt_vars)
    seconds["dbt"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    feeds = []
    try:
        con = duckdb.connect(str(settings.database), read_only=True) \
            if settings.database.is_file() else duckdb.connect()
    except duckdb.IOException:  # its text names another process's pid and program path
        raise DbtError(f"{settings.database}: in use by another process; wait for it to "
                       "finish, or use --target-dir") from None
    try:
        for lc in sorted(contracts, key=lambda x: x.contract.id):
            feeds.append(_deliver(lc, lists, con, month, out_dir, run.results, engine,
                                  spark_master))
    finally:
        con.close()
    seconds["export_validate"] = time.perf_counter() - t0
    seconds["total"] = time.perf_counter() - started
    return CiResult(month, warehouse, built, tuple(feeds), seconds, tuple(notes))
