"""Validate documents against the ODCS JSON Schema shipped in ``open-data-contract-standard``.

The package's pydantic model accepts almost anything (DESIGN §5), so the JSON Schema is the
judge: it is draft 2019-09, checked with :class:`jsonschema.Draft201909Validator`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["ODCS_API_VERSION", "odcs_problems", "odcs_schema"]

ODCS_API_VERSION = "v3.1.0"
"""The ODCS release contractkit writes (the latest approved one)."""


@cache
def odcs_schema() -> dict[str, Any]:
    """The JSON Schema of ODCS as shipped by the ``open-data-contract-standard`` package."""
    text = resources.files("open_data_contract_standard").joinpath("schema.json").read_text(
        encoding="utf-8"
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def odcs_problems(document: object) -> list[tuple[str, str]]:
    """Every schema violation of ``document`` as ``(json path, message)``, in document order.

    An empty list means the document is a valid ODCS data contract.
    """
    from jsonschema import Draft201909Validator

    validator = Draft201909Validator(odcs_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return [(_path(e.absolute_path), _message(e)) for e in errors]


def _message(error: Any) -> str:
    """A message that names the rule but never echoes the offending value (it may be personal)."""
    if error.validator in ("required", "additionalProperties", "unevaluatedProperties"):
        return str(error.message)
    if error.validator == "enum":
        return "must be one of " + ", ".join(map(str, error.validator_value))
    if error.validator in ("type", "pattern", "const", "format"):
        return f"must match {error.validator} {error.validator_value!r}"
    return f"does not satisfy the schema's {error.validator!r} rule"


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "(document)"
