"""Cross-checks of a table's column families, for lint (pure: no I/O, ``today`` given).

The model validates each family's shape (one time token, a real first week or month).
What only the whole table shows is checked here: a member name that a plain column or
another family also makes, a two-digit-year template that repeats within its span, a
family with no member for the current period, and a file pattern that cannot tell the
engine which period a file is for. :mod:`contractkit.lint` turns these into located
problems.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date

from contractkit.contract.base import (
    Frequency,
    PersonalClass,
    PersonalDataClass,
    Purpose,
)
from contractkit.contract.families import ColumnFamily, last_unit_label
from contractkit.contract.models import Contract
from contractkit.contract.periods import Period, period_containing
from contractkit.contract.table import Table

__all__ = ["FamilyIssue", "check_families", "family_governance"]

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class FamilyIssue:
    """One problem with a table's families: a stable code, where, and what."""

    code: str
    loc: Loc
    message: str
    severity: str = "error"


def _names(family: ColumnFamily, period: Period) -> list[str] | None:
    try:
        return family.member_names(period)
    except ValueError:
        return None


def check_families(table: Table, loc: Loc, frequency: Frequency, today: date,
                   codelists: Collection[str]) -> Iterator[FamilyIssue]:
    """Every cross-check of ``table``'s families (``loc`` locates the table).

    Codes: ``family-year-span`` (a two-digit year repeats for the current period),
    ``family-empty`` (no member for the current period), ``family-collision`` (a member
    name a plain column or another family also makes), ``family-period`` (the file pattern
    has no ``{period}``), ``unknown-codelist``.
    """
    if not table.column_families:
        return
    current = period_containing(frequency, today)
    if "{period}" not in table.file_pattern:
        yield FamilyIssue("family-period", (*loc, "column_families"),
                          f"table {table.name!r} has column families, which depend on the "
                          f"delivery period, but its file pattern {table.file_pattern!r} has no "
                          "{period}: every validation would need --period")
    seen: list[tuple[ColumnFamily, list[str]]] = []
    for fi, family in enumerate(table.column_families):
        fl = (*loc, "column_families", fi)
        names = _names(family, current)
        if names is None:
            yield FamilyIssue("family-year-span", (*fl, "template"),
                              f"{family.display_name}: from {family.first} through "
                              f"{last_unit_label(family.unit, current)} (period "
                              f"{current.label}) spans 100 years or more, so a two-digit year "
                              "names two members alike; use {YYYYWW} or {YYYYMM}")
            names = []
        elif not names:
            yield FamilyIssue("family-empty", (*fl, "first"),
                              f"{family.display_name} has no member for the current period "
                              f"{current.label}: its first {family.unit.value.replace('_', ' ')}"
                              f" {family.first} comes after its last one")
        if family.codelist is not None and family.codelist not in codelists:
            known = ", ".join(sorted(codelists)) or "none"
            yield FamilyIssue("unknown-codelist", (*fl, "codelist"),
                              f"code list {family.codelist!r} does not exist (known: {known})")
        regex = family.member_regex()
        for col in table.columns:
            if regex.match(col.name):
                yield FamilyIssue("family-collision", (*fl, "template"),
                                  f"plain column {col.name!r} is a name family "
                                  f"{family.display_name} makes; rename one of them")
        for other, other_names in seen:
            clash = next((n for n in names if other.member_regex().match(n)), None) or next(
                (n for n in other_names if regex.match(n)), None)
            if clash is not None or other.template == family.template:
                yield FamilyIssue("family-collision", (*fl, "template"),
                                  f"families {other.display_name} and {family.display_name} "
                                  f"both make member names such as "
                                  f"{clash or family.template!r}; one name, one family")
        seen.append((family, names))


def family_governance(contract: Contract) -> Iterator[FamilyIssue]:
    """The governance rules on columns, applied to families (every member carries the class).

    Codes as for columns: ``gov-statistical-identifier`` (a statistical or research feed
    with a direct-identifier family and no CPR exemption), ``gov-class-mismatch`` (an
    identifier family in a feed classed none/aggregated, a direct one in a pseudonymised
    feed).
    """
    c = contract
    for ti, t in enumerate(c.tables):
        for fi, f in enumerate(t.column_families):
            at = ("tables", ti, "column_families", fi, "personal")
            name = f.display_name
            if f.personal is PersonalClass.DIRECT and c.cpr_exemption is None and (
                    c.purpose in (Purpose.STATISTICAL, Purpose.RESEARCH)):
                yield FamilyIssue("gov-statistical-identifier", at,
                                  f"a {c.purpose} feed carries direct identifiers in family "
                                  f"{name}: they must be pseudonymised (or record a "
                                  "cpr_exemption with basis and approval)")
            if f.personal in (PersonalClass.DIRECT, PersonalClass.PSEUDONYM) and (
                    c.personal_data in (PersonalDataClass.NONE, PersonalDataClass.AGGREGATED)):
                yield FamilyIssue("gov-class-mismatch", at,
                                  f"a feed classed {c.personal_data} cannot carry identifier "
                                  f"family {name}")
            if f.personal is PersonalClass.DIRECT and (
                    c.personal_data is PersonalDataClass.PSEUDONYMISED):
                yield FamilyIssue("gov-class-mismatch", at,
                                  f"a pseudonymised feed cannot carry direct identifier family "
                                  f"{name}")
