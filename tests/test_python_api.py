"""The Python API as a notebook user meets it (issue 19, point 10): str paths, a JSON text,
findings as a polars DataFrame, no personal value in either."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

import contractkit
from contractkit.delivery.extract import extract_delivery
from contractkit.delivery.manifest import read_manifest
from contractkit.delivery.status import delivery_status
from contractkit.delivery.verify import verify_delivery
from contractkit.lint import lint_paths
from contractkit.loader import discover_contract_files, load_codelists

Write = Callable[..., Path]
BAD_CPR = "3113809999"


def test_paths_may_be_strings(tmp_path: Path, write_contract: Write, base_text: str) -> None:
    contract = str(write_contract(base_text))
    lc = contractkit.load_contract(contract)  # was: AttributeError on a str
    assert lc.contract.id == "test-feed"
    data = tmp_path / "feed_2024-03.csv"
    data.write_bytes(f"cpr;kommune_kode;timer\n0101800001;101;1,5\n{BAD_CPR};101;99\n".encode())
    report = contractkit.validate(contract, str(data))
    assert report.counts == {"bad-cpr": 1, "out-of-range": 1}
    assert contractkit.validate(lc, [str(data)]).counts == report.counts
    assert lint_paths([str(tmp_path / "contracts")]).ok
    assert discover_contract_files([str(tmp_path / "contracts")]) == [Path(contract)]
    assert "kommuner" in load_codelists(str(tmp_path / "contracts" / "codelists"))[0]


def test_report_to_json_and_findings_frame(tmp_path: Path, write_contract: Write,
                                          base_text: str) -> None:
    contract = write_contract(base_text)
    data = tmp_path / "feed_2024-03.csv"
    data.write_bytes(f"cpr;kommune_kode;timer\n0101800001;101;1,5\n{BAD_CPR};999;2\n".encode())
    report = contractkit.validate(contract, data)
    doc = json.loads(report.to_json())
    assert doc["schema"] == "contractkit-report/1"
    assert doc["files"][0]["counts"] == {"bad-cpr": 1, "not-in-codelist": 1}
    frame = report.findings_frame()
    assert isinstance(frame, pl.DataFrame)
    assert sorted(frame["code"].to_list()) == ["bad-cpr", "not-in-codelist"]
    assert frame.filter(pl.col("code") == "bad-cpr")["row"].to_list() == [2]
    assert BAD_CPR not in report.to_json()
    assert BAD_CPR not in frame.write_csv()
    empty = contractkit.Report(files=()).findings_frame()
    assert empty.columns == frame.columns
    assert empty.height == 0


def test_public_functions_document_their_parameters_and_returns() -> None:
    for fn in (contractkit.validate, contractkit.load_contract, verify_delivery,
               delivery_status, extract_delivery, lint_paths, read_manifest,
               contractkit.Report.to_json, contractkit.Report.findings_frame):
        doc = inspect.getdoc(fn) or ""
        assert "Returns:" in doc, fn.__qualname__
        if len(inspect.signature(fn).parameters) > 1:
            assert "Args:" in doc, fn.__qualname__
