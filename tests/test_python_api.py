"""The Python API as a notebook user meets it (issue 19, point 10): str paths, a JSON text,
findings as a polars DataFrame, no personal value in either."""

from __future__ import annotations

import inspect
import json
import re
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


def _api() -> list[Callable[..., object]]:
    """The functions a notebook or script calls: one per command, and what they build on."""
    from contractkit.catalog.site import build_catalog
    from contractkit.dbt.drift import read_manifest_models
    from contractkit.dbt.generate import generate_files, stale_files
    from contractkit.delivery.baseline import judge_report, load_baseline
    from contractkit.delivery.manifest import build_manifest, file_sha256, write_manifest
    from contractkit.diff import diff_against, diff_files
    from contractkit.engine import validate_file, validate_paths
    from contractkit.interop.odcs_contract import (
        is_odcs_file,
        load_any_contract,
        load_odcs_contract,
    )
    from contractkit.interop.odcs_import import load_odcs
    from contractkit.interop.scaffold import scaffold_contract
    from contractkit.lint import lint_contract
    from contractkit.pipeline.ci import run_ci
    from contractkit.spark.api import validate_paths_spark
    from contractkit.synth.sample import synth_files
    from contractkit.warehouse.build import build_warehouse, warehouse_info

    return [contractkit.validate, contractkit.load_contract, verify_delivery, delivery_status,
            extract_delivery, lint_paths, lint_contract, read_manifest, build_manifest,
            write_manifest, file_sha256, discover_contract_files, load_codelists,
            validate_paths, validate_file, validate_paths_spark, synth_files, build_catalog,
            diff_files, diff_against, run_ci, generate_files, stale_files,
            read_manifest_models, build_warehouse, warehouse_info, load_any_contract,
            load_odcs_contract, load_odcs, is_odcs_file, load_baseline, judge_report,
            scaffold_contract]


def test_every_path_parameter_of_the_api_takes_a_str() -> None:
    # issue 19, point 10: build_manifest, synth_files and the catalog build took only Path
    for fn in _api():
        for p in inspect.signature(fn).parameters.values():
            annotation = str(p.annotation)
            if re.search(r"\bPath\b", annotation):
                assert re.search(r"\bstr \| Path\b|\bPath \| str\b", annotation), (
                    f"{fn.__module__}.{fn.__qualname__}({p.name}: {annotation})")


def test_functions_taking_paths_work_with_str(tmp_path: Path, write_contract: Write,
                                              base_text: str) -> None:
    from contractkit.catalog.site import build_catalog
    from contractkit.delivery.manifest import build_manifest, file_sha256, write_manifest
    from contractkit.diff import diff_files
    from contractkit.interop.odcs_contract import is_odcs_file, load_any_contract
    from contractkit.synth.sample import synth_files

    contract = str(write_contract(base_text))
    lc = contractkit.load_contract(contract)
    written = synth_files(lc, rows=3, out=str(tmp_path / "out"), period="2024-03")
    (data,) = [f.path for f in written]
    assert contractkit.validate(lc, str(data)).ok
    manifest = build_manifest(lc, "2024-03", [(str(data), "rows", None, 3)], "released")
    assert manifest.files[0].sha256 == file_sha256(str(data))
    assert write_manifest(str(data.parent), manifest) == data.parent / "manifest.json"
    assert read_manifest(str(data.parent)).files == manifest.files
    assert verify_delivery(str(data.parent), [lc]).ok
    site = build_catalog([contract], str(tmp_path / "site"), deliveries=str(tmp_path / "out"),
                         lang="en")
    assert site.feeds == ("test-feed",)
    assert diff_files(contract, contract).changes == []
    assert not is_odcs_file(contract)
    assert load_any_contract(contract, [str(data)], print).contract.id == "test-feed"


def test_public_functions_document_their_parameters_and_returns() -> None:
    for fn in (*_api(), contractkit.Report.to_json, contractkit.Report.findings_frame):
        doc = inspect.getdoc(fn) or ""
        assert "Returns:" in doc, fn.__qualname__
        if len(inspect.signature(fn).parameters) > 1:
            assert "Args:" in doc, fn.__qualname__
