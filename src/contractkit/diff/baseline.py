"""Changes of period-over-period (``baseline``) rules between two versions of a table.

These rules are the producer's release gate on how much a delivery may move against the
last released one, so they are classed by what they do to releases:

* ``baseline-tightened`` (breaking): a bound of an existing error rule is narrowed, its
  ``min_rows`` lowered, ``no_code_vanishes`` switched on, or a warning raised to an error —
  a delivery the old version released can now be held, and the recipient waits for it.
* ``baseline-loosened`` (compatible): the reverse; everything the old version released is
  still released.
* ``baseline-added`` / ``baseline-removed`` (compatible): a new error rule is a new
  guarantee, as a new primary key or period rule is; a dropped one releases more.
* ``baseline-warning-changed`` (patch): a warning-only rule changes; it never holds.

Rules are matched by kind and column (volume rules by position, shift rules also by
statistic).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from contractkit.contract.baseline import RuleSeverity, ShareRule, ShiftRule, VolumeRule
from contractkit.contract.models import Table
from contractkit.diff.columns import show
from contractkit.diff.model import Change, ChangeKind

__all__ = ["diff_baseline"]

_K = ChangeKind
Rule = VolumeRule | ShareRule | ShiftRule
_LOWER = ("min_change_pct",)
_UPPER = ("max_change_pct", "max_change_points")


def _keyed(kind: str, rules: Sequence[Rule]) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for i, rule in enumerate(rules):
        if isinstance(rule, ShiftRule):
            base = f"{kind}[{rule.column}.{rule.statistic}]"
        elif isinstance(rule, ShareRule):
            base = f"{kind}[{rule.column}]"
        else:
            base = f"{kind}[{i}]"
        key, n = base, 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = rule
    return out


def _describe(rule: Rule) -> str:
    fields = rule.model_dump(exclude_defaults=True, mode="json")
    return ", ".join(f"{k}={show(v)}" for k, v in fields.items()) or "defaults"


def _direction(old: Rule, new: Rule) -> tuple[bool, bool]:
    """(tighter, looser) in some respect, severity aside."""
    tighter = looser = False
    for name in _LOWER + _UPPER:
        if not hasattr(old, name):
            continue
        o, n = getattr(old, name), getattr(new, name)
        if o == n:
            continue
        narrowed = (n is not None and (o is None or (n > o if name in _LOWER else n < o)))
        tighter |= narrowed
        looser |= not narrowed
    if new.min_rows != old.min_rows:
        tighter |= new.min_rows < old.min_rows
        looser |= new.min_rows > old.min_rows
    if isinstance(old, ShareRule) and isinstance(new, ShareRule) and (
        old.no_code_vanishes != new.no_code_vanishes
    ):
        tighter |= new.no_code_vanishes
        looser |= old.no_code_vanishes
    return tighter, looser


def _pair(old: Rule, new: Rule) -> list[ChangeKind]:
    o_err, n_err = old.severity is RuleSeverity.ERROR, new.severity is RuleSeverity.ERROR
    if not o_err and not n_err:
        return [_K.BASELINE_WARNING_CHANGED] if old != new else []
    if not o_err:
        return [_K.BASELINE_TIGHTENED]
    if not n_err:
        return [_K.BASELINE_LOOSENED]
    tighter, looser = _direction(old, new)
    kinds = [k for k, on in ((_K.BASELINE_TIGHTENED, tighter), (_K.BASELINE_LOOSENED, looser))
             if on]
    if not kinds and old != new:
        kinds = [_K.BASELINE_WARNING_CHANGED]
    return kinds


def diff_baseline(old: Table, new: Table) -> Iterator[Change]:
    """Every change of the period-over-period rules of a table present in both versions."""
    at = f"tables[{new.name}].baseline"
    ob, nb = old.baseline, new.baseline
    if ob == nb:
        return
    if ob is not None and nb is not None and ob.description != nb.description:
        yield Change(_K.DESCRIPTION_CHANGED, f"{at}.description", new.name, None,
                     ob.description, nb.description)
    for kind in ("row_count", "shares", "shifts"):
        o_rules = _keyed(kind, getattr(ob, kind) if ob is not None else [])
        n_rules = _keyed(kind, getattr(nb, kind) if nb is not None else [])
        for key, rule in o_rules.items():
            if key not in n_rules:
                change = (_K.BASELINE_REMOVED if rule.severity is RuleSeverity.ERROR
                          else _K.BASELINE_WARNING_CHANGED)
                yield Change(change, f"{at}.{key}", new.name, getattr(rule, "column", None),
                             _describe(rule), None)
        for key, rule in n_rules.items():
            before = o_rules.get(key)
            column = getattr(rule, "column", None)
            if before is None:
                change = (_K.BASELINE_ADDED if rule.severity is RuleSeverity.ERROR
                          else _K.BASELINE_WARNING_CHANGED)
                yield Change(change, f"{at}.{key}", new.name, column, None, _describe(rule))
                continue
            for change in _pair(before, rule):
                yield Change(change, f"{at}.{key}", new.name, column, _describe(before),
                             _describe(rule))
