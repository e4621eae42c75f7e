"""Import an ODCS v3 document as a contractkit contract (the inverse of :mod:`.odcs_export`).

The document must first be a valid ODCS document (JSON Schema of the
``open-data-contract-standard`` package). Fields contractkit needs but ODCS cannot state
(recipient, purpose, legal basis, cadence …) are read from ``customProperties``; a document
written by another tool that lacks them is refused with one located problem per missing field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contractkit.contract.models import ColumnType, Contract, PersonalClass
from contractkit.errors import ContractError, ContractProblem, UsageError
from contractkit.interop.odcs_schema import odcs_problems

__all__ = ["load_odcs", "odcs_to_contract"]

_DECIMAL = re.compile(r"^\s*(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*$", re.I)
_FLOATS = frozenset({"DOUBLE", "FLOAT", "REAL", "FLOAT8", "FLOAT4", "DOUBLE PRECISION"})
_BY_LOGICAL = {
    "string": ColumnType.STRING,
    "integer": ColumnType.INTEGER,
    "boolean": ColumnType.BOOLEAN,
    "date": ColumnType.DATE,
    "timestamp": ColumnType.TIMESTAMP,
}
_REQUIRED_CUSTOM = ("direction", "provider", "recipient", "scope", "purpose", "legalBasis",
                    "personalData", "cadence", "fileFormat")


def load_odcs(path: Path) -> dict[str, Any]:
    """Read an ODCS document (YAML or JSON) into plain data.

    Raises:
        UsageError: the file does not exist or cannot be read.
        ContractError: the file is not a YAML/JSON mapping.
    """
    from contractkit.loader import load_yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContractError(path, [ContractProblem(
                "json-syntax", str(path), exc.lineno, exc.colno, "", exc.msg)]) from None
    else:
        data, _ = load_yaml(text, path)
        data = json.loads(json.dumps(data, default=str))  # dates as ISO strings, as in JSON
    if not isinstance(data, dict):
        raise ContractError(path, [ContractProblem(
            "not-a-mapping", str(path), 1, 1, "", "an ODCS document is a mapping")])
    return data


def _problem(path: Path, code: str, loc: str, message: str) -> ContractProblem:
    return ContractProblem(code, str(path), None, None, loc, message)


def _customs(obj: dict[str, Any]) -> dict[str, Any]:
    return {cp["property"]: cp["value"] for cp in obj.get("customProperties") or []}


def odcs_to_contract(document: dict[str, Any], path: Path = Path("<odcs>")) -> Contract:
    """Build the contract an ODCS ``document`` describes.

    Raises:
        ContractError: the document is not valid ODCS, lacks a contractkit custom property,
            or does not make a valid contract (every problem listed).
    """
    invalid = odcs_problems(document)
    if invalid:
        raise ContractError(path, [_problem(path, "odcs-schema", loc, msg) for loc, msg in invalid])
    custom = _customs(document)
    missing = [k for k in _REQUIRED_CUSTOM if k not in custom]
    if missing:
        raise ContractError(path, [
            _problem(path, "odcs-missing", f"customProperties.{k}",
                     f"custom property {k!r} is needed by contractkit and missing")
            for k in missing
        ])
    raw_team = document.get("team")
    team: dict[str, Any] = raw_team if isinstance(raw_team, dict) else {}
    if isinstance(raw_team, list):  # the deprecated v3.0 form: a list of members
        team = {"members": raw_team}
    members = team.get("members") or []
    steward = next((m for m in members if m.get("role") == "steward"), members[0] if members
                   else {"username": team.get("name", "unknown")})
    email = custom.get("stewardEmail")
    if email is None and "@" in steward["username"]:
        email = steward["username"]
    description = document.get("description") or {}
    data: dict[str, Any] = {
        "id": document["id"],
        "version": document["version"],
        "title": document.get("name", document["id"]),
        "description": description.get("purpose", ""),
        "status": document.get("status", "active"),
        "direction": custom["direction"],
        "owner": team.get("name") or steward.get("name") or steward["username"],
        "steward": {"name": steward.get("name") or steward["username"], "email": email},
        "source_system": document.get("domain"),
        "provider": custom["provider"],
        "recipient": custom["recipient"],
        "scope": custom["scope"],
        "purpose": custom["purpose"],
        "legal_basis": custom["legalBasis"],
        "personal_data": custom["personalData"],
        "cpr_exemption": custom.get("cprExemption"),
        "cadence": custom["cadence"],
        "format": custom["fileFormat"],
        "tables": [_table(obj) for obj in document.get("schema") or []],
        "notes": description.get("limitations"),
    }
    try:
        return Contract.model_validate(data)
    except ValidationError as exc:
        raise ContractError(path, [
            _problem(path, "invalid-value", ".".join(map(str, err["loc"])),
                     err["msg"].removeprefix("Value error, "))
            for err in exc.errors(include_url=False)
        ]) from None


def _table(obj: dict[str, Any]) -> dict[str, Any]:
    custom = _customs(obj)
    props = obj.get("properties") or []
    keyed = sorted((p.get("primaryKeyPosition", -1), i, p["name"])
                   for i, p in enumerate(props) if p.get("primaryKey"))
    table: dict[str, Any] = {
        "name": obj["name"],
        "description": obj.get("description", ""),
        "file_pattern": obj.get("physicalName", obj["name"]),
        "columns": [_column(p) for p in props if "columnFamily" not in _customs(p)],
        "column_families": [_family(p) for p in props if "columnFamily" in _customs(p)],
        "primary_key": [name for _, _, name in keyed] or custom.get("primaryKey"),
        "row_count": _row_count(obj.get("quality") or [], custom.get("rowCount")),
        "allow_extra_columns": custom.get("allowExtraColumns", False),
        "period_column": custom.get("periodColumn"),
        "min_cell_size": custom.get("minCellSize"),
        "references": [_reference(r) for r in obj.get("relationships") or []],
    }
    return table


def _names(ref: str | list[str]) -> tuple[str, list[str]]:
    refs = [ref] if isinstance(ref, str) else ref
    tables = {r.rsplit(".", 1)[0] for r in refs}
    return tables.pop() if len(tables) == 1 else ",".join(sorted(tables)), [
        r.rsplit(".", 1)[1] for r in refs
    ]


def _reference(rel: dict[str, Any]) -> dict[str, Any]:
    _, columns = _names(rel["from"])
    table, to_columns = _names(rel["to"])
    return {"columns": columns, "table": table, "to_columns": to_columns}


def _row_count(rules: list[dict[str, Any]], empty: object) -> dict[str, Any] | None:
    bounds: dict[str, Any] = {}
    for rule in rules:
        if rule.get("metric") != "rowCount":
            continue
        if "mustBeGreaterOrEqualTo" in rule:
            bounds["min"] = int(rule["mustBeGreaterOrEqualTo"])
        if "mustBeLessOrEqualTo" in rule:
            bounds["max"] = int(rule["mustBeLessOrEqualTo"])
        if "mustBeBetween" in rule:
            bounds["min"], bounds["max"] = (int(v) for v in rule["mustBeBetween"])
        if "mustBe" in rule:
            bounds["min"] = bounds["max"] = int(rule["mustBe"])
    if bounds:
        return bounds
    return {} if empty is not None else None


def _column_type(prop: dict[str, Any]) -> tuple[ColumnType, int | None, int | None]:
    physical = str(prop.get("physicalType", "")).strip()
    m = _DECIMAL.match(physical)
    if m:
        scale = int(m.group(2)) if m.group(2) is not None else None
        return ColumnType.DECIMAL, int(m.group(1)), scale
    logical = prop.get("logicalType", "string")
    if logical == "number":
        return ColumnType.FLOAT, None, None
    return _BY_LOGICAL.get(logical, ColumnType.STRING), None, None


def _column(prop: dict[str, Any]) -> dict[str, Any]:
    custom = _customs(prop)
    ctype, precision, scale = _column_type(prop)
    options = prop.get("logicalTypeOptions") or {}
    allowed = None
    for rule in prop.get("quality") or []:
        if rule.get("metric") == "invalidValues" and "validValues" in (rule.get("arguments") or {}):
            allowed = list(rule["arguments"]["validValues"])
    rng: dict[str, Any] | None = {
        k[:3]: options[k] for k in ("minimum", "maximum") if k in options
    } or (custom.get("range") if "range" in custom else None)
    classification = prop.get("classification", "none")
    personal = classification if classification in set(PersonalClass) else "none"
    return {
        "name": prop["name"],
        "type": ctype,
        "description": prop.get("description", ""),
        "required": prop.get("required", False),
        "unique": prop.get("unique", False),
        "precision": precision,
        "scale": scale,
        "allowed_values": allowed,
        "codelist": custom.get("codelist"),
        "range": rng,
        "pattern": options.get("pattern"),
        "max_length": options.get("maxLength"),
        "semantic": custom.get("semantic"),
        "personal": personal,
    }


def _family(prop: dict[str, Any]) -> dict[str, Any]:
    """A column family exported as one templated property (see odcs_export._family)."""
    spec = _customs(prop)["columnFamily"]
    rules = {k: v for k, v in _column(prop).items() if k != "name"}
    return {**rules, "template": spec.get("template"), "first": spec.get("first"),
            "last_offset": spec.get("lastOffset", 0), "first_source": spec.get("firstSource")}
