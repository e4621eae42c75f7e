"""Compare two versions of a contract: a pure function of two :class:`Contract` models.

Tables are matched by name and columns by name (or as a rename, see
:func:`~contractkit.diff.columns.diff_columns`). Every field of the contract language is
compared; ``version`` itself is not a change (it is what :mod:`contractkit.diff.semver`
checks).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import (
    Contract,
    CsvFormat,
    LegalBasis,
    ParquetFormat,
    ScopeKind,
    Status,
    Table,
)
from contractkit.diff.columns import diff_columns, show, widened_or_narrowed
from contractkit.diff.families import diff_families
from contractkit.diff.model import Change, ChangeKind

__all__ = ["diff_contracts"]

_K = ChangeKind
_SCOPE_WIDTH = {ScopeKind.PER_MUNICIPALITY: 0, ScopeKind.PER_REGION: 1, ScopeKind.NATIONAL: 2}
_CSV_OPTIONS = ("decimal", "quote_char", "header", "line_ending", "null_value", "date_format")


def diff_contracts(old: Contract, new: Contract, *,
                   old_codelists: Mapping[str, CodeList] | None = None,
                   new_codelists: Mapping[str, CodeList] | None = None) -> list[Change]:
    """Every change between two versions of a contract, in document order.

    Args:
        old: the version recipients have.
        new: the proposed version.
        old_codelists: the code lists the old version refers to (compared by content when
            both sides are given; otherwise only a change of code-list *name* is seen).
        new_codelists: the code lists the new version refers to.

    Returns:
        The changes; empty when the contracts are equal (apart from ``version``).
    """
    return [*_identity(old, new), *_parties(old, new), *_governance(old, new),
            *_delivery(old, new), *_tables(old, new, old_codelists, new_codelists)]


def _change(kind: ChangeKind, location: str, old: object, new: object, detail: str = "",
            table: str | None = None) -> Change:
    return Change(kind, location, table, None, show(old), show(new), detail)


def _identity(old: Contract, new: Contract) -> Iterator[Change]:
    if old.id != new.id:
        yield _change(_K.CONTRACT_ID_CHANGED, "id", old.id, new.id)
    if old.status is not new.status:
        kind = _K.CONTRACT_RETIRED if new.status is Status.RETIRED else _K.STATUS_CHANGED
        yield _change(kind, "status", old.status, new.status)
    if old.direction is not new.direction:
        yield _change(_K.DIRECTION_CHANGED, "direction", old.direction, new.direction)
    for kind, name in ((_K.TITLE_CHANGED, "title"), (_K.DESCRIPTION_CHANGED, "description"),
                       (_K.NOTES_CHANGED, "notes"), (_K.OWNER_CHANGED, "owner"),
                       (_K.SOURCE_SYSTEM_CHANGED, "source_system")):
        if getattr(old, name) != getattr(new, name):
            yield _change(kind, name, getattr(old, name), getattr(new, name))
    if old.steward != new.steward:
        yield _change(_K.STEWARD_CHANGED, "steward", _party(old.steward.name, old.steward.email),
                      _party(new.steward.name, new.steward.email))


def _party(name: str, code: str | None) -> str:
    return f"{name} ({code})" if code else name


def _parties(old: Contract, new: Contract) -> Iterator[Change]:
    for field, changed, renamed in (("provider", _K.PROVIDER_CHANGED, _K.PROVIDER_RENAMED),
                                    ("recipient", _K.RECIPIENT_CHANGED, _K.RECIPIENT_RENAMED)):
        o, n = getattr(old, field), getattr(new, field)
        if o != n:
            kind = changed if o.code != n.code else renamed
            yield _change(kind, field, _party(o.name, o.code), _party(n.name, n.code))
    o_s, n_s = old.scope, new.scope
    if o_s.kind is not n_s.kind:
        wider = _SCOPE_WIDTH[n_s.kind] > _SCOPE_WIDTH[o_s.kind]
        yield _change(_K.SCOPE_WIDENED if wider else _K.SCOPE_NARROWED, "scope.kind",
                      o_s.kind, n_s.kind)
    if o_s.column != n_s.column:
        yield _change(_K.SCOPE_COLUMN_CHANGED, "scope.column", o_s.column, n_s.column)
    if o_s.text != n_s.text:
        yield _change(_K.SCOPE_TEXT_CHANGED, "scope.text", o_s.text, n_s.text)
    if o_s.recipients != n_s.recipients:
        # None means "every code in the code list": wider than any explicit list.
        o_r = None if o_s.recipients is None else set(o_s.recipients)
        n_r = None if n_s.recipients is None else set(n_s.recipients)
        if o_r is None or n_r is None:
            gained, lost, detail = n_r is None, o_r is None, ""
        else:
            gained, lost = bool(n_r - o_r), bool(o_r - n_r)
            detail = "; ".join(p for p in (
                f"added: {', '.join(sorted(n_r - o_r))}" if gained else "",
                f"removed: {', '.join(sorted(o_r - n_r))}" if lost else "") if p)
        if gained or lost:
            kind = _K.SCOPE_RECIPIENTS_WIDENED if gained else _K.SCOPE_RECIPIENTS_NARROWED
            yield _change(kind, "scope.recipients", o_s.recipients or "all",
                          n_s.recipients or "all", detail)


def _governance(old: Contract, new: Contract) -> Iterator[Change]:
    if old.purpose is not new.purpose:
        yield _change(_K.PURPOSE_CHANGED, "purpose", old.purpose, new.purpose)
    if old.legal_basis != new.legal_basis:
        o_all, n_all = [_basis(b) for b in old.legal_basis], [_basis(b) for b in new.legal_basis]
        added = [t for t in n_all if t not in o_all]
        removed = [t for t in o_all if t not in n_all]
        detail = "" if len(o_all) == len(n_all) == 1 else "; ".join(
            p for p in (f"added: {' | '.join(added)}" if added else "",
                        f"removed: {' | '.join(removed)}" if removed else "") if p)
        yield _change(_K.LEGAL_BASIS_CHANGED, "legal_basis", " | ".join(o_all),
                      " | ".join(n_all), detail)
    if old.personal_data is not new.personal_data:
        raised = new.personal_data.rank > old.personal_data.rank
        yield _change(_K.PERSONAL_DATA_RAISED if raised else _K.PERSONAL_DATA_LOWERED,
                      "personal_data", old.personal_data, new.personal_data)
    if old.cpr_exemption != new.cpr_exemption:
        o, n = old.cpr_exemption, new.cpr_exemption
        yield _change(_K.CPR_EXEMPTION_CHANGED, "cpr_exemption",
                      f"{o.basis} ({o.approved_by})" if o else None,
                      f"{n.basis} ({n.approved_by})" if n else None)


def _basis(b: LegalBasis) -> str:
    refs = [" ".join(p for p in (r.law, f"§ {r.paragraph}" if r.paragraph else "",
                                 f"stk. {', '.join(r.stk)}" if r.stk else "") if p)
            for r in b.references]
    extra = [*refs, *([f"GDPR: {b.gdpr}"] if b.gdpr else [])]
    return b.text + (f" ({'; '.join(extra)})" if extra else "")


def _delivery(old: Contract, new: Contract) -> Iterator[Change]:
    o_c, n_c = old.cadence, new.cadence
    if o_c.frequency is not n_c.frequency:
        yield _change(_K.CADENCE_CHANGED, "cadence.frequency", o_c.frequency, n_c.frequency)
    if o_c.due_days != n_c.due_days:
        kind = _K.DUE_DATE_LATER if n_c.due_days > o_c.due_days else _K.DUE_DATE_EARLIER
        yield _change(kind, "cadence.due_days", o_c.due_days, n_c.due_days)
    if o_c.description != n_c.description:
        yield _change(_K.DESCRIPTION_CHANGED, "cadence.description", o_c.description,
                      n_c.description)
    o_f, n_f = old.format, new.format
    if o_f.type != n_f.type:
        yield _change(_K.FORMAT_CHANGED, "format.type", o_f.type, n_f.type)
    elif isinstance(o_f, CsvFormat) and isinstance(n_f, CsvFormat):
        if o_f.encoding != n_f.encoding:
            yield _change(_K.ENCODING_CHANGED, "format.encoding", o_f.encoding, n_f.encoding)
        if o_f.delimiter != n_f.delimiter:
            yield _change(_K.DELIMITER_CHANGED, "format.delimiter", o_f.delimiter,
                          n_f.delimiter)
        for name in _CSV_OPTIONS:
            if getattr(o_f, name) != getattr(n_f, name):
                yield _change(_K.FORMAT_OPTION_CHANGED, f"format.{name}", getattr(o_f, name),
                              getattr(n_f, name))
    elif isinstance(o_f, ParquetFormat) and isinstance(n_f, ParquetFormat) and (
        o_f.compression != n_f.compression
    ):
        yield _change(_K.FORMAT_OPTION_CHANGED, "format.compression", o_f.compression,
                      n_f.compression)


def _tables(old: Contract, new: Contract, old_lists: Mapping[str, CodeList] | None,
            new_lists: Mapping[str, CodeList] | None) -> Iterator[Change]:
    new_names = {t.name for t in new.tables}
    for t in old.tables:
        if t.name not in new_names:
            yield _change(_K.TABLE_REMOVED, f"tables[{t.name}]", t.name, None, table=t.name)
    for t in new.tables:
        o = old.table(t.name)
        if o is None:
            yield _change(_K.TABLE_ADDED, f"tables[{t.name}]", None, t.name, table=t.name)
        else:
            yield from _table(o, t)
            yield from diff_columns(o, t, old_lists, new_lists)
            yield from diff_families(o, t, old_lists, new_lists)


def _table(old: Table, new: Table) -> Iterator[Change]:
    t = new.name
    at = f"tables[{t}]"

    def mk(kind: ChangeKind, field: str, o: object, n: object, detail: str = "") -> Change:
        return _change(kind, f"{at}.{field}", o, n, detail, table=t)

    if old.description != new.description:
        yield mk(_K.DESCRIPTION_CHANGED, "description", old.description, new.description)
    if old.file_pattern != new.file_pattern:
        yield mk(_K.FILE_PATTERN_CHANGED, "file_pattern", old.file_pattern, new.file_pattern)
    if old.primary_key != new.primary_key:
        if old.primary_key is None:
            kind = _K.PRIMARY_KEY_ADDED
        else:
            kind = _K.PRIMARY_KEY_REMOVED if new.primary_key is None else _K.PRIMARY_KEY_CHANGED
        yield mk(kind, "primary_key", old.primary_key, new.primary_key)
    if old.row_count != new.row_count:
        o_min = old.row_count.min if old.row_count else None
        o_max = old.row_count.max if old.row_count else None
        n_min = new.row_count.min if new.row_count else None
        n_max = new.row_count.max if new.row_count else None
        # a lower bound of 0 rows is no bound at all
        verdict = widened_or_narrowed(o_min or None, o_max, n_min or None, n_max)
        if verdict is not None:
            kind = _K.ROW_COUNT_WIDENED if verdict == "widened" else _K.ROW_COUNT_NARROWED
            yield mk(kind, "row_count", f"{show(o_min) or 0}..{show(o_max) or 'inf'}",
                     f"{show(n_min) or 0}..{show(n_max) or 'inf'}")
    if old.allow_extra_columns != new.allow_extra_columns:
        kind = _K.EXTRA_COLUMNS_ALLOWED if new.allow_extra_columns else (
            _K.EXTRA_COLUMNS_FORBIDDEN)
        yield mk(kind, "allow_extra_columns", old.allow_extra_columns, new.allow_extra_columns)
    if old.period_column != new.period_column:
        if old.period_column is None:
            kind = _K.PERIOD_RULE_ADDED
        else:
            kind = _K.PERIOD_RULE_REMOVED if new.period_column is None else (
                _K.PERIOD_RULE_CHANGED)
        yield mk(kind, "period_column", old.period_column, new.period_column)
    if old.min_cell_size != new.min_cell_size:
        o, n = old.min_cell_size, new.min_cell_size
        weaker = n is None or (o is not None and (n.column != o.column or n.min < o.min))
        yield mk(_K.MIN_CELL_SIZE_WEAKENED if weaker else _K.MIN_CELL_SIZE_STRENGTHENED,
                 "min_cell_size", f"{o.column} >= {o.min}" if o else None,
                 f"{n.column} >= {n.min}" if n else None)
    o_refs = [_ref(r.columns, r.table, r.to_columns) for r in old.references]
    n_refs = [_ref(r.columns, r.table, r.to_columns) for r in new.references]
    for r in o_refs:
        if r not in n_refs:
            yield mk(_K.REFERENCE_REMOVED, "references", r, None)
    for r in n_refs:
        if r not in o_refs:
            yield mk(_K.REFERENCE_ADDED, "references", None, r)


def _ref(columns: list[str], table: str, to_columns: list[str]) -> str:
    return f"({', '.join(columns)}) -> {table}({', '.join(to_columns)})"
