"""JSON Schema of the contract language, generated from the pydantic models.

Editors (VS Code's YAML extension) use it via the modeline
``# yaml-language-server: $schema=../schemas/contract.schema.json`` to autocomplete
contracts. The committed copy must equal :func:`contract_json_schema` (a test checks).
"""

from __future__ import annotations

import json
from typing import Any

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Contract

__all__ = ["SCHEMA_ID", "codelist_json_schema", "contract_json_schema", "render_schema"]

SCHEMA_ID = "https://contractkit.example/schemas/contract.schema.json"


def contract_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a contract document."""
    schema = Contract.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def codelist_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a code-list document."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **CodeList.model_json_schema(mode="validation"),
    }


def render_schema(schema: dict[str, Any]) -> str:
    """Serialise a schema exactly as it is committed (stable key order, UTF-8, newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
