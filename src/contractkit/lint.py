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

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from contractkit.contract.codelists import CodeList, codelist_of
from contractkit.contract.columns import ColumnRules
from contractkit.contract.family_checks import check_families, family_governance
from contractkit.contract.models import (
    ColumnType,
    Direction,
    PersonalClass,
    PersonalDataClass,
    Purpose,
    ScopeKind,
    SemanticType,
)
from contractkit.errors import ContractError, ContractProblem
from contractkit.loader import (
    LoadedContract,
    default_codelist_dir,
    discover_contract_files,
    load_codelists,
    load_contract,
    load_yaml,
)

__all__ = ["LintReport", "LintResult", "lint_contract", "lint_paths"]

Rule = Callable[[LoadedContract, Mapping[str, CodeList]], Iterator[ContractProblem]]

# Column names that hold personal data whatever the steward says (Danish and English).
_PERSONAL_NAME = re.compile(
    r"^(cpr|cprnr|cpr_nr|pnr|personnummer|navn|name|fornavn|efternavn|adresse|address|"
    r"telefon|tlf|phone|email|e_mail|mail|foedselsdato|fodselsdato|birth_date|pseudonym|"
    r"pseudo_id|person_id)$",
    re.IGNORECASE,
)
_IDENTIFIERS = {PersonalClass.DIRECT, PersonalClass.PSEUDONYM}
_EXPECTED_PERSONAL = {
    SemanticType.CPR: PersonalClass.DIRECT,
    SemanticType.PSEUDONYM: PersonalClass.PSEUDONYM,
}


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


def _references(lc: LoadedContract, lists: Mapping[str, CodeList]) -> Iterator[ContractProblem]:
    c = lc.contract
    seen_tables: set[str] = set()
    patterns: set[str] = set()
    for ti, t in enumerate(c.tables):
        tl: tuple[str | int, ...] = ("tables", ti)
        if t.name in seen_tables:
            yield lc.problem("duplicate-table", (*tl, "name"), f"table {t.name!r} is declared twice")
        seen_tables.add(t.name)
        if "{period}" not in t.file_pattern:
            yield lc.problem("file-pattern-period", (*tl, "file_pattern"),
                             f"file pattern {t.file_pattern!r} must contain {{period}}")
        if t.file_pattern in patterns:
            yield lc.problem("file-pattern-clash", (*tl, "file_pattern"),
                             f"another table already uses file pattern {t.file_pattern!r}")
        patterns.add(t.file_pattern)
        names: set[str] = set()
        for ci, col in enumerate(t.columns):
            cl = (*tl, "columns", ci)
            if col.name in names:
                yield lc.problem("duplicate-column", (*cl, "name"),
                                 f"column {col.name!r} is declared twice")
            names.add(col.name)
            if col.semantic in (SemanticType.CPR, SemanticType.PSEUDONYM, SemanticType.ISO_WEEK,
                                SemanticType.PERIOD_MONTH) and col.type is not ColumnType.STRING:
                yield lc.problem("semantic-type", (*cl, "type"),
                                 f"semantic type {col.semantic} needs a string column")
            if col.semantic in (SemanticType.KOMMUNE_KODE, SemanticType.REGION_KODE) and (
                col.type not in (ColumnType.STRING, ColumnType.INTEGER)
            ):
                yield lc.problem("semantic-type", (*cl, "type"),
                                 f"semantic type {col.semantic} needs a string or integer column")
            if col.range is not None and col.type in (ColumnType.DATE, ColumnType.TIMESTAMP) and (
                isinstance(col.range.min, float) or isinstance(col.range.max, float)
            ):
                yield lc.problem("range-type", (*cl, "range"), "a date column needs date bounds")
        declared = set(t.column_names)

        def unknown(cols: list[str], loc: tuple[str | int, ...], cols_in: set[str] = declared,
                    where: str = t.name) -> Iterator[ContractProblem]:
            for name in cols:
                if name not in cols_in:
                    yield _unknown_column(lc, loc, name, where)

        if t.primary_key is not None:
            yield from unknown(t.primary_key, (*tl, "primary_key"))
        if t.period_column is not None:
            yield from unknown([t.period_column], (*tl, "period_column"))
            pc = t.column(t.period_column)
            if pc is not None and pc.type not in (ColumnType.DATE, ColumnType.TIMESTAMP) and (
                pc.semantic not in (SemanticType.PERIOD_MONTH, SemanticType.ISO_WEEK)
            ):
                yield lc.problem("period-column-type", (*tl, "period_column"),
                                 f"period column {pc.name!r} must be a date, timestamp, "
                                 "period_month or iso_week column")
        if t.min_cell_size is not None:
            yield from unknown([t.min_cell_size.column], (*tl, "min_cell_size", "column"))
        if t.row_count is not None and t.row_count.min is not None and (
            t.row_count.max is not None and t.row_count.min > t.row_count.max
        ):
            yield lc.problem("row-count-bounds", (*tl, "row_count"), "min is greater than max")
        for ri, ref in enumerate(t.references):
            rl = (*tl, "references", ri)
            yield from unknown(ref.columns, (*rl, "columns"))
            target = c.table(ref.table)
            if target is None:
                yield lc.problem("unknown-table", (*rl, "table"),
                                 f"table {ref.table!r} is not part of this contract")
            else:
                yield from unknown(ref.to_columns, (*rl, "to_columns"), set(target.column_names),
                                   target.name)
            if len(ref.columns) != len(ref.to_columns):
                yield lc.problem("reference-arity", rl,
                                 "columns and to_columns must have the same length")
        # scope
        if c.scope.kind is not ScopeKind.NATIONAL:
            placeholder = "{kommune}" if c.scope.kind is ScopeKind.PER_MUNICIPALITY else "{region}"
            if placeholder not in t.file_pattern:
                yield lc.problem("file-pattern-scope", (*tl, "file_pattern"),
                                 f"a {c.scope.kind} feed needs {placeholder} in the file pattern")
            if c.scope.column is None:
                if ti == 0:
                    yield lc.problem("scope-column", ("scope",),
                                     f"a {c.scope.kind} feed must name its scope column")
            elif c.scope.column not in declared:
                yield lc.problem("unknown-column", ("scope", "column"),
                                 f"scope column {c.scope.column!r} is not a column of "
                                 f"table {t.name!r}")


def _unknown_column(lc: LoadedContract, loc: tuple[str | int, ...], name: str,
                    where: str) -> ContractProblem:
    table = lc.contract.table(where)
    family = table.family_of(name) if table is not None else None
    if family is not None:
        return lc.problem("family-member-reference", loc,
                          f"{name!r} is a member of column family {family.display_name} of table "
                          f"{where!r}, whose members change with the period; keys, references, "
                          "period and scope columns must name plain columns")
    return lc.problem("unknown-column", loc, f"{name!r} is not a column of table {where!r}")


def _families(lc: LoadedContract, lists: Mapping[str, CodeList]) -> Iterator[ContractProblem]:
    """Column families: collisions, two-digit-year span, empty range, unresolvable period."""
    c = lc.contract
    for ti, t in enumerate(c.tables):
        for issue in check_families(t, ("tables", ti), c.cadence.frequency, date.today(), lists):
            yield lc.problem(issue.code, issue.loc, issue.message, issue.severity)
    for issue in family_governance(c):
        yield lc.problem(issue.code, issue.loc, issue.message, issue.severity)


def _governance(lc: LoadedContract, lists: Mapping[str, CodeList]) -> Iterator[ContractProblem]:
    c = lc.contract
    if not c.legal_basis:
        yield lc.problem("gov-legal-basis", ("legal_basis",),
                         "every feed must state its legal basis (hjemmel)")
    if c.personal_data is PersonalDataClass.IDENTIFIABLE and not any(
        ref.paragraph for lb in c.legal_basis for ref in lb.references
    ):
        yield lc.problem("gov-identifiable-basis", ("legal_basis",),
                         "an identifiable feed needs a legal basis that names a law paragraph "
                         "(a GDPR article alone is not enough)")
    direct = [
        (ti, ci, col)
        for ti, t in enumerate(c.tables)
        for ci, col in enumerate(t.columns)
        if col.personal is PersonalClass.DIRECT
    ]
    if c.purpose in (Purpose.STATISTICAL, Purpose.RESEARCH) and direct and c.cpr_exemption is None:
        ti, ci, col = direct[0]
        yield lc.problem("gov-statistical-identifier", ("tables", ti, "columns", ci, "personal"),
                         f"a {c.purpose} feed carries direct identifier {col.name!r}: it must be "
                         "pseudonymised (or record a cpr_exemption with basis and approval)")
    if c.personal_data is PersonalDataClass.AGGREGATED:
        for ti, t in enumerate(c.tables):
            if t.min_cell_size is None:
                yield lc.problem("gov-aggregated-cell-size", ("tables", ti),
                                 f"aggregated table {t.name!r} must set min_cell_size")
    for ti, t in enumerate(c.tables):
        for ci, col in enumerate(t.columns):
            cl = ("tables", ti, "columns", ci)
            expected = _EXPECTED_PERSONAL.get(col.semantic) if col.semantic else None
            if expected is not None and col.personal is not expected:
                yield lc.problem("gov-unclassified-personal", (*cl, "personal"),
                                 f"column {col.name!r} of semantic type {col.semantic} must be "
                                 f"classified personal: {expected}")
            elif col.personal is PersonalClass.NONE and _PERSONAL_NAME.match(col.name):
                yield lc.problem("gov-unclassified-personal", (*cl, "personal"),
                                 f"column {col.name!r} holds personal data and must be classified")
            if col.personal in _IDENTIFIERS and c.personal_data in (
                PersonalDataClass.NONE, PersonalDataClass.AGGREGATED
            ):
                yield lc.problem("gov-class-mismatch", (*cl, "personal"),
                                 f"a feed classed {c.personal_data} cannot carry identifier "
                                 f"column {col.name!r}")
            if col.personal is PersonalClass.DIRECT and (
                c.personal_data is PersonalDataClass.PSEUDONYMISED
            ):
                yield lc.problem("gov-class-mismatch", (*cl, "personal"),
                                 f"a pseudonymised feed cannot carry direct identifier {col.name!r}")
    if c.personal_data is PersonalDataClass.IDENTIFIABLE and not direct:
        yield lc.problem("gov-class-mismatch", ("personal_data",),
                         "the feed is classed identifiable but no column is a direct identifier",
                         severity="warning")
    if c.personal_data is PersonalDataClass.PSEUDONYMISED and not any(
        col.personal is PersonalClass.PSEUDONYM for t in c.tables for col in t.columns
    ):
        yield lc.problem("gov-class-mismatch", ("personal_data",),
                         "the feed is classed pseudonymised but no column is a pseudonym",
                         severity="warning")


def _placeholders(lc: LoadedContract, lists: Mapping[str, CodeList]) -> Iterator[ContractProblem]:
    """A field still holding an import's stand-in value (``placeholders``) is an error."""
    for i, name in enumerate(lc.contract.placeholders):
        loc: tuple[str | int, ...] = (name,) if name in type(lc.contract).model_fields else (
            "placeholders", i)
        yield lc.problem("draft-placeholder", loc,
                         f"{name} holds a placeholder from an import: fill it in and remove "
                         "it from placeholders")
_CODED_SEMANTICS = (SemanticType.KOMMUNE_KODE, SemanticType.REGION_KODE)
_NUMERIC = (ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.FLOAT)


def _bounds(lc: LoadedContract, loc: tuple[str | int, ...], low: float | None,
            high: float | None, what: str) -> Iterator[ContractProblem]:
    if low is None and high is None:
        yield lc.problem("baseline-bounds", loc, f"the {what} rule sets no bound", "warning")
    elif low is not None and high is not None and low > high:
        yield lc.problem("baseline-bounds", loc, f"min_change_pct {low} is greater than "
                         f"max_change_pct {high}")
    elif (low is not None and low > 0) or (high is not None and high < 0):
        yield lc.problem("baseline-bounds", loc, "the bounds exclude 0: a delivery equal to "
                         "its baseline would break the rule")


def _baseline(lc: LoadedContract, lists: Mapping[str, CodeList]) -> Iterator[ContractProblem]:
    """Period-over-period rules: sane bounds on columns that fit the rule."""
    for ti, t in enumerate(lc.contract.tables):
        if t.baseline is None:
            continue
        bl: tuple[str | int, ...] = ("tables", ti, "baseline")
        for i, vol in enumerate(t.baseline.row_count):
            yield from _bounds(lc, (*bl, "row_count", i), vol.min_change_pct,
                               vol.max_change_pct, "row_count")
        for i, share in enumerate(t.baseline.shares):
            loc = (*bl, "shares", i)
            col = t.column(share.column)
            if col is None:
                yield lc.problem("unknown-column", (*loc, "column"),
                                 f"{share.column!r} is not a column of table {t.name!r}")
                continue
            if col.personal is not PersonalClass.NONE:
                yield lc.problem("baseline-personal", (*loc, "column"),
                                 f"column {col.name!r} holds personal data: its codes would be "
                                 "personal values in the stored profile")
            elif not (col.codelist or col.allowed_values or col.semantic in _CODED_SEMANTICS
                      or col.type is ColumnType.BOOLEAN):
                yield lc.problem("baseline-column", (*loc, "column"),
                                 f"a share rule needs a coded column (code list, allowed "
                                 f"values, kommune/region code or boolean); {col.name!r} is not")
            if share.max_change_points is None and not share.no_code_vanishes:
                yield lc.problem("baseline-bounds", loc, "the share rule sets no bound",
                                 "warning")
        for i, shift in enumerate(t.baseline.shifts):
            loc = (*bl, "shifts", i)
            col = t.column(shift.column)
            if col is None:
                yield lc.problem("unknown-column", (*loc, "column"),
                                 f"{shift.column!r} is not a column of table {t.name!r}")
                continue
            if col.type not in _NUMERIC:
                yield lc.problem("baseline-column", (*loc, "column"),
                                 f"a shift rule needs a numeric column; {col.name!r} is "
                                 f"{col.type}")
            if col.personal is not PersonalClass.NONE and shift.statistic != "mean":
                yield lc.problem("baseline-personal", (*loc, "statistic"),
                                 f"column {col.name!r} holds personal data: only its mean may "
                                 "be profiled (a quantile can be one person's value)")
            yield from _bounds(lc, loc, shift.min_change_pct, shift.max_change_pct, "shift")


RULES: tuple[Rule, ...] = (_references, _families, _governance, _placeholders, _baseline)




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
                  codelist_dir: Path | None = None) -> list[ContractProblem]:
    """Run every lint rule over one loaded contract.

    Args:
        lc: the contract.
        lists: the code lists found for it.
        codelist_dir: where they were looked for (default: beside the contract, as validate
            looks).

    Returns:
        Every problem found, located.
    """
    directory = codelist_dir or default_codelist_dir(lc.path)
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
