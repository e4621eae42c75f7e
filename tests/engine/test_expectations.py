"""Findings say what was expected: format, a few allowed codes (issue 19, point 8, part)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import contractkit

Write = Callable[..., Path]


def test_messages_name_the_expected_format_and_codes(tmp_path: Path, write_contract: Write,
                                                     base_text: str) -> None:
    text = base_text.replace("      - name: timer\n", "      - name: koen\n        type: string\n"
                             "        allowed_values: [K, M]\n      - name: timer\n")
    data = tmp_path / "feed_2024-03.csv"
    data.write_text("cpr;kommune_kode;koen;timer\n0101800001;999;X;1.5\n", encoding="utf-8")
    report = contractkit.validate(write_contract(text), data)
    messages = {f.code: f.message for f in report.files[0].findings}
    assert "expected a decimal with mark ',' and at most 2 decimals, e.g. 12,55" in \
        messages["wrong-type"]
    assert "(101, 147, 151, 153, 155, … (98 codes))" in messages["not-in-codelist"]
    assert messages["not-allowed"].endswith("(K, M)")
