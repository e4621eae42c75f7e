"""Real JSON reports validate against the committed schema schemas/report.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from contractkit import load_contract
from contractkit.engine import validate_paths
from contractkit.report import Code, report_to_json

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


def test_schema_lists_every_code() -> None:
    from contractkit.delivery.verify import VerifyCode

    expected = {c.value for c in Code} | {c.value for c in VerifyCode}
    assert set(SCHEMA["$defs"]["code"]["enum"]) == expected


def test_real_reports_validate(tmp_path: Path) -> None:
    good = tmp_path / "dst_ledighed_2024-03.csv"
    good.write_text("cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem\n"
                    "010180-1234;101;111;2024-03;2024-W10;1;M;44;\n"
                    "320180-1234;999;111;2024-02;2024-W10;99;X;44;x\n"
                    "010180-1234;101;111;2024-03;2024-W10;1;M;44;\n", encoding="utf-8")
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02")
    report = validate_paths(load_contract(REPO / "contracts" / "dst-ledighed.yaml"),
                            [good, junk], max_examples=2)
    data = report_to_json(report)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["ok"] is False
    assert data["files"][1]["rows"] is None


def test_period_over_period_report_validates(tmp_path: Path) -> None:
    """A report judged against a baseline: comparison figures and notes fit the schema."""
    from contractkit.delivery.baseline import judge_report, load_baseline

    lc = load_contract(REPO / "contracts" / "dst-ledighed.yaml")
    header = "cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem\n"

    def write(period: str, rows: int, code: str) -> Path:
        folder = tmp_path / period
        folder.mkdir()
        path = folder / f"dst_ledighed_{period}.csv"
        path.write_text(header + "".join(
            f"0101{i % 80 + 10:02d}-{1000 + i};101;{code};{period};2024-W10;37;M;44;true\n"
            for i in range(600)[:rows]), encoding="utf-8")
        return path

    write("2024-02", 600, "111")
    current = write("2024-03", 300, "730")
    report = validate_paths(lc, [current], period="2024-03")
    judged, _ = judge_report(lc, report, [current], load_baseline(lc, tmp_path / "2024-02"),
                             period="2024-03")
    data = report_to_json(judged)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    codes = {f["code"] for f in data["files"][0]["findings"]}
    assert {"volume-change", "share-change"} <= codes
    assert data["notes"]
