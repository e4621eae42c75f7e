"""Shared fixtures: paths of the repository, its contracts, and a small valid contract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = REPO / "contracts"


@pytest.fixture
def repo_root() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture
def contracts_dir() -> Path:
    """The contracts folder of the repository."""
    return CONTRACTS


@pytest.fixture
def dst_contract_text() -> str:
    """The text of the example DST contract (a valid contract to mutate in tests)."""
    return (CONTRACTS / "dst-ledighed.yaml").read_text(encoding="utf-8")


BASE = """\
id: test-feed
version: 1.2.3
title: Testfeed
direction: outbound
owner: STAR
steward: {name: Steward}
provider: {name: Styrelsen for Arbejdsmarked og Rekruttering, code: STAR}
recipient: {name: Danmarks Statistik, code: DST}
scope: {kind: national}
purpose: administrative
legal_basis:
  - text: "§ 6 i lov om Danmarks Statistik."
    references:
      - {law: lov om Danmarks Statistik, paragraph: "6"}
personal_data: identifiable
cadence: {frequency: monthly, due_days: 10}
format: {type: csv, delimiter: ";", decimal: ","}
tables:
  - name: rows
    file_pattern: "feed_{period}.csv"
    primary_key: [cpr]
    columns:
      - name: cpr
        type: string
        semantic: cpr
        personal: direct
      - name: kommune_kode
        type: integer
        codelist: kommuner
        personal: quasi
      - name: timer
        type: decimal
        precision: 5
        scale: 2
        range: {min: 0, max: 37}
"""


@pytest.fixture
def base_text() -> str:
    """YAML of a valid contract."""
    return BASE


@pytest.fixture
def write_contract(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write contract text into a temporary contracts/ folder with the real code lists."""
    repo_lists = CONTRACTS / "codelists"
    folder = tmp_path / "contracts"
    (folder / "codelists").mkdir(parents=True)
    for f in repo_lists.glob("*.yaml"):
        (folder / "codelists" / f.name).write_bytes(f.read_bytes())

    def write(text: str, name: str = "feed.yaml") -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local[2] Spark session for the whole test process (start-up costs seconds).

    Tests that use it carry ``pytest.mark.xdist_group("spark")`` so that, with
    ``--dist loadgroup``, one xdist worker runs them all and only one JVM starts.
    """
    from contractkit.spark.session import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()
