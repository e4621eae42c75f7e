"""The catalog shows a column family as one row ("`y_YYWW`, one per ISO week from 1991-W27
through the delivery period, code list ydelser"), in Danish and English, never per member."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.catalog import Lang, build_catalog

Write = Callable[..., Path]

FAMILIES = """\
    column_families:
      - template: "y_{YYWW}"
        first: "1991-W27"
        type: string
        required: false
        codelist: ydelser
        first_source: "DREAM-dokumentation"
      - template: "grad_{YYYY_MM}"
        first: "2008-01"
        last_offset: -1
        type: integer
        required: false
        range: {min: 0, max: 100}
"""


@pytest.mark.parametrize(("lang", "weeks", "months"), [
    (Lang.EN, "one per ISO week from 1991-W27 through the delivery period",
     "one per month from 2008-01 through 1 month(s) before the delivery period"),
    (Lang.DA, "én pr. ISO-uge fra 1991-W27 til og med leveranceperioden",
     "én pr. måned fra 2008-01 til og med 1 måned(er) før leveranceperioden"),
])
def test_one_row_per_family(write_contract: Write, base_text: str, tmp_path: Path,
                            lang: Lang, weeks: str, months: str) -> None:
    path = write_contract(base_text.replace("    columns:\n", FAMILIES + "    columns:\n", 1))
    out = tmp_path / "site"
    build_catalog([path], out, lang=lang)
    md = (out / "feeds" / "test-feed.md").read_text(encoding="utf-8")
    html = (out / "feeds" / "test-feed.html").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| `y_YYWW`"))
    assert weeks in row
    assert "ydelser" in row
    assert months in md
    assert "DREAM-dokumentation" in row
    assert weeks in html
    assert 'data-column="y_YYWW"' in html
    assert not re.search(r"y_\d{4}\b", md + html)  # no member is listed
    assert "(`ydelser`, " in md  # the family's code list is listed with the feed
