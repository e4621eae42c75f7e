"""``contractkit ci`` end to end with real dbt and DuckDB: a clean warehouse passes every
feed; planted defects are rejected with the right feed, file and rule, and never released.

Three dbt runs in all (clean, planted defects, dropped column) to keep the suite fast: the
defects planted together touch different feeds, so each feed's verdict tests one defect.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from contractkit.cli import main
from contractkit.delivery.manifest import read_manifest
from contractkit.engine import validate_paths
from contractkit.loader import load_contract
from contractkit.pipeline.ci import CiResult, FeedResult, run_ci
from contractkit.pipeline.render import feed_reasons

REPO = Path(__file__).resolve().parents[2]
MONTH = "2024-03"
CPR = re.compile(r"\b\d{6}-\d{4}\b")

pytestmark = pytest.mark.slow


def _feed(result: CiResult, feed: str) -> FeedResult:
    return next(f for f in result.feeds if f.feed == feed)


def _rules(feed: FeedResult) -> set[str]:
    return {rule for _, rule, _ in feed_reasons(feed)}


def _sql(path: Path, *statements: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path))
    try:
        rows: list[tuple[object, ...]] = []
        for s in statements:
            rows = con.execute(s).fetchall()
        return rows
    finally:
        con.close()


def test_clean_warehouse_releases_every_feed(built_warehouse: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deliveries"
    with pytest.raises(SystemExit) as exc:
        main(["ci", "--period", MONTH, "--warehouse", str(built_warehouse), "--out", str(out),
              "--project-dir", str(REPO), "--contracts", str(REPO / "contracts"),
              "--target-dir", str(tmp_path / "target"), "--format", "json"])
    text = capsys.readouterr().out
    assert exc.value.code == 0, text
    data = json.loads(text)
    assert data["schema"] == "contractkit-ci/1"
    feeds = {f["feed"]: f for f in data["feeds"]}
    assert len(feeds) == 12
    assert {f["status"] for f in feeds.values()} == {"released"}
    assert feeds["dst-forsorgelse"]["period"] == "2024-Q1"
    assert feeds["ssi-covid19"]["period"] == "2024-W13"
    assert feeds["dream-kommuner"]["rows"] > 0
    assert len(feeds["dream-kommuner"]["files"]) == 98
    assert sorted(f["scope"] for f in feeds["dream-regioner"]["files"]) == ["1081", "1082"]
    manifest = read_manifest(out / "dst-ledighed" / MONTH)
    assert manifest.status == "released"
    assert manifest.files[0].name == "dst_ledighed_2024-03.csv"
    # The delivered CSV is in the contract's dialect and re-validates clean on its own.
    csv = (out / "dst-ledighed" / MONTH / "dst_ledighed_2024-03.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0].startswith("cpr;kommune_kode;ydelse_kode;periode;uge;timer")
    assert re.search(r";37,00;", csv)
    lc = load_contract(REPO / "contracts" / "bm-departement.yaml")
    parquet = sorted((out / "bm-departement" / MONTH).glob("*.parquet"))
    assert len(parquet) == 4
    assert validate_paths(lc, parquet, period=MONTH).ok
    assert not CPR.search(text)  # no CPR number in the report
    _dream_is_wide_and_verifies(out, capsys)


def _dream_is_wide_and_verifies(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The municipality's DREAM file is wide (a column per week since 1991-W27 and per month
    since 2008-01), and the recipient's verify and status accept the delivery as before."""
    folder = out / "dream-kommuner" / MONTH
    with (folder / "dream_751_2024-03.csv").open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split(";")
    weeks = [c for c in header if c.startswith("y_")]
    assert (len(weeks), weeks[0], weeks[-1]) == (1709, "y_9127", "y_2413")
    months = [c for c in header if c.startswith("branche_")]
    assert (len(months), months[0], months[-1]) == (195, "branche_2008_01", "branche_2024_03")
    assert header[-1] == "grad_2024_03"
    assert header[:4] == ["cpr", "kommune_kode", "koen", "alder"]
    frame = pl.read_csv(folder / "dream_751_2024-03.csv", separator=";", infer_schema=False)
    assert frame.height > 0
    assert frame["y_9127"].null_count() == frame.height  # before the warehouse's history
    assert frame["y_2410"].null_count() < frame.height
    contracts = REPO / "contracts"
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(folder), "-c", str(contracts), "--scope", "751"])
    shown = capsys.readouterr()
    assert exc.value.code == 0, shown.out + shown.err
    assert not CPR.search(shown.out + shown.err)
    # status as of today: the delivery made just now counts (one made after --as-of would not)
    with pytest.raises(SystemExit):
        main(["status", str(out), "-c", str(contracts), "--scope", "751", "--format", "json"])
    feeds = {f["feed"]: f for f in json.loads(capsys.readouterr().out)["feeds"]}
    assert "2024-03" in feeds["dream-kommuner"]["delivered"]
    assert "2024-03" not in feeds["dream-kommuner"]["missing"]


def _plant_defects(path: Path) -> dict[str, str]:
    """Plant one defect per feed in a warehouse copy; returns what was planted where."""
    # 1. A citizen who moved: the meeting stays with the old job centre's file.
    [(cpr, old)] = _sql(path, """
        SELECT s.cpr, s.jobcenter_kommune FROM samtaler s JOIN forloeb f USING (forloeb_id)
        WHERE f.ydelse_kode IN ('111', '112') AND NOT s.annulleret
          AND s.samtale_dato BETWEEN DATE '2024-03-01' AND DATE '2024-03-31'
        ORDER BY s.samtale_id LIMIT 1""")
    new = 101 if old != 101 else 147
    _sql(path, f"UPDATE personer SET bopaelskommune = {new} WHERE cpr = '{cpr}'")
    # 2. A benefit code that is not in the code list (DREAM week 2024-W10: column y_2410).
    _sql(path, """UPDATE dream_uger SET ydelse_kode = '999' WHERE (cpr, mandag) IN (
        SELECT (cpr, mandag) FROM dream_uger WHERE mandag = DATE '2024-03-04' LIMIT 1)""")
    # 3. A duplicated key: an eIncome row of a sickness-benefit recipient entered twice.
    _sql(path, """INSERT INTO eindkomst SELECT e.* FROM eindkomst e
        WHERE e.periode = DATE '2024-03-01' AND e.cpr IN (
          SELECT cpr FROM forloeb WHERE ydelse_kode = '890'
            AND start_dato <= DATE '2024-03-31' AND slut_dato >= DATE '2024-03-01')
        LIMIT 1""")
    # 4. A reversed payment whose reversal row lost its flag: it leaks through staging.
    rows = _sql(path, """
        SELECT r.udbetaling_id FROM ydelsesudbetalinger r
        WHERE r.beloeb < 0 AND r.periode = DATE '2024-03-01' AND NOT EXISTS (
          SELECT 1 FROM ydelsesudbetalinger o WHERE o.cpr = r.cpr AND o.periode = r.periode
            AND o.ydelse_kode = r.ydelse_kode AND o.udbetaling_id <> r.udbetaling_id
            AND NOT o.annulleret AND NOT o.tilbagekonteret)
        ORDER BY r.udbetaling_id LIMIT 1""")
    assert rows, "the session warehouse has no reversal to leak in March 2024"
    _sql(path, f"UPDATE ydelsesudbetalinger SET tilbagekonteret = false "
               f"WHERE udbetaling_id = {rows[0][0]}")
    return {"moved_from": str(old), "cpr": cpr}


def test_planted_defects_are_rejected(warehouse_copy: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    planted = _plant_defects(warehouse_copy)
    out = tmp_path / "deliveries"
    with pytest.raises(SystemExit) as exc:
        main(["ci", "--period", MONTH, "--warehouse", str(warehouse_copy), "--out", str(out),
              "--project-dir", str(REPO), "--contracts", str(REPO / "contracts"),
              "--target-dir", str(tmp_path / "target"), "--format", "junit"])
    junit = capsys.readouterr().out
    assert exc.value.code == 1
    assert junit.startswith("<?xml")
    assert planted["cpr"] not in junit
    assert not CPR.search(junit)
    result = run_ci(MONTH, project_dir=REPO, contracts_dir=REPO / "contracts",
                    warehouse=warehouse_copy, out_dir=out, target_dir=tmp_path / "target2")
    assert not result.ok
    # 1. out of scope: the moved citizen's meeting in the old job centre's file
    samtaler = _feed(result, "samtaletidspunkter-kommuner")
    assert samtaler.status == "rejected"
    bad_file = f"samtaler_{planted['moved_from']}_{MONTH}.csv"
    assert any(file == bad_file and "out-of-scope" in detail
               for file, _, detail in feed_reasons(samtaler))
    # 2. a benefit code missing from the code list: dbt's test and the engine both say so
    dream = _feed(result, "dream-stil")
    assert dream.status == "rejected"
    assert "dbt-test:accepted_values:y" in _rules(dream)  # the long model of y_YYWW
    assert any("not-in-codelist" in d for _, _, d in feed_reasons(dream))
    # 3. a duplicated key breaks the enforced primary key: the table is not delivered
    at = _feed(result, "at-sygedagpenge-eindkomst")
    assert at.status == "rejected"
    assert ("at_eindkomst_2024-03.csv", "dbt:primary_key") in {
        (file, rule) for file, rule, _ in feed_reasons(at)}
    assert [f.table for f in at.files] == ["sygedagpenge"]
    # 4. the leaked reversal is a negative amount
    bm = _feed(result, "bm-departement")
    assert bm.status == "rejected"
    assert any(file == "bm_ydelser_2024-03.parquet" and "out-of-range" in detail
               for file, _, detail in feed_reasons(bm))
    # never released, and the untouched feeds still are
    for feed in (samtaler, dream, at, bm):
        assert read_manifest(out / feed.feed / feed.period).status == "rejected"
    assert _feed(result, "uim-integration").ok
    assert read_manifest(out / "uim-integration" / MONTH).status == "released"


def test_a_model_that_drops_a_column_is_rejected(built_warehouse: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(REPO / name, project / name)
    for name in ("models", "macros", "contracts"):
        shutil.copytree(REPO / name, project / name)
    model = project / "models/deliveries/dst_ledighed__ledighed.sql"
    sql = model.read_text(encoding="utf-8")
    model.write_text(sql.replace("    cast(d.alder as integer) as alder,\n", ""), encoding="utf-8")
    result = run_ci(MONTH, project_dir=project, contracts_dir=project / "contracts",
                    warehouse=built_warehouse, out_dir=tmp_path / "deliveries",
                    target_dir=tmp_path / "target")
    dst = _feed(result, "dst-ledighed")
    assert dst.status == "rejected"
    assert ("dst_ledighed_2024-03.csv", "dbt:contract") in {
        (file, rule) for file, rule, _ in feed_reasons(dst)}
    assert dst.files == ()
    assert read_manifest(tmp_path / "deliveries" / "dst-ledighed" / MONTH).status == "rejected"
    assert sum(not f.ok for f in result.feeds) == 1
