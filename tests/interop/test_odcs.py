"""ODCS v3 export/import: schema-valid exports and an exact round trip for every contract."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contractkit.errors import ContractError
from contractkit.interop import (
    ODCS_API_VERSION,
    contract_to_odcs,
    contract_to_yaml,
    odcs_problems,
    odcs_to_contract,
)
from contractkit.loader import load_contract, load_contract_text

REPO = Path(__file__).resolve().parents[2]
CONTRACT_FILES = sorted((REPO / "contracts").glob("*.yaml"))
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "COLUMNS": "400"})


def test_there_are_contracts_to_test() -> None:
    assert CONTRACT_FILES


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=lambda p: p.stem)
def test_export_is_valid_odcs(path: Path) -> None:
    doc = contract_to_odcs(load_contract(path).contract)
    assert odcs_problems(doc) == []
    assert doc["apiVersion"] == ODCS_API_VERSION
    assert doc["kind"] == "DataContract"
    assert {"version", "apiVersion", "kind", "id", "status"} <= doc.keys()


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=lambda p: p.stem)
def test_round_trip_equals_original(path: Path) -> None:
    original = load_contract(path).contract
    doc = json.loads(json.dumps(contract_to_odcs(original)))  # through real JSON
    assert odcs_to_contract(doc) == original
    # ...and the imported contract written as YAML loads back to the same contract
    text = contract_to_yaml(odcs_to_contract(doc))
    assert text.startswith("# yaml-language-server: $schema=")
    assert load_contract_text(text, path).contract == original


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=lambda p: p.stem)
def test_contractkit_fields_travel_in_custom_properties(path: Path) -> None:
    c = load_contract(path).contract
    doc = contract_to_odcs(c)
    custom = {cp["property"]: cp["value"] for cp in doc["customProperties"]}
    assert custom["legalBasis"][0]["text"] == c.legal_basis[0].text
    assert custom["recipient"]["code"] == c.recipient.code
    assert custom["personalData"] == c.personal_data.value
    assert custom["cadence"]["frequency"] == c.cadence.frequency.value
    assert custom["scope"]["kind"] == c.scope.kind.value


def test_allowed_values_are_a_quality_rule_and_keys_are_native() -> None:
    c = load_contract(REPO / "contracts" / "dst-ledighed.yaml").contract
    doc = contract_to_odcs(c)
    props = {p["name"]: p for p in doc["schema"][0]["properties"]}
    rule = props["koen"]["quality"][0]
    assert (rule["type"], rule["metric"]) == ("library", "invalidValues")
    assert rule["arguments"]["validValues"] == ["M", "K"]
    assert "enum" not in props["koen"]  # enum is ODCS 3.2, not 3.1
    assert [(n, p.get("primaryKeyPosition")) for n, p in props.items() if p.get("primaryKey")] == [
        ("cpr", 1), ("uge", 2)]
    assert props["timer"]["physicalType"] == "DECIMAL(5,2)"
    assert props["timer"]["logicalTypeOptions"] == {"minimum": 0, "maximum": 37}
    assert props["cpr"]["classification"] == "direct"


def _doc() -> dict[str, Any]:
    return contract_to_odcs(load_contract(REPO / "contracts" / "dst-ledighed.yaml").contract)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("apiVersion"),
        lambda d: d.update(kind="Contract"),
        lambda d: d["schema"][0].update(bogus=1),
        lambda d: d["schema"][0]["properties"][0].update(logicalType="text"),
        lambda d: d["customProperties"].append({"property": "x"}),
    ],
    ids=["no-apiVersion", "wrong-kind", "unknown-key", "bad-logical-type", "custom-without-value"],
)
def test_invalid_odcs_is_refused(breakage: Any) -> None:
    doc = _doc()
    breakage(doc)
    assert odcs_problems(doc)
    with pytest.raises(ContractError) as info:
        odcs_to_contract(doc)
    assert {p.code for p in info.value.problems} == {"odcs-schema"}


def test_foreign_odcs_without_contractkit_fields_is_a_draft_with_each_field_a_placeholder(
) -> None:
    doc = copy.deepcopy(_doc())
    doc.pop("customProperties")
    assert odcs_problems(doc) == []
    contract = odcs_to_contract(doc)
    assert contract.status.value == "draft"
    assert {"legal_basis", "recipient", "direction", "scope"} <= set(contract.placeholders)


def test_schema_messages_never_echo_values() -> None:
    doc = _doc()
    doc["schema"][0]["properties"][0]["logicalType"] = "010190-1234"
    assert all("010190-1234" not in msg for _, msg in odcs_problems(doc))


def test_cli_round_trip(tmp_path: Path) -> None:
    src = REPO / "contracts" / "dst-ledighed.yaml"
    before = src.read_bytes()
    out = tmp_path / "dst.odcs.yaml"
    exported = run("export", "odcs", src, "-o", out)
    assert exported.returncode == 0, exported.stderr
    as_json = run("export", "odcs", src, "--json")
    assert as_json.returncode == 0
    assert odcs_problems(json.loads(as_json.stdout)) == []
    back = tmp_path / "contracts" / "dst-ledighed.yaml"
    imported = run("import", "odcs", out, "-o", back)
    assert imported.returncode == 0, imported.stderr
    assert load_contract(back).contract == load_contract(src).contract
    assert src.read_bytes() == before  # inputs are never modified


def test_cli_import_of_bad_input_exits_2(tmp_path: Path) -> None:
    assert run("import", "odcs", tmp_path / "missing.yaml").returncode == 2
    broken = tmp_path / "broken.json"
    doc = _doc()
    doc.pop("apiVersion")
    broken.write_text(json.dumps(doc), encoding="utf-8")
    result = run("import", "odcs", broken)
    assert result.returncode == 2
    assert "apiVersion" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v3.1.0\nkind: [\n", encoding="utf-8")
    assert run("import", "odcs", broken).returncode == 2


def test_cli_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    odcs = tmp_path / "c.odcs.yaml"
    assert run("export", "odcs", REPO / "contracts" / "dst-ledighed.yaml", "-o", odcs
               ).returncode == 0
    before = odcs.read_bytes()
    assert run("import", "odcs", odcs, "-o", odcs).returncode == 2
    assert odcs.read_bytes() == before


def test_cli_export_of_invalid_contract_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    assert run("export", "odcs", bad).returncode == 2
    assert run("export", "tableschema", bad).returncode == 2


def test_column_families_travel_in_custom_properties() -> None:
    from contractkit.contract.models import ColumnFamily

    c = load_contract(REPO / "contracts" / "dst-ledighed.yaml").contract
    family = ColumnFamily(type="string", template="y_{YYWW}", first="2024-W01",
                          allowed_values=["111", "651"], required=False,
                          description="Ydelseskode pr. uge")
    table = c.tables[0].model_copy(update={"column_families": [family]})
    with_family = c.model_copy(update={"tables": [table, *c.tables[1:]]})
    doc = json.loads(json.dumps(contract_to_odcs(with_family)))
    assert odcs_problems(doc) == []
    custom = {cp["property"]: cp["value"] for cp in doc["schema"][0]["customProperties"]}
    assert custom["columnFamilies"][0]["template"] == "y_{YYWW}"
    assert odcs_to_contract(doc) == with_family


def test_each_document_is_judged_by_the_schema_of_its_declared_version() -> None:
    from contractkit.interop.odcs_schema import odcs_schema, odcs_schema_version

    base = {"kind": "DataContract", "id": "x", "version": "1.0.0", "status": "active",
            "schema": [{"name": "t", "properties": [{"name": "a"}]}]}  # no logicalType
    for declared in ("v3.0.0", "v3.0.1", "v3.0.2", "v3.1.0"):
        doc = {**base, "apiVersion": declared}
        assert odcs_problems(doc) == [], declared
        assert odcs_schema_version(doc) == declared
        assert declared in odcs_schema(declared)["properties"]["apiVersion"]["enum"]
    # v3.0's isNullable-era team list is valid for v3.0.x, not a v3.1-only shape
    assert odcs_problems({**base, "apiVersion": "v3.0.2",
                          "team": [{"username": "a", "role": "owner"}]}) == []
    assert odcs_problems({**base, "apiVersion": "v9.9.9"})  # unknown version: refused
