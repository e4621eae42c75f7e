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


def test_values_are_shown_as_written_in_the_file(tmp_path: Path, write_contract: Write,
                                                 base_text: str) -> None:
    # issue 19, point 8: `38,50` out of range was shown as `38.5`
    data = tmp_path / "feed_2024-03.csv"
    data.write_text("cpr;kommune_kode;timer\n0101800001;0999;38,50\n3113809999;101;1,5\n",
                    encoding="utf-8")
    report = contractkit.validate(write_contract(base_text), data, max_examples=5)
    values = {f.code: f.value for f in report.files[0].findings}
    assert values["out-of-range"] == "38,50"
    # personal columns stay masked, as written or not
    assert str(values["not-in-codelist"]).startswith("masked:")
    assert str(values["bad-cpr"]).startswith("masked:")
    assert "3113809999" not in report.to_json()
    frame = report.findings_frame()
    assert frame.filter(frame["code"] == "out-of-range")["row"].to_list() == [1]


def test_parquet_values_are_shown_as_stored(tmp_path: Path, write_contract: Write,
                                            base_text: str) -> None:
    from decimal import Decimal

    import polars as pl

    text = base_text.replace('format: {type: csv, delimiter: ";", decimal: ","}',
                             "format: {type: parquet}").replace("feed_{period}.csv",
                                                                "feed_{period}.parquet")
    data = tmp_path / "feed_2024-03.parquet"
    pl.DataFrame({"cpr": ["0101800001"], "kommune_kode": [101],
                  "timer": [Decimal("38.50")]},
                 schema={"cpr": pl.String, "kommune_kode": pl.Int64,
                         "timer": pl.Decimal(5, 2)}).write_parquet(data)
    report = contractkit.validate(write_contract(text), data)
    assert [(f.code, f.value) for f in report.files[0].findings] == [("out-of-range", "38.50")]
