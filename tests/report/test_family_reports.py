"""Reports stay readable at thousands of family members: text and JUnit summarise per
family and code, JSON keeps every member's exact count and validates against the schema."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from contractkit import load_contract
from contractkit.engine import validate_paths
from contractkit.report import Report, render_junit, render_text, report_to_json

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))

CONTRACT = """\
id: wide-feed
version: 1.0.0
title: Wide feed
direction: outbound
owner: STAR
steward: {name: Steward}
provider: {name: Styrelsen for Arbejdsmarked og Rekruttering, code: STAR}
recipient: {name: Danmarks Statistik, code: DST}
purpose: administrative
legal_basis:
  - text: "§ 6 i lov om Danmarks Statistik."
personal_data: identifiable
cadence: {frequency: monthly, due_days: 10}
scope: {kind: national}
format: {type: csv, delimiter: ";"}
tables:
  - name: forloeb
    file_pattern: "wide_{period}.csv"
    columns:
      - {name: id, type: integer}
    column_families:
      - {template: "y_{YYYYWW}", first: "1991-W27", type: string, required: false,
         codelist: ydelser}
"""


def _report(tmp_path: Path, rename: bool) -> Report:
    contracts = tmp_path / "contracts"
    (contracts / "codelists").mkdir(parents=True)
    lists = REPO / "contracts" / "codelists" / "ydelser.yaml"
    (contracts / "codelists" / "ydelser.yaml").write_bytes(lists.read_bytes())
    (contracts / "wide.yaml").write_text(CONTRACT, encoding="utf-8")
    lc = load_contract(contracts / "wide.yaml")
    from contractkit.contract.periods import parse_period

    members = lc.contract.tables[0].column_families[0].member_names(
        parse_period(lc.contract.cadence.frequency, "2024-03"))
    assert len(members) > 1700
    header = ["id"] + [m.replace("y_", "uge_") if rename else m for m in members]
    rows = []
    for i in range(1, 6):
        cells = [""] * len(members)
        cells[i * 100] = "999"  # one bad code per row, each in another member
        rows.append(";".join([str(i), *cells]))
    path = tmp_path / "wide_2024-03.csv"
    path.write_text("\n".join([";".join(header), *rows]) + "\n", encoding="utf-8")
    return validate_paths(lc, [path], max_examples=20)


def _text(report: Report) -> str:
    buf = io.StringIO()
    render_text(report, Console(file=buf, width=200, color_system=None))
    return buf.getvalue()


def test_bad_codes_one_line_per_family_and_code(tmp_path: Path) -> None:
    report = _report(tmp_path, rename=False)
    fr = report.files[0]
    assert fr.counts == {"not-in-codelist": 5}
    bad = [f.column for f in sorted(fr.findings, key=lambda f: f.row or 0)]
    assert [f.row for f in sorted(fr.findings, key=lambda f: f.row or 0)] == [1, 2, 3, 4, 5]
    assert bad[0] == "y_199322"  # 100 weeks after 1991-W27
    assert len(set(bad)) == 5
    text = _text(report)
    assert "y_YYYYWW" in text
    assert "5 of 1," in text
    assert text.count("not-in-codelist") == 2  # the summary table and the family line
    data = report_to_json(report)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    fam = data["files"][0]["families"]["y_YYYYWW"]
    assert fam["members"] == fr.family_sizes["y_YYYYWW"] > 1700
    assert fam["counts"]["not-in-codelist"] == dict.fromkeys(bad, 1)
    assert all(f["family"] == "y_YYYYWW" for f in data["files"][0]["findings"])
    cases = ET.fromstring(render_junit(report)).findall(".//testcase")
    assert sorted(c.get("name") or "" for c in cases if c.find("failure") is not None) == [
        "conforms", "y_YYYYWW:not-in-codelist"]
    names = [c.get("name") or "" for c in cases]
    assert "y_YYYYWW:wrong-type" in names  # a family's passing rule: one case, not 1,700
    assert len(names) < 20


@pytest.mark.parametrize("fmt", ["text", "junit", "json"])
def test_renamed_family_stays_short(tmp_path: Path, fmt: str) -> None:
    report = _report(tmp_path, rename=True)
    fr = report.files[0]
    size = fr.family_sizes["y_YYYYWW"]
    assert fr.counts == {"extra-column": size, "missing-column": size}
    missing = {f.column for f in fr.findings if f.code == "missing-column"}
    assert len(missing) == size  # JSON keeps one example per member (its own rule)
    if fmt == "text":
        text = _text(report)
        assert "every member: was the family renamed?" in text
        assert len(text.splitlines()) < 60
    elif fmt == "junit":
        cases = ET.fromstring(render_junit(report)).findall(".//testcase")
        assert sorted(c.get("name") or "" for c in cases if c.find("failure") is not None) == [
            "conforms", "file:extra-column", "y_YYYYWW:missing-column"]
        assert len(cases) < 20
    else:
        data = report_to_json(report)
        jsonschema.Draft202012Validator(SCHEMA).validate(data)
        assert len(data["files"][0]["families"]["y_YYYYWW"]["counts"]["missing-column"]) == size
