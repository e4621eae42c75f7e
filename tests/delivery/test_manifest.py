"""Delivery manifests: build, write atomically, read back, refuse malformed ones."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contractkit.delivery import (
    MANIFEST_NAME,
    Manifest,
    build_manifest,
    read_manifest,
    write_manifest,
)
from contractkit.delivery.manifest import manifest_to_json, parse_generated_at
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract, load_contract


@pytest.fixture
def lc(write_contract, base_text: str) -> LoadedContract:  # type: ignore[no-untyped-def]
    return load_contract(write_contract(base_text))


def _delivery(tmp_path: Path, lc: LoadedContract) -> tuple[Path, Manifest]:
    folder = tmp_path / "deliveries" / "test-feed" / "2024-03"
    folder.mkdir(parents=True)
    data = folder / "feed_2024-03.csv"
    data.write_bytes(b"cpr;kommune_kode;timer\n0101800001;101;1,5\n")
    manifest = build_manifest(lc, "2024-03", [(data, "rows", None, 1)], "released",
                              generated_at=datetime(2024, 4, 8, 6, 0, tzinfo=UTC))
    return folder, manifest


def test_build_records_contract_and_file_hashes(tmp_path: Path, lc: LoadedContract) -> None:
    folder, m = _delivery(tmp_path, lc)
    raw = (folder / "feed_2024-03.csv").read_bytes()
    assert m.feed == m.contract_id == "test-feed"
    assert m.contract_version == "1.2.3"
    assert m.contract_sha256 == lc.sha256
    assert len(m.contract_sha256) == 64
    assert m.recipient == "DST"
    assert m.generated_at == "2024-04-08T06:00:00Z"
    assert m.status == "released"
    (f,) = m.files
    assert (f.name, f.rows, f.table, f.scope) == ("feed_2024-03.csv", 1, "rows", None)
    assert f.sha256 == hashlib.sha256(raw).hexdigest()


def test_write_then_read_round_trips(tmp_path: Path, lc: LoadedContract) -> None:
    folder, m = _delivery(tmp_path, lc)
    path = write_manifest(folder, m)
    assert path == folder / MANIFEST_NAME
    assert json.loads(path.read_text())["schema"] == "contractkit-manifest/1"
    assert read_manifest(folder) == m
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_default_generated_at_is_now_utc(tmp_path: Path, lc: LoadedContract) -> None:
    folder, _ = _delivery(tmp_path, lc)
    m = build_manifest(lc, "2024-03", [(folder / "feed_2024-03.csv", "rows", None, 1)], "pending")
    moment = parse_generated_at(m.generated_at)
    assert m.generated_at.endswith("Z")
    assert abs((datetime.now(UTC) - moment).total_seconds()) < 60


def test_naive_generated_at_means_utc(tmp_path: Path, lc: LoadedContract) -> None:
    folder, _ = _delivery(tmp_path, lc)
    m = build_manifest(lc, "2024-03", [(folder / "feed_2024-03.csv", "rows", None, 1)],
                       "rejected", generated_at=datetime(2024, 4, 8, 6, 0))
    assert m.generated_at == "2024-04-08T06:00:00Z"


def test_unknown_status_or_table_is_refused(tmp_path: Path, lc: LoadedContract) -> None:
    folder, _ = _delivery(tmp_path, lc)
    data = folder / "feed_2024-03.csv"
    with pytest.raises(UsageError):
        build_manifest(lc, "2024-03", [(data, "rows", None, 1)], "shipped")
    with pytest.raises(UsageError):
        build_manifest(lc, "2024-03", [(data, "nope", None, 1)], "released")
    with pytest.raises(UsageError):
        build_manifest(lc, "2024-03", [(data, "rows", None, 1), (data, "rows", None, 1)],
                       "released")


def test_missing_input_file_is_a_delivery_error(tmp_path: Path, lc: LoadedContract) -> None:
    with pytest.raises(DeliveryError):
        build_manifest(lc, "2024-03", [(tmp_path / "absent.csv", "rows", None, 1)], "released")


def test_missing_manifest_is_a_delivery_error(tmp_path: Path) -> None:
    with pytest.raises(DeliveryError):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("contract_version"),
        lambda d: d.update(schema="other/9"),
        lambda d: d.update(status="shipped"),
        lambda d: d.update(generated_at="yesterday"),
        lambda d: d.update(files={}),
        lambda d: d["files"][0].update(sha256="XYZ"),
        lambda d: d["files"][0].update(rows=-1),
        lambda d: d["files"][0].update(rows=True),
        lambda d: d["files"][0].update(name="../escape.csv"),
        lambda d: d["files"].append(dict(d["files"][0])),
    ],
)
def test_malformed_manifest_is_a_delivery_error(tmp_path: Path, lc: LoadedContract,
                                                mutate) -> None:  # type: ignore[no-untyped-def]
    folder, m = _delivery(tmp_path, lc)
    data = manifest_to_json(m)
    mutate(data)
    (folder / MANIFEST_NAME).write_text(json.dumps(data))
    with pytest.raises(DeliveryError):
        read_manifest(folder)


@pytest.mark.parametrize("raw", [b"", b"{not json", b"\xff\xfe", b"[]"])
def test_unparseable_manifest_is_a_delivery_error(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / MANIFEST_NAME).write_bytes(raw)
    with pytest.raises(DeliveryError):
        read_manifest(tmp_path)


class _Boom(RuntimeError):
    pass


def test_interrupted_manifest_write_leaves_old_file_whole(
    tmp_path: Path, lc: LoadedContract, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, m = _delivery(tmp_path, lc)
    write_manifest(folder, m)
    before = (folder / MANIFEST_NAME).read_bytes()

    import contractkit.atomic as atomic

    def interrupted(fd: int) -> None:  # the bytes are written, the rename never happens
        raise _Boom

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    changed = dataclasses.replace(m, status="rejected")
    with pytest.raises(_Boom):
        write_manifest(folder, changed)
    assert (folder / MANIFEST_NAME).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["feed_2024-03.csv", MANIFEST_NAME]
