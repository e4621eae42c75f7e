"""One file of a delivery (a table): name pattern, columns and dataset rules."""

from __future__ import annotations

from pydantic import Field, field_validator

from contractkit.contract.base import IDENT, KNOWN_PLACEHOLDERS, PLACEHOLDER, FrozenModel
from contractkit.contract.baseline import Baseline
from contractkit.contract.columns import Column
from contractkit.contract.families import ColumnFamily
from contractkit.contract.periods import Period


class RowCount(FrozenModel):
    """Bounds on the number of data rows in one file."""

    min: int | None = Field(default=None, ge=0, description="Fewest rows.")
    max: int | None = Field(default=None, ge=0, description="Most rows.")


class MinCellSize(FrozenModel):
    """Statistical disclosure control for aggregated feeds."""

    column: str = Field(description="The count column (e.g. antal_personer).")
    min: int = Field(ge=1, description="Smallest count a published cell may have.")


class Reference(FrozenModel):
    """Referential integrity between two files of one delivery."""

    columns: list[str] = Field(min_length=1, description="Columns in this table.")
    table: str = Field(description="The referenced table of the same contract.")
    to_columns: list[str] = Field(min_length=1, description="Columns in the referenced table.")


class Table(FrozenModel):
    """One file of a delivery: its name pattern, columns and dataset rules."""

    name: str = Field(description="Table name, unique in the contract (snake_case).")
    description: str = Field(default="", description="What one row means.")
    file_pattern: str = Field(
        description="File name with placeholders {period} (required), {kommune}, {region}."
    )
    columns: list[Column] = Field(min_length=1, description="The columns, in file order.")
    column_families: list[ColumnFamily] = Field(
        default_factory=list,
        description="Columns per ISO week or month (e.g. DREAM's y_YYWW), after the plain "
        "columns in declaration order; they grow with the delivery period.",
    )
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
    baseline: Baseline | None = Field(
        default=None,
        description="Period-over-period rules: the file against the same file (same table "
        "and scope) of the last released period of the feed.",
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

    @property
    def has_families(self) -> bool:
        """Whether the table's columns depend on the delivery period."""
        return bool(self.column_families)

    def for_period(self, period: Period) -> Table:
        """This table with every column family expanded to its members for ``period``.

        The result lists the plain columns, then each family's members in time order, and
        has no families left; a table without families is returned as it is.
        """
        if not self.column_families:
            return self
        columns = list(self.columns)
        for family in self.column_families:
            columns.extend(family.members(period))
        return self.model_copy(update={"columns": columns, "column_families": []})

    def family_of(self, column_name: str) -> ColumnFamily | None:
        """The family whose template produces ``column_name`` (for any period), if any."""
        return next((f for f in self.column_families if f.member_regex().match(column_name)),
                    None)
