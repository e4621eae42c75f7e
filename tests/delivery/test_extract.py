"""Cutting one recipient's delivery out of the producer's (issue 19, point 5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contractkit.delivery import MANIFEST_NAME, build_manifest, read_manifest, write_manifest
from contractkit.delivery.extract import extract_delivery
from contractkit.delivery.verify import verify_delivery
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract

WHEN = datetime(2024, 4, 8, 6, 0, tzinfo=UTC)


def _producer(tmp_path: Path, lc: LoadedContract) -> Path:
    """The producer's folder: one file per municipality (101, 147, 151), one manifest."""
    folder = tmp_path / "deliveries" / lc.contract.id / "2024-03"
    folder.mkdir(parents=True)
    entries = []
    for code in ("101", "147", "151"):
        path = folder / f"feed_{code}_2024-03.csv"
        path.write_bytes(b"cpr;kommune_kode;timer\n0101800001;" + code.encode() + b";1\n")
        entries.append((path, "rows", code, 1))
    write_manifest(folder, build_manifest(lc, "2024-03", entries, "released", WHEN))
    return folder


def test_extract_cuts_one_recipients_files_and_verify_passes(
        tmp_path: Path, per_kommune: LoadedContract) -> None:
    producer = _producer(tmp_path, per_kommune)
    before = {p.name: p.read_bytes() for p in producer.iterdir()}
    result = extract_delivery(producer, "0147", tmp_path / "to-frederiksberg" / "2024-03")
    assert result.skipped == 2
    assert sorted(p.name for p in result.folder.iterdir()) == [
        "feed_147_2024-03.csv", MANIFEST_NAME]
    cut = read_manifest(result.folder)
    full = read_manifest(producer)
    assert cut.scope == "147"
    assert cut.files == (full.file("feed_147_2024-03.csv"),)  # hash, rows, table kept
    assert (cut.generated_at, cut.contract_sha256) == (full.generated_at, full.contract_sha256)
    assert json.loads((result.folder / MANIFEST_NAME).read_text())["scope"] == "147"
    report = verify_delivery(result.folder, [per_kommune], scope="147")
    assert report.ok, report.counts
    assert report.counts == {}
    assert {p.name: p.read_bytes() for p in producer.iterdir()} == before


def test_extract_refuses_what_it_cannot_cut(tmp_path: Path, per_kommune: LoadedContract) -> None:
    producer = _producer(tmp_path, per_kommune)
    with pytest.raises(UsageError, match="lists no file for scope 751"):
        extract_delivery(producer, "751", tmp_path / "out")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("x")
    with pytest.raises(UsageError, match="not an empty folder"):
        extract_delivery(producer, "101", taken)
    with pytest.raises(UsageError, match="never writes into"):
        extract_delivery(producer, "101", producer / "sub")
    (producer / "feed_101_2024-03.csv").write_bytes(b"changed\n")
    with pytest.raises(DeliveryError, match="SHA-256 differs"):
        extract_delivery(producer, "101", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    with pytest.raises(DeliveryError):
        extract_delivery(tmp_path / "absent", "101", tmp_path / "out")
