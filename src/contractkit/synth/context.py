"""What one synthetic file is for: contract, table, delivery period, scope and code lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from contractkit.contract.codelists import CodeList
from contractkit.contract.families import ColumnFamily
from contractkit.contract.models import Column, ColumnType, ScopeKind, SemanticType, Table
from contractkit.contract.periods import Period, file_name, parse_period, period_containing
from contractkit.errors import CompileError, UsageError
from contractkit.loader import LoadedContract, default_codelist_dir, load_codelists

__all__ = [
    "TableContext",
    "codelist_for",
    "default_period",
    "resolve_context",
    "typed_value",
]

_SEMANTIC_LISTS = {SemanticType.KOMMUNE_KODE: "kommuner", SemanticType.REGION_KODE: "regioner"}


@dataclass(frozen=True)
class TableContext:
    """Everything needed to synthesise (or judge) one file of a delivery.

    A table with column families is held expanded for the period (``table.columns`` lists
    every member); :attr:`families` and :attr:`family_of` say which columns are members.

    Attributes:
        lc: the loaded contract.
        table: the table the file holds (families expanded for ``period``).
        period: the delivery period.
        scope: the municipality/region code the file is for (None for a national feed).
        codelists: code lists by id.
    """

    lc: LoadedContract
    table: Table
    period: Period
    scope: str | None
    codelists: Mapping[str, CodeList]

    @property
    def file_name(self) -> str:
        """The file name the contract's pattern gives this table, period and scope."""
        kind = self.lc.contract.scope.kind
        return file_name(
            self.table.file_pattern,
            self.period.label,
            kommune=self.scope if kind is ScopeKind.PER_MUNICIPALITY else None,
            region=self.scope if kind is ScopeKind.PER_REGION else None,
        )

    def for_table(self, table: Table) -> TableContext:
        """The same delivery, another of its tables (its families expanded for the period)."""
        return TableContext(self.lc, table.for_period(self.period), self.period, self.scope,
                            self.codelists)

    @cached_property
    def families(self) -> tuple[ColumnFamily, ...]:
        """The column families the contract declares for this table, in order."""
        declared = self.lc.contract.table(self.table.name)
        return tuple(declared.column_families) if declared is not None else ()

    @cached_property
    def family_of(self) -> dict[str, ColumnFamily]:
        """Member column name → its family, for this period."""
        return {name: f for f in self.families for name in f.member_names(self.period)}


def default_period(lc: LoadedContract, today: date | None = None) -> Period:
    """The latest complete delivery period before ``today``."""
    day = today or date.today()
    current = period_containing(lc.contract.cadence.frequency, day)
    return period_containing(lc.contract.cadence.frequency, current.start - timedelta(days=1))


def codelist_for(column: Column, codelists: Mapping[str, CodeList]) -> CodeList | None:
    """The code list a column's values must come from (explicit or by semantic type).

    Raises:
        CompileError: the named code list does not exist.
    """
    name = column.codelist or (_SEMANTIC_LISTS.get(column.semantic) if column.semantic else None)
    if name is None:
        return None
    if name not in codelists:
        raise CompileError(f"column {column.name!r}: code list {name!r} not found "
                           f"(known: {', '.join(sorted(codelists)) or 'none'})")
    return codelists[name]


def typed_value(column: Column, raw: Any) -> Any:
    """Convert a contract literal (allowed value, code, scope code) to the column's type."""
    kind = column.type
    if kind is ColumnType.INTEGER:
        return int(raw)
    if kind is ColumnType.DECIMAL:
        return Decimal(str(raw))
    if kind is ColumnType.FLOAT:
        return float(raw)
    if kind is ColumnType.BOOLEAN:
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "ja", "yes")
    if kind is ColumnType.DATE:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    return str(raw)


def resolve_context(lc: LoadedContract, *, table: str | None = None, period: str | None = None,
                    scope: str | None = None,
                    codelists: Mapping[str, CodeList] | None = None) -> TableContext:
    """Resolve the table, period, scope and code lists for one synthetic file.

    Args:
        lc: the loaded contract.
        table: table name (default: the first table).
        period: period label of the contract's cadence (default: the latest complete one).
        scope: municipality/region code (default for a scoped feed: its first recipient).
        codelists: code lists by id (default: ``codelists/`` beside the contract).

    Raises:
        UsageError: unknown table, malformed period, or a scope that does not fit the feed.
        CompileError: a code list the contract names is missing.
    """
    c = lc.contract
    if table is None:
        chosen = c.tables[0]
    else:
        found = c.table(table)
        if found is None:
            raise UsageError(f"table {table!r} is not in contract {c.id!r} "
                             f"(tables: {', '.join(t.name for t in c.tables)})")
        chosen = found
    if period is None:
        the_period = default_period(lc)
    else:
        try:
            the_period = parse_period(c.cadence.frequency, period)
        except ValueError as exc:
            raise UsageError(f"--period: {exc}") from None
    if codelists is None:
        codelists, _problems = load_codelists(default_codelist_dir(lc.path))
    the_scope = _resolve_scope(lc, chosen, scope, codelists)
    try:
        expanded = chosen.for_period(the_period)
    except ValueError as exc:
        raise UsageError(f"table {chosen.name!r}: {exc}") from None
    return TableContext(lc, expanded, the_period, the_scope, codelists)


def _resolve_scope(lc: LoadedContract, table: Table, scope: str | None,
                   codelists: Mapping[str, CodeList]) -> str | None:
    sc = lc.contract.scope
    if sc.kind is ScopeKind.NATIONAL:
        if scope is not None:
            raise UsageError(f"--scope: contract {lc.contract.id!r} is national; it has no scope")
        return None
    allowed = _scope_codes(lc, table, codelists)
    if scope is None:
        if not allowed:
            raise UsageError(f"contract {lc.contract.id!r} is {sc.kind}: give --scope CODE")
        return allowed[0]
    if allowed and scope not in allowed:
        raise UsageError(f"--scope: {scope!r} is not a {sc.kind} recipient of "
                         f"{lc.contract.id!r} (e.g. {', '.join(allowed[:5])})")
    return scope


def _scope_codes(lc: LoadedContract, table: Table,
                 codelists: Mapping[str, CodeList]) -> list[str]:
    sc = lc.contract.scope
    if sc.recipients:
        return list(sc.recipients)
    column = table.column(sc.column) if sc.column else None
    listed = codelist_for(column, codelists) if column is not None else None
    if listed is None:
        default = "kommuner" if sc.kind is ScopeKind.PER_MUNICIPALITY else "regioner"
        listed = codelists.get(default)
    return [v.code for v in listed.values] if listed is not None else []
