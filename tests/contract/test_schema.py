"""The committed JSON Schema of the contract language is current and validates contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jsonschema import Draft202012Validator

from contractkit.contract.jsonschema import (
    codelist_json_schema,
    contract_json_schema,
    render_schema,
)
from contractkit.loader import load_yaml

BIN = Path(sys.executable).parent / "contractkit"


def test_committed_schema_is_not_stale(repo_root: Path) -> None:
    committed = (repo_root / "schemas" / "contract.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema(contract_json_schema()), "run `contractkit schema`"


def test_schema_check_command(repo_root: Path, tmp_path: Path) -> None:
    ok = subprocess.run([str(BIN), "schema", "--check", "-o", str(repo_root / "schemas")],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout
    stale = tmp_path / "schemas"
    stale.mkdir()
    (stale / "contract.schema.json").write_text("{}\n", encoding="utf-8")
    bad = subprocess.run([str(BIN), "schema", "--check", "-o", str(stale)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "stale" in bad.stdout


def test_every_repository_contract_validates_against_the_schema(contracts_dir: Path) -> None:
    schema = json.loads(render_schema(contract_json_schema()))
    validator = Draft202012Validator(schema)
    for path in sorted(contracts_dir.glob("*.yaml")):
        data, _ = load_yaml(path.read_text(encoding="utf-8"), path)
        data = json.loads(json.dumps(data, default=str))
        errors = list(validator.iter_errors(data))
        assert errors == [], (path, [e.message for e in errors])


def test_schema_documents_fields_for_editors() -> None:
    schema = contract_json_schema()
    assert schema["properties"]["personal_data"]["description"]
    column = schema["$defs"]["Column"]["properties"]
    assert all(p.get("description") for p in column.values())


def test_every_field_of_every_model_carries_its_description() -> None:
    # descriptions come from Field(description=...) alone (attribute docstrings cost start-up
    # time and are not read): a field without one would reach editors undocumented
    for schema in (contract_json_schema(), codelist_json_schema()):
        for name, model in [("", schema), *schema["$defs"].items()]:
            for field, prop in model.get("properties", {}).items():
                assert prop.get("description"), f"{name}.{field} has no description"
