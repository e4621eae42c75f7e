"""Compare the column families of two versions of one table.

A family is compared as the contract states it, never as expanded for a period: a family
that grows with every period is the same contract, so no change. A family's rules (type,
code list, range, ``required`` …) are compared by the column comparison itself
(:func:`~contractkit.diff.columns.diff_columns`) on one stand-in column per family named
by its display name (``y_YYWW``), so a changed rule of a family is classed exactly like
the same change to a column. What only a family has: its template (a new template renames
every member: ``family-renamed``), its first week or month and its end offset (members
appear or vanish: ``family-first-changed``, ``family-end-changed``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Table
from contractkit.diff.columns import diff_columns
from contractkit.diff.model import Change, ChangeKind

__all__ = ["diff_families"]

_K = ChangeKind
# a stand-in column's change → the family's change (other kinds keep their kind)
_AS_FAMILY = {
    _K.COLUMN_ADDED: _K.FAMILY_ADDED,  # members must always be present (engine/families.py)
    _K.REQUIRED_COLUMN_ADDED: _K.FAMILY_ADDED,
    _K.COLUMN_REMOVED: _K.FAMILY_REMOVED,
    _K.COLUMN_RENAMED: _K.FAMILY_RENAMED,
}


def _stand_ins(table: Table) -> Table:
    return table.model_construct(**{**dict(table), "column_families": [],
                                    "columns": [f.as_column() for f in table.column_families]})


def _located(change: Change, table: str) -> Change:
    """Relocate a stand-in column's change to the family (``column_families[y_YYWW]``)."""
    prefix = f"tables[{table}].columns"
    location = change.location
    if location.startswith(prefix):
        location = f"tables[{table}].column_families" + location[len(prefix):]
    return replace(change, kind=_AS_FAMILY.get(change.kind, change.kind), location=location)


def diff_families(old: Table, new: Table, old_lists: Mapping[str, CodeList] | None = None,
                  new_lists: Mapping[str, CodeList] | None = None) -> Iterator[Change]:
    """Families added, removed, renamed, reordered, re-ranged or with changed rules."""
    if not old.column_families and not new.column_families:
        return
    t = new.name
    renames: dict[str, str] = {}
    for change in diff_columns(_stand_ins(old), _stand_ins(new), old_lists, new_lists):
        if change.kind is _K.COLUMN_RENAMED and change.old and change.new:
            renames[change.old] = change.new
        yield _located(change, t)
    by_name = {f.display_name: f for f in new.column_families}
    for o in old.column_families:
        n = by_name.get(renames.get(o.display_name, o.display_name))
        if n is None:
            continue
        at = f"tables[{t}].column_families[{n.display_name}]"
        if o.first != n.first:
            yield Change(_K.FAMILY_FIRST_CHANGED, f"{at}.first", t, n.display_name, o.first,
                         n.first, "member columns appear or vanish at the start")
        if o.last_offset != n.last_offset:
            yield Change(_K.FAMILY_END_CHANGED, f"{at}.last_offset", t, n.display_name,
                         str(o.last_offset), str(n.last_offset),
                         "the last member is another week or month of the period")
        if o.first_source != n.first_source:
            yield Change(_K.DESCRIPTION_CHANGED, f"{at}.first_source", t, n.display_name,
                         o.first_source, n.first_source)
