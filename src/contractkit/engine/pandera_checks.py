"""pandera (polars backend) as the check engine: registered check methods and schemas.

Every builder of :data:`contractkit.checks.exprs.CHECKS` is registered once as a pandera
check method ``Check.ck_<name>``, so compiled checks are named, reusable and
serialisable. :func:`failures` validates an (eager) frame and translates pandera's
``failure_cases`` frame — never its exception text, which holds raw rows — into
plain records.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from contractkit.checks.exprs import CHECKS
from contractkit.engine.compile import Rule

__all__ = ["Failure", "build_schema", "failures", "pandera_ready", "register_checks", "warm_up"]


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
def register_checks() -> None:
    """Register every check builder as ``pandera.Check.ck_<name>`` (idempotent)."""
    from pandera.api.checks import Check
    from pandera.api.extensions import register_check_method

    for name, builder in CHECKS.items():
        if hasattr(Check, f"ck_{name}"):
            continue
        stats = [p.name for p in inspect.signature(builder).parameters.values()
                 if p.kind is inspect.Parameter.KEYWORD_ONLY]
        register_check_method(_wrap(name, builder), statistics=stats)


_warming: list[threading.Thread] = []
_warming_lock = threading.Lock()


def _quiet_pyspark() -> None:
    # with pyspark installed (the Spark engine) pandera tries `import pyspark.pandas`,
    # which warns about pandas 3 before it fails; contractkit uses no pandas-on-Spark
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                            category=FutureWarning)


def _import_pandera() -> None:
    _quiet_pyspark()
    with contextlib.suppress(Exception):  # the main thread repeats what failed, and raises
        import pandera.errors
        import pandera.polars  # noqa: F401

        register_checks()


def warm_up() -> None:
    """Start importing pandera (≈ 1 s, pandas included) in a thread, once per process.

    The import overlaps the first batches' reading; :func:`build_schema` waits for it.
    """
    with _warming_lock:
        if not _warming:
            thread = threading.Thread(target=_import_pandera, name="contractkit-pandera",
                                      daemon=True)
            _warming.append(thread)
            thread.start()


def pandera_ready() -> bool:
    """Whether pandera is imported (or its import is not under way in a thread)."""
    with _warming_lock:
        return not _warming or not _warming[0].is_alive()


def _wait_warm() -> None:
    with _warming_lock:
        thread = _warming[0] if _warming else None
    if thread is not None:
        thread.join()


def build_schema(rules: Sequence[Rule], columns: Sequence[str],
                 budget: dict[str, int]) -> tuple[Any, dict[tuple[str, int | None], Rule]]:
    """A pandera ``DataFrameSchema`` for ``rules`` on ``columns``, and a lookup
    ``(column, check_number)`` → rule (``check_number`` ``None`` is the nullability rule).

    Args:
        rules: the rules of one stage.
        columns: the columns present in the frame.
        budget: examples still wanted per rule id (``n_failure_cases`` of each check).
    """
    _wait_warm()
    _quiet_pyspark()
    import pandera.polars as pa

    register_checks()
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
            method = getattr(pa.Check, f"ck_{rule.check}")
            lookup[(name, len(checks))] = rule
            checks.append(method(**rule.stats, n_failure_cases=max(budget.get(rule.rule_id, 1), 1)))
        spec[name] = pa.Column(None, nullable=nullable, checks=checks, required=True)
    return pa.DataFrameSchema(spec, strict=False, coerce=False), lookup


def failures(frame: pl.DataFrame, rules: Sequence[Rule],
             budget: dict[str, int]) -> list[Failure]:
    """Validate ``frame`` with pandera and return its failure cases as records."""
    _wait_warm()
    _quiet_pyspark()
    import pandera.errors as pe

    schema, lookup = build_schema(rules, list(frame.columns), budget)
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
