"""Code lists as data: closed sets of codes that columns refer to by name.

A column needs a code list when it names one (``codelist:``) or when its semantic type
implies one (``semantic: kommune_kode`` → ``kommuner``, ``region_kode`` → ``regioner``).
:func:`codelist_of` is the one place that says which: the engine compiles its lookups from
it and ``lint`` checks with it that every list needed can be found.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from contractkit.contract.base import SemanticType
from contractkit.contract.columns import ColumnRules

__all__ = ["SEMANTIC_CODELISTS", "CodeList", "CodeValue", "codelist_of"]

SEMANTIC_CODELISTS: dict[SemanticType, str] = {
    SemanticType.KOMMUNE_KODE: "kommuner",
    SemanticType.REGION_KODE: "regioner",
}
"""The code list a semantic type looks its values up in."""


def codelist_of(rules: ColumnRules) -> str | None:
    """The id of the code list a column (or column family) looks its values up in, if any.

    Args:
        rules: a column's or a column family's rules.

    Returns:
        Its ``codelist``, else the list its semantic type implies, else ``None``.
    """
    if rules.codelist is not None:
        return rules.codelist
    if rules.semantic is None:
        return None
    return SEMANTIC_CODELISTS.get(rules.semantic)


class CodeValue(BaseModel):
    """One code of a code list."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # fields: Field(description=)

    code: str = Field(min_length=1, description="The code as written in files (text).")
    name: str = Field(min_length=1, description="Its meaning (Danish).")
    parent: str | None = Field(
        default=None, description="Code of the parent (e.g. the region of a municipality)."
    )
    group: str | None = Field(default=None, description="Grouping, e.g. a benefit group.")


class CodeList(BaseModel):
    """A named, versioned, closed list of codes."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # fields: Field(description=)

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
