"""Property tests of column-family expansion: for random periods of every frequency and
random families, members are ordered, gap-free, stable, end at the period's last week or
month moved by the offset, match the family's regex, and only grow as periods go on."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.contract.families import ColumnFamily
from contractkit.contract.models import Frequency, Table
from contractkit.contract.periods import Period, period_containing

PROFILE = settings(max_examples=300, derandomize=True, deadline=None, database=None)
TOKENS = ["YYWW", "YYYYWW", "YYYY_MM", "YYYYMM"]
WEEKLY = {"YYWW", "YYYYWW"}


def _week_label(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _expected_last(token: str, period: Period, offset: int) -> str:
    """The last member's label, computed another way than the model does."""
    if token in WEEKLY:
        thursday = period.end
        while thursday.weekday() != 3:  # the latest Thursday in or before the period's end
            thursday -= timedelta(days=1)
        return _week_label(thursday + timedelta(weeks=offset))
    months = period.end.year * 12 + period.end.month - 1 + offset
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def _render(token: str, label: str) -> str:
    """The token's text for a week/month label, e.g. (YYWW, 2024-W13) → 2413."""
    year, rest = label[:4], label[5:].lstrip("W")
    return {"YYWW": year[2:] + rest, "YYYYWW": year + rest, "YYYY_MM": f"{year}_{rest}",
            "YYYYMM": year + rest}[token]


def _next_unit(token: str, label: str) -> str:
    if token in WEEKLY:
        monday = date.fromisocalendar(int(label[:4]), int(label[6:]), 1)
        return _week_label(monday + timedelta(weeks=1))
    months = int(label[:4]) * 12 + int(label[5:]) - 1 + 1
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


@st.composite
def cases(draw: st.DrawFn) -> tuple[ColumnFamily, Period]:
    frequency = draw(st.sampled_from(list(Frequency)))
    day = draw(st.dates(min_value=date(1995, 1, 1), max_value=date(2079, 12, 31)))
    period = period_containing(frequency, day)
    token = draw(st.sampled_from(TOKENS))
    start = draw(st.dates(min_value=date(1990, 1, 1), max_value=period.end))
    first = _week_label(start) if token in WEEKLY else f"{start.year:04d}-{start.month:02d}"
    head = draw(st.sampled_from(["y_", "branche_", "g"]))
    tail = draw(st.sampled_from(["", "_kode"]))
    family = ColumnFamily.model_validate({
        "template": f"{head}{{{token}}}{tail}", "first": first, "type": "string",
        "last_offset": draw(st.integers(min_value=-30, max_value=0))})
    return family, period


@PROFILE
@given(cases())
def test_expansion_is_ordered_gap_free_and_ends_at_the_period(case: Any) -> None:
    family, period = case
    labels = family.member_labels(period)
    names = family.member_names(period)
    assert len(names) == len(labels) == len(set(names))
    last = _expected_last(family.token, period, family.last_offset)
    if labels:
        assert labels[0] == family.first
        assert labels[-1] == last
    else:  # the family starts after its last unit
        assert family.first > last if family.token not in WEEKLY else (
            date.fromisocalendar(int(family.first[:4]), int(family.first[6:]), 1)
            > date.fromisocalendar(int(last[:4]), int(last[6:]), 1))
    for a, b in itertools.pairwise(labels):
        assert _next_unit(family.token, a) == b  # consecutive weeks / months, no gap
    head, tail = family.template.split("{")[0], family.template.split("}")[1]
    regex = family.member_regex()
    for name, label in zip(names, labels, strict=True):
        assert name == f"{head}{_render(family.token, label)}{tail}"
        assert regex.match(name)
    assert [c.name for c in family.members(period)] == names


@settings(PROFILE, max_examples=100)
@given(cases())
def test_expansion_is_stable(case: Any) -> None:
    family, period = case
    again = ColumnFamily.model_validate(family.model_dump())
    assert family.member_names(period) == family.member_names(period)
    assert again.member_names(period) == family.member_names(period)


@settings(PROFILE, max_examples=60)
@given(cases(), st.integers(min_value=1, max_value=3))
def test_a_growing_period_extends_every_family(case: Any, steps: int) -> None:
    family, period = case
    other = ColumnFamily.model_validate(
        {**family.model_dump(), "template": "m_{YYYY_MM}", "first": "1990-01"})
    table = Table.model_validate({
        "name": "t", "file_pattern": "t_{period}.csv",
        "columns": [{"name": "id", "type": "integer"}],
        "column_families": [family.model_dump(), other.model_dump()]})
    earlier = table.for_period(period)
    for _ in range(steps):
        later_period = period.next()
        later = table.for_period(later_period)
        assert later.column_names[0] == "id"
        assert not later.column_families
        for fam in (family, other):
            before = [n for n in earlier.column_names if fam.member_regex().match(n)]
            after = [n for n in later.column_names if fam.member_regex().match(n)]
            assert after[: len(before)] == before
            assert before == fam.member_names(period)
            assert after == fam.member_names(later_period)
        period, earlier = later_period, later
