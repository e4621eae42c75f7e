"""Scaffold a new contract: from a sample CSV (dialect, columns, types) or from nothing.

A steward starting a feed gets a contract that loads, with every field the language
requires and ``TODO`` where only a person can answer (legal basis, recipient, purpose).
From a sample file the CSV dialect is sniffed (:class:`csv.Sniffer`: delimiter and
quoting; the standard library does this well enough for a first draft) and each column's
type inferred from its values: integers (but not codes with leading zeros), decimals with
point or comma, ISO dates, else text; a column with an empty cell is optional. A few
Danish register names get their semantic type and personal-data class (``cpr``,
``kommune_kode``, ``uge``, ``periode``). The values themselves are never written into the
contract (a CPR number must not end up in a YAML file).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import load_contract_text

__all__ = ["ColumnGuess", "guess_columns", "scaffold_contract"]

_SAMPLE_LINES = 1000
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(?:[.,](\d+))?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^\d{4}-W\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ColumnGuess:
    """What a sample says about one column.

    Attributes:
        name: the header name.
        type: contract type (``string``, ``integer``, ``decimal``, ``date``).
        required: no empty cell in the sample.
        scale: digits after the decimal mark (decimals).
        semantic: a semantic type guessed from the name and values.
        personal: personal-data class guessed from the name.
    """

    name: str
    type: str
    required: bool
    scale: int | None = None
    semantic: str | None = None
    personal: str = "none"


def _type_of(values: list[str]) -> tuple[str, int | None]:
    filled = [v for v in values if v != ""]
    if not filled:
        return "string", None
    if all(_INTEGER.match(v) for v in filled) and not any(
            len(v.lstrip("-")) > 1 and v.lstrip("-").startswith("0") for v in filled):
        return "integer", None
    matches = [_DECIMAL.match(v) for v in filled]
    if all(matches) and any(m is not None and m.group(1) for m in matches):
        scale = max(len(m.group(1) or "") for m in matches if m is not None)
        return "decimal", max(scale, 1)
    if all(_DATE.match(v) for v in filled):
        return "date", None
    return "string", None


def _semantic(name: str, values: list[str]) -> tuple[str | None, str]:
    lower = name.lower()
    filled = [v for v in values if v != ""]
    if lower in ("cpr", "cprnr", "cpr_nr", "pnr"):
        return "cpr", "direct"
    if lower in ("kommune_kode", "kommunekode", "bopaelskommune"):
        return "kommune_kode", "quasi"
    if lower in ("region_kode", "regionskode"):
        return "region_kode", "quasi"
    if lower in ("navn", "name", "fornavn", "efternavn", "adresse", "telefon", "email"):
        return None, "direct"
    if filled and all(_WEEK.match(v) for v in filled):
        return "iso_week", "none"
    if lower in ("periode", "maaned") and filled and all(_MONTH.match(v) for v in filled):
        return "period_month", "none"
    return None, "none"


def guess_columns(rows: list[list[str]]) -> list[ColumnGuess]:
    """Guess each column of ``rows`` (header first) from its values.

    Args:
        rows: the header row, then sample data rows.

    Returns:
        One guess per header name.
    """
    header, data = rows[0], rows[1:]
    out: list[ColumnGuess] = []
    for i, raw in enumerate(header):
        name = re.sub(r"[^a-z0-9_]", "_", raw.strip().lower()) or f"kolonne_{i + 1}"
        values = [r[i].strip() if i < len(r) else "" for r in data]
        semantic, personal = _semantic(name, values)
        kind, scale = _type_of(values)
        if semantic in ("cpr", "iso_week", "period_month", "kommune_kode", "region_kode"):
            kind, scale = "string", None
        out.append(ColumnGuess(name, kind, all(v != "" for v in values), scale, semantic,
                               personal))
    return out


def _read_sample(sample: Path, encoding: str) -> tuple[csv.Dialect | type[csv.Dialect],
                                                       list[list[str]]]:
    try:
        with sample.open(encoding=encoding, newline="") as fh:
            head = [line for _, line in zip(range(_SAMPLE_LINES), fh, strict=False)]
    except FileNotFoundError:
        raise DeliveryError(f"{sample}: no such file", sample) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DeliveryError(f"{sample}: cannot be read as {encoding} text ({exc})",
                            sample) from None
    if not head:
        raise DeliveryError(f"{sample}: empty; a sample needs a header row", sample)
    try:
        dialect: csv.Dialect | type[csv.Dialect] = csv.Sniffer().sniff(
            "".join(head[:50]), delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel  # one column, or too little text to tell
    return dialect, list(csv.reader(head, dialect))


def _column_yaml(g: ColumnGuess) -> str:
    lines = [f"      - name: {g.name}", f"        type: {g.type}"]
    if g.type == "decimal":
        lines += ["        precision: 18", f"        scale: {g.scale}"]
    if not g.required:
        lines.append("        required: false")
    if g.semantic is not None:
        lines.append(f"        semantic: {g.semantic}")
    if g.personal != "none":
        lines.append(f"        personal: {g.personal}")
    lines.append('        description: "TODO: what the column means"')
    return "\n".join(lines)


def scaffold_contract(feed_id: str, *, sample: Path | str | None = None,
                      direction: str = "outbound", encoding: str = "utf-8") -> str:
    """The YAML text of a new contract for ``feed_id``, loadable as it is.

    Args:
        feed_id: the contract id (lowercase kebab-case); also the table's file name stem.
        sample: a sample CSV file to take the dialect and columns from (else one TODO column).
        direction: ``outbound`` (STAR sends) or ``inbound``.
        encoding: the sample's encoding.

    Returns:
        Contract YAML with the schema modeline and ``TODO`` where a person must decide.

    Raises:
        UsageError: a bad id or direction.
        DeliveryError: the sample cannot be read.
    """
    if not _ID.match(feed_id):
        raise UsageError(f"{feed_id!r}: a contract id is lowercase kebab-case, e.g. dst-ledighed")
    if direction not in ("outbound", "inbound"):
        raise UsageError(f"--direction {direction!r}: outbound or inbound")
    delimiter, decimal = ";", ","
    columns = [ColumnGuess("kolonne", "string", True)]
    if sample is not None:
        dialect, rows = _read_sample(Path(sample), encoding)
        delimiter = str(dialect.delimiter)
        columns = guess_columns(rows)
        decimal = "," if delimiter != "," else "."
    personal = ("identifiable" if any(c.personal == "direct" for c in columns) else "none")
    table = re.sub(r"[^a-z0-9_]", "_", feed_id.split("-")[-1])
    provider, recipient = (("Styrelsen for Arbejdsmarked og Rekruttering", "STAR"),
                           ("TODO: recipient", "TODO"))
    if direction == "inbound":
        provider, recipient = recipient, provider
    text = f"""# yaml-language-server: $schema=../schemas/contract.schema.json
# Scaffolded by `contractkit new`: fill in every TODO, then `contractkit lint`.
id: {feed_id}
version: 0.1.0
title: "TODO: title of the feed"
status: draft
direction: {direction}
owner: STAR
steward: {{name: "TODO: steward"}}
provider: {{name: "{provider[0]}", code: "{provider[1]}"}}
recipient: {{name: "{recipient[0]}", code: "{recipient[1]}"}}
scope: {{kind: national}}
purpose: administrative
legal_basis:
  - text: "TODO: the legal basis exactly as the register of deliveries words it"
    references:
      - {{law: "TODO: law", paragraph: "TODO"}}
personal_data: {personal}
cadence: {{frequency: monthly, due_days: 10}}
format: {{type: csv, delimiter: {json.dumps(delimiter)}, decimal: {json.dumps(decimal)}}}
tables:
  - name: {table}
    file_pattern: "{feed_id.replace('-', '_')}_{{period}}.csv"
    columns:
{chr(10).join(_column_yaml(c) for c in columns)}
"""
    load_contract_text(text, Path(f"{feed_id}.yaml"))  # a scaffold that does not load is a bug
    return text
