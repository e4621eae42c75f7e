"""Export a contract as an Open Data Contract Standard (ODCS) v3.1.0 document.

What ODCS can say is said in ODCS's own fields: identity, status, description, team and
steward, tables (``schema`` objects) with their columns (``properties``: logical/physical
type, required, unique, primary key, string length/pattern, numeric/date bounds,
classification), foreign keys (``relationships``), allowed values (a ``library`` quality rule
``invalidValues`` with ``validValues`` — ODCS before 3.2 has no per-column enum) and row-count
bounds (``rowCount`` quality rules). What ODCS cannot say — recipient, provider, scope,
purpose, legal basis, personal-data class, CPR exemption, cadence, CSV dialect, semantic
types, code lists, column families (one templated property each, e.g. ``y_YYWW``, with a
``columnFamily`` custom property) — travels in ``customProperties`` so :mod:`contractkit.interop.odcs_import`
rebuilds the very same contract.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contractkit.contract.models import (
    Column,
    ColumnFamily,
    ColumnType,
    Contract,
    CsvFormat,
    Range,
    RowCount,
    Table,
)
from contractkit.interop.odcs_schema import ODCS_API_VERSION

__all__ = ["LOGICAL_TYPES", "contract_to_odcs", "physical_type"]

LOGICAL_TYPES: dict[ColumnType, str] = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "integer",
    ColumnType.DECIMAL: "number",
    ColumnType.FLOAT: "number",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamp",
}
"""ODCS logical type of each column type (decimal/float are told apart by physicalType)."""

_PHYSICAL: dict[ColumnType, str] = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.FLOAT: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMP",
}


def physical_type(column: Column) -> str:
    """The SQL type of ``column`` as written in ODCS ``physicalType`` (e.g. ``DECIMAL(5,2)``)."""
    if column.type is ColumnType.DECIMAL:
        if column.scale is None:
            return f"DECIMAL({column.precision})"
        return f"DECIMAL({column.precision},{column.scale})"
    return _PHYSICAL[column.type]


def _custom(**values: Any) -> list[dict[str, Any]]:
    return [{"property": k, "value": v} for k, v in values.items() if v is not None]


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_none=True) if model is not None else None


def contract_to_odcs(contract: Contract) -> dict[str, Any]:
    """Map ``contract`` to an ODCS v3.1.0 document (plain JSON-ready data).

    The result validates against the package's JSON Schema (tested for every contract).
    """
    c = contract
    doc: dict[str, Any] = {
        "apiVersion": ODCS_API_VERSION,
        "kind": "DataContract",
        "id": c.id,
        "version": c.version,
        "name": c.title,
        "status": c.status.value,
    }
    description: dict[str, Any] = {}
    if c.description:
        description["purpose"] = c.description
    if c.notes is not None:
        description["limitations"] = c.notes
    if description:
        doc["description"] = description
    if c.source_system is not None:
        doc["domain"] = c.source_system
    doc["tags"] = [c.direction.value, c.purpose.value, c.recipient.code]
    steward: dict[str, Any] = {"username": c.steward.email or c.steward.name,
                               "name": c.steward.name, "role": "steward"}
    doc["team"] = {"name": c.owner, "members": [steward]}
    if c.steward.email:
        doc["support"] = [{"channel": "email", "tool": "email", "url": f"mailto:{c.steward.email}"}]
    fmt = c.format
    server: dict[str, Any] = {
        "server": "delivery", "type": "local",
        "path": f"deliveries/{c.id}/{{period}}/", "format": fmt.type,
    }
    if isinstance(fmt, CsvFormat):
        server["encoding"] = fmt.encoding
    doc["servers"] = [server]
    doc["schema"] = [_table(t) for t in c.tables]
    doc["customProperties"] = _custom(
        direction=c.direction.value,
        provider=_dump(c.provider),
        recipient=_dump(c.recipient),
        scope=_dump(c.scope),
        purpose=c.purpose.value,
        legalBasis=[_dump(lb) for lb in c.legal_basis],
        personalData=c.personal_data.value,
        cprExemption=_dump(c.cpr_exemption),
        cadence=_dump(c.cadence),
        fileFormat=_dump(c.format),
        stewardEmail=c.steward.email,
    )
    return doc


def _table(table: Table) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "name": table.name,
        "physicalType": "file",
        "physicalName": table.file_pattern,
        "logicalType": "object",
    }
    if table.description:
        obj["description"] = table.description
    key = table.primary_key or []
    obj["properties"] = [_column(col, key) for col in table.columns] + [
        _family(f) for f in table.column_families]
    if table.references:
        obj["relationships"] = [
            {
                "type": "foreignKey",
                "from": _ref(table.name, ref.columns),
                "to": _ref(ref.table, ref.to_columns),
            }
            for ref in table.references
        ]
    quality = _row_count_rules(table)
    if quality:
        obj["quality"] = quality
    custom = _custom(
        allowExtraColumns=table.allow_extra_columns or None,
        periodColumn=table.period_column,
        minCellSize=_dump(table.min_cell_size),
        # a row_count without bounds has no ODCS rule; keep it so the round trip is exact
        rowCount={} if table.row_count == RowCount() else None,
    )
    if table.primary_key is not None and not table.primary_key:
        custom.append({"property": "primaryKey", "value": []})
    if custom:
        obj["customProperties"] = custom
    return obj


def _ref(table: str, columns: list[str]) -> str | list[str]:
    refs = [f"{table}.{c}" for c in columns]
    return refs[0] if len(refs) == 1 else refs


def _row_count_rules(table: Table) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    rc = table.row_count
    if rc is None:
        return rules
    if rc.min is not None:
        rules.append({"type": "library", "metric": "rowCount", "mustBeGreaterOrEqualTo": rc.min,
                      "dimension": "completeness"})
    if rc.max is not None:
        rules.append({"type": "library", "metric": "rowCount", "mustBeLessOrEqualTo": rc.max,
                      "dimension": "completeness"})
    return rules


def _bound(value: float | date) -> float | str:
    return value.isoformat() if isinstance(value, date) else value


def _column(col: Column, key: list[str]) -> dict[str, Any]:
    prop: dict[str, Any] = {
        "name": col.name,
        "logicalType": LOGICAL_TYPES[col.type],
        "physicalType": physical_type(col),
        "required": col.required,
        "unique": col.unique,
        "classification": col.personal.value,
    }
    if col.description:
        prop["description"] = col.description
    if col.name in key:
        prop["primaryKey"] = True
        prop["primaryKeyPosition"] = key.index(col.name) + 1
    options: dict[str, Any] = {}
    if col.pattern is not None:
        options["pattern"] = col.pattern
    if col.max_length is not None:
        options["maxLength"] = col.max_length
    options.update(_range_options(col.range))
    if options:
        prop["logicalTypeOptions"] = options
    if col.allowed_values is not None:
        prop["quality"] = [{
            "type": "library", "metric": "invalidValues",
            "arguments": {"validValues": list(col.allowed_values)},
            "mustBe": 0, "dimension": "conformity",
        }]
    custom = _custom(
        semantic=col.semantic.value if col.semantic else None,
        codelist=col.codelist,
        range={} if col.range == Range() else None,
    )
    if custom:
        prop["customProperties"] = custom
    return prop


def _family(family: ColumnFamily) -> dict[str, Any]:
    """A column family as one templated property (named ``y_YYWW``); what makes it a family
    travels in the ``columnFamily`` custom property (ODCS has no templated columns)."""
    prop = _column(family.as_column(), [])
    spec = {"template": family.template, "first": family.first,
            "lastOffset": family.last_offset, "firstSource": family.first_source}
    prop.setdefault("customProperties", []).append(
        {"property": "columnFamily", "value": {k: v for k, v in spec.items() if v is not None}})
    return prop


def _range_options(rng: Range | None) -> dict[str, Any]:
    if rng is None:
        return {}
    out: dict[str, Any] = {}
    if rng.min is not None:
        out["minimum"] = _bound(rng.min)
    if rng.max is not None:
        out["maximum"] = _bound(rng.max)
    return out
