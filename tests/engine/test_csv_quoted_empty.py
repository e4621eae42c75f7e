"""CSV null semantics of a quoted empty field (``""``): null by default (as frictionless and
pandas read it, and as polars writes an empty string), an empty string when the contract's
format says ``quoted_empty: empty_string``. An unquoted empty field is null either way."""

from __future__ import annotations

from typing import Any

import pytest

from contractkit import load_contract
from contractkit.engine import validate_file

COLUMNS = [
    {"name": "id", "type": "integer"},
    {"name": "code", "type": "string", "required": False, "allowed_values": ["A", "B"]},
    {"name": "note", "type": "string"},
]
# row 1: "" in the optional coded column; row 2: unquoted empty there; row 3: "" in a
# required column; row 4: all present
RAW = 'id;code;note\n1;"";x\n2;;x\n3;A;""\n4;B;y\n'


def _validate(kit: Any, fmt: dict[str, Any]) -> set[tuple[int | None, str | None, str]]:
    contract = kit.contract({"columns": COLUMNS}, {"type": "csv", **fmt})
    rep = validate_file(load_contract(contract), kit.raw("case_2024-03.csv", RAW.encode()))
    return {(f.row, f.column, f.code) for f in rep.findings}


@pytest.mark.parametrize("fmt", [{}, {"quoted_empty": "null"}], ids=["default", "explicit"])
def test_quoted_empty_is_null_by_default(kit: Any, fmt: dict[str, Any]) -> None:
    assert load_contract(kit.contract({"columns": COLUMNS}, {"type": "csv", **fmt})
                         ).contract.format.quoted_empty == "null"  # type: ignore[union-attr]
    assert _validate(kit, fmt) == {(3, "note", "not-null")}


def test_quoted_empty_can_mean_an_empty_string(kit: Any) -> None:
    assert _validate(kit, {"quoted_empty": "empty_string"}) == {(1, "code", "not-allowed")}


def test_quoted_empty_with_another_null_marker(kit: Any) -> None:
    raw = 'id;code;note\n1;"";x\n2;NA;x\n3;A;""\n'
    for choice, want in (("null", {(3, "note", "not-null")}),
                         ("empty_string", {(1, "code", "not-allowed")})):
        contract = kit.contract({"columns": COLUMNS},
                                {"type": "csv", "null_value": "NA", "quoted_empty": choice})
        rep = validate_file(load_contract(contract), kit.raw("case_2024-03.csv", raw.encode()))
        assert {(f.row, f.column, f.code) for f in rep.findings} == want, choice


def test_an_unknown_choice_is_a_located_contract_error(kit: Any) -> None:
    from contractkit.errors import ContractError

    with pytest.raises(ContractError) as info:
        load_contract(kit.contract({"columns": COLUMNS}, {"type": "csv", "quoted_empty": "none"}))
    assert info.value.problems[0].loc == "format.quoted_empty"
