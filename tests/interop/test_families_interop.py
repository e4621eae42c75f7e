"""Column families in ODCS and Table Schema exports: ODCS carries each family as one
templated property and round-trips exactly; Table Schema describes the family once, or
lists its members for a given period."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from contractkit.errors import UsageError
from contractkit.interop import (
    contract_to_datapackage,
    contract_to_odcs,
    contract_to_tableschema,
    contract_to_yaml,
    odcs_problems,
    odcs_to_contract,
)
from contractkit.loader import load_contract, load_contract_text

Write = Callable[..., Path]
BIN = Path(sys.executable).parent / "contractkit"
STRUCTURE = json.loads((Path(__file__).parent / "tableschema_structure.json").read_text("utf-8"))

FAMILIES = """\
    column_families:
      - template: "y_{YYWW}"
        first: "2024-W10"
        type: string
        required: false
        codelist: ydelser
        first_source: "DREAM-dokumentation"
      - template: "grad_{YYYY_MM}"
        first: "2024-01"
        last_offset: -1
        type: integer
        required: false
        range: {min: 0, max: 100}
"""


@pytest.fixture
def family_contract(write_contract: Write, base_text: str) -> Path:
    return write_contract(base_text.replace("    columns:\n", FAMILIES + "    columns:\n", 1))


def test_odcs_export_is_valid_and_round_trips(family_contract: Path) -> None:
    original = load_contract(family_contract).contract
    doc = json.loads(json.dumps(contract_to_odcs(original)))
    assert odcs_problems(doc) == []
    props = doc["schema"][0]["properties"]
    assert [p["name"] for p in props][-2:] == ["y_YYWW", "grad_YYYY_MM"]
    custom = {cp["property"]: cp["value"] for cp in props[-2]["customProperties"]}
    assert custom["columnFamily"] == {"template": "y_{YYWW}", "first": "2024-W10",
                                      "lastOffset": 0, "firstSource": "DREAM-dokumentation"}
    assert custom["codelist"] == "ydelser"
    assert odcs_to_contract(doc) == original
    text = contract_to_yaml(odcs_to_contract(doc))
    assert load_contract_text(text, family_contract).contract == original


def test_table_schema_describes_each_family_once(family_contract: Path) -> None:
    contract = load_contract(family_contract).contract
    schema = contract_to_tableschema(contract)
    assert [f["name"] for f in schema["fields"]] == contract.tables[0].column_names
    assert [(f["template"], f["field"]["name"]) for f in schema["columnFamilies"]] == [
        ("y_{YYWW}", "y_YYWW"), ("grad_{YYYY_MM}", "grad_YYYY_MM")]
    assert list(Draft7Validator(STRUCTURE).iter_errors(schema)) == []
    package = contract_to_datapackage(contract)
    assert "columnFamilies" in package["resources"][0]["schema"]


def test_table_schema_for_a_period_lists_the_members(family_contract: Path) -> None:
    contract = load_contract(family_contract).contract
    schema = contract_to_tableschema(contract, period="2024-03")
    names = [f["name"] for f in schema["fields"]]
    assert names[-6:] == ["y_2410", "y_2411", "y_2412", "y_2413", "grad_2024_01",
                          "grad_2024_02"]
    assert "columnFamilies" not in schema
    assert list(Draft7Validator(STRUCTURE).iter_errors(schema)) == []
    with pytest.raises(UsageError, match="--period"):
        contract_to_tableschema(contract, period="2024-W10")


def test_cli_export_with_and_without_period(family_contract: Path) -> None:
    env = {**os.environ, "COLUMNS": "400"}
    for extra, members in (((), False), (("--period", "2024-03"), True)):
        done = subprocess.run([str(BIN), "export", "tableschema", str(family_contract), *extra],
                              capture_output=True, text=True, timeout=120, check=False, env=env)
        assert done.returncode == 0, done.stderr
        names = [f["name"] for f in json.loads(done.stdout)["fields"]]
        assert ("y_2413" in names) is members
    done = subprocess.run([str(BIN), "export", "odcs", str(family_contract)],
                          capture_output=True, text=True, timeout=120, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert "columnFamily" in done.stdout
