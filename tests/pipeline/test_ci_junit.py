"""`ci --format junit` gives the same cases as `validate --format junit` (issue 19, point 7):
per feed a suite, a case for dbt, and per file one case per rule, passing ones included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import contractkit
from contractkit.pipeline.ci import CiResult, FeedProblem, FeedResult
from contractkit.pipeline.render import render_ci_junit

Write = Callable[..., Path]
BAD_CPR = "3113809999"


def _feed(tmp_path: Path, write_contract: Write, base_text: str, rows: str,
          problems: tuple[FeedProblem, ...] = ()) -> FeedResult:
    data = tmp_path / "feed_2024-03.csv"
    data.write_text(f"cpr;kommune_kode;timer\n{rows}", encoding="utf-8")
    report = contractkit.validate(write_contract(base_text), data)
    ok = report.ok and not problems
    return FeedResult("test-feed", "1.2.3", "DST", "2024-03", None, tmp_path, (),
                      "released" if ok else "rejected", problems, report)


def _cases(result: CiResult) -> dict[str, ET.Element]:
    root = ET.fromstring(render_ci_junit(result))
    return {f"{c.get('classname')} {c.get('name')}": c for c in root.iter("testcase")}


def test_a_case_per_rule_of_every_file(tmp_path: Path, write_contract: Write,
                                       base_text: str) -> None:
    feed = _feed(tmp_path, write_contract, base_text, f"0101800001;101;1,5\n{BAD_CPR};101;99\n")
    xml = render_ci_junit(CiResult("2024-03", tmp_path, False, (feed,)))
    cases = _cases(CiResult("2024-03", tmp_path, False, (feed,)))
    file = "test-feed/feed_2024-03.csv"
    assert cases["test-feed dbt build"].find("failure") is None
    assert cases[f"{file} timer:out-of-range"].find("failure") is not None
    assert cases[f"{file} cpr:bad-cpr"].find("failure") is not None
    assert cases[f"{file} kommune_kode:not-in-codelist"].find("failure") is None
    assert cases[f"{file} primary_key"].find("failure") is None
    assert BAD_CPR not in xml


def test_dbt_problems_fail_the_dbt_case(tmp_path: Path, write_contract: Write,
                                        base_text: str) -> None:
    problem = FeedProblem("deliveries/test_feed.sql", "dbt-test:unique:cpr", "1 duplicate")
    feed = _feed(tmp_path, write_contract, base_text, "0101800001;101;1,5\n", (problem,))
    root = ET.fromstring(render_ci_junit(CiResult("2024-03", tmp_path, False, (feed,))))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    dbt = next(c for c in suite.iter("testcase") if c.get("name") == "dbt build")
    failure = dbt.find("failure")
    assert failure is not None
    assert "dbt-test:unique:cpr" in (failure.get("message") or "")
