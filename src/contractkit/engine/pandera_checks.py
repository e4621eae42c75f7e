"""pandera (polars backend) as the check engine: its checks and schemas.

Every builder of :data:`contractkit.checks.exprs.CHECKS` is a pandera check ``ck_<name>``
(:func:`make_check`; :func:`register_checks` registers them as ``Check.ck_<name>``
methods for pandera schemas of one's own), so compiled checks are named, reusable and
serialisable. :func:`failures` validates an (eager) frame and translates pandera's
``failure_cases`` frame — never its exception text, which holds raw rows — into
plain records.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from contractkit.checks.exprs import CHECKS
from contractkit.engine.compile import Rule
from contractkit.engine.pandera_import import import_pandera, pandera_ready, wait, warm_up

__all__ = ["Failure", "build_schema", "failures", "make_check", "pandera_ready", "register_checks",
           "warm_up"]


@dataclass(frozen=True)
class Failure:
    """One failure case: the rule, the position in the validated frame and the raw value."""

    rule: Rule
    index: int
    value: str | None


def _wrap(name: str, builder: Callable[..., pl.Expr]) -> Callable[..., Any]:
    from pandera.api.polars.types import PolarsData

    def check(data: PolarsData, **stats: Any) -> pl.LazyFrame:
        return data.lazyframe.select(builder(pl.col(data.key), **stats))

    params = [inspect.Parameter("data", inspect.Parameter.POSITIONAL_ONLY)]
    params += [p for p in inspect.signature(builder).parameters.values()
               if p.kind is inspect.Parameter.KEYWORD_ONLY]
    check.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    check.__name__ = f"ck_{name}"
    check.__doc__ = builder.__doc__
    return check


@functools.cache
def _wrapped(name: str) -> Callable[..., Any]:
    return _wrap(name, CHECKS[name])


def _statistics(name: str) -> list[str]:
    return [p.name for p in inspect.signature(CHECKS[name]).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY]


def make_check(name: str, stats: dict[str, Any], n_failure_cases: int) -> Any:
    """The pandera check ``ck_<name>`` with ``stats``: the very check the registered method
    ``Check.ck_<name>(**stats)`` builds (same function, name, error text and statistics).

    Built directly, not through the registry: pandera's ``register_check_method`` imports
    pandas and its strategies (≈ 0.25 CPU-s), which validating polars frames never uses.
    """
    from pandera.api.checks import Check

    fn = _wrapped(name)
    declared = _statistics(name)  # as the registry: the rest are keyword arguments of Check
    named = {k: v for k, v in stats.items() if k in declared}
    rest = {k: v for k, v in stats.items() if k not in declared}
    shown = ", ".join(f"{k}={v}" for k, v in named.items())
    check = Check(functools.partial(fn, **named), name=fn.__name__,
                  error=f"{fn.__name__}({shown})" if named else None,
                  n_failure_cases=n_failure_cases, **rest)
    check.statistics = {k: named.get(k) for k in declared}
    check.statistics_args = declared
    return check


@functools.cache
def register_checks() -> None:
    """Register every check builder as ``pandera.Check.ck_<name>`` (idempotent), for
    pandera schemas of one's own; contractkit's schemas use :func:`make_check`."""
    import_pandera()
    from pandera.api.checks import Check
    from pandera.api.extensions import register_check_method

    for name in CHECKS:
        if not hasattr(Check, f"ck_{name}"):
            register_check_method(_wrapped(name), statistics=_statistics(name))


def build_schema(rules: Sequence[Rule], columns: Sequence[str],
                 budget: dict[str, int]) -> tuple[Any, dict[tuple[str, int | None], Rule]]:
    """A pandera ``DataFrameSchema`` for ``rules`` on ``columns``, and a lookup
    ``(column, check_number)`` → rule (``check_number`` ``None`` is the nullability rule).

    Args:
        rules: the rules of one stage.
        columns: the columns present in the frame.
        budget: examples still wanted per rule id (``n_failure_cases`` of each check).
    """
    wait()
    import_pandera()  # done in the thread, unless it failed there: then it raises here
    import pandera.polars as pa

    lookup: dict[tuple[str, int | None], Rule] = {}
    spec: dict[str, Any] = {}
    for name in columns:
        checks: list[Any] = []
        nullable = True
        for rule in (r for r in rules if r.column == name):
            if rule.check == "not_null":
                nullable = False
                lookup[(name, None)] = rule
                continue
            lookup[(name, len(checks))] = rule
            checks.append(make_check(rule.check, rule.stats,
                                     max(budget.get(rule.rule_id, 1), 1)))
        spec[name] = pa.Column(None, nullable=nullable, checks=checks, required=True)
    return pa.DataFrameSchema(spec, strict=False, coerce=False), lookup


def failures(frame: pl.DataFrame, rules: Sequence[Rule],
             budget: dict[str, int]) -> list[Failure]:
    """Validate ``frame`` with pandera and return its failure cases as records."""
    schema, lookup = build_schema(rules, list(frame.columns), budget)  # pandera imported
    import pandera.errors as pe

    try:
        schema.validate(frame, lazy=True)
    except pe.SchemaErrors as exc:  # the one place pandera's errors are translated
        cases = exc.failure_cases
    except pe.SchemaError as exc:
        cases = exc.failure_cases if isinstance(exc.failure_cases, pl.DataFrame) else None
    else:
        return []
    if cases is None:
        return []
    out: list[Failure] = []
    for column, number, check, index, value in cases.select(
            "column", "check_number", "check", "index", "failure_case").iter_rows():
        key = (column, None if check == "not_nullable" else number)
        rule = lookup.get(key)
        if rule is None or index is None:
            continue
        out.append(Failure(rule, int(index), None if value is None else str(value)))
    return out
