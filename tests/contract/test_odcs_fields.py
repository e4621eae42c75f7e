"""The contract fields an ODCS import fills: placeholders, odcs_extra, column examples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from contractkit.contract.models import Column, Contract
from contractkit.lint import lint_contract
from contractkit.loader import LoadedContract, load_contract

REPO = Path(__file__).resolve().parents[2]


def _contract() -> Contract:
    return load_contract(REPO / "contracts" / "dst-ledighed.yaml").contract


def test_defaults_leave_existing_contracts_unchanged() -> None:
    c = _contract()
    assert c.placeholders == []
    assert c.odcs_extra is None


def test_opaque_data_stays_json_data() -> None:
    data = _contract().model_dump()
    data["odcs_extra"] = {"contractCreatedTs": date(2024, 1, 2), "roles[+]": [{"d": date(2024, 1, 3)}]}
    c = Contract.model_validate(data)
    assert c.odcs_extra == {"contractCreatedTs": "2024-01-02", "roles[+]": [{"d": "2024-01-03"}]}
    col = Column(name="x", type="date", examples=[date(2024, 1, 1), "2024-02-01"])
    assert col.examples == ["2024-01-01", "2024-02-01"]


def test_lint_reports_each_placeholder_as_an_error() -> None:
    c = _contract().model_copy(update={"placeholders": ["recipient", "legal_basis"]})
    found = [(p.code, p.loc, p.severity) for p in
             lint_contract(LoadedContract(c, Path("x.yaml")), {})
             if p.code == "draft-placeholder"]
    assert found == [("draft-placeholder", "recipient", "error"),
                     ("draft-placeholder", "legal_basis", "error")]
