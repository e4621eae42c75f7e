"""A header in another delimiter is named as such, not as "missing header" (issue 19, 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import contractkit

Write = Callable[..., Path]


@pytest.mark.parametrize(("body", "looks"), [
    ("cpr,kommune_kode,timer\n0101800001,101,\"1,5\"\n0202810002,147,2\n", "','"),
    ("cpr\tkommune_kode\ttimer\n0101800001\t101\t1,5\n", "tab"),
])
def test_wrong_delimiter_is_named(tmp_path: Path, write_contract: Write, base_text: str,
                                  body: str, looks: str) -> None:
    data = tmp_path / "feed_2024-03.csv"
    data.write_text(body, encoding="utf-8")
    report = contractkit.validate(write_contract(base_text), data)
    (finding,) = report.files[0].findings
    assert finding.code == "malformed-file"
    assert f"the file looks {looks}-separated" in finding.message
    assert "names 3 of the contract's 3 columns" in finding.message
    assert "the contract declares ';'" in finding.message
    assert "0101800001" not in finding.message


def test_a_header_of_other_names_is_still_a_missing_header(tmp_path: Path,
                                                           write_contract: Write,
                                                           base_text: str) -> None:
    data = tmp_path / "feed_2024-03.csv"
    data.write_text("0101800001;101;1,5\n0202810002;147;2\n", encoding="utf-8")
    report = contractkit.validate(write_contract(base_text), data)
    (finding,) = report.files[0].findings
    assert finding.message.startswith("missing header")
