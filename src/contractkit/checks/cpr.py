"""Danish CPR numbers: birth date and century from the 7th digit (no modulus 11).

The century rule (DESIGN §5): with YY the year digits and the 7th digit d7,
0–3 → 19YY; 4 or 9 → 20YY if YY ≤ 36 else 19YY; 5–8 → 20YY if YY ≤ 57 else 18YY.
The date must exist. Modulus 11 is not a validity rule since 1 October 2007.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["CPR_REGEX", "century_digits", "cpr_birth_date", "cpr_century", "is_valid_cpr"]

CPR_REGEX = r"^[0-9]{6}-?[0-9]{4}$"
_CPR = re.compile(CPR_REGEX)


def cpr_century(yy: int, digit7: int) -> int:
    """The century (1800, 1900 or 2000) of a CPR number with year ``yy`` and 7th digit."""
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def century_digits(year: int) -> tuple[int, ...]:
    """The 7th digits that, with ``year % 100``, decode to ``year`` (empty if none can).

    The inverse of :func:`cpr_century`, derived from it so the rule is stated once.
    """
    yy = year % 100
    return tuple(d for d in range(10) if cpr_century(yy, d) + yy == year)


def cpr_birth_date(s: str) -> date | None:
    """The birth date a CPR number encodes, or ``None`` if it is not a valid CPR number.

    Accepts ``DDMMYY-SSSS`` and ``DDMMYYSSSS``.
    """
    if not isinstance(s, str) or not _CPR.match(s):
        return None
    digits = s.replace("-", "")
    dd, mm, yy, d7 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    try:
        return date(cpr_century(yy, d7) + yy, mm, dd)
    except ValueError:
        return None


def is_valid_cpr(s: str) -> bool:
    """True when ``s`` is a CPR number with an existing birth date (century rule applied)."""
    return cpr_birth_date(s) is not None
