"""Frictionless Table Schema export: every table of every contract, structurally valid."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from contractkit.contract.models import Contract
from contractkit.errors import UsageError
from contractkit.interop import contract_to_datapackage, contract_to_tableschema
from contractkit.loader import default_codelist_dir, load_codelists, load_contract

REPO = Path(__file__).resolve().parents[2]
CONTRACT_FILES = sorted((REPO / "contracts").glob("*.yaml"))
STRUCTURE = json.loads((Path(__file__).parent / "tableschema_structure.json").read_text("utf-8"))
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "COLUMNS": "400"})


def _structure_errors(schema: dict[str, Any]) -> list[str]:
    return [e.message for e in Draft7Validator(STRUCTURE).iter_errors(schema)]


def _load(path: Path) -> tuple[Contract, dict[str, Any]]:
    lc = load_contract(path)
    return lc.contract, load_codelists(default_codelist_dir(path))[0]


def test_the_structure_schema_itself_is_valid_and_rejects_garbage() -> None:
    Draft7Validator.check_schema(STRUCTURE)
    assert _structure_errors({"fields": []})
    assert _structure_errors({"fields": [{"name": "a", "type": "text"}]})
    assert _structure_errors({"fields": [{"name": "a", "type": "integer",
                                          "constraints": {"pattern": "x"}}]})


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=lambda p: p.stem)
def test_every_table_exports_a_valid_table_schema(path: Path) -> None:
    contract, lists = _load(path)
    for table in contract.tables:
        schema = contract_to_tableschema(contract, table.name, lists)
        assert _structure_errors(schema) == []
        assert [f["name"] for f in schema["fields"]] == table.column_names
        assert schema.get("primaryKey") == (table.primary_key or None)
        names = {f["name"] for f in schema["fields"]}
        for fk in schema.get("foreignKeys", []):
            assert set(fk["fields"]) <= names
            target = contract.table(fk["reference"]["resource"])
            assert target is not None
            assert set(fk["reference"]["fields"]) <= set(target.column_names)
        for field in schema["fields"]:
            pattern = field.get("constraints", {}).get("pattern")
            if pattern is not None:
                re.compile(pattern)
            col = table.column(field["name"])
            assert col is not None
            assert field.get("constraints", {}).get("required", False) == col.required


@pytest.mark.parametrize("path", CONTRACT_FILES, ids=lambda p: p.stem)
def test_data_package_holds_every_table(path: Path) -> None:
    contract, lists = _load(path)
    package = contract_to_datapackage(contract, lists)
    assert package["profile"] == "tabular-data-package"
    assert [r["name"] for r in package["resources"]] == [t.name for t in contract.tables]
    for resource in package["resources"]:
        assert _structure_errors(resource["schema"]) == []


def test_code_lists_and_semantics_become_constraints() -> None:
    contract, lists = _load(REPO / "contracts" / "dst-ledighed.yaml")
    fields = {f["name"]: f for f in contract_to_tableschema(contract, None, lists)["fields"]}
    kommune = fields["kommune_kode"]["constraints"]["enum"]
    assert len(kommune) == 98
    assert all(isinstance(k, int) for k in kommune)
    assert fields["koen"]["constraints"]["enum"] == ["M", "K"]
    assert fields["timer"]["type"] == "number"
    assert fields["timer"]["decimalChar"] == ","
    assert fields["timer"]["constraints"]["minimum"] == 0
    assert re.match(fields["uge"]["constraints"]["pattern"], "2024-W09")
    assert not re.match(fields["uge"]["constraints"]["pattern"], "2024-W60")


def test_several_tables_need_a_name_or_become_a_package() -> None:
    multi = next(p for p in CONTRACT_FILES if len(load_contract(p).contract.tables) > 1)
    contract, lists = _load(multi)
    with pytest.raises(UsageError):
        contract_to_tableschema(contract, None, lists)
    with pytest.raises(UsageError):
        contract_to_tableschema(contract, "no-such-table", lists)
    result = run("export", "tableschema", multi)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profile"] == "tabular-data-package"
    one = run("export", "tableschema", multi, "--table", contract.tables[0].name)
    assert _structure_errors(json.loads(one.stdout)) == []
    assert run("export", "tableschema", multi, "--table", "no-such-table").returncode == 2
