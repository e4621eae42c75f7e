"""Validate documents against the ODCS JSON Schema of the version they declare.

The ``open-data-contract-standard`` package's pydantic model accepts almost anything
(DESIGN §5), so a JSON Schema is the judge: draft 2019-09, checked with
:class:`jsonschema.Draft201909Validator`. The installed package ships one schema (its own
release); a document declaring an older ``apiVersion`` can fail it for no fault of its own,
so the schemas of earlier releases, as that package shipped them, are kept in
``odcs_schemas/`` and each document is judged by the one of its declared version.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "ODCS_API_VERSION",
    "odcs_problems",
    "odcs_schema",
    "odcs_schema_version",
]

ODCS_API_VERSION = "v3.1.0"
"""The ODCS release contractkit writes (the latest approved one)."""

_BUNDLED = {
    "v3.0.0": "odcs-v3.0.1.json",
    "v3.0.1": "odcs-v3.0.1.json",
    "v3.0.2": "odcs-v3.0.2.json",
    "v3.1.0": "odcs-v3.1.0.json",
}
"""Declared apiVersion → bundled schema file (anything else: the installed package's)."""


@cache
def _load(name: str | None) -> dict[str, Any]:
    if name is None:
        files = resources.files("open_data_contract_standard").joinpath("schema.json")
    else:
        files = resources.files("contractkit.interop").joinpath("odcs_schemas", name)
    schema: dict[str, Any] = json.loads(files.read_text(encoding="utf-8"))
    return schema


def odcs_schema(api_version: str | None = None) -> dict[str, Any]:
    """The ODCS JSON Schema that judges documents declaring ``api_version``.

    ``None`` (or a version without a bundled schema, e.g. v3.2.0) gives the schema of the
    installed ``open-data-contract-standard`` package.
    """
    return _load(_BUNDLED.get(api_version or ""))


def odcs_schema_version(document: object) -> str:
    """Which schema judges ``document``: its declared apiVersion, or the package's."""
    declared = document.get("apiVersion") if isinstance(document, dict) else None
    if isinstance(declared, str) and declared in _BUNDLED:
        return declared
    enum = _load(None)["properties"]["apiVersion"].get("enum") or ["the installed package's"]
    return str(enum[0])


def odcs_problems(document: object) -> list[tuple[str, str]]:
    """Every schema violation of ``document`` as ``(json path, message)``, in document order.

    The document is judged by the schema of the apiVersion it declares. An empty list means
    the document is a valid ODCS data contract. Messages never echo a value of the document
    (it may be personal).
    """
    from jsonschema import Draft201909Validator

    declared = document.get("apiVersion") if isinstance(document, dict) else None
    validator = Draft201909Validator(odcs_schema(declared if isinstance(declared, str) else None))
    errors = sorted(validator.iter_errors(document),
                    key=lambda e: (list(map(str, e.absolute_path)), str(e.validator)))
    found: list[tuple[str, str]] = []
    for error in errors:
        item = (json_path(error.absolute_path), _message(error))
        if item not in found:
            found.append(item)
    return found


def _message(error: Any) -> str:
    """A message that names the rule but never echoes the offending value (it may be personal)."""
    if error.validator in ("required", "additionalProperties", "unevaluatedProperties"):
        return str(error.message)  # names keys, never values
    if error.validator == "enum":
        return "must be one of " + ", ".join(map(str, error.validator_value))
    if error.validator in ("type", "pattern", "const", "format"):
        return f"must match {error.validator} {error.validator_value!r}"
    return f"does not satisfy the schema's {error.validator!r} rule"


def json_path(parts: Any) -> str:
    """Render path parts as ``schema[0].properties[2].logicalType`` (``(document)`` if none)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "(document)"
