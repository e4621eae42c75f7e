"""ODCS ``schema`` objects → tables, ``properties`` → columns, library quality rules → rules.

Lenient by design: any property of a valid ODCS document becomes a column. A value the
contract language cannot hold (a regular expression Python cannot compile, a bound of the
wrong kind, a non-scalar allowed value …) is left unmapped and named in
:attr:`TableMapping.unmapped`; it is not lost, since the import keeps every element the
export does not reproduce (:mod:`contractkit.interop.odcs_extra`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError

from contractkit.contract.base import COLUMN_NAME, IDENT, KNOWN_PLACEHOLDERS, PLACEHOLDER
from contractkit.contract.models import Column, ColumnType, PersonalClass

__all__ = ["TableMapping", "column_name", "customs", "ident", "map_table", "metric"]

_DECIMAL = re.compile(r"^\s*(?:DECIMAL|NUMERIC|NUMBER)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*$", re.I)
_BY_LOGICAL = {
    "string": ColumnType.STRING,
    "integer": ColumnType.INTEGER,
    "number": ColumnType.FLOAT,
    "boolean": ColumnType.BOOLEAN,
    "date": ColumnType.DATE,
    "timestamp": ColumnType.TIMESTAMP,
}
_BY_PHYSICAL = (
    (re.compile(r"^(BIG|SMALL|TINY|MEDIUM)?INT(EGER)?\d*$|^LONG$|^SHORT$", re.I), ColumnType.INTEGER),
    (re.compile(r"^(DOUBLE( PRECISION)?|FLOAT\d*|REAL)$", re.I), ColumnType.FLOAT),
    (re.compile(r"^BOOL(EAN)?$", re.I), ColumnType.BOOLEAN),
    (re.compile(r"^DATE$", re.I), ColumnType.DATE),
    (re.compile(r"^(TIMESTAMP|DATETIME)", re.I), ColumnType.TIMESTAMP),
)
_FORMAT_PATTERNS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}
_NOT_PERSONAL = frozenset({"public", "none", "internal", "unclassified", "open"})
_FILE_SUFFIX = re.compile(r"\.(csv|tsv|txt|parquet|pq)$", re.I)
_ALIASES = {"duplicateCount": "duplicateValues", "nullCount": "nullValues",
            "nullCheck": "nullValues", "validValues": "invalidValues"}
_OPTIONAL_RULES = ("pattern", "max_length", "range", "allowed_values", "codelist", "semantic",
                   "precision", "scale", "examples", "unique")


@dataclass
class TableMapping:
    """One schema object mapped: the table's data and what could not be expressed."""

    data: dict[str, Any]
    unmapped: list[tuple[str, str]] = field(default_factory=list)
    """(path in the ODCS document, why) for each element left unmapped."""
    guessed_pattern: bool = False
    """The file pattern is not a file name the document states."""


def customs(obj: dict[str, Any]) -> dict[str, Any]:
    """The ``customProperties`` of an ODCS element as a mapping (well-formed entries only)."""
    found = obj.get("customProperties")
    return {cp["property"]: cp.get("value") for cp in found if isinstance(cp, dict)
            and isinstance(cp.get("property"), str)} if isinstance(found, list) else {}


def ident(name: str, prefix: str) -> str:
    """``name`` as a contract identifier (lowercase snake case, starting with a letter)."""
    out = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not out or not out[0].isalpha():
        out = f"{prefix}_{out}".rstrip("_")
    return out if IDENT.match(out) else prefix


def column_name(name: str) -> str:
    """``name`` as a column name (letters, digits, underscores)."""
    out = re.sub(r"\W", "_", name, flags=re.ASCII)
    if not out or out[0].isdigit():
        out = "_" + out
    return out if COLUMN_NAME.match(out) else "_"


def metric(rule: dict[str, Any]) -> str | None:
    """The library metric a quality rule applies (v3.0's ``rule`` spelled as v3.1's)."""
    if rule.get("type", "library") != "library":
        return None
    name = rule.get("metric") or rule.get("rule")
    return _ALIASES.get(name, name) if isinstance(name, str) else None


def _zero(rule: dict[str, Any]) -> bool:
    """The rule demands a count of zero (any unit)."""
    return _num(rule.get("mustBe")) == 0 or _num(rule.get("mustBeLessOrEqualTo")) == 0 or (
        _num(rule.get("mustBeLessThan")) == 1 and rule.get("unit") != "percent")


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _personal(classification: Any) -> str:
    """Our class of an ODCS classification; one we do not know is masked as quasi-identifying."""
    if not isinstance(classification, str) or classification.lower() in _NOT_PERSONAL:
        return "none"
    low = classification.lower()
    return low if low in set(PersonalClass) else "quasi"


def _valid_values(rule: dict[str, Any]) -> list[Any] | None:
    args = rule.get("arguments")
    values = (args if isinstance(args, dict) else {}).get("validValues", rule.get("validValues"))
    return values if isinstance(values, list) else None


def _type(prop: dict[str, Any]) -> tuple[ColumnType, int | None, int | None]:
    physical = str(prop.get("physicalType", "")).strip()
    m = _DECIMAL.match(physical)
    if m:
        scale = int(m.group(2)) if m.group(2) is not None else None
        return ColumnType.DECIMAL, int(m.group(1)), scale
    logical = prop.get("logicalType")
    if logical in _BY_LOGICAL:
        return _BY_LOGICAL[logical], None, None
    if logical is None:
        for regex, ctype in _BY_PHYSICAL:
            if regex.match(physical):
                return ctype, None, None
    return ColumnType.STRING, None, None  # string, time, object, array: read as text


def _column(prop: dict[str, Any], loc: str, unmapped: list[tuple[str, str]]) -> dict[str, Any]:
    custom = customs(prop)
    ctype, precision, scale = _type(prop)
    options = prop.get("logicalTypeOptions") or {}
    data: dict[str, Any] = {
        "name": column_name(str(prop["name"])),
        "type": ctype,
        "description": prop.get("description", ""),
        "required": prop.get("required", False) is True,
        "unique": prop.get("unique", False) is True,
        "precision": precision,
        "scale": scale,
        "codelist": custom.get("codelist"),
        "semantic": custom.get("semantic"),
        "personal": "none",
    }
    data["personal"] = _personal(prop.get("classification"))
    if isinstance(prop.get("examples"), list):
        data["examples"] = prop["examples"]
    pattern = options.get("pattern")
    if pattern is None and isinstance(options.get("format"), str):
        pattern = _FORMAT_PATTERNS.get(options["format"].lower())
    if pattern is None and isinstance(options.get("minLength"), int) and options["minLength"] > 0:
        pattern = rf"^[\s\S]{{{options['minLength']},}}$"
    if ctype is ColumnType.STRING:
        data["pattern"] = pattern
        data["max_length"] = options.get("maxLength")
    rng = _range(options, ctype)
    if rng:
        data["range"] = rng
    elif "range" in custom:
        data["range"] = custom["range"]
    for i, rule in enumerate(prop.get("quality") or []):
        name = metric(rule) if isinstance(rule, dict) else None
        values = _valid_values(rule) if name == "invalidValues" else None
        if values is not None and _zero(rule):
            if all(isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool))
                   for v in values):
                data["allowed_values"] = values
            else:
                unmapped.append((f"{loc}.quality[{i}]", "valid values that are not all "
                                 "text or whole numbers"))
        elif name in ("nullValues", "missingValues") and _zero(rule):
            data["required"] = True
        elif name == "duplicateValues" and _zero(rule):
            data["unique"] = True
        elif name is not None:
            unmapped.append((f"{loc}.quality[{i}]", f"library rule {name!r} with a threshold "
                             "other than zero, or one contractkit has no equivalent for"))
    return _valid_column(data, loc, unmapped)


def _range(options: dict[str, Any], ctype: ColumnType) -> dict[str, Any]:
    rng: dict[str, Any] = {}
    for key, bound in (("minimum", "min"), ("maximum", "max")):
        if key in options:
            rng[bound] = options[key]
    if ctype is ColumnType.INTEGER:
        low, high = _num(options.get("exclusiveMinimum")), _num(options.get("exclusiveMaximum"))
        if low is not None and "min" not in rng and low.is_integer():
            rng["min"] = int(low) + 1
        if high is not None and "max" not in rng and high.is_integer():
            rng["max"] = int(high) - 1
    return rng


def _valid_column(data: dict[str, Any], loc: str,
                  unmapped: list[tuple[str, str]]) -> dict[str, Any]:
    """Drop the optional rules the contract language refuses, one at a time, naming each."""
    for _ in range(len(_OPTIONAL_RULES) + 1):
        try:
            Column.model_validate(data)
        except ValidationError as exc:
            keys = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            drop = next((k for k in _OPTIONAL_RULES if k in keys and data.get(k) is not None),
                        None)
            if drop is None:
                drop = next((k for k in _OPTIONAL_RULES if data.get(k) is not None), None)
            if drop is None:
                return data
            unmapped.append((loc, f"{drop} cannot be expressed in the contract language "
                             f"({exc.errors()[0]['msg'].removeprefix('Value error, ')})"))
            data[drop] = False if drop == "unique" else None
            if drop == "precision":
                data["type"], data["scale"] = ColumnType.FLOAT, None
        else:
            return data
    return data


def _file_pattern(obj: dict[str, Any], name: str, ext: str) -> tuple[str, bool]:
    physical = obj.get("physicalName")
    if isinstance(physical, str) and _FILE_SUFFIX.search(physical):
        base = PurePosixPath(physical.replace("\\", "/")).name
        pattern = PLACEHOLDER.sub(
            lambda m: m.group(0) if m.group(1) in KNOWN_PLACEHOLDERS else "{period}", base)
        return pattern, False
    base = ident(physical, "t") if isinstance(physical, str) and physical else name
    return f"{base}.{ext}", True


def _refs(ref: Any) -> list[str]:
    return [ref] if isinstance(ref, str) else [str(r) for r in ref or []]


def _split(ref: str, tables: dict[str, str], here: str) -> tuple[str, str]:
    parts = ref.split(".")
    if len(parts) == 1:
        return here, column_name(parts[0])
    return tables.get(parts[-2], ident(parts[-2], "t")), column_name(parts[-1])


def map_table(obj: dict[str, Any], index: int, tables: dict[str, str],
              ext: str) -> TableMapping:
    """Map schema object ``obj`` (``schema[index]``); ``tables``: ODCS name → table name."""
    loc = f"schema[{index}]"
    custom = customs(obj)
    name = tables[str(obj["name"])]
    unmapped: list[tuple[str, str]] = []
    props = [p for p in obj.get("properties") or [] if isinstance(p, dict)]
    columns = [_column(p, f"{loc}.properties[{i}]", unmapped) for i, p in enumerate(props)]
    keyed = sorted((p.get("primaryKeyPosition", -1), i, columns[i]["name"])
                   for i, p in enumerate(props) if p.get("primaryKey") is True)
    primary_key: list[str] | None = [n for _, _, n in keyed] or custom.get("primaryKey")
    row_count: dict[str, Any] = {}
    for i, rule in enumerate(obj.get("quality") or []):
        name_ = metric(rule) if isinstance(rule, dict) else None
        if name_ == "rowCount" and _row_count(rule, row_count):
            continue
        args = rule.get("arguments") if isinstance(rule, dict) else None
        cols = args.get("properties") if isinstance(args, dict) else None
        if name_ == "duplicateValues" and _zero(rule) and isinstance(cols, list) and cols and (
                primary_key is None):
            primary_key = [column_name(str(c)) for c in cols]
            continue
        if name_ is not None:
            unmapped.append((f"{loc}.quality[{i}]", f"library rule {name_!r} that contractkit "
                             "has no equivalent for"))
    references = []
    for i, rel in enumerate(obj.get("relationships") or []):
        if rel.get("type", "foreignKey") != "foreignKey":
            unmapped.append((f"{loc}.relationships[{i}]", "not a foreign key"))
            continue
        froms, tos = _refs(rel.get("from")), _refs(rel.get("to"))
        targets = [_split(r, tables, name) for r in tos]
        references.append({"columns": [_split(r, tables, name)[1] for r in froms],
                           "table": targets[0][0], "to_columns": [c for _, c in targets]})
    for i, prop in enumerate(props):
        for j, rel in enumerate(prop.get("relationships") or []):
            if rel.get("type", "foreignKey") != "foreignKey":
                unmapped.append((f"{loc}.properties[{i}].relationships[{j}]", "not a foreign key"))
                continue
            targets = [_split(r, tables, name) for r in _refs(rel.get("to"))]
            references.append({"columns": [columns[i]["name"]], "table": targets[0][0],
                               "to_columns": [c for _, c in targets]})
    unique_refs = {json.dumps(r, sort_keys=True): r for r in references}  # a key stated twice
    references = list(unique_refs.values())
    pattern, guessed = _file_pattern(obj, name, ext)
    if isinstance(custom.get("rowCount"), dict) and not row_count:
        row_count = custom["rowCount"]
        has_rows = True
    else:
        has_rows = bool(row_count)
    data: dict[str, Any] = {
        "name": name,
        "description": obj.get("description", ""),
        "file_pattern": pattern,
        "columns": columns,
        "column_families": custom.get("columnFamilies") or [],
        "primary_key": primary_key,
        "row_count": row_count if has_rows else None,
        # datacontract-cli's reading of ODCS: columns the document does not declare pass
        "allow_extra_columns": custom.get("allowExtraColumns", True),
        "period_column": custom.get("periodColumn"),
        "min_cell_size": custom.get("minCellSize"),
        "references": references,
        "baseline": custom.get("baseline"),  # period-over-period rules: no ODCS counterpart
    }
    if not columns:
        unmapped.append((loc, "a schema object without properties cannot be a table"))
    return TableMapping(data, unmapped, guessed)


def _row_count(rule: dict[str, Any], bounds: dict[str, Any]) -> bool:
    """Add the bounds of a rowCount rule to ``bounds``; False if it states none usable."""
    found = False
    for key, bound, shift in (("mustBeGreaterOrEqualTo", "min", 0), ("mustBeGreaterThan", "min", 1),
                              ("mustBeLessOrEqualTo", "max", 0), ("mustBeLessThan", "max", -1)):
        value = _num(rule.get(key))
        if value is not None and value.is_integer() and value + shift >= 0:
            bounds[bound] = int(value) + shift
            found = True
    between = rule.get("mustBeBetween")
    if isinstance(between, list) and len(between) == 2 and all(
            _num(v) is not None and float(v).is_integer() and v >= 0 for v in between):
        bounds["min"], bounds["max"] = int(min(between)), int(max(between))
        found = True
    exact = _num(rule.get("mustBe"))
    if exact is not None and exact.is_integer() and exact >= 0:
        bounds["min"] = bounds["max"] = int(exact)
        found = True
    return found
