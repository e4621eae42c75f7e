"""Per-file profiles: aggregates only, small counts suppressed, kept in the manifest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from contractkit.delivery import build_manifest, read_manifest, write_manifest
from contractkit.delivery.profile import profile_file, profile_from_json, profile_to_json
from contractkit.loader import LoadedContract, load_contract

Write = Callable[..., Path]
PLANTED = ["010180-1234", "020280-2345", "150575-4321"]
RULES = """\
      - {name: ydelse_kode, type: string, codelist: ydelser}
      - {name: alder, type: integer, personal: quasi}
    baseline:
      row_count: [{min_change_pct: -30, max_change_pct: 40}]
      shares:
        - {column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}
      shifts:
        - {column: timer, statistic: p50, max_change_pct: 10}
        - {column: alder, statistic: mean, max_change_pct: 10}
"""


@pytest.fixture
def lc(write_contract: Write, base_text: str) -> LoadedContract:
    return load_contract(write_contract(base_text + RULES))


def _csv(tmp_path: Path, n111: int = 6, n730: int = 3) -> Path:
    rows = ["cpr;kommune_kode;timer;ydelse_kode;alder"]
    for i in range(n111):
        rows.append(f"{PLANTED[i % 3]};101;{10 + i},5;111;{30 + i}")
    for i in range(n730):
        rows.append(f"{PLANTED[i % 3]};147;37;730;40")
    path = tmp_path / "feed_2024-03.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_profile_counts_codes_and_summarises_numbers(lc: LoadedContract, tmp_path: Path) -> None:
    table = lc.contract.tables[0]
    profile = profile_file(_csv(tmp_path), table, lc.contract.format)
    assert profile is not None
    assert profile.rows == 9
    assert profile.min_cell_size == 5
    assert profile.codes == {"ydelse_kode": {"111": 6, "730": None}}  # 3 < 5: suppressed
    timer = profile.numeric["timer"]
    assert timer.count == 9
    assert timer.mean == pytest.approx((sum(10.5 + i for i in range(6)) + 3 * 37) / 9)
    assert timer.quantiles["p50"] == pytest.approx(14.5)
    alder = profile.numeric["alder"]
    assert alder.mean is not None
    assert alder.quantiles == {}  # a quantile can be one person's age: only the mean
    assert profile_from_json(json.loads(json.dumps(profile_to_json(profile)))) == profile


def test_small_files_keep_no_mean(lc: LoadedContract, tmp_path: Path) -> None:
    profile = profile_file(_csv(tmp_path, n111=2, n730=1), lc.contract.tables[0],
                           lc.contract.format)
    assert profile is not None
    assert profile.numeric["alder"].mean is None
    assert profile.numeric["timer"].quantiles == {}


def test_parquet_profile_equals_csv_profile(lc: LoadedContract, tmp_path: Path) -> None:
    csv = _csv(tmp_path)
    frame = pl.read_csv(csv, separator=";", schema_overrides={"timer": pl.String})
    frame = frame.with_columns(pl.col("timer").str.replace(",", ".").cast(pl.Float64))
    pq = tmp_path / "feed_2024-03.parquet"
    frame.write_parquet(pq)
    pq_contract = lc.contract.model_copy(update={"format": {"type": "parquet"}})
    from contractkit.contract.models import ParquetFormat

    a = profile_file(csv, lc.contract.tables[0], lc.contract.format)
    b = profile_file(pq, pq_contract.tables[0], ParquetFormat(type="parquet"))
    assert a == b


def test_malformed_file_has_no_profile(lc: LoadedContract, tmp_path: Path) -> None:
    path = tmp_path / "feed_2024-03.csv"
    path.write_bytes(b"\x00\x01binary")
    assert profile_file(path, lc.contract.tables[0], lc.contract.format) is None


def test_file_with_bad_records_has_no_profile(lc: LoadedContract, tmp_path: Path) -> None:
    path = _csv(tmp_path)
    path.write_bytes(path.read_bytes() + b"0101800001;101\n")  # a ragged row: malformed
    assert profile_file(path, lc.contract.tables[0], lc.contract.format) is None


def test_manifest_keeps_the_profile_and_no_personal_value(lc: LoadedContract,
                                                          tmp_path: Path) -> None:
    csv = _csv(tmp_path)
    profile = profile_file(csv, lc.contract.tables[0], lc.contract.format)
    assert profile is not None
    manifest = build_manifest(lc, "2024-03", [(csv, "rows", None, 9)], "released",
                              profiles={csv.name: profile})
    write_manifest(tmp_path, manifest)
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    for cpr in PLANTED:
        assert cpr not in text
        assert cpr.replace("-", "") not in text
    assert '"kommune_kode"' not in text  # a personal column's codes are never profiled
    back = read_manifest(tmp_path)
    assert back.files[0].profile == profile


def test_manifest_without_profiles_stays_readable(lc: LoadedContract, tmp_path: Path) -> None:
    csv = _csv(tmp_path)
    write_manifest(tmp_path, build_manifest(lc, "2024-03", [(csv, "rows", None, 9)], "released"))
    data = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert "profile" not in data["files"][0]
    assert read_manifest(tmp_path).files[0].profile is None


def test_malformed_profile_is_a_malformed_manifest(lc: LoadedContract, tmp_path: Path) -> None:
    from contractkit.errors import DeliveryError

    csv = _csv(tmp_path)
    write_manifest(tmp_path, build_manifest(lc, "2024-03", [(csv, "rows", None, 9)], "released"))
    path = tmp_path / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["files"][0]["profile"] = {"rows": -1}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DeliveryError, match=r"files\[0\]\.profile\.rows"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(("quoted_empty", "codes"), [
    ("null", {"111": 6}),  # "" is a missing value, as the engine judges it
    ("empty_string", {"": 5, "111": 6}),  # "" is a value: an empty code
])
def test_a_quoted_empty_code_is_counted_as_the_engine_reads_it(
        write_contract: Write, base_text: str, tmp_path: Path, quoted_empty: str,
        codes: dict[str, int]) -> None:
    text = (base_text + RULES).replace('decimal: ","}',
                                       f'decimal: ",", quoted_empty: "{quoted_empty}"}}')
    lc = load_contract(write_contract(text))
    assert lc.contract.format.quoted_empty == quoted_empty
    path = _csv(tmp_path, n730=0)
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(f'{PLANTED[0]};101;12,5;"";40\n' for _ in range(5))
    profile = profile_file(path, lc.contract.tables[0], lc.contract.format)
    assert profile is not None
    assert profile.rows == 11
    assert profile.codes == {"ydelse_kode": codes}
