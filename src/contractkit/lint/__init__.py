"""Lint contracts: cross-references and governance rules.

Every rule returns located :class:`~contractkit.errors.ContractProblem` records with a
stable code. Rules are plain functions over a loaded contract; they do no I/O.

Governance rules (codes start with ``gov-``):

* ``gov-identifiable-basis`` — an identifiable feed cites a law paragraph as legal basis.
* ``gov-statistical-identifier`` — a statistical/research feed carrying a direct identifier
  must be pseudonymised, unless a ``cpr_exemption`` records the basis and approval.
* ``gov-aggregated-cell-size`` — an aggregated feed sets a minimum cell size on every table.
* ``gov-unclassified-personal`` — every column that holds personal data is classified.
* ``gov-class-mismatch`` — the feed's personal-data class agrees with its columns.

Column-family rules (see :mod:`contractkit.contract.family_checks`): ``family-collision``,
``family-year-span`` and ``family-empty`` (judged for the period holding today),
``family-period``, and ``family-member-reference`` for a key, reference, period or
cell-size column that names a member. The ``gov-`` rules on identifiers apply to families too.

``draft-placeholder``: a field an import could not fill (listed in ``placeholders``).
Period-over-period rules (``baseline``): ``baseline-bounds`` (min ≤ max, 0 inside the
bounds, some bound set), ``baseline-column`` (a share rule on a coded column, a shift rule
on a numeric one), ``baseline-personal`` (no share rule on a personal column, only the mean
of a personal column).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from contractkit.contract.codelists import CodeList, codelist_of
from contractkit.contract.columns import ColumnRules
from contractkit.contract.models import Direction
from contractkit.errors import ContractError, ContractProblem
from contractkit.lint.rules import RULES
from contractkit.loader import (
    LoadedContract,
    default_codelist_dir,
    discover_contract_files,
    load_codelists,
    load_contract,
    load_yaml,
)

__all__ = ["LintReport", "LintResult", "lint_contract", "lint_paths"]

@dataclass(frozen=True)
class LintResult:
    """Lint outcome for one contract file."""

    path: Path
    contract_id: str | None
    version: str | None
    problems: list[ContractProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class LintReport:
    """Lint outcome for every contract file checked."""

    results: list[LintResult]
    codelist_problems: list[ContractProblem] = field(default_factory=list)
    contracts: list[LoadedContract] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every contract (and code list) is clean."""
        return all(r.ok for r in self.results) and not self.codelist_problems


def _codelists_found(lc: LoadedContract, lists: Mapping[str, CodeList],
                     directory: Path) -> Iterator[ContractProblem]:
    """Every code list the contract's checks look values up in exists, as validate finds them.

    Explicit ``codelist:`` and the lists semantic types imply (``kommune_kode`` → ``kommuner``)
    alike, for columns and column families; ``directory`` is where validate will look.
    """
    where = str(directory) + ("" if directory.is_dir() else " (no such folder)")
    known = ", ".join(sorted(lists)) or "none"
    for ti, t in enumerate(lc.contract.tables):
        members: list[tuple[str, int, ColumnRules, str]] = [
            *(("columns", i, col, col.name) for i, col in enumerate(t.columns)),
            *(("column_families", i, fam, fam.template)
              for i, fam in enumerate(t.column_families)),
        ]
        for kind, i, rules, name in members:
            needed = codelist_of(rules)
            if needed is None or needed in lists:
                continue
            field_name = "codelist" if rules.codelist is not None else "semantic"
            why = ("" if rules.codelist is not None
                   else f" (implied by semantic: {rules.semantic})")
            yield lc.problem("unknown-codelist", ("tables", ti, kind, i, field_name),
                             f"column {name!r}: code list {needed!r}{why} not found in {where}; "
                             f"validate and synth would refuse this contract (known: {known})")


def lint_contract(lc: LoadedContract, lists: Mapping[str, CodeList],
                  codelist_dir: str | Path | None = None) -> list[ContractProblem]:
    """Run every lint rule over one loaded contract.

    Args:
        lc: the contract.
        lists: the code lists found for it.
        codelist_dir: where they were looked for (default: beside the contract, as validate
            looks).

    Returns:
        Every problem found, located.
    """
    directory = Path(codelist_dir) if codelist_dir is not None else default_codelist_dir(lc.path)
    return [*(p for rule in RULES for p in rule(lc, lists)),
            *_codelists_found(lc, lists, directory)]


def _model_name(contract_id: str, table: str) -> str:
    # The naming rule of contractkit.dbt.generate.model_name (a higher layer; a test holds
    # the two equal).
    return f"{contract_id.replace('-', '_')}__{table.replace('-', '_')}"


def _dbt_models(lc: LoadedContract) -> Iterator[ContractProblem]:
    """An outbound contract's tables each need a delivery model in the dbt project above it.

    ``contractkit ci`` rejects a feed whose model is missing; lint says so first (a warning:
    the model may be written after the contract). Only contracts in the ``contracts/`` folder
    of a dbt project (the one ``ci`` builds from) are checked.
    """
    if lc.contract.direction is not Direction.OUTBOUND:
        return
    project = next((p for p in lc.path.absolute().parents if (p / "dbt_project.yml").is_file()),
                   None)
    if project is None or not lc.path.absolute().is_relative_to(project / "contracts"):
        return
    try:
        data, _ = load_yaml((project / "dbt_project.yml").read_text(encoding="utf-8"),
                            project / "dbt_project.yml")
    except (OSError, UnicodeDecodeError, ContractError):
        return
    paths = data.get("model-paths", ["models"]) if isinstance(data, dict) else ["models"]
    folders = [project / str(p) for p in paths if isinstance(p, str)]
    present = {f.stem for folder in folders if folder.is_dir() for f in folder.rglob("*.sql")}
    for ti, t in enumerate(lc.contract.tables):
        name = _model_name(lc.contract.id, t.name)
        if name not in present:
            yield lc.problem("no-dbt-model", ("tables", ti, "name"),
                             f"outbound table {t.name!r} has no dbt model {name}.sql under "
                             f"{', '.join(map(str, folders))}: `contractkit ci` would reject the "
                             "feed (`contractkit new` scaffolds one)", severity="warning")


def lint_paths(paths: Sequence[Path | str], codelist_dir: Path | str | None = None,
               ) -> LintReport:
    """Lint every contract under ``paths``.

    Args:
        paths: contract files or folders (searched recursively, code lists skipped).
        codelist_dir: where code lists are (default: beside each contract, as validate
            looks).

    Returns:
        One result per contract file, with every located problem.

    Raises:
        UsageError: a path does not exist.
    """
    files = discover_contract_files(paths)
    results: list[LintResult] = []
    loaded: list[LoadedContract] = []
    list_cache: dict[Path, tuple[dict[str, CodeList], list[ContractProblem]]] = {}
    ids: dict[str, Path] = {}
    for f in files:
        try:
            lc = load_contract(f)
        except ContractError as exc:
            results.append(LintResult(f, None, None, list(exc.problems)))
            continue
        directory = Path(codelist_dir) if codelist_dir is not None else default_codelist_dir(f)
        if directory not in list_cache:
            list_cache[directory] = load_codelists(directory)
        problems = lint_contract(lc, list_cache[directory][0], directory)
        problems.extend(_dbt_models(lc))
        if lc.contract.id in ids:
            problems.append(lc.problem("duplicate-id", ("id",),
                                       f"id {lc.contract.id!r} is also used by {ids[lc.contract.id]}"))
        ids.setdefault(lc.contract.id, f)
        results.append(LintResult(f, lc.contract.id, lc.contract.version, problems))
        loaded.append(lc)
    codelist_problems = [p for _, probs in list_cache.values() for p in probs]
    return LintReport(results, codelist_problems, loaded)
