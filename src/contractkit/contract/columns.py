"""One column of a delivered file and its value rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import Field, field_validator, model_validator

from contractkit.contract.base import (
    COLUMN_NAME,
    ColumnType,
    FrozenModel,
    PersonalClass,
    SemanticType,
    json_ready,
)


class Range(FrozenModel):
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


class ColumnRules(FrozenModel):
    """What a column's values must be: type, nullability and value rules.

    Shared by a plain :class:`Column` and a column family (every member of a family
    obeys the family's rules).
    """

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
    def _consistent(self) -> ColumnRules:
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


class Column(ColumnRules):
    """One column of a delivered file."""

    name: str = Field(description="Column name as it appears in the file header.")
    examples: list[Any] | None = Field(
        default=None, description="Example values, for readers (not a rule)."
    )

    @field_validator("examples")
    @classmethod
    def _examples(cls, v: list[Any] | None) -> list[Any] | None:
        return None if v is None else list(json_ready(v))

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not COLUMN_NAME.match(v):
            raise ValueError(f"column name {v!r} must be letters, digits and underscores")
        return v
