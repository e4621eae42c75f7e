"""Shared base of the contract language: the frozen pydantic model, name patterns, enums.

Pure data: no I/O, nothing else of contractkit imported. YAML keys equal the field
names (snake_case); every field carries a description so the exported JSON Schema
documents itself for editors.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
IDENT = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
KNOWN_PLACEHOLDERS = frozenset({"period", "kommune", "region"})


class FrozenModel(BaseModel):
    """Base of every contract model: frozen, unknown keys forbidden, fields documented."""

    # fields are documented with Field(description=…), not attribute docstrings: pydantic
    # reads those by walking the stack and re-parsing each class's source while the module
    # is imported (≈ 25 ms of every `contractkit` start-up for the contract models)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def json_ready(value: Any) -> Any:
    """``value`` with every date/datetime written as ISO text (opaque data stays JSON data)."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class Status(StrEnum):
    """Life-cycle state of a contract."""

    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Direction(StrEnum):
    """Whether STAR sends (outbound) or receives (inbound) the feed."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Purpose(StrEnum):
    """Why the recipient gets the data (decides which governance rules apply)."""

    ADMINISTRATIVE = "administrative"
    STATISTICAL = "statistical"
    RESEARCH = "research"


class PersonalDataClass(StrEnum):
    """How much personal data the feed carries, from least to most."""

    NONE = "none"
    AGGREGATED = "aggregated"
    PSEUDONYMISED = "pseudonymised"
    IDENTIFIABLE = "identifiable"

    @property
    def rank(self) -> int:
        """Order of sensitivity: none < aggregated < pseudonymised < identifiable."""
        return list(PersonalDataClass).index(self)


class PersonalClass(StrEnum):
    """Personal-data classification of one column."""

    NONE = "none"
    DIRECT = "direct"
    """A direct identifier (CPR number, name, address, phone, e-mail)."""
    PSEUDONYM = "pseudonym"
    """A keyed pseudonym standing in for a direct identifier."""
    QUASI = "quasi"
    """A quasi-identifier (birth date, municipality, sex, origin …)."""
    SENSITIVE = "sensitive"
    """Special-category data (GDPR art. 9: health, diagnoses …) about a person."""


class ScopeKind(StrEnum):
    """Which persons a single delivered file may contain."""

    NATIONAL = "national"
    PER_MUNICIPALITY = "per_municipality"
    PER_REGION = "per_region"


class Frequency(StrEnum):
    """How often a delivery is made; the period a delivery covers has the same length."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class ColumnType(StrEnum):
    """Physical type of a column."""

    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"


class SemanticType(StrEnum):
    """Domain types with built-in checks."""

    CPR = "cpr"
    """Danish CPR number DDMMYY-SSSS or DDMMYYSSSS: valid date and century digit (no modulus 11)."""
    PSEUDONYM = "pseudonym"
    """Keyed pseudonym of a CPR number: 64 lowercase hex characters (HMAC-SHA256)."""
    KOMMUNE_KODE = "kommune_kode"
    """Municipality code, one of the 98 in code list ``kommuner``."""
    REGION_KODE = "region_kode"
    """Region code 1081–1085, code list ``regioner``."""
    ISO_WEEK = "iso_week"
    """ISO 8601 week written ``YYYY-Www`` (e.g. ``2024-W09``); the week must exist."""
    PERIOD_MONTH = "period_month"
    """A month written ``YYYY-MM``."""
