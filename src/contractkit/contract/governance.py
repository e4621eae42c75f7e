"""Governance of a feed: parties, recipient scope, legal basis, CPR exemption, cadence."""

from __future__ import annotations

from pydantic import Field

from contractkit.contract.base import Frequency, FrozenModel, ScopeKind


class Steward(FrozenModel):
    """The person or office who answers for the contract."""

    name: str = Field(min_length=1, description="Name of the steward or office.")
    email: str | None = Field(default=None, description="Contact address.")


class Party(FrozenModel):
    """An authority that sends or receives a feed."""

    name: str = Field(min_length=1, description="Full name, e.g. 'Danmarks Statistik'.")
    code: str = Field(min_length=1, description="Short code, e.g. DST, SSI, UDK, kommuner.")


class Scope(FrozenModel):
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


class LawReference(FrozenModel):
    """One paragraph of a Danish law (or executive order) that is the legal basis."""

    law: str = Field(min_length=1, description="Name of the law, e.g. 'Integrationsloven'.")
    paragraph: str | None = Field(
        default=None, description="Paragraph(s) without the § sign, e.g. '45', '12 a', '2-4'."
    )
    stk: list[str] = Field(default_factory=list, description="Subsections (stk.), e.g. ['8'].")


class LegalBasis(FrozenModel):
    """The legal basis (hjemmel) for the feed, verbatim and structured."""

    text: str = Field(min_length=1, description="The legal basis exactly as the source words it.")
    references: list[LawReference] = Field(
        default_factory=list, description="The law paragraphs the text cites, structured."
    )
    gdpr: str | None = Field(
        default=None, description="The GDPR article, e.g. 'art. 6, stk. 1, litra e'."
    )


class CprExemption(FrozenModel):
    """Permission to deliver CPR numbers for a statistical/research purpose.

    The source: "Som udgangspunkt leveres data i anonymiseret form, men kan leveres med
    cpr.nr. hvis der er hjemmel hertil og det er godkendt af Datatilsynet."
    """

    basis: str = Field(min_length=1, description="The legal basis that allows CPR numbers.")
    approved_by: str = Field(min_length=1, description="Who approved it, e.g. 'Datatilsynet'.")


class Cadence(FrozenModel):
    """How often the feed is delivered and when each delivery is due."""

    frequency: Frequency = Field(description="daily, weekly, monthly, quarterly or yearly.")
    due_days: int = Field(
        default=10, ge=0, le=366, description="The delivery is due this many days after period end."
    )
    description: str | None = Field(default=None, description="Cadence in words (Danish ok).")
