"""Fixtures for delivery tests: write delivery folders with real files and manifests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contractkit.delivery import build_manifest, write_manifest
from contractkit.loader import LoadedContract, load_contract

MakeDelivery = Callable[..., Path]


@pytest.fixture
def monthly(write_contract, base_text: str) -> LoadedContract:  # type: ignore[no-untyped-def]
    """The test contract (monthly, due 10 days after month end, national)."""
    return load_contract(write_contract(base_text))


PER_KOMMUNE = {
    "scope: {kind: national}": "scope: {kind: per_municipality, column: kommune_kode, "
    "recipients: ['101', '147', '151']}",
    'file_pattern: "feed_{period}.csv"': 'file_pattern: "feed_{kommune}_{period}.csv"',
}


@pytest.fixture
def per_kommune(write_contract, base_text: str) -> LoadedContract:  # type: ignore[no-untyped-def]
    """The test contract delivered as one file per municipality (three recipients)."""
    text = base_text
    for old, new in PER_KOMMUNE.items():
        assert old in text
        text = text.replace(old, new)
    return load_contract(write_contract(text, "per-kommune.yaml"))


@pytest.fixture
def make_delivery(tmp_path: Path) -> MakeDelivery:
    """Write ``deliveries/<id>/<period>/`` with the given files and a manifest."""

    def make(lc: LoadedContract, period: str, files: Sequence[tuple[str, bytes]] = (),
             *, generated_at: datetime | None = None, status: str = "released",
             root: Path | None = None, scope: str | None = None) -> Path:
        folder = (root or tmp_path / "deliveries") / lc.contract.id / period
        folder.mkdir(parents=True)
        entries = []
        for name, data in files:
            (folder / name).write_bytes(data)
            rows = max(data.count(b"\n") - 1, 0)
            entries.append((folder / name, lc.contract.tables[0].name, scope, rows))
        moment = generated_at or datetime(2000, 1, 1, tzinfo=UTC)
        write_manifest(folder, build_manifest(lc, period, entries, status, generated_at=moment))
        return folder

    return make
