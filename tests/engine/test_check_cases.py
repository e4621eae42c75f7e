"""The generic data-case test: every YAML case in tests/fixtures/check_cases/ is run for
CSV and Parquet (in row-group spans and streamed) and must yield exactly its expected
``(row, column, code)`` findings, with columns judged row by row and on their distinct
values alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from contractkit import load_contract
from contractkit.contract.models import ColumnFamily
from contractkit.engine import validate_paths

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "check_cases"


def _load() -> list[Any]:
    params = []
    yaml = YAML(typ="safe", pure=True)
    for file in sorted(CASES.glob("*.yaml")):
        for case in yaml.load(file.read_text(encoding="utf-8"))["cases"]:
            for fmt in case.get("formats", ["csv", "parquet"]):
                params.append(pytest.param(case, fmt, id=f"{file.stem}-{case['id']}-{fmt}"))
                if fmt == "parquet":  # read again as a stream of one-row batches
                    params.append(pytest.param(case, "parquet-streamed",
                                               id=f"{file.stem}-{case['id']}-parquet-streamed"))
    return params


def _stored_columns(case: dict[str, Any], table: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract's columns plus, for every header name a family makes, the family's rules:
    a Parquet producer stores each member as the family's type."""
    families = [ColumnFamily.model_validate(f) for f in table.get("column_families", [])]
    members = [{**f.model_dump(mode="json"), "name": h} for h in case["header"]
               for f in families if f.member_regex().match(h)]
    return [*case["columns"], *members]


@pytest.mark.parametrize("share", [0.0, 1.0], ids=["rows", "distinct"])
@pytest.mark.parametrize(("case", "fmt"), _load())
def test_case(case: dict[str, Any], fmt: str, share: float, kit: Any) -> None:
    # Parquet is read in spans of whole row groups (contractkit.engine.parquetread); with
    # one-row batches, the file's one row group (of three rows or more) is streamed instead
    options = dict(case.get("options", {}))
    if fmt == "parquet-streamed":
        fmt, options["batch_rows"] = "parquet", 1
    table = {"columns": case["columns"], **case.get("table", {})}
    csv_fmt = {"type": "csv", "delimiter": ";", "decimal": ",", **case.get("format", {})}
    if fmt == "parquet":
        pattern = table.get("file_pattern", "case_{period}.csv")
        table["file_pattern"] = pattern.replace(".csv", ".parquet")
        contract = kit.contract(table, {"type": "parquet"}, case.get("scope"))
    else:
        contract = kit.contract(table, csv_fmt, case.get("scope"))
    name = case.get("file_name", "case_2024-03.csv")
    if fmt == "parquet":
        name = name.rsplit(".", 1)[0] + ".parquet"
        path = kit.parquet(name, case["header"], case["rows"], _stored_columns(case, table))
    elif "raw" in case:
        path = kit.raw(name, case["raw"].encode("latin-1"))
    else:
        path = kit.csv(name, case.get("header"), case["rows"], **case.get("csv", {}))
    report = validate_paths(load_contract(contract), [path], max_examples=1000,
                            dictionary_share=share, **options)
    got = {(f.row, f.column, f.code) for f in report.files[0].findings}
    want = {(r, c, code) for r, c, code in case["expect"]}
    assert got == want
    assert sum(report.files[0].counts.values()) == len(case["expect"])
    assert report.ok is (not want)
