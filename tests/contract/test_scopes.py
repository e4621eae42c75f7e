"""Scope codes are normalised like data and checked against the code lists (issue 19, 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractkit.contract.base import ScopeKind
from contractkit.contract.scopes import normalise_scope_code, resolve_scope_code
from contractkit.errors import UsageError
from contractkit.loader import load_codelists

CODELISTS = Path(__file__).resolve().parents[2] / "contracts" / "codelists"


@pytest.fixture(scope="module")
def lists():  # type: ignore[no-untyped-def]
    found, problems = load_codelists(CODELISTS, ["kommuner", "regioner"])
    assert not problems
    return found


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=4))
def test_leading_zeros_do_not_matter(number: int, zeros: int) -> None:
    assert normalise_scope_code("0" * zeros + str(number)) == str(number)


def test_codes_resolve_with_kind_and_name(lists) -> None:  # type: ignore[no-untyped-def]
    aarhus = resolve_scope_code("0751", lists)
    assert (aarhus.code, aarhus.kind, aarhus.name) == ("751", ScopeKind.PER_MUNICIPALITY,
                                                       "Aarhus")
    assert resolve_scope_code(" 1082 ", lists).kind is ScopeKind.PER_REGION


@pytest.mark.parametrize(("given_code", "nearest"), [
    ("999", "860 (Hjørring)"), ("Aarhus", "751 (Aarhus)"), ("752", "751 (Aarhus)"),
    ("1086", "1085 (Region Sjælland)")])
def test_unknown_codes_name_the_nearest(lists, given_code: str,  # type: ignore[no-untyped-def]
                                        nearest: str) -> None:
    with pytest.raises(UsageError, match="nearest: ") as info:
        resolve_scope_code(given_code, lists)
    assert nearest in info.value.message


def test_without_code_lists_the_code_is_only_normalised() -> None:
    assert resolve_scope_code("0101", {}).code == "101"
