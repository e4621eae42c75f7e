"""Export Frictionless Table Schema (v1) descriptors from a contract.

One table gives one Table Schema; a contract with several tables gives a Tabular Data
Package whose resources carry each table's schema, CSV dialect and file-name pattern (so
``foreignKeys`` between tables resolve). The JSON is written here by hand, following the
Table Schema specification (https://specs.frictionlessdata.io/table-schema/).

Mapping: column types → ``string|integer|number|boolean|date|datetime``; ``required``,
``unique``, range → ``minimum``/``maximum``, ``pattern``, ``max_length`` → ``maxLength``;
allowed values and code lists (loaded from the contract's ``codelists/`` folder) → ``enum``;
semantic types without an explicit pattern get the pattern of their lexical form.
Column families (a column per week or month) have no Table Schema form: for a given period
their members are fields; without one each family is described once under the custom
``columnFamilies`` property.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from contractkit.contract.codelists import CodeList
from contractkit.contract.models import (
    Column,
    ColumnType,
    Contract,
    CsvFormat,
    SemanticType,
    Table,
)
from contractkit.contract.periods import Period, period_option
from contractkit.errors import UsageError

__all__ = ["contract_to_datapackage", "contract_to_tableschema", "table_to_tableschema"]

_TYPES: dict[ColumnType, str] = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "integer",
    ColumnType.DECIMAL: "number",
    ColumnType.FLOAT: "number",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "datetime",
}
_SEMANTIC_PATTERNS: dict[SemanticType, str] = {
    SemanticType.CPR: r"^[0-9]{6}-?[0-9]{4}$",
    SemanticType.PSEUDONYM: r"^[0-9a-f]{64}$",
    SemanticType.ISO_WEEK: r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$",
    SemanticType.PERIOD_MONTH: r"^[0-9]{4}-(0[1-9]|1[0-2])$",
}
_SEMANTIC_CODELISTS = {SemanticType.KOMMUNE_KODE: "kommuner", SemanticType.REGION_KODE: "regioner"}


def _bound(value: float | date, ctype: ColumnType) -> float | int | str:
    if isinstance(value, date):
        return value.isoformat()
    if ctype is ColumnType.INTEGER and float(value).is_integer():
        return int(value)
    return value


def _enum(column: Column, codelists: Mapping[str, CodeList]) -> list[Any] | None:
    values: list[Any] | None = None
    if column.allowed_values is not None:
        values = list(column.allowed_values)
    else:
        name = column.codelist or (
            _SEMANTIC_CODELISTS.get(column.semantic) if column.semantic else None
        )
        if name is not None and name in codelists:
            values = [v.code for v in codelists[name].values]
    if values is None:
        return None
    if column.type is ColumnType.INTEGER:
        try:
            return [int(v) for v in values]
        except ValueError:  # the spec also allows an integer field's enum as strings
            pass
    return [str(v) for v in values]


def _field(column: Column, fmt: CsvFormat | None, codelists: Mapping[str, CodeList]) -> dict[
    str, Any
]:
    field: dict[str, Any] = {"name": column.name, "type": _TYPES[column.type]}
    if column.description:
        field["description"] = column.description
    if column.type is ColumnType.DATE and fmt is not None and fmt.date_format != "%Y-%m-%d":
        field["format"] = fmt.date_format
    if column.type in (ColumnType.DECIMAL, ColumnType.FLOAT) and fmt is not None:
        field["decimalChar"] = fmt.decimal
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    enum = _enum(column, codelists)
    if enum is not None:
        constraints["enum"] = enum
    if column.range is not None:
        if column.range.min is not None:
            constraints["minimum"] = _bound(column.range.min, column.type)
        if column.range.max is not None:
            constraints["maximum"] = _bound(column.range.max, column.type)
    pattern = column.pattern or (
        _SEMANTIC_PATTERNS.get(column.semantic) if column.semantic else None
    )
    if pattern is not None and column.type is ColumnType.STRING:
        constraints["pattern"] = pattern
    if column.max_length is not None:
        constraints["maxLength"] = column.max_length
    if constraints:
        field["constraints"] = constraints
    return field


def table_to_tableschema(contract: Contract, table: Table,
                         codelists: Mapping[str, CodeList] | None = None,
                         period: Period | None = None) -> dict[str, Any]:
    """The Table Schema descriptor of one ``table`` of ``contract``.

    A table with column families has no fixed field list: for a ``period`` its members are
    listed as fields; without one the plain fields are listed and each family is described
    once under ``columnFamilies`` (template, first, lastOffset and its member's field).
    """
    fmt = contract.format if isinstance(contract.format, CsvFormat) else None
    lists = codelists or {}
    families = table.column_families
    if period is not None:
        table = table.for_period(period)
    schema: dict[str, Any] = {
        "fields": [_field(c, fmt, lists) for c in table.columns],
    }
    if period is None and families:
        schema["columnFamilies"] = [
            {"template": f.template, "first": f.first, "lastOffset": f.last_offset,
             "field": _field(f.as_column(), fmt, lists)} for f in families]
    if fmt is not None:
        schema["missingValues"] = [fmt.null_value]
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.references:
        schema["foreignKeys"] = [
            {"fields": list(r.columns),
             "reference": {"resource": r.table, "fields": list(r.to_columns)}}
            for r in table.references
        ]
    return schema


def contract_to_tableschema(contract: Contract, table: str | None = None,
                            codelists: Mapping[str, CodeList] | None = None,
                            period: str | None = None) -> dict[str, Any]:
    """The Table Schema of ``table`` (default: the contract's only table); ``period`` (a
    label such as ``2024-03``) lists column-family members as fields.

    Raises:
        UsageError: the table does not exist, the contract has several and none was named,
            or ``period`` is not a period of the contract's cadence.
    """
    when = period_option(contract.cadence.frequency, period)
    if table is None:
        if len(contract.tables) != 1:
            names = ", ".join(t.name for t in contract.tables)
            raise UsageError(f"{contract.id} has several tables ({names}); name one with --table "
                             "or export the data package")
        return table_to_tableschema(contract, contract.tables[0], codelists, when)
    found = contract.table(table)
    if found is None:
        names = ", ".join(t.name for t in contract.tables)
        raise UsageError(f"{contract.id} has no table {table!r} (tables: {names})")
    return table_to_tableschema(contract, found, codelists, when)



def _dialect(fmt: CsvFormat) -> dict[str, Any]:
    return {
        "delimiter": fmt.delimiter,
        "quoteChar": fmt.quote_char,
        "header": fmt.header,
        "lineTerminator": "\r\n" if fmt.line_ending == "crlf" else "\n",
    }


def contract_to_datapackage(contract: Contract,
                            codelists: Mapping[str, CodeList] | None = None,
                            period: str | None = None) -> dict[str, Any]:
    """A Tabular Data Package with one resource (and Table Schema) per table of ``contract``
    (``period``: see :func:`contract_to_tableschema`)."""
    fmt = contract.format
    when = period_option(contract.cadence.frequency, period)
    resources = []
    for t in contract.tables:
        resource: dict[str, Any] = {
            "name": t.name,
            "path": t.file_pattern,
            "profile": "tabular-data-resource",
            "format": fmt.type,
        }
        if t.description:
            resource["description"] = t.description
        if isinstance(fmt, CsvFormat):
            resource["encoding"] = "utf-8" if fmt.encoding == "utf-8-sig" else fmt.encoding
            resource["dialect"] = _dialect(fmt)
        resource["schema"] = table_to_tableschema(contract, t, codelists, when)
        resources.append(resource)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": contract.id,
        "title": contract.title,
        "version": contract.version,
        "resources": resources,
    }
    if contract.description:
        package["description"] = contract.description
    return package
