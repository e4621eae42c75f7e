"""Period-over-period judgement of one profile against its baseline's, as data and as
properties that hold for all inputs."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from contractkit.contract.baseline import (
    Baseline,
    RuleSeverity,
    ShareRule,
    ShiftRule,
    ShiftStatistic,
    VolumeRule,
)
from contractkit.delivery.compare import compare_profiles, relative_change
from contractkit.delivery.profile import FileProfile, NumericSummary

FILE = "samtaler_751_2024-03.csv"


def _judge(rules: Baseline, before: FileProfile, after: FileProfile) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in compare_profiles(
        rules, FILE, after, before, period="2024-03", baseline_period="2024-02")]


def _profile(rows: int, codes: dict[str, int | None] | None = None,
             mean: float | None = None) -> FileProfile:
    numeric = {"timer": NumericSummary(rows, mean, {"p50": mean} if mean is not None else {})}
    return FileProfile(rows, 5, {"ydelse_kode": codes or {}}, numeric)


def test_volume_change_names_both_counts() -> None:
    rules = Baseline(row_count=[VolumeRule(min_change_pct=-40, max_change_pct=60)])
    [finding] = compare_profiles(rules, FILE, _profile(9), _profile(16), period="2024-03",
                                 baseline_period="2024-02")
    assert finding.code == "volume-change"
    assert finding.rule == "baseline.row_count[0]"
    assert "16 → 9" in finding.message
    assert finding.comparison is not None
    assert (finding.comparison.baseline, finding.comparison.current) == (16, 9)
    assert finding.comparison.change == -43.75


def test_small_baselines_are_not_judged() -> None:
    rules = Baseline(row_count=[VolumeRule(min_change_pct=-10, min_rows=20)])
    assert _judge(rules, _profile(16), _profile(1)) == []


def test_share_change_and_vanished_code_with_severity() -> None:
    rules = Baseline(shares=[
        ShareRule(column="ydelse_kode", max_change_points=10),
        ShareRule(column="ydelse_kode", no_code_vanishes=True, severity=RuleSeverity.WARNING)])
    before = _profile(100, {"111": 50, "730": 40, "211": None})
    after = _profile(100, {"111": 70, "730": 30})
    findings = compare_profiles(rules, FILE, after, before, period="2024-03",
                                baseline_period="2024-02")
    assert [(f.code, f.value, f.severity) for f in findings] == [
        ("share-change", "111", "error"), ("code-vanished", "211", "warning")]
    share = findings[0].comparison
    assert share is not None
    assert (share.baseline, share.current, share.change, share.unit) == (50, 70, 20, "points")
    assert "fewer than 5" in findings[1].message


def test_suppressed_counts_are_not_judged_for_shares() -> None:
    rules = Baseline(shares=[ShareRule(column="ydelse_kode", max_change_points=1)])
    assert _judge(rules, _profile(10, {"a": None}), _profile(10, {"a": 6})) == []


def test_shift_of_a_statistic() -> None:
    rules = Baseline(shifts=[ShiftRule(column="timer", statistic=ShiftStatistic.P50,
                                       min_change_pct=-10, max_change_pct=10)])
    assert _judge(rules, _profile(100, mean=30.0), _profile(100, mean=20.0)) == [
        ("shift", "error")]
    assert _judge(rules, _profile(100, mean=30.0), _profile(100, mean=31.0)) == []


def test_old_manifest_rows_only_still_judges_volume() -> None:
    rules = Baseline(row_count=[VolumeRule(max_change_pct=50)],
                     shares=[ShareRule(column="ydelse_kode", max_change_points=1)])
    rows_only = FileProfile(rows=10, min_cell_size=1)
    assert _judge(rules, rows_only, _profile(30, {"x": 30})) == [("volume-change", "error")]


def test_relative_change_from_zero() -> None:
    assert relative_change(0, 0) == 0
    assert relative_change(0, 5) == math.inf
    assert relative_change(10, 5) == -50


# -- properties ---------------------------------------------------------------------------

_bound = st.one_of(st.none(), st.floats(min_value=0, max_value=500, allow_nan=False))
_lower = st.one_of(st.none(), st.floats(min_value=-100, max_value=0, allow_nan=False))
_severity = st.sampled_from(list(RuleSeverity))


@st.composite
def _sane_rules(draw: st.DrawFn) -> Baseline:
    """Rules that lint accepts: 0 lies inside every bound."""
    volume = st.builds(VolumeRule, min_change_pct=_lower, max_change_pct=_bound,
                       min_rows=st.integers(0, 50), severity=_severity)
    share = st.builds(ShareRule, column=st.just("ydelse_kode"),
                      max_change_points=st.one_of(st.none(), st.floats(0, 100)),
                      no_code_vanishes=st.booleans(), min_rows=st.integers(0, 50),
                      severity=_severity)
    shift = st.builds(ShiftRule, column=st.just("timer"),
                      statistic=st.sampled_from(list(ShiftStatistic)), min_change_pct=_lower,
                      max_change_pct=_bound, min_rows=st.integers(0, 50), severity=_severity)
    return Baseline(row_count=draw(st.lists(volume, max_size=3)),
                    shares=draw(st.lists(share, max_size=3)),
                    shifts=draw(st.lists(shift, max_size=3)))


@st.composite
def _profiles(draw: st.DrawFn) -> FileProfile:
    rows = draw(st.integers(0, 10_000))
    codes = draw(st.dictionaries(st.sampled_from(["111", "112", "730", "881", "997"]),
                                 st.one_of(st.none(), st.integers(5, 10_000)), max_size=5))
    stats = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))
    summary = NumericSummary(draw(st.integers(0, rows)), draw(stats), {
        q.value: v for q in ShiftStatistic if q.value != "mean"
        if (v := draw(stats)) is not None})
    return FileProfile(rows, 5, {"ydelse_kode": codes}, {"timer": summary})


@given(_sane_rules(), _profiles())
def test_a_profile_compared_with_itself_never_yields_a_finding(rules: Baseline,
                                                               profile: FileProfile) -> None:
    assert compare_profiles(rules, FILE, profile, profile, period="2024-03",
                            baseline_period="2024-02") == []


@given(st.integers(0, 10_000), st.integers(0, 10_000), _lower, _bound,
       st.floats(0, 100), st.floats(0, 100))
def test_volume_bounds_are_monotonic(before: int, after: int, low: float | None,
                                     high: float | None, tighten_low: float,
                                     tighten_high: float) -> None:
    """A change held by bounds is held by every tighter bound too."""
    wide = Baseline(row_count=[VolumeRule(min_change_pct=low, max_change_pct=high,
                                          min_rows=0)])
    narrow = Baseline(row_count=[VolumeRule(
        min_change_pct=min(0.0, (low if low is not None else -100) + tighten_low),
        max_change_pct=max(0.0, (high if high is not None else 500) - tighten_high),
        min_rows=0)])
    held_wide = _judge(wide, FileProfile(before, 1), FileProfile(after, 1))
    held_narrow = _judge(narrow, FileProfile(before, 1), FileProfile(after, 1))
    assert len(held_narrow) >= len(held_wide)


@given(st.integers(1, 10_000), st.integers(1, 10_000), st.integers(0, 10_000),
       st.integers(0, 10_000), st.floats(0, 100))
def test_share_change_is_found_exactly_when_it_exceeds_the_bound(
        rows_b: int, rows_a: int, n_b: int, n_a: int, points: float) -> None:
    n_b, n_a = min(n_b, rows_b), min(n_a, rows_a)
    rules = Baseline(shares=[ShareRule(column="ydelse_kode", max_change_points=points)])
    before = FileProfile(rows_b, 1, {"ydelse_kode": {"x": n_b} if n_b else {}})
    after = FileProfile(rows_a, 1, {"ydelse_kode": {"x": n_a} if n_a else {}})
    findings = compare_profiles(rules, FILE, after, before, period="2024-03",
                                baseline_period="2024-02")
    change = 100.0 * n_a / rows_a - 100.0 * n_b / rows_b
    assert bool(findings) == (abs(change) > points)
    for f in findings:
        assert f.comparison is not None
        assert f.comparison.change is not None
        assert math.isclose(f.comparison.change, change, abs_tol=1e-3)
