"""Parquet physical types are part of the contract: a stored type that needs a cast is one
``wrong-type`` finding per column and file, naming both types; exact fits pass."""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from contractkit import load_contract
from contractkit.contract.models import Column
from contractkit.engine import validate_file
from contractkit.engine.collect import Collector
from contractkit.engine.parquet_schema import check_stored_types
from contractkit.report.mask import Masker

D = decimal.Decimal

# (contract column, stored Arrow type, values)
FITS: list[tuple[dict[str, Any], pa.DataType, list[Any]]] = [
    ({"type": "string"}, pa.string(), ["a", None]),
    ({"type": "string"}, pa.large_string(), ["a", None]),
    ({"type": "string"}, pa.string_view(), ["a", None]),
    ({"type": "string"}, pa.dictionary(pa.int32(), pa.string()), ["a", "a"]),
    ({"type": "integer"}, pa.int8(), [1, None]),
    ({"type": "integer"}, pa.int32(), [1, None]),
    ({"type": "integer"}, pa.int64(), [1, None]),
    ({"type": "integer"}, pa.uint32(), [1, None]),
    ({"type": "decimal", "precision": 5, "scale": 2}, pa.decimal128(5, 2), [D("1.25")]),
    ({"type": "decimal", "precision": 5, "scale": 2}, pa.decimal128(4, 1), [D("1.2")]),
    ({"type": "decimal", "precision": 7, "scale": 2}, pa.int16(), [12]),
    ({"type": "float"}, pa.float32(), [1.5]),
    ({"type": "float"}, pa.float64(), [1.5]),
    ({"type": "boolean"}, pa.bool_(), [True, None]),
    ({"type": "date"}, pa.date32(), [dt.date(2024, 3, 1)]),
    ({"type": "timestamp"}, pa.timestamp("ms"), [dt.datetime(2024, 3, 1, 12)]),
    ({"type": "timestamp"}, pa.timestamp("us"), [dt.datetime(2024, 3, 1, 12)]),
    ({"type": "integer"}, pa.null(), [None, None]),
]

MISFITS: list[tuple[dict[str, Any], pa.DataType, list[Any], str]] = [
    ({"type": "integer"}, pa.string(), ["1", "2"], "string"),
    ({"type": "integer"}, pa.large_string(), ["1", "2"], "string"),
    ({"type": "integer"}, pa.float64(), [1.0, 2.0], "float64"),
    ({"type": "integer"}, pa.uint64(), [1], "uint64"),
    ({"type": "decimal", "precision": 5, "scale": 2}, pa.float64(), [1.5], "float64"),
    ({"type": "decimal", "precision": 5, "scale": 2}, pa.decimal128(10, 3), [D("1.5")],
     "decimal(10,3)"),
    ({"type": "decimal", "precision": 5, "scale": 2}, pa.int32(), [1], "int32"),
    ({"type": "date"}, pa.timestamp("us"), [dt.datetime(2024, 3, 1)], "timestamp[us]"),
    ({"type": "date"}, pa.string(), ["2024-03-01"], "string"),
    ({"type": "date"}, pa.date64(), [dt.date(2024, 3, 1)], "timestamp[ms]"),
    ({"type": "timestamp"}, pa.date32(), [dt.date(2024, 3, 1)], "date"),
    ({"type": "timestamp"}, pa.timestamp("us", tz="UTC"), [dt.datetime(2024, 3, 1)],
     "timestamp[us, tz=UTC]"),
    ({"type": "boolean"}, pa.int64(), [1, 0], "int64"),
    ({"type": "boolean"}, pa.string(), ["true"], "string"),
    ({"type": "float"}, pa.decimal128(5, 2), [D("1.5")], "decimal(5,2)"),
    ({"type": "string"}, pa.int64(), [1], "int64"),
    ({"type": "string"}, pa.binary(), [b"a"], "binary"),
    ({"type": "string"}, pa.list_(pa.string()), [["a", "b"]], "list<string>"),
    ({"type": "string"}, pa.struct([("a", pa.int64())]), [{"a": 1}], "struct<a: int64>"),
]


def _contract(kit: Any, column: dict[str, Any], extra: list[dict[str, Any]] = ()) -> Path:
    # a parquet contract with column "v" (and the ``extra`` columns)
    return kit.contract({"columns": [{"name": "v", "required": False, **column}, *extra],
                         "file_pattern": "case_{period}.parquet"}, {"type": "parquet"})


def _file(kit: Any, columns: dict[str, pa.Array]) -> Path:
    path = kit.root / "delivery" / "case_2024-03.parquet"
    path.parent.mkdir(exist_ok=True)
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize(("column", "stored", "values"), FITS,
                         ids=[f"{c['type']}<-{t}" for c, t, _ in FITS])
def test_exact_fits_conform(kit: Any, column: dict[str, Any], stored: pa.DataType,
                            values: list[Any]) -> None:
    contract = _contract(kit, column)
    rep = validate_file(load_contract(contract), _file(kit, {"v": pa.array(values, stored)}))
    assert rep.findings == ()


@pytest.mark.parametrize(("column", "stored", "values", "name"), MISFITS,
                         ids=[f"{c['type']}<-{n}" for c, _, _, n in MISFITS])
def test_a_stored_type_needing_a_cast_is_one_wrong_type(
        kit: Any, column: dict[str, Any], stored: pa.DataType, values: list[Any],
        name: str) -> None:
    contract = _contract(kit, column)
    rep = validate_file(load_contract(contract), _file(kit, {"v": pa.array(values, stored)}))
    assert [(f.row, f.column, f.code) for f in rep.findings] == [(None, "v", "wrong-type")]
    message = rep.findings[0].message
    assert f"stored as {name}," in message
    expected = ("decimal(5,2)" if column["type"] == "decimal" else column["type"])
    assert f"the contract says {expected}" in message
    assert not rep.ok


def test_each_drifted_column_is_named_and_the_others_are_still_judged(kit: Any) -> None:
    contract = _contract(kit, {"type": "integer"}, [
        {"name": "d", "type": "date"}, {"name": "n", "type": "integer",
                                        "range": {"min": 0, "max": 5}}])
    path = _file(kit, {"v": pa.array(["1", "x"]), "d": pa.array(
        [dt.datetime(2024, 3, 1), None], pa.timestamp("ms")), "n": pa.array([1, 9])})
    rep = validate_file(load_contract(contract), path)
    assert {(f.row, f.column, f.code) for f in rep.findings} == {
        (None, "v", "wrong-type"), (None, "d", "wrong-type"), (2, "n", "out-of-range")}


def test_a_nested_key_column_is_a_finding_not_a_crash(kit: Any) -> None:
    contract = kit.contract({"columns": [{"name": "v", "type": "string"}],
                             "primary_key": ["v"], "file_pattern": "case_{period}.parquet"},
                            {"type": "parquet"})
    path = _file(kit, {"v": pa.array([["a"], ["a"]], pa.list_(pa.string()))})
    rep = validate_file(load_contract(contract), path)
    assert [(f.column, f.code) for f in rep.findings] == [("v", "wrong-type")]
    assert "nested type" in rep.findings[0].message


def test_only_the_schema_is_read(tmp_path: Path) -> None:
    # data pages overwritten with junk: the footer (schema) alone decides
    path = tmp_path / "f.parquet"
    pq.write_table(pa.table({"v": pa.array([str(i) for i in range(5000)])}), path,
                   compression="none")
    raw = bytearray(path.read_bytes())
    raw[100:len(raw) // 2] = b"\xff" * (len(raw) // 2 - 100)
    path.write_bytes(bytes(raw))
    coll = Collector(str(path), 10, Masker())
    column = Column.model_validate({"name": "v", "type": "integer"})
    assert check_stored_types(path, [column], coll) == {"v"}
    assert coll.counts == {"wrong-type": 1}


def test_nested_column_via_the_cli_exits_1_not_internal_error(kit: Any) -> None:
    contract = _contract(kit, {"type": "string"})
    path = _file(kit, {"v": pa.array([{"a": 1}], pa.struct([("a", pa.int64())]))})
    bin_ = Path(sys.executable).parent / "contractkit"
    out = subprocess.run([str(bin_), "validate", "-c", str(contract), str(path)],
                         capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 1, out.stderr
    assert "wrong-type" in out.stdout
    assert "internal error" not in out.stdout + out.stderr
