"""CPR numbers for synthetic data: century digits, scalar and vectorised generation.

A CPR number is ``DDMMYY-SSSS`` (or ``DDMMYYSSSS``). Its 7th digit and ``YY`` fix the
century (DESIGN §5): 0–3 → 19YY; 4 or 9 → 20YY if YY ≤ 36 else 19YY; 5–8 → 20YY if
YY ≤ 57 else 18YY. Synthetic numbers therefore choose the 7th digit from the digits that
give the birth year, so every generated number decodes to its real birth date.
Modulus 11 is deliberately not applied (not a validity rule since 2007).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from contractkit.checks.cpr import century_digits
from contractkit.synth.sampling import distinct_draws

__all__ = [
    "CPR_FIRST_BIRTH_DATE",
    "CPR_LAST_BIRTH_DATE",
    "century_digits",
    "cpr_from_parts",
    "decode_birth_date",
    "draw_cprs",
]

CPR_FIRST_BIRTH_DATE = date(1858, 1, 1)
"""The earliest birth date a CPR number can express."""
CPR_LAST_BIRTH_DATE = date(2057, 12, 31)
"""The latest birth date a CPR number can express."""


def decode_birth_date(cpr: str) -> date | None:
    """The birth date a CPR number encodes, or None (synth's own reference decoder)."""
    digits = cpr.replace("-", "", 1) if len(cpr) == 11 and cpr[6] == "-" else cpr
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return None
    dd, mm, yy, d7 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if d7 <= 3:
        year = 1900 + yy
    elif d7 in (4, 9):
        year = 2000 + yy if yy <= 36 else 1900 + yy
    else:
        year = 2000 + yy if yy <= 57 else 1800 + yy
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def cpr_from_parts(birth: date, digit7: int, tail: int, hyphen: bool) -> str:
    """Assemble a CPR number from a birth date, its century digit and a 3-digit tail."""
    if digit7 not in century_digits(birth.year):
        raise ValueError(f"digit {digit7} cannot encode year {birth.year}")
    head = birth.strftime("%d%m") + f"{birth.year % 100:02d}"
    return f"{head}{'-' if hyphen else ''}{digit7}{tail:03d}"


# Century-digit table per year offset, so a vectorised draw is one gather.
_YEARS = np.arange(CPR_FIRST_BIRTH_DATE.year, CPR_LAST_BIRTH_DATE.year + 1)
_DIGITS = [century_digits(int(y)) for y in _YEARS]
_DIGIT_COUNT = np.array([len(d) for d in _DIGITS])
_DIGIT_TABLE = np.array([list(d) + [d[0]] * (6 - len(d)) for d in _DIGITS])


def draw_cprs(rng: np.random.Generator, n: int, lo: date, hi: date, *, hyphen: bool = False,
              distinct: bool = False) -> pl.Series:
    """Draw ``n`` valid CPR numbers with birth dates in ``[lo, hi]`` (vectorised).

    Args:
        rng: the seeded generator.
        n: how many.
        lo: earliest birth date (clamped to what CPR can express).
        hi: latest birth date (clamped likewise).
        hyphen: write ``DDMMYY-SSSS`` instead of ``DDMMYYSSSS``.
        distinct: return ``n`` different numbers.

    Raises:
        ValueError: the birth-date span cannot hold ``n`` distinct numbers.
    """
    lo, hi = max(lo, CPR_FIRST_BIRTH_DATE), min(hi, CPR_LAST_BIRTH_DATE)
    d_lo, d_hi = (lo - _EPOCH).days, (hi - _EPOCH).days
    if d_hi < d_lo:
        raise ValueError("empty birth-date span")
    # Every birth date carries at least 4 000 numbers (4 century digits x 1 000 tails).
    if distinct and (d_hi - d_lo + 1) * 4000 < n:
        raise ValueError(f"birth dates {lo}..{hi} cannot carry {n} distinct CPR numbers")
    if distinct:
        keys = distinct_draws(rng, n, lambda k: _draw_keys(rng, k, d_lo, d_hi))
    else:
        keys = _draw_keys(rng, n, d_lo, d_hi)
    days, serial = keys // 10_000, keys % 10_000
    frame = pl.DataFrame({"b": pl.Series(days.astype(np.int32)).cast(pl.Date), "s": serial})
    return frame.select(
        pl.concat_str(
            pl.col("b").dt.strftime("%d%m%y"),
            pl.lit("-" if hyphen else ""),
            pl.col("s").cast(pl.String).str.zfill(4),
        )
    ).to_series()


_EPOCH = date(1970, 1, 1)


def _draw_keys(rng: np.random.Generator, n: int, d_lo: int, d_hi: int) -> np.ndarray:
    """Keys ``days_since_epoch * 10_000 + serial`` of valid CPR numbers."""
    days = rng.integers(d_lo, d_hi + 1, n).astype(np.int64)
    years = pl.Series(days.astype(np.int32)).cast(pl.Date).dt.year().to_numpy()
    idx = years - CPR_FIRST_BIRTH_DATE.year
    choice = np.floor(rng.random(n) * _DIGIT_COUNT[idx]).astype(np.int64)
    digit = _DIGIT_TABLE[idx, choice]
    tail = rng.integers(0, 1000, n)
    return np.asarray(days * 10_000 + digit * 1000 + tail, dtype=np.int64)
