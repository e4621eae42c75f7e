"""Property: for generated ODCS documents, export(import(d)) keeps every field of d.

Documents are drawn from the shapes of the ODCS v3.0.2 and v3.1.0 JSON Schemas that the
import maps (identity, description, team, servers, SLA, schema objects, properties, library
quality rules, relationships) plus elements it only keeps aside (roles, tags, foreign custom
properties, SQL rules, authoritative definitions). Each drawn document is first checked
against the schema of the version it declares.
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contractkit.interop import contract_to_odcs, contract_to_yaml, odcs_problems
from contractkit.interop.odcs_import import import_odcs
from contractkit.loader import load_contract_text

NAMES = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8).filter(
    lambda s: s[0] != "_")
TEXT = st.text(alphabet=string.ascii_letters + " æøåÆØÅ.-", max_size=20)
LOGICAL = ["string", "integer", "number", "boolean", "date"]


def _rules(draw: st.DrawFn, v30: bool, logical: str) -> list[dict[str, Any]]:
    key = "rule" if v30 else "metric"
    rules: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["valid", "null", "dup", "missing", "sql", "threshold"]))
        if kind == "valid" and not v30:
            values = draw(st.lists(st.text(string.ascii_uppercase, min_size=1, max_size=3)
                                   if logical == "string" else st.integers(0, 99),
                                   min_size=1, max_size=4, unique=True))
            rules.append({"type": "library", key: "invalidValues",
                          "arguments": {"validValues": values}, "mustBe": 0})
        elif kind == "null":
            rules.append({"type": "library", key: "nullValues", "mustBe": 0})
        elif kind == "dup":
            rules.append({"type": "library", key: "duplicateValues", "mustBe": 0})
        elif kind == "missing" and not v30:
            rules.append({"type": "library", key: "missingValues",
                          "arguments": {"missingValues": [None, ""]}, "mustBe": 0})
        elif kind == "sql":
            rules.append({"type": "sql", "query": "SELECT 1", "mustBe": 1,
                          "description": draw(TEXT)})
        elif kind == "threshold":
            rules.append({"type": "library", key: "nullValues", "mustBeLessThan": 10,
                          "unit": "percent"})
    return rules


@st.composite
def _property(draw: st.DrawFn, name: str, v30: bool) -> dict[str, Any]:
    logical = draw(st.sampled_from(LOGICAL))
    prop: dict[str, Any] = {"name": name, "logicalType": logical}
    if draw(st.booleans()):
        prop["required"] = draw(st.booleans())
    if draw(st.booleans()):
        prop["unique"] = draw(st.booleans())
    if draw(st.booleans()):
        prop["description"] = draw(TEXT)
    if draw(st.booleans()):
        prop["classification"] = draw(st.sampled_from(
            ["public", "restricted", "direct", "quasi", "confidential"]))
    if logical == "number" and draw(st.booleans()):
        p = draw(st.integers(1, 38))
        prop["physicalType"] = f"DECIMAL({p},{draw(st.integers(0, p))})"
    if logical == "string" and draw(st.booleans()):
        options: dict[str, Any] = {}
        if draw(st.booleans()):
            options["maxLength"] = draw(st.integers(1, 50))
        if draw(st.booleans()):
            options["pattern"] = draw(st.sampled_from(["^[A-Z]+$", "^[0-9]{4}$", "[", "x+"]))
        prop["logicalTypeOptions"] = options
    if logical in ("integer", "number") and not v30 and draw(st.booleans()):
        low = draw(st.integers(-100, 100))
        prop["logicalTypeOptions"] = {"minimum": low, "maximum": low + draw(st.integers(0, 50))}
    if draw(st.booleans()):
        prop["examples"] = draw(st.lists(st.integers(0, 9) | TEXT, max_size=2))
    if draw(st.booleans()):
        prop["tags"] = draw(st.lists(NAMES, max_size=2))
    quality = _rules(draw, v30, logical)
    if quality:
        prop["quality"] = quality
    return prop


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    api = draw(st.sampled_from(["v3.0.2", "v3.1.0"]))
    v30 = api.startswith("v3.0")
    doc: dict[str, Any] = {
        "apiVersion": api, "kind": "DataContract",
        "id": draw(st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=12)),
        "version": draw(st.sampled_from(["1.0.0", "2", "0.1", "v1"])),
        "status": draw(st.sampled_from(["active", "draft", "production", "retired"])),
    }
    if draw(st.booleans()):
        doc["name"] = draw(TEXT)
    if draw(st.booleans()):
        doc["description"] = {k: draw(TEXT) for k in draw(st.sets(st.sampled_from(
            ["purpose", "usage", "limitations"])))}
    if draw(st.booleans()):
        member = {"username": draw(st.sampled_from(["a@example.org", "bob"])),
                  "role": draw(st.sampled_from(["steward", "owner", "analyst"]))}
        doc["team"] = [member] if v30 else {"name": draw(TEXT), "members": [member]}
    if draw(st.booleans()):
        doc["servers"] = [{"server": "s", "type": "local", "path": "./x",
                           "format": draw(st.sampled_from(["csv", "parquet", "json"]))}]
    if draw(st.booleans()):
        doc["slaProperties"] = [{"property": "frequency", "value": draw(st.sampled_from([1, 3])),
                                 "unit": draw(st.sampled_from(["d", "m", "y"]))}]
    if draw(st.booleans()):
        doc["roles"] = [{"role": "reader", "access": "read"}]
    if draw(st.booleans()):
        doc["tags"] = draw(st.lists(NAMES, max_size=3))
    if draw(st.booleans()):
        doc["customProperties"] = [{"property": "team_size", "value": draw(st.integers(1, 9))}]
    tables = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
    schema = []
    for t in tables:
        cols = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
        obj: dict[str, Any] = {"name": t, "properties": [draw(_property(c, v30)) for c in cols]}
        if draw(st.booleans()):
            obj["physicalName"] = draw(st.sampled_from([f"{t}.csv", f"{t}_{{period}}.parquet",
                                                        f"tbl_{t}"]))
        if draw(st.booleans()):
            obj["physicalType"] = "table"
        if draw(st.booleans()):
            obj["description"] = draw(TEXT)
        if draw(st.booleans()):
            key = "rule" if v30 else "metric"
            obj["quality"] = [{"type": "library", key: "rowCount",
                               "mustBeGreaterThan": draw(st.integers(0, 10))}]
        if not v30 and len(cols) > 1 and draw(st.booleans()):
            obj["relationships"] = [{"type": "foreignKey", "from": f"{t}.{cols[0]}",
                                     "to": f"{tables[0]}.{cols[1]}"}]
        schema.append(obj)
    if draw(st.booleans()):
        schema.append({"name": "topic_x", "physicalType": "topic"})
    doc["schema"] = schema
    return doc


def contained(part: Any, whole: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            k in whole and contained(v, whole[k]) for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(contained(x, y) for y in whole) for x in part)
    if isinstance(part, bool) or isinstance(whole, bool):
        return type(part) is type(whole) and part == whole
    return bool(part == whole)


@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents())
def test_export_of_import_keeps_every_field(doc: dict[str, Any]) -> None:
    assume(odcs_problems(doc) == [])
    contract = import_odcs(doc).contract
    exported = json.loads(json.dumps(contract_to_odcs(contract)))
    assert odcs_problems(exported) == []
    assert contained(doc, exported)
    # the contract survives its own YAML, and a second import keeps every field too
    assert load_contract_text(contract_to_yaml(contract), Path("x.yaml")).contract == contract
    assert contained(doc, contract_to_odcs(import_odcs(exported).contract))
