"""Seeded, vectorised generation of the person-level base of the DSDW stand-in.

Two frames come from numpy here: ``personer`` (one row per person, with a valid CPR
number) and ``forloeb`` (benefit spells: who received which benefit from when to when).
Every other warehouse table is derived from these two in DuckDB SQL (see
:mod:`contractkit.warehouse.derive`), so memory stays bounded by the person count.

CPR numbers follow the century rule (DESIGN §5): the 7th digit and the birth year agree,
the birth date exists and the last digit is odd for men and even for women. Numbers are
unique by construction (a person's serial is derived from its rank among persons born the
same day with the same sex), so no rejection sampling is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from contractkit.checks.cpr import century_digits

__all__ = [
    "BENEFITS",
    "COVERAGE_END",
    "COVERAGE_START",
    "Benefit",
    "generate_persons",
    "generate_spells",
]

COVERAGE_START = date(2023, 1, 1)
"""First day the warehouse holds data for."""
COVERAGE_END = date(2024, 12, 31)
"""Last day the warehouse holds data for."""

_EPOCH = np.datetime64("1970-01-01", "D")
_BIRTH_FIRST = np.datetime64("1945-01-01", "D")
_BIRTH_LAST = np.datetime64("2008-12-31", "D")
_SPELL_FIRST = np.datetime64("2021-07-01", "D")
_SPELL_LAST = np.datetime64("2024-12-31", "D")


@dataclass(frozen=True)
class Benefit:
    """How the generator draws one benefit code (illustrative distributions).

    Attributes:
        code: the code in ``contracts/codelists/ydelser.yaml``.
        weight: relative frequency among spells.
        monthly_rate: full-month amount in DKK (2024 level, rounded).
        mean_weeks: mean spell length.
        priority: DREAM's weekly priority (lower wins when spells overlap).
        min_age: youngest age at which the benefit is drawn.
        max_age: oldest age at which the benefit is drawn.
    """

    code: str
    weight: float
    monthly_rate: int
    mean_weeks: int
    priority: int
    min_age: int = 16
    max_age: int = 79


BENEFITS: tuple[Benefit, ...] = (
    Benefit("111", 0.20, 19_728, 20, 30, 18, 66),
    Benefit("112", 0.03, 19_728, 12, 29, 18, 66),
    Benefit("121", 0.04, 19_728, 150, 60, 60, 66),
    Benefit("211", 0.01, 19_728, 2, 70, 18, 66),
    Benefit("521", 0.01, 19_728, 52, 40, 18, 66),
    Benefit("611", 0.03, 15_400, 80, 35, 18, 66),
    Benefit("651", 0.12, 6_820, 150, 80, 18, 29),
    Benefit("701", 0.04, 12_900, 30, 45, 30, 66),
    Benefit("730", 0.10, 12_900, 40, 50, 30, 66),
    Benefit("740", 0.05, 7_200, 30, 55, 18, 29),
    Benefit("750", 0.02, 7_300, 52, 52, 18, 66),
    Benefit("760", 0.02, 7_300, 52, 53, 18, 66),
    Benefit("774", 0.04, 16_000, 200, 25, 25, 66),
    Benefit("783", 0.06, 20_100, 600, 20, 40, 66),
    Benefit("881", 0.08, 19_728, 30, 15, 20, 45),
    Benefit("890", 0.14, 19_728, 10, 10, 18, 66),
    Benefit("997", 0.01, 0, 26, 90, 18, 79),
)

# Relative population weights of the biggest and smallest municipalities; others weigh 1.
_KOMMUNE_WEIGHT: dict[str, float] = {
    "101": 11.0, "751": 6.0, "851": 3.6, "461": 3.3, "561": 2.1, "621": 2.0, "630": 2.0,
    "147": 1.7, "791": 1.6, "657": 1.6, "740": 1.6, "540": 1.4, "607": 1.4, "615": 1.6,
    "825": 0.2, "741": 0.3, "563": 0.3, "492": 0.4, "411": 0.0,
}
_HERKOMST = ("dansk", "indv_vest", "indv_ikkevest", "efterk_vest", "efterk_ikkevest")
_HERKOMST_P = (0.85, 0.04, 0.07, 0.01, 0.03)


def _century_digits(years: np.ndarray) -> list[np.ndarray]:
    """Allowed 7th digits per birth year, as a boolean mask per digit 0-9."""
    # a lookup table over the distinct years, built from the one statement of the rule
    distinct, inverse = np.unique(years, return_inverse=True)
    table = np.array([[d in century_digits(int(y)) for d in range(10)] for y in distinct],
                     dtype=bool).reshape(len(distinct), 10)
    return [table[inverse.reshape(-1), d] for d in range(10)]


def _cpr_numbers(birth: np.ndarray, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unique CPR numbers ``DDMMYY-SSSS`` for the given birth dates and sexes."""
    n = birth.shape[0]
    days = (birth - _EPOCH).astype(np.int64)
    key = days * 2 + male.astype(np.int64)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - group_start
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    allowed = np.stack(_century_digits(years), axis=1)  # n x 10
    n_allowed = allowed.sum(axis=1)
    # The k-th allowed digit for each person: cumulative count of allowed digits.
    pick = (rank + key * 7919) % n_allowed  # vary the 7th digit between days
    cum = np.cumsum(allowed, axis=1) - 1
    seventh = np.argmax((cum == pick[:, None]) & allowed, axis=1)
    rest = rank // n_allowed
    offset = (key * 2654435761) % 100  # per (day, sex) group, so serials stay unique
    middle = (rest + offset) % 100
    last = 2 * ((rest // 100) % 5) + male.astype(np.int64)
    if np.any(rest >= 500):
        raise ValueError("too many persons born on one day for unique CPR numbers")
    serial = seventh * 1000 + middle * 10 + last
    ddmmyy = pl.Series(birth.astype("datetime64[D]")).dt.strftime("%d%m%y")
    serials = pl.Series(serial).cast(pl.String).str.zfill(4)
    return (ddmmyy + "-" + serials).to_numpy()


def generate_persons(n: int, seed: int, kommuner: Sequence[str]) -> pl.DataFrame:
    """One row per person: CPR, birth date, sex, municipality, origin, contact data.

    Args:
        n: number of persons.
        seed: seed of the random generator (same seed, same persons).
        kommuner: municipality codes persons may live in.
    """
    rng = np.random.default_rng([seed, 1])
    span = int((_BIRTH_LAST - _BIRTH_FIRST).astype(np.int64))
    birth = _BIRTH_FIRST + rng.integers(0, span + 1, size=n).astype("timedelta64[D]")
    male = rng.random(n) < 0.5
    cpr = _cpr_numbers(birth, male, rng)
    weights = np.array([_KOMMUNE_WEIGHT.get(k, 1.0) for k in kommuner])
    kommune = rng.choice(np.array([int(k) for k in kommuner]), size=n, p=weights / weights.sum())
    herkomst = rng.choice(np.array(_HERKOMST), size=n, p=_HERKOMST_P)
    phone = rng.integers(20_000_000, 99_999_999, size=n)
    return pl.DataFrame(
        {
            "person_id": np.arange(1, n + 1, dtype=np.int64),
            "cpr": cpr.astype(str),
            "foedselsdato": birth,
            "koen": np.where(male, "M", "K"),
            "bopaelskommune": kommune.astype(np.int32),
            "herkomst": herkomst,
            "telefon": phone.astype(str),
        }
    )


def generate_spells(persons: pl.DataFrame, seed: int, first_id: int = 1) -> pl.DataFrame:
    """Benefit spells (forløb) for ``persons``: code, start and end date.

    Each person has 0-3 spells (Poisson, mean 0.55); a code is drawn by weight among the
    codes the person's age allows. A person's spells do not overlap (a later one is moved
    after the earlier); DREAM's weekly priority rule is still applied when deriving weeks.
    """
    rng = np.random.default_rng([seed, 2, first_id])
    n = persons.height
    counts = np.minimum(rng.poisson(0.55, size=n), 3)
    idx = np.repeat(np.arange(n), counts)
    m = idx.shape[0]
    birth = persons["foedselsdato"].to_numpy()[idx].astype("datetime64[D]")
    span = int((_SPELL_LAST - _SPELL_FIRST).astype(np.int64))
    start = _SPELL_FIRST + rng.integers(0, span + 1, size=m).astype("timedelta64[D]")
    age = ((start - birth).astype(np.int64) / 365.25).astype(np.int64)
    codes = np.array([b.code for b in BENEFITS])
    weights = np.array([b.weight for b in BENEFITS])
    min_age = np.array([b.min_age for b in BENEFITS])
    max_age = np.array([b.max_age for b in BENEFITS])
    allowed = (age[:, None] >= min_age[None, :]) & (age[:, None] <= max_age[None, :])
    w = allowed * weights[None, :]
    total = w.sum(axis=1)
    w = np.where(total[:, None] > 0, w / np.where(total == 0, 1, total)[:, None], 0.0)
    u = rng.random(m)
    choice = np.minimum((w.cumsum(axis=1) < u[:, None]).sum(axis=1), len(BENEFITS) - 1)
    keep = total > 0
    mean_weeks = np.array([b.mean_weeks for b in BENEFITS])[choice]
    weeks = np.maximum(1, rng.geometric(1.0 / mean_weeks))
    end = start + (weeks * 7 - 1).astype("timedelta64[D]")
    frame = pl.DataFrame(
        {
            "cpr": persons["cpr"].to_numpy()[idx],
            "ydelse_kode": codes[choice],
            "start_dato": start,
            "slut_dato": end,
            "kommune_kode": persons["bopaelskommune"].to_numpy()[idx],
        }
    ).filter(pl.Series(keep))
    # A person is on one benefit at a time: a spell that would start before the previous one
    # ends is pushed after it (at most 3 spells, so two passes settle every person).
    frame = frame.with_columns(
        (pl.col("slut_dato") - pl.col("start_dato")).alias("_len")).sort("cpr", "start_dato")
    for _ in range(2):
        prev_end = pl.col("slut_dato").shift(1).over("cpr")
        moved = pl.max_horizontal(pl.col("start_dato"), prev_end + pl.duration(days=1))
        frame = frame.with_columns(moved.alias("start_dato")).with_columns(
            (pl.col("start_dato") + pl.col("_len")).alias("slut_dato"))
    frame = frame.drop("_len")
    return frame.with_row_index("forloeb_id", offset=first_id).with_columns(
        pl.col("forloeb_id").cast(pl.Int64)
    )
