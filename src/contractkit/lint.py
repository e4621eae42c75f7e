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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from contractkit.contract.codelists import CodeList
from contractkit.contract.family_checks import check_families, family_governance
from contractkit.contract.models import (
    ColumnType,
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
            if col.codelist is not None and col.codelist not in lists:
                known = ", ".join(sorted(lists)) or "none"
                yield lc.problem("unknown-codelist", (*cl, "codelist"),
                                 f"code list {col.codelist!r} does not exist (known: {known})")
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


RULES: tuple[Rule, ...] = (_references, _families, _governance)


def lint_contract(lc: LoadedContract, lists: Mapping[str, CodeList]) -> list[ContractProblem]:
    """Run every lint rule over one loaded contract."""
    return [p for rule in RULES for p in rule(lc, lists)]


def lint_paths(paths: list[Path], codelist_dir: Path | None = None) -> LintReport:
    """Lint every contract under ``paths``.

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
        directory = codelist_dir or default_codelist_dir(f)
        if directory not in list_cache:
            list_cache[directory] = load_codelists(directory)
        problems = lint_contract(lc, list_cache[directory][0])
        if lc.contract.id in ids:
            problems.append(lc.problem("duplicate-id", ("id",),
                                       f"id {lc.contract.id!r} is also used by {ids[lc.contract.id]}"))
        ids.setdefault(lc.contract.id, f)
        results.append(LintResult(f, lc.contract.id, lc.contract.version, problems))
        loaded.append(lc)
    codelist_problems = [p for _, probs in list_cache.values() for p in probs]
    return LintReport(results, codelist_problems, loaded)
