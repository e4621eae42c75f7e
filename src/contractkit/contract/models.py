"""The contract language: pydantic v2 models of one data contract.

This module holds :class:`Contract` and re-exports the parts it is built from, so
``contractkit.contract.models`` stays the one import path for the whole language. The
parts live along the language's seams: ``base`` (enums, name patterns), ``governance``
(parties, scope, legal basis, cadence), ``fileformat`` (CSV dialect, Parquet),
``columns`` (a column and its rules) and ``table`` (a file and its dataset rules).

Pure data: no I/O, nothing else of contractkit imported. A contract describes one
recurring feed (one recipient, one purpose, one legal basis, one cadence). A delivery
of the feed for one period consists of one or more files, each described by a
:class:`Table`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from contractkit.contract.base import (
    IDENT,
    SEMVER,
    ColumnType,
    Direction,
    Frequency,
    FrozenModel,
    PersonalClass,
    PersonalDataClass,
    Purpose,
    ScopeKind,
    SemanticType,
    Status,
    json_ready,
)
from contractkit.contract.baseline import (
    Baseline,
    RuleSeverity,
    ShareRule,
    ShiftRule,
    ShiftStatistic,
    VolumeRule,
)
from contractkit.contract.columns import Column, ColumnRules, Range
from contractkit.contract.families import ColumnFamily, FamilyUnit
from contractkit.contract.fileformat import CsvFormat, FileFormat, ParquetFormat
from contractkit.contract.governance import (
    Cadence,
    CprExemption,
    LawReference,
    LegalBasis,
    Party,
    Scope,
    Steward,
)
from contractkit.contract.table import MinCellSize, Reference, RowCount, Table

__all__ = [
    "Baseline",
    "Cadence",
    "Column",
    "ColumnFamily",
    "ColumnRules",
    "ColumnType",
    "Contract",
    "CprExemption",
    "CsvFormat",
    "Direction",
    "FamilyUnit",
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
    "RuleSeverity",
    "Scope",
    "ScopeKind",
    "SemanticType",
    "ShareRule",
    "ShiftRule",
    "ShiftStatistic",
    "Status",
    "Steward",
    "Table",
    "VolumeRule",
]

class Contract(FrozenModel):
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
    placeholders: list[str] = Field(
        default_factory=list,
        description="Fields an import could not fill (e.g. recipient, legal_basis): each holds "
        "a stand-in value until the steward fills it in and removes it from this list. lint "
        "reports every entry as an error and ci refuses the contract.",
    )
    odcs_extra: dict[str, Any] | None = Field(
        default=None,
        description="ODCS elements with no equivalent in the contract language, kept verbatim "
        "by `import odcs` so that `export odcs` writes them back: JSON path in the ODCS "
        "document (e.g. 'roles', 'schema[0].properties[2].tags') → value. Opaque to "
        "everything else.",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError(f"id {v!r} must be lowercase kebab-case (e.g. dst-ledighed)")
        return v

    @field_validator("odcs_extra")
    @classmethod
    def _odcs_extra(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if v is None else json_ready(v)

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
