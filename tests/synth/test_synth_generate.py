"""The seeded vectorised generator and the writers (exact CSV dialect, Parquet, names)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from contractkit.contract.models import CsvFormat
from contractkit.errors import UsageError
from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.generate import generate_delivery, generate_table
from contractkit.synth.malformed import bad_file_name, break_bytes
from contractkit.synth.writers import output_path, render_csv, render_parquet

REPO = Path(__file__).resolve().parent.parent.parent
DST = REPO / "contracts" / "dst-ledighed.yaml"
KITCHEN = REPO / "tests" / "properties" / "contracts" / "kitchen-sink.yaml"


def test_same_seed_same_frame_other_seed_other_frame() -> None:
    lc = load_contract(DST)
    a = generate_table(lc, None, 500, "2024-03", seed=1)
    assert a.equals(generate_table(lc, None, 500, "2024-03", seed=1))
    assert not a.equals(generate_table(lc, None, 500, "2024-03", seed=2))


def test_dst_rows_are_persons_by_week_with_unique_keys() -> None:
    frame = generate_table(load_contract(DST), "ledighed", 1000, "2024-03", seed=4)
    assert frame.height == 1000
    assert not frame.select("cpr", "uge").is_duplicated().any()
    weeks_per_person = frame.group_by("cpr").len()["len"]
    assert weeks_per_person.max() == 4  # four whole ISO weeks in March 2024
    assert set(frame["periode"].unique()) == {"2024-03"}
    assert 0 < frame["akasse_medlem"].null_count() < 1000
    assert frame["cpr"].null_count() == 0


def test_scope_and_references_of_a_delivery() -> None:
    lc = load_contract(KITCHEN)
    ctx = resolve_context(lc, period="2024-Q1", scope="1083")
    frames = generate_delivery(ctx, 200, seed=9)
    assert set(frames["personer"]["region_kode"].unique()) == {"1083"}
    assert set(frames["kontakter"]["region_kode"].unique()) == {1083}
    assert set(frames["kontakter"]["pnr_pseudonym"]) <= set(frames["personer"]["pnr_pseudonym"])
    assert frames["personer"]["journal_nr"].n_unique() == 200
    assert frames["kontakter"]["antal"].min() >= 5  # minimum cell size
    stamp = frames["personer"]["indberettet"]
    assert str(stamp.min())[:10] >= "2024-01-01"
    assert str(stamp.max())[:10] <= "2024-03-31"


def test_row_count_and_key_capacity_are_enforced() -> None:
    lc = load_contract(KITCHEN)
    with pytest.raises(UsageError, match="between"):
        generate_table(lc, "personer", 401, "2024-Q1", seed=1, scope="1081")
    with pytest.raises(UsageError):
        generate_table(lc, "nope", 1, "2024-Q1", seed=1)
    with pytest.raises(UsageError, match="--period"):
        generate_table(lc, None, 1, "2024-03", seed=1)
    with pytest.raises(UsageError, match="--scope"):
        generate_table(lc, None, 1, "2024-Q1", seed=1, scope="101")
    with pytest.raises(UsageError, match="national"):
        generate_table(load_contract(DST), None, 1, "2024-03", seed=1, scope="101")


def test_csv_dialect_is_exact() -> None:
    frame = pl.DataFrame({"a": ["æø", None], "b": [1.5, 2.25]})
    fmt = CsvFormat(type="csv", encoding="utf-8-sig", delimiter=";", decimal=",",
                    line_ending="crlf", null_value="NA")
    data = render_csv(frame, fmt)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "a;b\r\næø;1,5\r\nNA;2,25\r\n"
    latin = render_csv(frame, fmt.model_copy(update={"encoding": "latin-1", "header": False,
                                                     "line_ending": "lf", "delimiter": ","}))
    assert latin == "æø,\"1,5\"\nNA,\"2,25\"\n".encode("latin-1")


def test_unencodable_text_is_a_usage_error() -> None:
    frame = pl.DataFrame({"a": ["€"]})
    with pytest.raises(UsageError, match="latin-1"):
        render_csv(frame, CsvFormat(type="csv", encoding="latin-1"))


def test_parquet_round_trip(tmp_path: Path) -> None:
    from contractkit.contract.models import ParquetFormat

    frame = generate_table(load_contract(DST), None, 50, "2024-03", seed=2)
    path = tmp_path / "x.parquet"
    path.write_bytes(render_parquet(frame, ParquetFormat(type="parquet", compression="none")))
    assert pl.read_parquet(path).equals(frame)


def test_output_path_names_files_by_pattern(tmp_path: Path) -> None:
    ctx = resolve_context(load_contract(KITCHEN), period="2024-Q1", scope="1084")
    assert output_path(ctx, tmp_path) == tmp_path / "ks_personer_1084_2024-Q1.csv"
    assert output_path(ctx, tmp_path / "new-folder") == tmp_path / "new-folder" / ctx.file_name
    assert output_path(ctx, tmp_path / "x.csv") == tmp_path / "x.csv"


def test_file_mutants_change_the_bytes_as_named() -> None:
    fmt = CsvFormat(type="csv", line_ending="crlf")
    good = b"a;b\r\n1;2\r\n3;4\r\n"
    assert break_bytes("empty-file", good, fmt, 0) == b""
    assert break_bytes("missing-header", good, fmt, 0) == b"1;2\r\n3;4\r\n"
    assert break_bytes("ragged-row", good, fmt, 0) == b"a;b\r\n1;2;x\r\n3;4\r\n"
    assert break_bytes("wrong-encoding", good, fmt, 0) == b"a;b\r\n1;2\xe6\r\n3;4\r\n"
    assert b"\x00" in break_bytes("binary-junk", good, fmt, 0)
    with pytest.raises(UsageError):
        break_bytes("truncated", good, fmt, 0)
    with pytest.raises(UsageError):
        break_bytes("wrong-encoding", good, fmt.model_copy(update={"encoding": "latin-1"}), 0)
    assert bad_file_name("dst_ledighed_2024-03.csv") != "dst_ledighed_2024-03.csv"
