"""Cadence status: delivered, late, missing and due-next periods; missing municipalities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractkit.delivery.status import PeriodState, delivery_status, status_to_json
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract, load_contract

CSV = b"cpr;kommune_kode;timer\n0101800001;101;1,5\n"


def _at(y: int, m: int, d: int, hh: int = 8, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def test_one_missing_and_one_late_period(tmp_path: Path, monthly: LoadedContract,
                                         make_delivery) -> None:  # type: ignore[no-untyped-def]
    make_delivery(monthly, "2024-01", [("feed_2024-01.csv", CSV)], generated_at=_at(2024, 2, 5))
    make_delivery(monthly, "2024-02", [("feed_2024-02.csv", CSV)], generated_at=_at(2024, 3, 20))
    # 2024-03 (due 2024-04-10) never arrives; 2024-04 is due 2024-05-10.
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 20))
    (feed,) = report.feeds
    assert [(p.period, p.state) for p in feed.periods] == [
        ("2024-01", PeriodState.ON_TIME),
        ("2024-02", PeriodState.LATE),
        ("2024-03", PeriodState.MISSING),
    ]
    assert feed.periods[2].due == date(2024, 4, 10)
    assert (feed.due_next.period, feed.due_next.due) == ("2024-04", date(2024, 5, 10))
    assert not report.ok
    data = status_to_json(report)
    assert data["schema"] == "contractkit-status/1"
    (jf,) = data["feeds"]
    assert jf["delivered"] == ["2024-01", "2024-02"]
    assert jf["late"] == ["2024-02"]
    assert jf["missing"] == ["2024-03"]
    assert jf["due_next"] == {"period": "2024-04", "due": "2024-05-10"}


def test_all_on_time_is_ok_and_due_day_itself_is_not_missing(
    tmp_path: Path, monthly: LoadedContract, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    make_delivery(monthly, "2024-02", [("feed_2024-02.csv", CSV)], generated_at=_at(2024, 3, 10))
    # As of 2024-04-10, March is due today: not missing yet, and it is the one due next.
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 10))
    (feed,) = report.feeds
    assert [(p.period, p.state) for p in feed.periods] == [("2024-02", PeriodState.ON_TIME)]
    assert feed.due_next.period == "2024-03"
    assert report.ok


def test_due_date_is_a_danish_day(tmp_path: Path, monthly: LoadedContract,
                                  make_delivery) -> None:  # type: ignore[no-untyped-def]
    # 23:30 UTC on the due day (2024-03-10) is 00:30 on 2024-03-11 in Copenhagen.
    make_delivery(monthly, "2024-02", generated_at=_at(2024, 3, 10, 23, 30))
    make_delivery(monthly, "2024-01", generated_at=_at(2024, 2, 10, 22, 30))
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 3, 20))
    assert [(p.period, p.state) for p in report.feeds[0].periods] == [
        ("2024-01", PeriodState.ON_TIME), ("2024-02", PeriodState.LATE)]


@pytest.fixture
def other_feed(write_contract, base_text: str, make_delivery) -> LoadedContract:  # type: ignore[no-untyped-def]
    """Another feed with one delivery in the deliveries root (so the root is one)."""
    lc = load_contract(write_contract(base_text.replace("id: test-feed", "id: other-feed"),
                                      "other.yaml"))
    make_delivery(lc, "2024-01", [("feed_2024-01.csv", CSV)], generated_at=_at(2024, 2, 5))
    return lc


def test_nothing_delivered_reports_the_last_due_period_missing(
    tmp_path: Path, monthly: LoadedContract, other_feed: LoadedContract
) -> None:
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 20))
    (feed,) = report.feeds
    assert [(p.period, p.state) for p in feed.periods] == [("2024-03", PeriodState.MISSING)]


def test_since_widens_the_window(tmp_path: Path, monthly: LoadedContract,
                                 other_feed: LoadedContract) -> None:
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 20),
                             since=date(2024, 1, 15))
    assert report.feeds[0].in_state(PeriodState.MISSING) == ["2024-01", "2024-02", "2024-03"]


def test_rejected_pending_and_unreadable_deliveries(
    tmp_path: Path, monthly: LoadedContract, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    make_delivery(monthly, "2024-01", status="rejected", generated_at=_at(2024, 2, 1))
    make_delivery(monthly, "2024-02", status="pending", generated_at=_at(2024, 3, 1))
    (tmp_path / "deliveries" / "test-feed" / "2024-03").mkdir()  # folder without manifest
    early = make_delivery(monthly, "2024-04", generated_at=_at(2024, 4, 19))
    assert early.is_dir()
    (tmp_path / "deliveries" / "test-feed" / "notes.txt").write_text("x")
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 20))
    (feed,) = report.feeds
    states = {p.period: p.state for p in feed.periods}
    assert states == {"2024-01": PeriodState.REJECTED, "2024-02": PeriodState.PENDING,
                      "2024-03": PeriodState.NO_MANIFEST, "2024-04": PeriodState.ON_TIME}
    assert feed.due_next.period == "2024-05"
    assert feed.unexpected == ("notes.txt",)
    assert not report.ok


def test_per_municipality_feed_names_missing_municipalities(
    tmp_path: Path, per_kommune: LoadedContract, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    make_delivery(per_kommune, "2024-03",
                  [("feed_101_2024-03.csv", CSV), ("feed_147_2024-03.csv", CSV)],
                  generated_at=_at(2024, 4, 2))
    report = delivery_status(tmp_path / "deliveries", [per_kommune], date(2024, 4, 20))
    (period,) = report.feeds[0].periods
    assert period.state is PeriodState.ON_TIME
    assert period.missing_scopes == ("151",)
    assert not report.ok
    assert status_to_json(report)["feeds"][0]["periods"][0]["missing_scopes"] == ["151"]


def test_per_municipality_defaults_to_every_municipality_in_the_code_list(
    tmp_path: Path, write_contract, base_text: str, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    text = base_text.replace("scope: {kind: national}",
                             "scope: {kind: per_municipality, column: kommune_kode}").replace(
        'file_pattern: "feed_{period}.csv"', 'file_pattern: "feed_{kommune}_{period}.csv"')
    lc = load_contract(write_contract(text, "all.yaml"))
    make_delivery(lc, "2024-03", [("feed_101_2024-03.csv", CSV)], generated_at=_at(2024, 4, 2))
    report = delivery_status(tmp_path / "deliveries", [lc], date(2024, 4, 20))
    missing = report.feeds[0].periods[0].missing_scopes
    assert len(missing) == 97
    assert "101" not in missing


def test_retired_and_draft_feeds_are_skipped(
    tmp_path: Path, write_contract, base_text: str, other_feed: LoadedContract  # type: ignore[no-untyped-def]
) -> None:
    retired = load_contract(write_contract(base_text.replace(
        "version: 1.2.3", "version: 1.2.3\nstatus: retired"), "r.yaml"))
    report = delivery_status(tmp_path / "deliveries", [retired], date(2024, 4, 20))
    assert report.feeds == ()


def test_missing_root_is_a_delivery_error(tmp_path: Path, monthly: LoadedContract) -> None:
    with pytest.raises(DeliveryError):
        delivery_status(tmp_path / "nope", [monthly], date(2024, 4, 20))


def test_weekly_feed(tmp_path: Path, write_contract, base_text: str,  # type: ignore[no-untyped-def]
                     make_delivery) -> None:
    text = base_text.replace("frequency: monthly, due_days: 10", "frequency: weekly, due_days: 3")
    lc = load_contract(write_contract(text, "weekly.yaml"))
    make_delivery(lc, "2024-W10", generated_at=_at(2024, 3, 12))
    # W10 ends Sun 2024-03-10, due 03-13; W11 due 03-20; W12 due 03-27.
    report = delivery_status(tmp_path / "deliveries", [lc], date(2024, 3, 25))
    feed = report.feeds[0]
    assert [(p.period, p.state) for p in feed.periods] == [
        ("2024-W10", PeriodState.ON_TIME), ("2024-W11", PeriodState.MISSING)]
    assert feed.due_next.period == "2024-W12"


def test_recipient_scope_expects_only_its_own_files(
    tmp_path: Path, per_kommune: LoadedContract, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    make_delivery(per_kommune, "2024-03", [("feed_101_2024-03.csv", CSV)],
                  generated_at=_at(2024, 4, 2))
    root = tmp_path / "deliveries"
    mine = delivery_status(root, [per_kommune], date(2024, 4, 20), scope="101")
    assert mine.feeds[0].periods[0].missing_scopes == ()
    assert mine.ok
    other = delivery_status(root, [per_kommune], date(2024, 4, 20), scope="147")
    assert other.feeds[0].periods[0].missing_scopes == ("147",)


# --- issue 19, point 4: as-of honesty, folders without manifests, --feed/--scope -------------


def test_as_of_ignores_deliveries_made_after_it(
    tmp_path: Path, monthly: LoadedContract, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    make_delivery(monthly, "2024-02", [("feed_2024-02.csv", CSV)], generated_at=_at(2024, 3, 5))
    make_delivery(monthly, "2024-03", [("feed_2024-03.csv", CSV)], generated_at=_at(2024, 4, 8))
    make_delivery(monthly, "2024-04", [("feed_2024-04.csv", CSV)], generated_at=_at(2024, 5, 3))
    report = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 5))
    (feed,) = report.feeds
    # March (due 04-10) was not delivered yet on 04-05; April's folder did not exist then.
    assert [(p.period, p.state) for p in feed.periods] == [("2024-02", PeriodState.ON_TIME)]
    assert feed.due_next.period == "2024-03"
    assert feed.after_as_of == ("2024-03", "2024-04")
    assert report.ok
    assert status_to_json(report)["feeds"][0]["after_as_of"] == ["2024-03", "2024-04"]


def test_as_of_with_manifests_stamped_today_counts_nothing_late(
    tmp_path: Path, monthly: LoadedContract, make_delivery  # type: ignore[no-untyped-def]
) -> None:
    # Deliveries re-made today for old periods: as of 2024-04-05 none of them existed.
    for period in ("2024-01", "2024-02", "2024-03"):
        make_delivery(monthly, period, generated_at=datetime.now(UTC))
    (feed,) = delivery_status(tmp_path / "deliveries", [monthly], date(2024, 4, 5)).feeds
    assert feed.in_state(PeriodState.LATE) == []
    assert feed.in_state(PeriodState.MISSING) == ["2024-02"]
    assert feed.due_next.period == "2024-03"


def test_a_folder_without_manifests_is_an_error_naming_the_layouts(
    tmp_path: Path, monthly: LoadedContract
) -> None:
    (tmp_path / "somewhere" / "2024-03").mkdir(parents=True)
    with pytest.raises(DeliveryError, match=r"no delivery manifest found; expected "
                       r"<feed id>/<period>/manifest.json"):
        delivery_status(tmp_path / "somewhere", [monthly], date(2024, 4, 20))


def test_a_feeds_own_folder_and_one_delivery_folder_are_judged(
    tmp_path: Path, monthly: LoadedContract, other_feed: LoadedContract,
    make_delivery  # type: ignore[no-untyped-def]
) -> None:
    folder = make_delivery(monthly, "2024-03", [("feed_2024-03.csv", CSV)],
                           generated_at=_at(2024, 4, 8))
    for where in (folder.parent, folder):
        report = delivery_status(where, [monthly, other_feed], date(2024, 4, 20))
        (feed,) = report.feeds
        assert feed.feed == "test-feed"
        assert [(p.period, p.state) for p in feed.periods] == [("2024-03", PeriodState.ON_TIME)]
        assert report.ok


def test_feed_narrows_and_an_unknown_feed_is_a_usage_error(
    tmp_path: Path, monthly: LoadedContract, other_feed: LoadedContract
) -> None:
    root = tmp_path / "deliveries"
    report = delivery_status(root, [monthly, other_feed], date(2024, 4, 20), feeds=["other-feed"])
    assert [f.feed for f in report.feeds] == ["other-feed"]
    with pytest.raises(UsageError, match="no-such-feed"):
        delivery_status(root, [monthly, other_feed], date(2024, 4, 20), feeds=["no-such-feed"])


def test_scope_lists_only_the_feeds_that_deliver_to_it(
    tmp_path: Path, per_kommune: LoadedContract, monthly: LoadedContract,
    make_delivery  # type: ignore[no-untyped-def]
) -> None:
    make_delivery(per_kommune, "2024-03", [("feed_101_2024-03.csv", CSV)],
                  generated_at=_at(2024, 4, 2))
    root = tmp_path / "deliveries"
    mine = delivery_status(root, [per_kommune, monthly], date(2024, 4, 20), scope="0101")
    assert [f.feed for f in mine.feeds] == [per_kommune.contract.id]
    assert mine.ok
    # 751 is a municipality, but not one this feed's contract delivers to.
    assert delivery_status(root, [per_kommune, monthly], date(2024, 4, 20),
                           scope="751").feeds == ()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(instant=st.datetimes(min_value=datetime(2024, 3, 1), max_value=datetime(2024, 12, 31),
                            timezones=st.just(UTC)))
def test_a_delivery_is_counted_as_of_the_danish_day_it_was_made(
        tmp_path_factory: pytest.TempPathFactory, monthly: LoadedContract,
        make_delivery, instant: datetime) -> None:  # type: ignore[no-untyped-def]
    # the day judged by default (today()) and the day a delivery was made are both Danish
    # days: a delivery made at 23:30 UTC in winter (00:30 the next day in Denmark) is not
    # "made after" the day it is judged as of
    from contractkit.delivery.status import danish_day

    root = tmp_path_factory.mktemp("deliveries")
    make_delivery(monthly, "2024-02", [("feed_2024-02.csv", CSV)], generated_at=instant,
                  root=root)
    (feed,) = delivery_status(root, [monthly], danish_day(instant)).feeds
    assert [p.period for p in feed.periods if p.state is not PeriodState.MISSING] == ["2024-02"]
    assert feed.after_as_of == ()


def test_today_is_the_day_in_denmark() -> None:
    from zoneinfo import ZoneInfo

    from contractkit.delivery.status import danish_day, today

    assert danish_day(_at(2026, 12, 4, 23, 30)) == date(2026, 12, 5)  # UTC+1 in winter
    assert danish_day(_at(2026, 6, 30, 22, 30)) == date(2026, 7, 1)  # UTC+2 in summer
    assert danish_day(_at(2026, 6, 30, 21, 30)) == date(2026, 6, 30)
    before = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    assert today() in (before, datetime.now(ZoneInfo("Europe/Copenhagen")).date())
