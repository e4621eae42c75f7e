"""Code lists as data: closed sets of codes that columns refer to by name."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CodeList", "CodeValue"]


class CodeValue(BaseModel):
    """One code of a code list."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    code: str = Field(min_length=1, description="The code as written in files (text).")
    name: str = Field(min_length=1, description="Its meaning (Danish).")
    parent: str | None = Field(
        default=None, description="Code of the parent (e.g. the region of a municipality)."
    )
    group: str | None = Field(default=None, description="Grouping, e.g. a benefit group.")


class CodeList(BaseModel):
    """A named, versioned, closed list of codes."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    id: str = Field(description="Name that columns use in `codelist:`.")
    title: str = Field(description="Title.")
    source: str = Field(description="Where the list comes from.")
    illustrative: bool = Field(
        default=False,
        description="True where the list is a plausible illustration, not the official list.",
    )
    note: str | None = Field(default=None, description="Caveats.")
    values: list[CodeValue] = Field(min_length=1, description="The codes.")

    @property
    def codes(self) -> frozenset[str]:
        """The set of valid codes."""
        return frozenset(v.code for v in self.values)
