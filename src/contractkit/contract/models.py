"""The contract language: pydantic v2 models of one data contract.

This module is pure data: it does no I/O and imports nothing else of contractkit
except nothing at all. YAML keys equal the field names (snake_case). Every field
carries a description so the exported JSON Schema documents itself for editors.

A contract describes one recurring feed (one recipient, one purpose, one legal basis,
one cadence). A delivery of the feed for one period consists of one or more files,
each described by a :class:`Table`.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Cadence",
    "Column",
    "ColumnType",
    "Contract",
    "CprExemption",
    "CsvFormat",
    "Direction",
    "FileFormat",
    "Frequency",
    "LawReference",
    "LegalBasis",
    "MinCellSize",
    "ParquetFormat",
    "Party",
    "PersonalClass",
    "PersonalDataClass",
    "Purpose",
    "Range",
    "Reference",
    "RowCount",
    "Scope",
    "ScopeKind",
    "SemanticType",
    "Status",
    "Steward",
    "Table",
]

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
IDENT = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
KNOWN_PLACEHOLDERS = frozenset({"period", "kommune", "region"})


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, str_strip_whitespace=False
    )


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


class Steward(_Model):
    """The person or office who answers for the contract."""

    name: str = Field(min_length=1, description="Name of the steward or office.")
    email: str | None = Field(default=None, description="Contact address.")


class Party(_Model):
    """An authority that sends or receives a feed."""

    name: str = Field(min_length=1, description="Full name, e.g. 'Danmarks Statistik'.")
    code: str = Field(min_length=1, description="Short code, e.g. DST, SSI, UDK, kommuner.")


class Scope(_Model):
    """Recipient scope: which persons one delivered file may contain."""

    kind: ScopeKind = Field(description="national, per_municipality or per_region.")
    column: str | None = Field(
        default=None,
        description="Column holding the municipality/region code that must equal the file's.",
    )
    text: str | None = Field(
        default=None,
        description="The scope as the source text words it, e.g. "
        "'Kun oplysninger om borgere i egen kommune.'",
    )
    recipients: list[str] | None = Field(
        default=None,
        description="Only these municipality/region codes receive the feed (default: all in "
        "the code list).",
    )


class LawReference(_Model):
    """One paragraph of a Danish law (or executive order) that is the legal basis."""

    law: str = Field(min_length=1, description="Name of the law, e.g. 'Integrationsloven'.")
    paragraph: str | None = Field(
        default=None, description="Paragraph(s) without the § sign, e.g. '45', '12 a', '2-4'."
    )
    stk: list[str] = Field(default_factory=list, description="Subsections (stk.), e.g. ['8'].")


class LegalBasis(_Model):
    """The legal basis (hjemmel) for the feed, verbatim and structured."""

    text: str = Field(min_length=1, description="The legal basis exactly as the source words it.")
    references: list[LawReference] = Field(
        default_factory=list, description="The law paragraphs the text cites, structured."
    )
    gdpr: str | None = Field(
        default=None, description="The GDPR article, e.g. 'art. 6, stk. 1, litra e'."
    )


class CprExemption(_Model):
    """Permission to deliver CPR numbers for a statistical/research purpose.

    The source: "Som udgangspunkt leveres data i anonymiseret form, men kan leveres med
    cpr.nr. hvis der er hjemmel hertil og det er godkendt af Datatilsynet."
    """

    basis: str = Field(min_length=1, description="The legal basis that allows CPR numbers.")
    approved_by: str = Field(min_length=1, description="Who approved it, e.g. 'Datatilsynet'.")


class Cadence(_Model):
    """How often the feed is delivered and when each delivery is due."""

    frequency: Frequency = Field(description="daily, weekly, monthly, quarterly or yearly.")
    due_days: int = Field(
        default=10, ge=0, le=366, description="The delivery is due this many days after period end."
    )
    description: str | None = Field(default=None, description="Cadence in words (Danish ok).")


class CsvFormat(_Model):
    """A delimited text file."""

    type: Literal["csv"] = Field(description="Always 'csv'.")
    encoding: Literal["utf-8", "utf-8-sig", "latin-1", "cp1252"] = Field(
        default="utf-8", description="Character encoding; utf-8-sig means UTF-8 with a BOM."
    )
    delimiter: str = Field(default=";", min_length=1, max_length=1, description="Field separator.")
    decimal: Literal[".", ","] = Field(default=",", description="Decimal mark of numbers.")
    quote_char: str = Field(default='"', min_length=1, max_length=1, description="Quote char.")
    header: bool = Field(default=True, description="First line holds the column names.")
    line_ending: Literal["lf", "crlf"] = Field(
        default="lf", description="Line ending written by producers (readers accept both)."
    )
    null_value: str = Field(default="", description="How a missing value is written.")
    date_format: str = Field(default="%Y-%m-%d", description="strftime format of date columns.")


class ParquetFormat(_Model):
    """An Apache Parquet file."""

    type: Literal["parquet"] = Field(description="Always 'parquet'.")
    compression: Literal["zstd", "snappy", "gzip", "none"] = Field(
        default="zstd", description="Compression codec producers use."
    )


FileFormat = Annotated[CsvFormat | ParquetFormat, Field(discriminator="type")]


class Range(_Model):
    """Inclusive bounds of a numeric or date column."""

    min: float | date | None = Field(default=None, description="Smallest allowed value.")
    max: float | date | None = Field(default=None, description="Largest allowed value.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is not None and self.max is not None:
            if type(self.min) is not type(self.max):
                raise ValueError("min and max must be of the same kind (both numbers or dates)")
            if self.min > self.max:  # type: ignore[operator]
                raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class Column(_Model):
    """One column of a delivered file."""

    name: str = Field(description="Column name as it appears in the file header.")
    type: ColumnType = Field(description="Physical type.")
    description: str = Field(default="", description="What the column means.")
    required: bool = Field(default=True, description="Must be present and not null.")
    unique: bool = Field(default=False, description="Values are unique within a file.")
    precision: int | None = Field(default=None, ge=1, le=38, description="Decimal precision.")
    scale: int | None = Field(default=None, ge=0, le=38, description="Decimal scale.")
    allowed_values: list[str | int] | None = Field(
        default=None, description="The only values allowed (a closed list)."
    )
    codelist: str | None = Field(
        default=None, description="Name of a code list in contracts/codelists/."
    )
    range: Range | None = Field(default=None, description="Inclusive value bounds.")
    pattern: str | None = Field(default=None, description="Regular expression a string matches.")
    max_length: int | None = Field(default=None, ge=1, description="Longest allowed string.")
    semantic: SemanticType | None = Field(
        default=None, description="Domain type with built-in checks (cpr, kommune_kode, …)."
    )
    personal: PersonalClass = Field(
        default=PersonalClass.NONE,
        description="Personal-data classification: none, direct, pseudonym, quasi, sensitive.",
    )

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not COLUMN_NAME.match(v):
            raise ValueError(f"column name {v!r} must be letters, digits and underscores")
        return v

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Column:
        if self.allowed_values is not None and self.codelist is not None:
            raise ValueError("give either allowed_values or codelist, not both")
        if self.type is ColumnType.DECIMAL and self.precision is None:
            raise ValueError("a decimal column needs a precision (and optionally a scale)")
        if self.type is not ColumnType.DECIMAL and (self.precision or self.scale is not None):
            raise ValueError("precision/scale only apply to decimal columns")
        if self.scale is not None and self.precision is not None and self.scale > self.precision:
            raise ValueError("scale cannot exceed precision")
        numeric_or_date = {
            ColumnType.INTEGER,
            ColumnType.DECIMAL,
            ColumnType.FLOAT,
            ColumnType.DATE,
            ColumnType.TIMESTAMP,
        }
        if self.range is not None and self.type not in numeric_or_date:
            raise ValueError(f"range does not apply to a {self.type} column")
        if (self.pattern is not None or self.max_length is not None) and (
            self.type is not ColumnType.STRING
        ):
            raise ValueError("pattern/max_length only apply to string columns")
        return self


class RowCount(_Model):
    """Bounds on the number of data rows in one file."""

    min: int | None = Field(default=None, ge=0, description="Fewest rows.")
    max: int | None = Field(default=None, ge=0, description="Most rows.")


class MinCellSize(_Model):
    """Statistical disclosure control for aggregated feeds."""

    column: str = Field(description="The count column (e.g. antal_personer).")
    min: int = Field(ge=1, description="Smallest count a published cell may have.")


class Reference(_Model):
    """Referential integrity between two files of one delivery."""

    columns: list[str] = Field(min_length=1, description="Columns in this table.")
    table: str = Field(description="The referenced table of the same contract.")
    to_columns: list[str] = Field(min_length=1, description="Columns in the referenced table.")


class Table(_Model):
    """One file of a delivery: its name pattern, columns and dataset rules."""

    name: str = Field(description="Table name, unique in the contract (snake_case).")
    description: str = Field(default="", description="What one row means.")
    file_pattern: str = Field(
        description="File name with placeholders {period} (required), {kommune}, {region}."
    )
    columns: list[Column] = Field(min_length=1, description="The columns, in file order.")
    primary_key: list[str] | None = Field(default=None, description="Columns unique together.")
    row_count: RowCount | None = Field(default=None, description="Bounds on the row count.")
    allow_extra_columns: bool = Field(
        default=False, description="Whether columns beyond the contract are tolerated."
    )
    period_column: str | None = Field(
        default=None, description="Column whose value must lie inside the delivery period."
    )
    min_cell_size: MinCellSize | None = Field(
        default=None, description="Minimum cell size for aggregated output."
    )
    references: list[Reference] = Field(
        default_factory=list, description="Foreign keys into other tables of the delivery."
    )

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError(f"table name {v!r} must be lowercase snake/kebab case")
        return v

    @field_validator("file_pattern")
    @classmethod
    def _file_pattern(cls, v: str) -> str:
        unknown = set(PLACEHOLDER.findall(v)) - KNOWN_PLACEHOLDERS
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; use {{period}}, "
                             "{kommune} or {region}")
        if "/" in v or "\\" in v:
            raise ValueError("file_pattern is a file name, not a path")
        return v

    def column(self, name: str) -> Column | None:
        """Return the column called ``name``, if any."""
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> list[str]:
        """Names of the declared columns in file order."""
        return [c.name for c in self.columns]


class Contract(_Model):
    """A data contract for one recurring feed."""

    id: str = Field(description="Stable identifier, lowercase kebab-case, e.g. dst-ledighed.")
    version: str = Field(description="Semantic version MAJOR.MINOR.PATCH.")
    title: str = Field(min_length=1, description="Title (Danish ok).")
    description: str = Field(default="", description="What the feed is and why it exists.")
    status: Status = Field(default=Status.ACTIVE, description="draft/active/deprecated/retired.")
    direction: Direction = Field(description="outbound (STAR sends) or inbound (STAR receives).")
    owner: str = Field(min_length=1, description="Owning organisation unit.")
    steward: Steward = Field(description="Who answers for this contract.")
    source_system: str | None = Field(
        default=None, description="Where the data comes from (DSDW, DREAM, LPR …)."
    )
    provider: Party = Field(description="Who sends the data.")
    recipient: Party = Field(description="Who receives the data.")
    scope: Scope = Field(description="Which persons one file may contain.")
    purpose: Purpose = Field(description="administrative, statistical or research.")
    legal_basis: list[LegalBasis] = Field(description="The legal basis (hjemmel), one or more.")
    personal_data: PersonalDataClass = Field(
        description="none, aggregated, pseudonymised or identifiable."
    )
    cpr_exemption: CprExemption | None = Field(
        default=None,
        description="Approval to deliver CPR numbers for a statistical/research purpose.",
    )
    cadence: Cadence = Field(description="Frequency, due offset.")
    format: FileFormat = Field(description="File format and CSV dialect.")
    tables: list[Table] = Field(min_length=1, description="The files of one delivery.")
    notes: str | None = Field(
        default=None, description="Remarks, e.g. that a schema is illustrative."
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError(f"id {v!r} must be lowercase kebab-case (e.g. dst-ledighed)")
        return v

    @field_validator("version")
    @classmethod
    def _version(cls, v: str) -> str:
        if not SEMVER.match(v):
            raise ValueError(f"version {v!r} is not a semantic version MAJOR.MINOR.PATCH")
        return v

    def table(self, name: str) -> Table | None:
        """Return the table called ``name``, if any."""
        return next((t for t in self.tables if t.name == name), None)

    @property
    def semver(self) -> tuple[int, int, int]:
        """The version as a tuple of integers (pre-release tag dropped)."""
        core = self.version.split("-", 1)[0]
        major, minor, patch = (int(p) for p in core.split("."))
        return major, minor, patch
