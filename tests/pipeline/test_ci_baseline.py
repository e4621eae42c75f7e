"""Period over period with two real ``ci`` periods (real dbt, real DuckDB).

2024-02 is released from the clean warehouse; then 2024-03 is built twice on top of it:
once unchanged (every feed released, compared with 2024-02) and once with half of Aarhus'
job-centre citizens missing (examples/pipeline/halve_municipality.py): the meeting-times
feed is held with ``volume-change`` naming both counts, and a recipient's
``validate --baseline`` says the same. Three dbt runs in all.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from contractkit.cli import main
from contractkit.delivery.manifest import read_manifest
from contractkit.pipeline.ci import CiResult, FeedResult, run_ci
from contractkit.pipeline.render import feed_reasons

REPO = Path(__file__).resolve().parents[2]
FEED = "samtaletidspunkter-kommuner"
HELD = "samtaler_751_2024-03.csv"
CPR = re.compile(r"\b\d{6}-?\d{4}\b")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Periods:
    first: CiResult
    clean: CiResult
    planted: CiResult
    clean_out: Path
    planted_out: Path
    cprs: list[str]


def _run(warehouse: Path, month: str, out: Path, target: Path) -> CiResult:
    return run_ci(month, project_dir=REPO, contracts_dir=REPO / "contracts", warehouse=warehouse,
                  out_dir=out, target_dir=target)


@pytest.fixture(scope="module")
def periods(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Periods:
    root = tmp_path_factory.mktemp("baseline")
    clean_out, planted_out = root / "clean", root / "planted"
    first = _run(built_warehouse, "2024-02", clean_out, root / "target")
    shutil.copytree(clean_out, planted_out)
    clean = _run(built_warehouse, "2024-03", clean_out, root / "target")
    planted_wh = root / "planted.duckdb"
    shutil.copyfile(built_warehouse, planted_wh)
    printed = subprocess.run(
        [sys.executable, str(REPO / "examples" / "pipeline" / "halve_municipality.py"),
         str(planted_wh), "751", "2024-03"], capture_output=True, text=True, check=True)
    assert printed.stdout.strip() == HELD
    planted = _run(planted_wh, "2024-03", planted_out, root / "target")
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        cprs = [r[0] for r in con.execute(
            "SELECT DISTINCT cpr FROM samtaler WHERE jobcenter_kommune = 751").fetchall()]
    finally:
        con.close()
    return Periods(first, clean, planted, clean_out, planted_out, cprs)


def _feed(result: CiResult, feed: str) -> FeedResult:
    return next(f for f in result.feeds if f.feed == feed)


def test_first_period_has_no_baseline_and_says_so(periods: Periods) -> None:
    assert periods.first.ok
    feed = _feed(periods.first, FEED)
    assert feed.report is not None
    assert any("first period" in n for n in feed.report.notes)
    assert not any(code in feed.report.counts for code in ("volume-change", "share-change"))
    manifest = read_manifest(feed.folder)
    profiles = [f.profile for f in manifest.files]
    assert all(p is not None for p in profiles)  # kept for the next period to compare with


def test_unchanged_second_period_passes(periods: Periods) -> None:
    assert periods.clean.ok, [feed_reasons(f) for f in periods.clean.feeds if not f.ok]
    for name in (FEED, "dst-ledighed", "udk-kontanthjaelp-sygedagpenge"):
        feed = _feed(periods.clean, name)
        assert feed.report is not None
        assert any("compared with period 2024-02" in n for n in feed.report.notes), name


def test_halved_municipality_is_held_with_volume_change(periods: Periods,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    feed = _feed(periods.planted, FEED)
    assert feed.status == "rejected"
    assert read_manifest(feed.folder).status == "rejected"
    assert [f.feed for f in periods.planted.feeds if not f.ok] == [FEED]
    assert feed.report is not None
    [held] = [fr for fr in feed.report.files if Path(fr.file).name == HELD]
    [finding] = [x for x in held.findings if x.code == "volume-change"]
    before = read_manifest(periods.planted_out / FEED / "2024-02").file(
        "samtaler_751_2024-02.csv")
    after = read_manifest(feed.folder).file(HELD)
    assert before is not None
    assert after is not None
    assert after.rows < before.rows * 0.6
    assert finding.comparison is not None
    assert (finding.comparison.baseline, finding.comparison.current) == (before.rows, after.rows)
    assert f"rows {before.rows} → {after.rows}" in finding.message
    assert finding.severity == "error"
    # only that municipality's file; the other 97 are judged against their own baseline
    assert sum(fr.counts.get("volume-change", 0) for fr in feed.report.files) == 1


def test_text_json_and_junit_name_both_counts(periods: Periods,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from rich.console import Console

    from contractkit.pipeline.render import ci_to_json, render_ci_junit, render_ci_text
    from contractkit.report import render_junit

    console = Console(width=200, no_color=True)
    with console.capture() as cap:
        render_ci_text(periods.planted, console)
    text = cap.get()
    line = next(x for x in text.splitlines() if x.startswith("error: ") and HELD in x)
    assert re.search(r"rows \d+ → \d+ \(2024-02 → 2024-03\)", line)
    data = json.dumps(ci_to_json(periods.planted), ensure_ascii=False)
    assert '"code": "volume-change"' in data
    assert '"baseline_period": "2024-02"' in data
    feed = _feed(periods.planted, FEED)
    assert feed.report is not None
    junit = render_junit(feed.report) + render_ci_junit(periods.planted)
    assert "volume-change" in junit
    assert "2024-02 → 2024-03" in junit
    for out in (text, data, junit):
        assert not CPR.search(out)


def test_manifest_profile_holds_no_personal_value(periods: Periods) -> None:
    assert periods.cprs
    for out in (periods.clean_out, periods.planted_out):
        for manifest in out.glob("*/*/manifest.json"):
            text = manifest.read_text(encoding="utf-8")
            assert not CPR.search(text), manifest
            for cpr in periods.cprs:
                assert cpr not in text
                assert cpr.replace("-", "") not in text
    data = json.loads((periods.planted_out / FEED / "2024-03" / "manifest.json").read_text(
        encoding="utf-8"))
    entry = next(f for f in data["files"] if f["name"] == HELD)
    assert set(entry["profile"]) == {"rows", "min_cell_size", "codes", "numeric"}
    assert set(entry["profile"]["codes"]) == {"samtaleform"}  # not cpr, not kommune_kode


def test_recipient_validate_baseline_gives_the_same_finding(
        periods: Periods, capsys: pytest.CaptureFixture[str]) -> None:
    received = periods.planted_out / FEED
    ci_feed = _feed(periods.planted, FEED)
    assert ci_feed.report is not None
    [ci_finding] = [x for fr in ci_feed.report.files for x in fr.findings
                    if x.code == "volume-change"]
    for baseline in (received / "2024-02", received / "2024-02" / "manifest.json"):
        with pytest.raises(SystemExit) as exc:
            main(["validate", "-c", str(REPO / "contracts" / f"{FEED}.yaml"),
                  str(received / "2024-03" / HELD),
                  str(received / "2024-03" / "samtaler_101_2024-03.csv"),
                  "--baseline", str(baseline), "--format", "json"])
        out = capsys.readouterr().out
        assert exc.value.code == 1
        data = json.loads(out)
        [finding] = [x for f in data["files"] for x in f["findings"]]
        assert finding["code"] == "volume-change"
        assert finding["message"] == ci_finding.message
        assert finding["comparison"]["baseline"] == ci_finding.comparison.baseline  # type: ignore[union-attr]
        assert finding["comparison"]["current"] == ci_finding.comparison.current  # type: ignore[union-attr]
        assert not CPR.search(out)
