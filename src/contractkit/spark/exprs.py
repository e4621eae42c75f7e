"""The vocabulary of checks as Spark column expressions, beside the polars one.

:data:`SPARK_CHECKS` has exactly the keys of :data:`contractkit.checks.exprs.CHECKS`
(the shared rule list: :mod:`contractkit.engine.compile` names a check and its
statistics, each engine builds it); ``tests/spark/test_spark_exprs.py`` holds the keys
and the parameters equal and runs both builders over the same edge values, so the two
cannot drift silently. Each builder returns a boolean column that is ``True`` (or null)
where the value conforms; nullness is judged by the not-null rule alone.

Spark's casts are more lenient than polars' (they trim blanks, accept ``1.5d``,
``Infinity``, a bare year as a timestamp), so every parse is gated by a regex that
admits what polars admits. Java's ``$`` also matches before a final line break, so
whole-value matches end in ``\\z``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql import types as T

from contractkit.checks.exprs import (
    BOOLEAN_WORDS,
    CPR_CHECK_REGEX,
    PSEUDONYM_REGEX,
    WEEK53_YEARS,
    decimal_regex,
)
from contractkit.errors import CompileError

__all__ = ["SPARK_CHECKS", "spark_cast", "spark_type", "whole"]

_INTEGER = r"^[+-]?[0-9]+\z"
_FLOAT = (r"^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
          r"|(?i:inf|infinity|nan))\z")
_TIMESTAMP = (r"^\+?([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})"
              r"(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?)?\z")
_DIRECTIVES = {"Y": r"(\+?[0-9]{1,4})", "m": r"([0-9]{1,2})", "d": r"([0-9]{1,2})"}


def whole(regex: str) -> str:
    """A Java regex matching the whole value: ``^…$`` anchors become ``^(?:…)\\z``."""
    body = regex[1:] if regex.startswith("^") else regex
    if body.endswith("$") and not body.endswith(r"\$"):
        body = body[:-1]
    return rf"^(?:{body})\z"


def spark_type(kind: str) -> T.DataType:
    """The Spark type a column of contract type ``kind`` is judged as (polars: target_dtype)."""
    mapping: dict[str, T.DataType] = {
        "string": T.StringType(), "integer": T.LongType(), "decimal": T.DoubleType(),
        "float": T.DoubleType(), "boolean": T.BooleanType(), "date": T.DateType(),
        "timestamp": T.TimestampNTZType(),
    }
    return mapping[kind]


def _date_parser(date_format: str) -> tuple[str, list[str]]:
    """A regex with one group per ``%Y``/``%m``/``%d`` of ``date_format``, and their order."""
    out, order, i = "^", [], 0
    while i < len(date_format):
        ch = date_format[i]
        if ch == "%" and i + 1 < len(date_format):
            d = date_format[i + 1]
            if d not in _DIRECTIVES:
                raise CompileError(f"date_format {date_format!r}: the Spark engine reads only "
                                   "%Y, %m and %d")
            out += _DIRECTIVES[d]
            order.append(d)
            i += 2
            continue
        out += re.escape(ch)
        i += 1
    if sorted(order) != ["Y", "d", "m"]:
        raise CompileError(f"date_format {date_format!r}: needs %Y, %m and %d once each")
    return out + r"\z", order


def _group(e: Column, regex: str, n: int) -> Column:
    return F.regexp_extract(e, regex, n).cast("int")


def spark_cast(e: Column, *, kind: str, decimal: str = ".", date_format: str = "%Y-%m-%d",
               precision: int | None = None, scale: int | None = None) -> Column:
    """Parse a string column as contract type ``kind`` the way ``cast_expr`` does (else null)."""
    if kind == "string":
        return e
    if kind == "integer":
        return F.when(e.rlike(_INTEGER), e.cast("long"))
    if kind in ("decimal", "float"):
        text = F.regexp_replace(e, ",", ".") if decimal == "," else e
        if kind == "decimal":
            ok = e.rlike(whole(decimal_regex(precision, scale, decimal)))
        else:
            ok = ~e.contains("." if decimal == "," else ",") & text.rlike(_FLOAT)
        return F.when(ok, text.cast("double"))
    if kind == "boolean":
        return (F.when(e.isin(BOOLEAN_WORDS[True]), F.lit(True))
                .when(e.isin(BOOLEAN_WORDS[False]), F.lit(False)))
    if kind == "date":
        regex, order = _date_parser(date_format)
        part = {d: _group(e, regex, i + 1) for i, d in enumerate(order)}
        return F.when(e.rlike(regex), F.make_date(part["Y"], part["m"], part["d"]))
    if kind == "timestamp":
        parts = [F.coalesce(_group(e, _TIMESTAMP, i), F.lit(0)) for i in range(1, 6)]
        frac = F.regexp_extract(e, _TIMESTAMP, 7)
        micros = F.when(frac == "", F.lit(0)).otherwise(
            F.rpad(F.substring(frac, 1, 6), 6, "0").cast("int"))
        seconds = (F.coalesce(_group(e, _TIMESTAMP, 6), F.lit(0)).cast("decimal(16,6)")
                   + micros.cast("decimal(16,6)") / 1_000_000)
        stamp = F.make_timestamp_ntz(parts[0], parts[1], parts[2], parts[3], parts[4], seconds)
        return F.when(e.rlike(_TIMESTAMP), stamp)
    raise ValueError(f"unknown column type {kind!r}")


def parses_as(e: Column, **kw: Any) -> Column:
    """The value parses as its column's type (``wrong-type`` otherwise)."""
    return e.isNull() | spark_cast(e, **kw).isNotNull()


def cpr(e: Column) -> Column:
    """A CPR number: DDMMYY-SSSS or DDMMYYSSSS with an existing date (century rule)."""
    return e.rlike(whole(CPR_CHECK_REGEX))


def pseudonym(e: Column) -> Column:
    """A keyed pseudonym: 64 lowercase hex characters."""
    return e.rlike(whole(PSEUDONYM_REGEX))


def _label_parts(e: Column, regex: str) -> tuple[Column, Column]:
    return _group(e, regex, 1), _group(e, regex, 2)


def iso_week(e: Column) -> Column:
    """An ISO week ``YYYY-Www`` that exists (week 53 only in 53-week years; years 1800–2200)."""
    regex = r"^([0-9]{4})-W([0-9]{2})\z"
    year, week = _label_parts(e, regex)
    return (e.rlike(regex) & year.between(1800, 2200)
            & (week.between(1, 52) | ((week == 53) & year.isin(sorted(WEEK53_YEARS)))))


def period_month(e: Column) -> Column:
    """A month label ``YYYY-MM`` (years 1800–2200)."""
    regex = r"^([0-9]{4})-([0-9]{2})\z"
    year, month = _label_parts(e, regex)
    return e.rlike(regex) & year.between(1800, 2200) & month.between(1, 12)


def in_set(e: Column, *, values: Sequence[Any], strip_zeros: bool = False) -> Column:
    """The value is one of ``values`` (leading zeros ignored when ``strip_zeros``)."""
    if strip_zeros:
        return F.regexp_replace(e, "^0+", "").isin([str(v).lstrip("0") for v in values])
    return e.isin(list(values))


def label_in_period(e: Column, *, values: Sequence[str], kind: str) -> Column:
    """A well-formed week/month label is one of ``values`` (malformed ones pass here)."""
    wellformed = iso_week(e) if kind == "iso_week" else period_month(e)
    return e.isin(list(values)) | ~wellformed


def in_range(e: Column, *, min: Any = None, max: Any = None) -> Column:
    """The value lies within the inclusive bounds."""
    out = F.lit(True)
    if min is not None:
        out = out & (e >= F.lit(min))
    if max is not None:
        out = out & (e <= F.lit(max))
    return out


def at_least(e: Column, *, min: Any) -> Column:
    """The value is at least ``min``."""
    return e >= F.lit(min)


def pattern(e: Column, *, regex: str) -> Column:
    """The whole value matches ``regex``."""
    return e.rlike(rf"^(?:{regex})\z")


def max_length(e: Column, *, n: int) -> Column:
    """The value has at most ``n`` characters."""
    return F.char_length(e) <= n


def equals(e: Column, *, value: Any, strip_zeros: bool = False) -> Column:
    """The value equals ``value`` (e.g. the recipient's own municipality)."""
    if strip_zeros:
        return F.regexp_replace(e, "^0+", "") == str(value).lstrip("0")
    return e == F.lit(value)


SPARK_CHECKS: dict[str, Callable[..., Column]] = {
    "parses_as": parses_as,
    "cpr": cpr,
    "pseudonym": pseudonym,
    "iso_week": iso_week,
    "period_month": period_month,
    "in_set": in_set,
    "label_in_period": label_in_period,
    "in_range": in_range,
    "at_least": at_least,
    "pattern": pattern,
    "max_length": max_length,
    "equals": equals,
}
"""Check name → Spark column builder; the same keys as ``checks.exprs.CHECKS``."""
