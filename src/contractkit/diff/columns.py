"""Compare two versions of one column (and of the columns of one table).

A column's *value domain* is the closed set of codes it may hold: its ``allowed_values``,
else its code list (named, or implied by semantic ``kommune_kode``/``region_kode``). When
the code lists' contents are known the sets are compared code by code, so a code list
that grows is caught even though the contract text did not change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Column, PersonalClass, Range, SemanticType, Table
from contractkit.diff.model import Change, ChangeKind

__all__ = ["diff_column", "diff_columns", "show", "widened_or_narrowed"]

_IMPLIED_CODELIST = {SemanticType.KOMMUNE_KODE: "kommuner", SemanticType.REGION_KODE: "regioner"}
# Partial order of column classifications: a change is a lowering only when the new class
# is strictly below the old one; anything else (incl. sensitive <-> identifiers) is a raise.
_BELOW: dict[PersonalClass, frozenset[PersonalClass]] = {
    PersonalClass.NONE: frozenset(),
    PersonalClass.QUASI: frozenset({PersonalClass.NONE}),
    PersonalClass.PSEUDONYM: frozenset({PersonalClass.NONE, PersonalClass.QUASI}),
    PersonalClass.DIRECT: frozenset(
        {PersonalClass.NONE, PersonalClass.QUASI, PersonalClass.PSEUDONYM}),
    PersonalClass.SENSITIVE: frozenset({PersonalClass.NONE, PersonalClass.QUASI}),
}
_MAX_CODES_SHOWN = 10
Bound = float | date | None


def show(value: object) -> str | None:
    """Render a contract value for people (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) or "null" for v in value) + "]"
    if isinstance(value, Range):
        return f"{show(value.min) or '-inf'}..{show(value.max) or 'inf'}"
    return str(value)


def widened_or_narrowed(old_min: Bound, old_max: Bound, new_min: Bound,
                        new_max: Bound) -> str | None:
    """Compare two inclusive intervals (``None`` = unbounded).

    Returns:
        ``"widened"`` when the new interval admits a value the old did not (also when the
        bounds are of different kinds), ``"narrowed"`` when it is strictly tighter,
        ``None`` when equal.
    """
    if (old_min, old_max) == (new_min, new_max):
        return None
    kinds = {type(b) is date for b in (old_min, old_max, new_min, new_max) if b is not None}
    if len(kinds) > 1:
        return "widened"
    lower_wider = old_min is not None and (new_min is None or new_min < old_min)  # type: ignore[operator]
    upper_wider = old_max is not None and (new_max is None or new_max > old_max)  # type: ignore[operator]
    return "widened" if lower_wider or upper_wider else "narrowed"


@dataclass(frozen=True)
class _Domain:
    """The codes a column may hold: ``codes`` is None when the code list is not known."""

    source: str  # "allowed_values" or "codelist:<name>"
    codes: frozenset[str] | None


def _domain(col: Column, lists: Mapping[str, CodeList] | None) -> _Domain | None:
    if col.allowed_values is not None:
        return _Domain("allowed_values", frozenset(str(v) for v in col.allowed_values))
    name = col.codelist or (_IMPLIED_CODELIST.get(col.semantic) if col.semantic else None)
    if name is None:
        return None
    known = lists.get(name) if lists is not None else None
    return _Domain(f"codelist:{name}", known.codes if known is not None else None)


def _codes(codes: frozenset[str]) -> str:
    ordered = sorted(codes, key=lambda c: (len(c), c))
    more = len(ordered) - _MAX_CODES_SHOWN
    return ", ".join(ordered[:_MAX_CODES_SHOWN]) + (f" (+{more} more)" if more > 0 else "")


def _values(old: _Domain | None, new: _Domain | None,
            mk: _Maker) -> Iterator[Change]:
    if old is None and new is None:
        return
    field = "allowed_values" if "allowed_values" in {d.source for d in (old, new) if d} else (
        "codelist")
    shown_old = old.source.removeprefix("codelist:") if old else None
    shown_new = new.source.removeprefix("codelist:") if new else None
    if old is None:
        yield mk(ChangeKind.VALUES_NARROWED, field, None, shown_new, "a closed list of values "
                 "is now required")
        return
    if new is None:
        yield mk(ChangeKind.VALUES_WIDENED, field, shown_old, None, "the closed list of values "
                 "is gone: any value may appear")
        return
    if old.codes is None or new.codes is None:
        if old.source != new.source:
            yield mk(ChangeKind.CODELIST_REPLACED, field, shown_old, shown_new,
                     "the code list's contents are not known here, so it cannot be compared")
        return
    added, removed = new.codes - old.codes, old.codes - new.codes
    if added:
        detail = f"codes added: {_codes(added)}"
        if removed:
            detail += f"; codes removed: {_codes(removed)}"
        yield mk(ChangeKind.VALUES_WIDENED, field, shown_old, shown_new, detail)
    elif removed:
        yield mk(ChangeKind.VALUES_NARROWED, field, shown_old, shown_new,
                 f"codes removed: {_codes(removed)}")


class _Maker:
    """Builds changes located at one column."""

    def __init__(self, table: str, column: str) -> None:
        self.table, self.column = table, column

    def __call__(self, kind: ChangeKind, field: str | None, old: object, new: object,
                 detail: str = "") -> Change:
        loc = f"tables[{self.table}].columns[{self.column}]" + (f".{field}" if field else "")
        return Change(kind, loc, self.table, self.column, show(old), show(new), detail)


def diff_column(table: str, old: Column, new: Column,
                old_lists: Mapping[str, CodeList] | None = None,
                new_lists: Mapping[str, CodeList] | None = None) -> Iterator[Change]:
    """Every change between two versions of a column (matched by name or as a rename)."""
    mk = _Maker(table, new.name)
    if old.type is not new.type:
        yield mk(ChangeKind.TYPE_CHANGED, "type", old.type, new.type)
    elif (old.precision, old.scale) != (new.precision, new.scale):
        wider = (new.precision or 0) > (old.precision or 0) or (new.scale or 0) > (old.scale or 0)
        kind = ChangeKind.TYPE_WIDENED if wider else ChangeKind.TYPE_NARROWED
        yield mk(kind, "precision", f"({show(old.precision)}, {show(old.scale)})",
                 f"({show(new.precision)}, {show(new.scale)})")
    if old.description != new.description:
        yield mk(ChangeKind.DESCRIPTION_CHANGED, "description", old.description, new.description)
    if old.required != new.required:
        kind = ChangeKind.COLUMN_REQUIRED if new.required else ChangeKind.COLUMN_NULLABLE
        yield mk(kind, "required", old.required, new.required)
    if old.unique != new.unique:
        kind = ChangeKind.UNIQUE_ADDED if new.unique else ChangeKind.UNIQUE_DROPPED
        yield mk(kind, "unique", old.unique, new.unique)
    yield from _values(_domain(old, old_lists), _domain(new, new_lists), mk)
    if old.range != new.range:
        o, n = old.range or Range(), new.range or Range()
        verdict = widened_or_narrowed(o.min, o.max, n.min, n.max)
        if verdict is not None:
            kind = ChangeKind.RANGE_WIDENED if verdict == "widened" else ChangeKind.RANGE_NARROWED
            yield mk(kind, "range", old.range, new.range)
    if old.pattern != new.pattern:
        kind = ChangeKind.PATTERN_ADDED if old.pattern is None else ChangeKind.PATTERN_CHANGED
        yield mk(kind, "pattern", old.pattern, new.pattern)
    if old.max_length != new.max_length:
        verdict = widened_or_narrowed(None, old.max_length, None, new.max_length)
        kind = (ChangeKind.MAX_LENGTH_WIDENED if verdict == "widened"
                else ChangeKind.MAX_LENGTH_NARROWED)
        yield mk(kind, "max_length", old.max_length, new.max_length)
    if old.semantic != new.semantic:
        kind = ChangeKind.SEMANTIC_ADDED if old.semantic is None else ChangeKind.SEMANTIC_CHANGED
        yield mk(kind, "semantic", old.semantic, new.semantic)
    if old.personal is not new.personal:
        lowered = new.personal in _BELOW[old.personal]
        kind = ChangeKind.PERSONAL_LOWERED if lowered else ChangeKind.PERSONAL_RAISED
        yield mk(kind, "personal", old.personal, new.personal)


def _same_but_name(old: Column, new: Column) -> bool:
    return old.model_copy(update={"name": new.name, "description": new.description}) == new


def diff_columns(old: Table, new: Table, old_lists: Mapping[str, CodeList] | None = None,
                 new_lists: Mapping[str, CodeList] | None = None) -> Iterator[Change]:
    """Columns added, removed, renamed, reordered or changed between two table versions.

    A removed and an added column that are equal except for name and description are
    reported as one rename.
    """
    t = new.name
    old_names, new_names = old.column_names, new.column_names
    removed = [c for c in old.columns if c.name not in new_names]
    added = [c for c in new.columns if c.name not in old_names]
    renames: dict[str, str] = {}  # old name -> new name
    for r in removed:
        match = next((a for a in added if a.name not in renames.values()
                      and _same_but_name(r, a)), None)
        if match is not None:
            renames[r.name] = match.name
    for r in removed:
        if r.name in renames:
            yield Change(ChangeKind.COLUMN_RENAMED, f"tables[{t}].columns[{r.name}]", t,
                         renames[r.name], r.name, renames[r.name])
        else:
            yield Change(ChangeKind.COLUMN_REMOVED, f"tables[{t}].columns[{r.name}]", t,
                         r.name, f"{r.name} ({r.type})", None)
    for a in added:
        if a.name in renames.values():
            continue
        kind = ChangeKind.REQUIRED_COLUMN_ADDED if a.required else ChangeKind.COLUMN_ADDED
        yield Change(kind, f"tables[{t}].columns[{a.name}]", t, a.name, None,
                     f"{a.name} ({a.type})")
    # relative order of the columns both versions have (renamed ones under their new name)
    common_old = [renames.get(n, n) for n in old_names if n in new_names or n in renames]
    common_new = [n for n in new_names if n in set(common_old)]
    if common_old != common_new:
        yield Change(ChangeKind.COLUMN_ORDER_CHANGED, f"tables[{t}].columns", t, None,
                     show(common_old), show(common_new))
    for oc in old.columns:
        nc = new.column(renames.get(oc.name, oc.name))
        if nc is not None:
            yield from diff_column(t, oc, nc, old_lists, new_lists)
