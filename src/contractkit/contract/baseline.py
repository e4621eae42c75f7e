"""Period-over-period rules: a file compared with the same file of the last released period.

Every other rule judges one file on its own. These compare a file with its *baseline*:
the file of the same table (and, for per-municipality/region feeds, the same scope) in the
last released delivery of the feed. The baseline is a small profile of aggregates kept in
the delivery's manifest: row count, counts per code of the coded columns named here, and
numeric means/quantiles; never a personal value.

- ``row_count``: the relative change of the row count, in percent, lies within bounds.
- ``shares``: per coded column, each code's share of the rows changes by at most so many
  percentage points, and optionally no code present last period vanishes.
- ``shifts``: a numeric column's mean or a quantile changes by at most so many percent.

Each rule has a severity: ``error`` holds the delivery, ``warning`` only reports. Rules
apply only when the baseline file has at least ``min_rows`` rows (small files swing a lot).

Pure data: no I/O, nothing else of contractkit imported.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from contractkit.contract.base import FrozenModel

__all__ = [
    "QUANTILES",
    "Baseline",
    "RuleSeverity",
    "ShareRule",
    "ShiftRule",
    "ShiftStatistic",
    "VolumeRule",
]


class RuleSeverity(StrEnum):
    """What a broken period-over-period rule does to the delivery."""

    ERROR = "error"
    """Holds the delivery (it is not released)."""
    WARNING = "warning"
    """Reported only."""


class ShiftStatistic(StrEnum):
    """The statistic of a numeric column a shift rule compares."""

    MEAN = "mean"
    P10 = "p10"
    P25 = "p25"
    P50 = "p50"
    P75 = "p75"
    P90 = "p90"


QUANTILES: dict[ShiftStatistic, float] = {
    ShiftStatistic.P10: 0.10,
    ShiftStatistic.P25: 0.25,
    ShiftStatistic.P50: 0.50,
    ShiftStatistic.P75: 0.75,
    ShiftStatistic.P90: 0.90,
}
"""The quantile each ``p..`` statistic stands for."""


class VolumeRule(FrozenModel):
    """Bounds on the change of a file's row count against its baseline, in percent."""

    min_change_pct: float | None = Field(
        default=None, ge=-100,
        description="Smallest allowed change in percent, e.g. -30: at most 30 % fewer rows.",
    )
    max_change_pct: float | None = Field(
        default=None, ge=-100,
        description="Largest allowed change in percent, e.g. 50: at most 50 % more rows "
        "(a doubling is +100).",
    )
    min_rows: int = Field(
        default=1, ge=0,
        description="Judge only when the baseline file has at least this many rows.",
    )
    severity: RuleSeverity = Field(
        default=RuleSeverity.ERROR, description="error holds the delivery; warning reports."
    )


class ShareRule(FrozenModel):
    """Bounds on the mix of a coded column: each code's share of the rows."""

    column: str = Field(description="A coded column (code list, allowed values, kommune/region "
                        "code or boolean).")
    max_change_points: float | None = Field(
        default=None, ge=0, le=100,
        description="Largest change of any code's share of the rows, in percentage points.",
    )
    no_code_vanishes: bool = Field(
        default=False, description="A code present in the baseline must be present again."
    )
    min_rows: int = Field(
        default=1, ge=0,
        description="Judge only when the baseline file has at least this many rows.",
    )
    severity: RuleSeverity = Field(
        default=RuleSeverity.ERROR, description="error holds the delivery; warning reports."
    )


class ShiftRule(FrozenModel):
    """Bounds on the change of a numeric column's mean or quantile, in percent."""

    column: str = Field(description="A numeric column (integer, decimal or float).")
    statistic: ShiftStatistic = Field(
        default=ShiftStatistic.MEAN,
        description="mean, or a quantile p10/p25/p50/p75/p90 (quantiles only on columns "
        "without personal data).",
    )
    min_change_pct: float | None = Field(
        default=None, ge=-100, description="Smallest allowed change in percent."
    )
    max_change_pct: float | None = Field(
        default=None, ge=-100, description="Largest allowed change in percent."
    )
    min_rows: int = Field(
        default=1, ge=0,
        description="Judge only when the baseline file has at least this many rows.",
    )
    severity: RuleSeverity = Field(
        default=RuleSeverity.ERROR, description="error holds the delivery; warning reports."
    )


class Baseline(FrozenModel):
    """Rules comparing a file with the same file of the last released period of the feed."""

    description: str = Field(
        default="", description="Where the bounds come from (e.g. starting values)."
    )
    row_count: list[VolumeRule] = Field(
        default_factory=list, description="Bounds on the row count's change, in percent."
    )
    shares: list[ShareRule] = Field(
        default_factory=list, description="Bounds on coded columns' shares, in points."
    )
    shifts: list[ShiftRule] = Field(
        default_factory=list, description="Bounds on numeric columns' mean or quantiles."
    )
    min_cell_size: int = Field(
        default=5, ge=1,
        description="Counts below this are suppressed in the stored profile (the table's own "
        "min_cell_size wins when it sets one).",
    )

    @property
    def share_columns(self) -> list[str]:
        """Coded columns the profile must count, in rule order, without repeats."""
        return list(dict.fromkeys(r.column for r in self.shares))

    @property
    def shift_columns(self) -> list[str]:
        """Numeric columns the profile must summarise, in rule order, without repeats."""
        return list(dict.fromkeys(r.column for r in self.shifts))
