"""Import any valid ODCS v3 document as a contract (the inverse of :mod:`.odcs_export`).

1. The document must be valid ODCS: it is judged by the JSON Schema of the version it
   declares (:mod:`.odcs_schema`); every violation is reported with its JSON path and line.
2. What ODCS states maps onto the contract language (:mod:`.odcs_tables` for tables,
   columns and rules; here identity, team, servers → file format, SLA → cadence).
3. What contractkit needs and ODCS lacks (direction, parties, scope, purpose, legal basis,
   personal-data class …) comes from ``customProperties`` (as :mod:`.odcs_export` writes
   them); a field that is absent gets a stand-in value, is listed in ``placeholders`` and
   the contract becomes a draft: ``lint`` reports each as an error, ``ci`` refuses it.
4. Everything the export of that contract would not reproduce is kept verbatim in
   ``odcs_extra`` (:mod:`.odcs_extra`), so ``export odcs`` gives the document back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contractkit.contract.base import IDENT, SEMVER
from contractkit.contract.models import Contract, Status
from contractkit.errors import ContractError, ContractProblem, UsageError
from contractkit.interop.odcs_extra import APPEND, kept_aside
from contractkit.interop.odcs_schema import odcs_problems, odcs_schema_version
from contractkit.interop.odcs_tables import customs, ident, map_table

__all__ = ["OdcsImport", "import_odcs", "load_odcs", "odcs_to_contract"]

Positions = Mapping[tuple[str | int, ...], tuple[int, int]]

PLACEHOLDERS: dict[str, tuple[Any, str]] = {
    "direction": ("inbound", "outbound (STAR sends) or inbound (STAR receives)"),
    "owner": ("TODO: owning organisation unit", "the owning organisation unit"),
    "steward": ({"name": "TODO: steward"}, "who answers for the contract (name, email)"),
    "provider": ({"name": "TODO: sending authority", "code": "TODO"},
                 "who sends the data (name and short code)"),
    "recipient": ({"name": "TODO: receiving authority", "code": "TODO"},
                  "who receives the data (name and short code, e.g. DST)"),
    "scope": ({"kind": "national"}, "which persons one file may contain: national, "
              "per_municipality or per_region"),
    "purpose": ("administrative", "administrative, statistical or research"),
    "legal_basis": ([{"text": "TODO: the legal basis (hjemmel), verbatim"}],
                    "the legal basis (law, paragraph, stk., GDPR article)"),
    "personal_data": ("identifiable", "none, aggregated, pseudonymised or identifiable "
                      "(identifiable until the steward says otherwise: the strictest rules)"),
    "cadence": ({"frequency": "monthly"}, "daily, weekly, monthly, quarterly or yearly, and "
                "the days after period end a delivery is due"),
    "format": ({"type": "csv", "delimiter": ",", "decimal": "."},
               "csv (encoding, delimiter, decimal mark) or parquet"),
    "tables": ([{"name": "todo", "file_pattern": "todo_{period}.csv",
                 "columns": [{"name": "todo", "type": "string"}]}],
               "the files of a delivery: the document has no schema object with properties"),
}
"""Field → (stand-in value, what the steward must fill in)."""

_CUSTOM = {"direction": "direction", "provider": "provider", "recipient": "recipient",
           "scope": "scope", "purpose": "purpose", "legal_basis": "legalBasis",
           "personal_data": "personalData", "cadence": "cadence", "format": "fileFormat"}
_STATUS = {"production": "active", "released": "active", "development": "draft",
           "proposed": "draft", "test": "draft"}
_FREQUENCY = {(1, "d"): "daily", (7, "d"): "weekly", (1, "w"): "weekly", (1, "m"): "monthly",
              (3, "m"): "quarterly", (1, "q"): "quarterly", (12, "m"): "yearly",
              (1, "y"): "yearly"}
_UNITS = {"d": "d", "day": "d", "days": "d", "w": "w", "week": "w", "weeks": "w", "m": "m",
          "mo": "m", "month": "m", "months": "m", "q": "q", "quarter": "q", "y": "y",
          "yr": "y", "year": "y", "years": "y"}

NOTES = (
    "columns the document does not declare are tolerated in a file (allow_extra_columns: "
    "true), as datacontract-cli reads ODCS",
    "a declared column missing from a file is a finding even when it is not required (as "
    "datacontract-cli's field_is_present); required: false lets its values be empty",
)


@dataclass(frozen=True)
class OdcsImport:
    """An imported ODCS document and what the steward must know about it.

    Attributes:
        contract: the contract (a draft when ``placeholders`` is not empty).
        api_version: the ODCS version whose schema judged the document.
        placeholders: (field, what to fill in) for each stand-in value.
        kept: (JSON path, why) for each element kept aside in ``odcs_extra``.
        todo: further steps for the steward (e.g. a file pattern without ``{period}``).
        guessed_patterns: tables whose file pattern the document does not state (it is
            built from the table's physical or logical name).
    """

    contract: Contract
    api_version: str
    placeholders: list[tuple[str, str]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    guessed_patterns: frozenset[str] = frozenset()


def load_odcs(path: str | Path,
              ) -> tuple[dict[str, Any], dict[tuple[str | int, ...], tuple[int, int]]]:
    """Read an ODCS document (YAML or JSON): plain data (YAML dates stay text) and positions.

    Args:
        path: the document.

    Returns:
        The document as plain data, and the (line, column) of every key path in it.

    Raises:
        UsageError: the file does not exist or cannot be read.
        ContractError: the file is not YAML/JSON or not a mapping (located).
    """
    from contractkit.interop.odcs_yaml import read_yaml
    from contractkit.loader import load_json

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    if path.suffix.lower() == ".json":
        data = load_json(text, path)  # the loader's limits (bytes, depth, nodes)
    else:
        data, positions = read_yaml(text, path)
    if not isinstance(data, dict):
        raise ContractError(path, [ContractProblem(
            "not-a-mapping", str(path), 1, 1, "", "an ODCS document is a mapping")])
    return data, positions


def _locate(positions: Positions, loc: str) -> tuple[int | None, int | None]:
    probe: tuple[str | int, ...] = tuple(
        int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", loc))
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return (1, 1) if positions else (None, None)


def odcs_to_contract(document: dict[str, Any], path: Path = Path("<odcs>"),
                     positions: Positions | None = None) -> Contract:
    """The contract an ODCS ``document`` describes (see :func:`import_odcs`)."""
    return import_odcs(document, path, positions).contract


def import_odcs(document: dict[str, Any], path: Path = Path("<odcs>"),
                positions: Positions | None = None) -> OdcsImport:
    """Import ``document``: a contract, or a draft with placeholders when it lacks governance.

    Raises:
        ContractError: the document is not valid ODCS for the version it declares, or its
            contractkit custom properties do not make a valid contract (every problem, with
            JSON path and — given ``positions`` — line).
    """
    pos = positions or {}
    invalid = odcs_problems(document)
    if invalid:
        raise ContractError(path, [
            ContractProblem("odcs-schema", str(path), *_locate(pos, loc), loc, msg)
            for loc, msg in invalid])
    custom = customs(document)
    data, placeholders, unmapped, guessed = _contract_data(document, custom)
    try:
        contract = Contract.model_validate(data)
    except ValidationError as exc:
        raise ContractError(path, [
            ContractProblem("invalid-value", str(path), *_locate(pos, _odcs_loc(err["loc"])),
                            ".".join(map(str, err["loc"])),
                            err["msg"].removeprefix("Value error, "))
            for err in exc.errors(include_url=False)]) from None
    from contractkit.interop.odcs_export import contract_to_odcs

    extra = kept_aside(document, contract_to_odcs(contract))
    if extra:
        contract = contract.model_copy(update={"odcs_extra": extra})
    why = dict(unmapped)
    kept = [(p, why.get(p.removesuffix(APPEND), _reason(p))) for p in extra]
    kept_paths = {p.removesuffix(APPEND) for p in extra}
    kept += [(p, w) for p, w in unmapped if p not in kept_paths and not any(
        p.startswith(k) for k in kept_paths)]
    todo = [f"tables[{i}].file_pattern: {t.file_pattern!r} — give the delivered file's name "
            "with {period}" for i, t in enumerate(contract.tables) if "{period}" not in
            t.file_pattern and "tables" not in contract.placeholders]
    return OdcsImport(contract, odcs_schema_version(document),
                      [(f, PLACEHOLDERS[f][1]) for f in placeholders], kept, todo,
                      frozenset(guessed))


def _odcs_loc(loc: tuple[int | str, ...]) -> str:
    names = {"tables": "schema", "columns": "properties"}
    return ".".join(names.get(str(p), str(p)) for p in loc)


def _reason(path: str) -> str:
    if path.endswith(APPEND):
        return "list items contractkit's export does not write, kept as written"
    return "kept as written (contractkit's export writes it differently or not at all)"


def _kebab(value: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    if not out or not out[0].isalpha():
        out = f"odcs-{out}".rstrip("-")
    return out if IDENT.match(out) else "odcs"


def _semver(value: str) -> str:
    if SEMVER.match(value):
        return value
    nums = re.findall(r"\d+", value)[:3]
    candidate = ".".join(str(int(n)) for n in [*nums, "0", "0", "0"][:3])
    return candidate if SEMVER.match(candidate) else "0.0.0"


def _contract_data(doc: dict[str, Any], custom: dict[str, Any]) -> tuple[
        dict[str, Any], list[str], list[tuple[str, str]], list[str]]:
    """The contract's data, its placeholder fields, unmapped elements, guessed file patterns."""
    data: dict[str, Any] = {
        "id": _kebab(str(doc["id"])),
        "version": _semver(str(doc["version"])),
        "title": str(doc.get("name") or doc["id"]),
        "source_system": doc.get("domain"),
        "cpr_exemption": custom.get("cprExemption"),
    }
    description = doc.get("description")
    if isinstance(description, dict):
        data["description"] = str(description.get("purpose", ""))
        if "limitations" in description:
            data["notes"] = str(description["limitations"])
    for name, prop in _CUSTOM.items():
        if prop in custom:
            data[name] = custom[prop]
    data.update(_team(doc, custom))
    if "format" not in data:
        fmt = _server_format(doc.get("servers"))
        if fmt is not None:
            data["format"] = fmt
    if "cadence" not in data:
        frequency = _sla_frequency(doc.get("slaProperties"))
        if frequency is not None:
            data["cadence"] = {"frequency": frequency}
    ext = "parquet" if (data.get("format") or {}).get("type") == "parquet" else "csv"
    objects = [(i, o) for i, o in enumerate(doc.get("schema") or [])
               if isinstance(o, dict) and o.get("properties")]
    names: dict[str, str] = {}
    for _, obj in objects:
        names.setdefault(str(obj["name"]), ident(str(obj["name"]), "t"))
    mapped = [map_table(obj, i, names, ext) for i, obj in objects]
    unmapped = [item for m in mapped for item in m.unmapped]
    unmapped += [(f"schema[{i}]", "a schema object without properties cannot be a table")
                 for i, o in enumerate(doc.get("schema") or []) if not (
                     isinstance(o, dict) and o.get("properties"))]
    if mapped:
        data["tables"] = [m.data for m in mapped]
    placeholders = [f for f in PLACEHOLDERS if f not in data]
    for name in placeholders:
        data[name] = PLACEHOLDERS[name][0]
    status = str(doc.get("status", "")).lower()
    data["status"] = _STATUS.get(status, status if status in set(Status) else "draft")
    if placeholders:
        data["status"] = "draft"
        data["placeholders"] = placeholders
    guessed = [m.data["name"] for m in mapped if m.guessed_pattern]
    return data, placeholders, unmapped, guessed


def _team(doc: dict[str, Any], custom: dict[str, Any]) -> dict[str, Any]:
    raw = doc.get("team")
    team: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if isinstance(raw, list):  # v3.0: a list of members
        team = {"members": raw}
    members = [m for m in team.get("members") or [] if isinstance(m, dict)]
    if not members:
        return {"owner": team["name"]} if team.get("name") else {}
    steward = next((m for m in members if "steward" in str(m.get("role", "")).lower()),
                   members[0])
    label = str(steward.get("name") or steward.get("username") or "")
    if not label:
        return {"owner": team["name"]} if team.get("name") else {}
    email = custom.get("stewardEmail")
    username = str(steward.get("username", ""))
    if email is None and "@" in username:
        email = username
    owner = next((m for m in members if str(m.get("role", "")).lower() == "owner"), {})
    return {"owner": str(team.get("name") or owner.get("name") or owner.get("username") or label),
            "steward": {"name": label, "email": email}}


def _server_format(servers: Any) -> dict[str, Any] | None:
    for server in servers if isinstance(servers, list) else []:
        if not isinstance(server, dict) or server.get("type") not in ("local", "s3", "sftp"):
            continue
        fmt = str(server.get("format", "")).lower()
        if fmt == "parquet":
            return {"type": "parquet"}
        if fmt == "csv":
            delimiter = server.get("delimiter")
            single = isinstance(delimiter, str) and len(delimiter) == 1
            return {"type": "csv", "delimiter": delimiter if single else ",", "decimal": "."}
    return None


def _sla_frequency(sla: Any) -> str | None:
    for item in sla if isinstance(sla, list) else []:
        if not isinstance(item, dict) or item.get("property") != "frequency":
            continue
        try:
            value = int(str(item.get("value")))
        except ValueError:
            continue
        unit = _UNITS.get(str(item.get("unit", "")).lower())
        if unit is not None and (value, unit) in _FREQUENCY:
            return _FREQUENCY[(value, unit)]
    return None
