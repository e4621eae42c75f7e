"""Column families in the engine: expand a table for the file's period, spot stray members.

A table with column families (DREAM's ``y_YYWW``) has no fixed column list: which
members a file must carry depends on its delivery period. The engine judges a file by
``Table.for_period`` of that period, so a missing week is an ordinary ``missing-column``
naming the member, and every member carries the family's rules as a plain column would.

Every expected member must be in the header, whatever the family's ``required`` says:
``required: false`` lets a member's cells be empty (most weeks of most persons), but the
family's range is the contract, so a missing week is always a ``missing-column``.

A header name that the family's template produces but that is not an expected member
(a week past the period, or before the family's first week) is an ``extra-column`` even
when the table sets ``allow_extra_columns``: that flag tolerates columns the contract does
not speak of, while a family member outside its range is a column the contract *does*
speak of, in the wrong place (most often a file cut for the wrong period).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contractkit.contract.families import ColumnFamily, last_unit_label
from contractkit.contract.models import Table
from contractkit.contract.periods import Period
from contractkit.engine.collect import Collector
from contractkit.errors import CompileError, UsageError
from contractkit.report.model import Code

__all__ = ["FamilyLayout", "expand_table"]


@dataclass(frozen=True)
class FamilyLayout:
    """The families of one file's table, expanded for the file's period.

    Attributes:
        families: the table's families, in declaration order.
        period: the delivery period they were expanded for.
        members: member column name → the family's display name (``y_YYWW``).
        plain: the table's plain columns (never strays, even if a template could make them).
    """

    families: tuple[ColumnFamily, ...]
    period: Period
    members: dict[str, str]
    plain: frozenset[str] = frozenset()

    def stray(self, header: Iterable[str]) -> list[tuple[str, ColumnFamily]]:
        """Header names a family's template produces that are not expected members."""
        out: list[tuple[str, ColumnFamily]] = []
        for name in header:
            if name in self.members or name in self.plain:
                continue
            family = next((f for f in self.families if f.member_regex().match(name)), None)
            if family is not None:
                out.append((name, family))
        return out

    def report_strays(self, header: Iterable[str], coll: Collector) -> set[str]:
        """Add an ``extra-column`` finding per stray member; return their names."""
        strays = self.stray(header)
        for name, family in strays:
            coll.families[name] = family.display_name
            coll.add(Code.EXTRA_COLUMN, f"{name}:{Code.EXTRA_COLUMN}",
                     self.stray_message(family), column=name, personal=False)
        return {name for name, _ in strays}

    def stray_message(self, family: ColumnFamily) -> str:
        """Why a stray member is an extra column (no values, only labels)."""
        last = family.member_labels(self.period)
        through = last[-1] if last else last_unit_label(family.unit, self.period)
        return (f"not a member of family {family.display_name} for period {self.period.label}: "
                f"the family runs {family.first} through {through}")


def expand_table(table: Table, period: Period | None, file_name: str) -> tuple[Table,
                                                                                FamilyLayout | None]:
    """``table`` with its families expanded for ``period`` (and the layout), or as it is.

    Raises:
        UsageError: the table has families but no period is known for the file.
        CompileError: a family cannot be expanded for the period (a two-digit year repeats).
    """
    if not table.has_families:
        return table, None
    if period is None:
        names = ", ".join(f.display_name for f in table.column_families)
        raise UsageError(
            f"{file_name}: table {table.name} has column families ({names}) whose columns "
            "depend on the delivery period, and neither the file name (its {period} part) nor "
            "--period gives one; pass --period, e.g. --period 2024-03")
    try:
        expanded = table.for_period(period)
    except ValueError as exc:
        raise CompileError(f"table {table.name}: {exc}") from None
    members: dict[str, str] = {}
    for family in table.column_families:
        members.update(dict.fromkeys(family.member_names(period), family.display_name))
    return expanded, FamilyLayout(tuple(table.column_families), period, members,
                                  frozenset(table.column_names))
