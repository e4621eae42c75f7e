"""Semantic versions and the bump gate: which version a set of changes demands."""

from __future__ import annotations

import pytest
from diffcase import base, contract

from contractkit.diff import (
    Bump,
    Change,
    ChangeKind,
    Version,
    check_version_bump,
    judge_bump,
    required_bump,
)

BREAKING = [Change(ChangeKind.COLUMN_REMOVED, "tables[t].columns[c]")]
COMPATIBLE = [Change(ChangeKind.COLUMN_ADDED, "tables[t].columns[c]")]
PATCH = [Change(ChangeKind.TITLE_CHANGED, "title")]


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("1.0.0", "1.0.1"), ("1.0.9", "1.1.0"), ("1.9.9", "2.0.0"), ("1.0.0-rc.1", "1.0.0"),
     ("1.0.0-alpha", "1.0.0-alpha.1"), ("1.0.0-alpha.1", "1.0.0-beta"),
     ("1.0.0-2", "1.0.0-10"), ("1.0.0-10", "1.0.0-a"), ("0.9.0", "1.0.0-rc.1")],
)
def test_precedence(lower: str, higher: str) -> None:
    assert Version.parse(lower) < Version.parse(higher)
    assert str(Version.parse(lower)) == lower


def test_rejects_non_semver() -> None:
    with pytest.raises(ValueError, match="semantic version"):
        Version.parse("1.0")


def test_required_bump() -> None:
    assert required_bump([]) is None
    assert required_bump(PATCH) is Bump.PATCH
    assert required_bump(PATCH + COMPATIBLE) is Bump.MINOR
    assert required_bump(COMPATIBLE + BREAKING) is Bump.MAJOR
    assert required_bump(BREAKING, major_zero=True) is Bump.MINOR
    assert required_bump(COMPATIBLE, major_zero=True) is Bump.PATCH


@pytest.mark.parametrize(
    ("old", "new", "changes", "code"),
    [
        ("1.2.3", "2.0.0", BREAKING, None),
        ("1.2.3", "1.3.0", BREAKING, "version-bump-missing"),
        ("1.2.3", "1.2.3", BREAKING, "version-bump-missing"),
        ("1.2.3", "1.3.0", COMPATIBLE, None),
        ("1.2.3", "1.2.4", COMPATIBLE, "version-bump-missing"),
        ("1.2.3", "2.0.0", COMPATIBLE, None),
        ("1.2.3", "1.2.4", PATCH, None),
        ("1.2.3", "1.2.3", PATCH, "version-bump-missing"),
        ("1.2.3", "1.2.3", [], None),
        ("1.2.3", "1.2.4", [], None),
        ("1.2.3", "1.2.2", [], "version-backwards"),
        ("2.0.0", "1.9.0", BREAKING, "version-backwards"),
        ("0.3.1", "0.4.0", BREAKING, None),
        ("0.3.1", "0.3.2", BREAKING, "version-bump-missing"),
        ("0.3.1", "0.3.2", COMPATIBLE, None),
        ("1.2.3", "2.0.0-rc.1", BREAKING, None),
        ("2.0.0-rc.1", "2.0.0-rc.2", BREAKING, None),
        ("2.0.0-rc.1", "2.0.0", BREAKING, None),
        ("2.0.0", "2.0.0-rc.1", [], "version-backwards"),
    ],
)
def test_judge_bump(old: str, new: str, changes: list[Change], code: str | None) -> None:
    problems = judge_bump(old, new, changes)
    assert [p.code for p in problems] == ([code] if code else [])


def test_problem_names_the_change_that_demands_the_bump() -> None:
    (problem,) = judge_bump("1.0.0", "1.1.0", COMPATIBLE + BREAKING)
    assert problem.required is Bump.MAJOR
    assert problem.declared is Bump.MINOR
    assert problem.change is not None
    assert problem.change.kind is ChangeKind.COLUMN_REMOVED
    assert "tables[t].columns[c]" in problem.message


def test_check_version_bump_on_models() -> None:
    old, new = base(), base()
    new["tables"][0]["columns"].pop()
    new["version"] = "1.1.0"
    (problem,) = check_version_bump(contract(old), contract(new))
    assert problem.code == "version-bump-missing"
    new["version"] = "2.0.0"
    assert check_version_bump(contract(old), contract(new)) == []
