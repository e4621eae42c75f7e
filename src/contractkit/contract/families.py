"""Column families: one name template that stands for a column per week or per month.

A wide register such as DREAM has a column per ISO week (``y_9127`` … ``y_2413``) and per
month (``branche_2008_01`` … ``branche_2024_03``); every month adds that month's columns.
A :class:`ColumnFamily` states this once: a template with one time token, the first
period it covers, and how far it runs relative to the delivery period. For a given
delivery period the family expands deterministically to its member names, in time order.

Tokens: ``{YYWW}`` and ``{YYYYWW}`` (ISO week: ISO year and week number), ``{YYYY_MM}``
and ``{YYYYMM}`` (calendar month). A week belongs to the period that holds its Thursday
(ISO 8601), so the last week of delivery period 2024-03 is 2024-W13 (Thursday 28 March).

Pure data and pure functions: no I/O, nothing outside ``contractkit.contract`` imported.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from contractkit.contract.base import COLUMN_NAME
from contractkit.contract.columns import Column, ColumnRules
from contractkit.contract.periods import Period

__all__ = ["ColumnFamily", "FamilyUnit", "last_unit_label"]

TOKEN = re.compile(r"\{(YYWW|YYYYWW|YYYY_MM|YYYYMM)\}")
_WEEK_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_TOKEN_DIGITS = {"YYWW": r"\d{4}", "YYYYWW": r"\d{6}", "YYYY_MM": r"\d{4}_\d{2}",
                 "YYYYMM": r"\d{6}"}
MAX_OFFSET = 1200
"""The farthest a family may end before the delivery period (in its own units)."""


class FamilyUnit(StrEnum):
    """The time unit one member of a family stands for."""

    ISO_WEEK = "iso_week"
    MONTH = "month"


def _unit_of(token: str) -> FamilyUnit:
    return FamilyUnit.ISO_WEEK if token in ("YYWW", "YYYYWW") else FamilyUnit.MONTH


def _week_index(year: int, week: int) -> int:
    """Weeks since 0001-W01 (ordinal 1 is a Monday, so Mondays are 7k + 1)."""
    return (date.fromisocalendar(year, week, 1).toordinal() - 1) // 7


def _parse_label(unit: FamilyUnit, label: str) -> int:
    """The unit index of a week label ``YYYY-Www`` or a month label ``YYYY-MM``."""
    if unit is FamilyUnit.ISO_WEEK:
        m = _WEEK_LABEL.match(label)
        if not m:
            raise ValueError(f"{label!r} is not an ISO week (expected e.g. 1991-W27)")
        try:
            return _week_index(int(m.group(1)), int(m.group(2)))
        except ValueError:
            raise ValueError(f"{label!r} names no ISO week") from None
    m = _MONTH_LABEL.match(label)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{label!r} is not a month (expected e.g. 2008-01)")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def _render(token: str, unit_index: int) -> str:
    if _unit_of(token) is FamilyUnit.ISO_WEEK:
        iso = date.fromordinal(unit_index * 7 + 1).isocalendar()
        year, number = iso.year, iso.week
    else:
        year, number = divmod(unit_index, 12)
        number += 1
    return {
        "YYWW": f"{year % 100:02d}{number:02d}",
        "YYYYWW": f"{year:04d}{number:02d}",
        "YYYY_MM": f"{year:04d}_{number:02d}",
        "YYYYMM": f"{year:04d}{number:02d}",
    }[token]


def _label(unit: FamilyUnit, unit_index: int) -> str:
    if unit is FamilyUnit.ISO_WEEK:
        iso = date.fromordinal(unit_index * 7 + 1).isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    year, month = divmod(unit_index, 12)
    return f"{year:04d}-{month + 1:02d}"


def _last_index(unit: FamilyUnit, period: Period) -> int:
    end = period.end
    if unit is FamilyUnit.MONTH:
        return end.year * 12 + end.month - 1
    thursday = end - timedelta(days=(end.weekday() - 3) % 7)
    iso = thursday.isocalendar()
    return _week_index(iso.year, iso.week)


def last_unit_label(unit: FamilyUnit, period: Period) -> str:
    """The last week (``YYYY-Www``) or month (``YYYY-MM``) that belongs to ``period``."""
    return _label(unit, _last_index(unit, period))


class ColumnFamily(ColumnRules):
    """A column per ISO week or month, named from a template, sharing one set of rules.

    Members run from ``first`` through the last week or month of the delivery period
    (moved by ``last_offset``), in time order, after the table's plain columns.
    """

    template: str = Field(
        description="Member name with one time token: {YYWW}, {YYYYWW} (ISO week) or "
        "{YYYY_MM}, {YYYYMM} (month), e.g. 'y_{YYWW}' or 'grad_{YYYY_MM}'."
    )
    first: str = Field(
        description="The first member's week (YYYY-Www) or month (YYYY-MM), e.g. '1991-W27'."
    )
    last_offset: int = Field(
        default=0, ge=-MAX_OFFSET, le=0,
        description="Units between the delivery period's last week/month and the last member "
        "(0: through the period; -1: one unit before it).",
    )
    first_source: str | None = Field(
        default=None, description="Where the first period is documented (for readers)."
    )

    @field_validator("template")
    @classmethod
    def _template(cls, v: str) -> str:
        tokens = TOKEN.findall(v)
        if len(tokens) != 1:
            raise ValueError(f"template {v!r} must hold exactly one time token: {{YYWW}}, "
                             "{YYYYWW}, {YYYY_MM} or {YYYYMM}")
        if not COLUMN_NAME.match(TOKEN.sub("0", v)):
            raise ValueError(f"template {v!r} must give names of letters, digits and "
                             "underscores")
        return v

    @model_validator(mode="after")
    def _first(self) -> ColumnFamily:
        _parse_label(self.unit, self.first)
        return self

    @property
    def token(self) -> str:
        """The template's time token without braces, e.g. ``YYWW``."""
        m = TOKEN.search(self.template)
        assert m is not None  # checked by the validator
        return m.group(1)

    @property
    def unit(self) -> FamilyUnit:
        """Whether a member stands for an ISO week or a month."""
        return _unit_of(self.token)

    @property
    def display_name(self) -> str:
        """The template as people write it, e.g. ``y_YYWW``."""
        return TOKEN.sub(lambda m: m.group(1), self.template)

    def member_regex(self) -> re.Pattern[str]:
        """Matches every name the template can produce (any period, not just the range)."""
        head, tail = TOKEN.split(self.template, maxsplit=1)[0::2]
        return re.compile(f"^{re.escape(head)}({_TOKEN_DIGITS[self.token]}){re.escape(tail)}$")

    def member_labels(self, period: Period) -> list[str]:
        """The week/month label of every member for ``period``, in order."""
        first = _parse_label(self.unit, self.first)
        last = _last_index(self.unit, period) + self.last_offset
        return [_label(self.unit, i) for i in range(first, last + 1)]

    def member_names(self, period: Period) -> list[str]:
        """The member column names for ``period``, in time order, gap-free.

        Raises:
            ValueError: a two-digit-year token would name two members alike (span ≥ 100 years).
        """
        first = _parse_label(self.unit, self.first)
        last = _last_index(self.unit, period) + self.last_offset
        token = self.token
        head, tail = TOKEN.split(self.template, maxsplit=1)[0::2]
        names = [f"{head}{_render(token, i)}{tail}" for i in range(first, last + 1)]
        if token == "YYWW" and len(names) != len(set(names)):
            raise ValueError(f"{self.display_name}: a two-digit year repeats between "
                             f"{self.first} and {_label(self.unit, last)}; use {{YYYYWW}}")
        return names

    def as_column(self) -> Column:
        """One column named by the display name (``y_YYWW``) with the family's rules: how a
        family is listed, compared or exported where one column per rule set is expected."""
        rules = {k: getattr(self, k) for k in ColumnRules.model_fields}
        return Column.model_construct(name=self.display_name, **rules)

    def members(self, period: Period) -> list[Column]:
        """The member columns for ``period``: each carries the family's rules."""
        rules = {k: getattr(self, k) for k in ColumnRules.model_fields}
        return [Column.model_construct(name=n, **rules) for n in self.member_names(period)]
