"""Period-over-period rules: compare a file's profile with its baseline's, yield findings.

Pure functions over profiles (no I/O): :func:`compare_profiles` judges one file against the
same file (same table and scope) of the baseline period with a table's ``baseline`` rules.
Finding codes (stable): ``volume-change``, ``share-change``, ``code-vanished``, ``shift``;
each carries both periods' figures in its message and its :class:`Comparison`.
"""

from __future__ import annotations

import math

from contractkit.contract.baseline import Baseline, ShareRule, ShiftRule, VolumeRule
from contractkit.delivery.profile import FileProfile
from contractkit.report.model import Code, Comparison, Finding

__all__ = ["compare_profiles", "relative_change"]


def relative_change(before: float, after: float) -> float:
    """``after`` against ``before`` in percent (``inf`` from zero to something)."""
    if before == after:
        return 0.0
    if before == 0:
        return math.copysign(math.inf, after)
    return (after - before) / abs(before) * 100.0


def _outside(change: float, low: float | None, high: float | None) -> bool:
    return (low is not None and change < low) or (high is not None and change > high)


def _bounds_text(low: float | None, high: float | None, unit: str) -> str:
    lo = "…" if low is None else f"{low:+g} {unit}"
    hi = "…" if high is None else f"{high:+g} {unit}"
    return f"{lo} to {hi}"


def _pct(change: float) -> str:
    return f"{change:+.1f} %" if math.isfinite(change) else "from none"


def _finite(change: float) -> float | None:
    return round(change, 4) if math.isfinite(change) else None


class _Judge:
    """Findings for one file: its profile, its baseline's, the periods' labels."""

    def __init__(self, file: str, current: FileProfile, baseline: FileProfile,
                 period: str | None, baseline_period: str) -> None:
        self.file = file
        self.current = current
        self.baseline = baseline
        self.period = period
        self.baseline_period = baseline_period
        self.findings: list[Finding] = []

    def _periods(self) -> str:
        return f"{self.baseline_period} → {self.period or 'this period'}"

    def volume(self, i: int, rule: VolumeRule) -> None:
        before, after = self.baseline.rows, self.current.rows
        if before < rule.min_rows:
            return
        change = relative_change(before, after)
        if not _outside(change, rule.min_change_pct, rule.max_change_pct):
            return
        self.findings.append(Finding(
            Code.VOLUME_CHANGE,
            f"rows {before:,} → {after:,} ({self._periods()}): {_pct(change)}, outside "
            f"{_bounds_text(rule.min_change_pct, rule.max_change_pct, '%')}",
            self.file, None, None, None, rule.severity.value, f"baseline.row_count[{i}]",
            comparison=Comparison(self.baseline_period, self.period, before, after, _finite(change),
                       "percent", "rows")))

    def shares(self, i: int, rule: ShareRule) -> None:
        if self.baseline.rows < rule.min_rows:
            return
        before = self.baseline.codes.get(rule.column)
        after = self.current.codes.get(rule.column)
        if before is None or after is None:
            return
        where = f"baseline.shares[{i}]"
        if rule.no_code_vanishes:
            for code, n in before.items():
                if code in after:
                    continue
                shown = f"{n:,}" if n is not None else f"fewer than {self.baseline.min_cell_size}"
                self.findings.append(Finding(
                    Code.CODE_VANISHED,
                    f"code {code} had {shown} rows in {self.baseline_period} and none in "
                    f"{self.period or 'this period'}",
                    self.file, rule.column, None, code, rule.severity.value, where,
                    comparison=Comparison(self.baseline_period, self.period,
                               None if n is None else float(n), 0.0, None, "points", "count")))
        if rule.max_change_points is None or self.baseline.rows == 0 or self.current.rows == 0:
            return
        for code in sorted(set(before) | set(after)):
            b, a = before.get(code, 0), after.get(code, 0)
            if b is None or a is None:
                continue  # suppressed: too few rows to judge a share
            share_b = 100.0 * b / self.baseline.rows
            share_a = 100.0 * a / self.current.rows
            change = share_a - share_b
            if abs(change) <= rule.max_change_points:
                continue
            self.findings.append(Finding(
                Code.SHARE_CHANGE,
                f"share of code {code} {share_b:.1f} % → {share_a:.1f} % ({self._periods()}): "
                f"{change:+.1f} points, more than {rule.max_change_points:g}",
                self.file, rule.column, None, code, rule.severity.value, where,
                comparison=Comparison(self.baseline_period, self.period, round(share_b, 4),
                           round(share_a, 4), round(change, 4), "points", "share")))

    def shift(self, i: int, rule: ShiftRule) -> None:
        if self.baseline.rows < rule.min_rows:
            return
        sb = self.baseline.numeric.get(rule.column)
        sa = self.current.numeric.get(rule.column)
        if sb is None or sa is None:
            return
        stat = rule.statistic.value
        before, after = sb.statistic(stat), sa.statistic(stat)
        if before is None or after is None:
            return
        change = relative_change(before, after)
        if not _outside(change, rule.min_change_pct, rule.max_change_pct):
            return
        self.findings.append(Finding(
            Code.SHIFT,
            f"{stat} {before:.4g} → {after:.4g} ({self._periods()}): {_pct(change)}, outside "
            f"{_bounds_text(rule.min_change_pct, rule.max_change_pct, '%')}",
            self.file, rule.column, None, None, rule.severity.value, f"baseline.shifts[{i}]",
            comparison=Comparison(self.baseline_period, self.period, before, after, _finite(change),
                       "percent", stat)))


def compare_profiles(rules: Baseline, file: str, current: FileProfile, baseline: FileProfile,
                     *, period: str | None, baseline_period: str) -> list[Finding]:
    """Judge ``current`` against ``baseline`` with ``rules``; one finding per broken bound.

    Args:
        rules: the table's period-over-period rules.
        file: the file judged (as findings name it).
        current: its profile.
        baseline: the profile of the same file in the baseline period (for an old manifest
            without profiles: rows only, no codes or numbers).
        period: the period of the file judged.
        baseline_period: the period of the baseline.
    """
    judge = _Judge(file, current, baseline, period, baseline_period)
    for i, vol in enumerate(rules.row_count):
        judge.volume(i, vol)
    for i, share in enumerate(rules.shares):
        judge.shares(i, share)
    for i, shift in enumerate(rules.shifts):
        judge.shift(i, shift)
    return judge.findings
