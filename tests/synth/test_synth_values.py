"""Generators of single values: CPR numbers, regex samples, domains, the oracle."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.checks.cpr import cpr_birth_date, is_valid_cpr
from contractkit.errors import CompileError
from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.cpr import (
    CPR_FIRST_BIRTH_DATE,
    CPR_LAST_BIRTH_DATE,
    century_digits,
    cpr_from_parts,
    decode_birth_date,
    draw_cprs,
)
from contractkit.synth.domains import Choice, DecimalRange, column_specs, period_weeks
from contractkit.synth.regex_sample import sample_regex

REPO = Path(__file__).resolve().parent.parent.parent
DST = REPO / "contracts" / "dst-ledighed.yaml"


@settings(max_examples=200, derandomize=True, database=None)
@given(st.dates(CPR_FIRST_BIRTH_DATE, CPR_LAST_BIRTH_DATE), st.integers(0, 999), st.booleans(),
       st.data())
def test_every_century_digit_decodes_to_the_birth_date(birth: date, tail: int, hyphen: bool,
                                                       data: st.DataObject) -> None:
    digit = data.draw(st.sampled_from(century_digits(birth.year)))
    cpr = cpr_from_parts(birth, digit, tail, hyphen)
    assert cpr_birth_date(cpr) == birth  # the engine's decoder agrees
    assert decode_birth_date(cpr) == birth


def test_no_century_digit_outside_cpr_years() -> None:
    assert century_digits(1857) == ()
    assert century_digits(2058) == ()
    with pytest.raises(ValueError, match="cannot encode"):
        cpr_from_parts(date(1950, 1, 1), 5, 1, False)  # 5 with YY=50 means 2050


def test_vectorised_cprs_are_valid_distinct_and_seeded() -> None:
    a = draw_cprs(np.random.default_rng(3), 20_000, date(1858, 1, 1), date(2024, 3, 31),
                  distinct=True)
    b = draw_cprs(np.random.default_rng(3), 20_000, date(1858, 1, 1), date(2024, 3, 31),
                  distinct=True)
    assert a.to_list() == b.to_list()
    assert a.n_unique() == 20_000
    assert all(is_valid_cpr(c) for c in a.to_list())
    births = {cpr_birth_date(c) for c in a.to_list()}
    assert min(b for b in births if b) >= date(1858, 1, 1)
    assert max(b for b in births if b) <= date(2024, 3, 31)


def test_hyphen_form() -> None:
    s = draw_cprs(np.random.default_rng(1), 50, date(1990, 1, 1), date(1990, 12, 31), hyphen=True)
    assert all(len(c) == 11 and c[6] == "-" and is_valid_cpr(c) for c in s.to_list())


def test_too_many_distinct_cprs_for_a_day_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot carry"):
        draw_cprs(np.random.default_rng(1), 10_000, date(1990, 1, 1), date(1990, 1, 1),
                  distinct=True)


@pytest.mark.parametrize("pattern", [r"^[A-Z]{2}\d{3}$", r"J[0-9]{6}", r"(ab|cd)+-x?",
                                     r"[^,;]{1,5}", r"\w+\.\d{2}", r"(?i)dk-\d{4}"])
def test_regex_samples_fully_match(pattern: str) -> None:
    import re

    rnd = random.Random(7)
    for _ in range(50):
        assert re.fullmatch(pattern, sample_regex(pattern, rnd))


def test_regex_sampler_refuses_what_it_cannot_do() -> None:
    with pytest.raises(CompileError):
        sample_regex(r"(a)\1", random.Random(1))
    with pytest.raises(CompileError):
        sample_regex(r"[a-z]{20}", random.Random(1), max_length=5)


def test_domains_of_the_dst_feed() -> None:
    ctx = resolve_context(load_contract(DST), period="2024-03")
    specs = column_specs(ctx)
    assert specs["uge"].domain == Choice(("2024-W10", "2024-W11", "2024-W12", "2024-W13"))
    assert specs["periode"].domain == Choice(("2024-03",))
    assert specs["timer"].domain == DecimalRange(0, 3700, 5, 2)
    kommuner = specs["kommune_kode"].domain
    assert isinstance(kommuner, Choice)
    assert len(kommuner.values) == 98
    assert 101 in kommuner.values
    assert specs["akasse_medlem"].nullable
    assert not specs["cpr"].nullable


def test_weeks_of_a_short_period() -> None:
    lc = load_contract(REPO / "contracts" / "ssi-covid19.yaml")
    ctx = resolve_context(lc, period="2024-W10")
    assert period_weeks(ctx) == ["2024-W10"]
