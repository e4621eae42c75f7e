"""The warehouse generator: deterministic, valid CPRs, registration errors mixed in, atomic."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from contractkit.checks.cpr import cpr_birth_date, is_valid_cpr
from contractkit.cli import main
from contractkit.errors import UsageError
from contractkit.loader import load_codelists
from contractkit.warehouse import build_warehouse, warehouse_info
from contractkit.warehouse.people import BENEFITS, generate_persons

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def regions() -> dict[str, str]:
    lists, _ = load_codelists(REPO / "contracts" / "codelists")
    return {v.code: v.parent or "" for v in lists["kommuner"].values}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, regions: dict[str, str]) -> Path:
    path = tmp_path_factory.mktemp("wh") / "dsdw.duckdb"
    build_warehouse(path, regions, persons=3000, seed=7)
    return path


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_cprs_are_valid_unique_and_agree_with_birth_date_and_sex() -> None:
    persons = generate_persons(20_000, seed=3, kommuner=["101", "751"])
    cprs = persons["cpr"].to_list()
    assert len(set(cprs)) == len(cprs)
    for cpr, born, sex in zip(cprs, persons["foedselsdato"].to_list(),
                              persons["koen"].to_list(), strict=True):
        assert is_valid_cpr(cpr)
        assert cpr_birth_date(cpr) == born
        assert (int(cpr[-1]) % 2 == 1) == (sex == "M")


def test_cprs_stay_unique_for_a_large_population() -> None:
    persons = generate_persons(1_000_000, seed=11, kommuner=["101"])
    assert persons["cpr"].n_unique() == persons.height


def test_same_seed_same_warehouse(tmp_path: Path, regions: dict[str, str], small: Path) -> None:
    again = tmp_path / "again.duckdb"
    build_warehouse(again, regions, persons=3000, seed=7)
    for table in ("personer", "ydelsesudbetalinger", "dream_uger", "samtaler", "eindkomst"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"
        digest = [hashlib.sha256(repr(_rows(p, sql)).encode()).hexdigest() for p in (small, again)]
        assert digest[0] == digest[1], table


def test_registration_errors_are_mixed_in(small: Path) -> None:
    [(annulled, reversed_, negative)] = _rows(small, """
        SELECT count(*) FILTER (annulleret), count(*) FILTER (tilbagekonteret),
               count(*) FILTER (beloeb < 0) FROM ydelsesudbetalinger""")
    assert annulled > 0
    assert reversed_ > 0
    assert 0 < negative < reversed_  # a reversal row per wrongly paid (also flagged) payment


def test_coverage_codes_and_municipalities(small: Path, regions: dict[str, str]) -> None:
    [(first, last)] = _rows(small, "SELECT min(mandag), max(mandag) FROM dream_uger")
    assert str(first) <= "2023-01-02"
    assert str(last) >= "2024-12-23"
    codes = {r[0] for r in _rows(small, "SELECT DISTINCT ydelse_kode FROM dream_uger")}
    assert codes <= {b.code for b in BENEFITS}
    kommuner = {str(r[0]) for r in _rows(small, "SELECT DISTINCT bopaelskommune FROM personer")}
    assert kommuner <= set(regions)
    assert warehouse_info(small).persons == 3000


def test_bad_arguments_are_usage_errors(tmp_path: Path, regions: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        build_warehouse(tmp_path / "w.duckdb", regions, persons=0)
    with pytest.raises(UsageError):
        warehouse_info(tmp_path / "missing.duckdb")


def test_failed_build_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "w.duckdb"
    target.write_bytes(b"previous")
    with pytest.raises(ValueError, match="invalid literal"):
        build_warehouse(target, {"abc": "1081"}, persons=100)  # fails mid-build
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_cli_build_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.duckdb"
    with pytest.raises(SystemExit) as exc:
        main(["warehouse", "build", "--path", str(path), "--persons", "500",
              "--codelists", str(REPO / "contracts" / "codelists")])
    assert exc.value.code == 0
    with pytest.raises(SystemExit) as exc:
        main(["warehouse", "info", "--path", str(path)])
    assert exc.value.code == 0
    assert "500 persons" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["warehouse", "info", "--path", str(tmp_path / "nope.duckdb")])
    assert exc.value.code == 2


def test_a_person_is_on_one_benefit_at_a_time(small: Path) -> None:
    [(overlaps,)] = _rows(small, """
        SELECT count(*) FROM forloeb a JOIN forloeb b
          ON a.cpr = b.cpr AND a.forloeb_id < b.forloeb_id
         AND a.start_dato <= b.slut_dato AND b.start_dato <= a.slut_dato""")
    assert overlaps == 0
