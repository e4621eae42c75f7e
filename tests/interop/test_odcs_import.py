"""Import of third-party ODCS documents: the corpus in odcs_corpus/ (written for these tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from contractkit.contract.models import ColumnType, CsvFormat, ParquetFormat
from contractkit.errors import ContractError
from contractkit.interop import contract_to_odcs, contract_to_yaml, odcs_problems
from contractkit.interop.odcs_import import import_odcs, load_odcs
from contractkit.loader import load_contract, load_contract_text
from contractkit.pipeline.ci import load_outbound

CORPUS = Path(__file__).parent / "odcs_corpus"
VALID = sorted(p for p in CORPUS.glob("*.odcs.yaml") if "invalid" not in p.name)
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "COLUMNS": "400"})


def contained(part: Any, whole: Any) -> bool:
    """Every field of ``part`` is in ``whole`` with the same value (list items anywhere)."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            k in whole and contained(v, whole[k]) for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(contained(x, y) for y in whole) for x in part)
    if isinstance(part, bool) or isinstance(whole, bool):
        return type(part) is type(whole) and part == whole
    return bool(part == whole)


def test_corpus_covers_both_v3_lines() -> None:
    versions = {load_odcs(p)[0]["apiVersion"] for p in VALID}
    assert {"v3.0.0", "v3.0.2", "v3.1.0"} <= versions


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_corpus_document_is_valid_for_its_version_imports_and_comes_back(path: Path) -> None:
    doc, positions = load_odcs(path)
    assert odcs_problems(doc) == []
    result = import_odcs(doc, path, positions)
    exported = json.loads(json.dumps(contract_to_odcs(result.contract)))
    assert odcs_problems(exported) == [], "the export is valid for the version it declares"
    assert contained(doc, exported), "export(import(d)) keeps every field of d"
    # the draft as YAML loads back to the same contract
    text = contract_to_yaml(result.contract)
    assert load_contract_text(text, path).contract == result.contract
    # importing the export again gives the same contract, and still keeps every field
    again = import_odcs(exported).contract
    assert again.model_copy(update={"odcs_extra": None}) == result.contract.model_copy(
        update={"odcs_extra": None})
    assert contained(doc, contract_to_odcs(again))


def test_dates_stay_text() -> None:
    doc, _ = load_odcs(CORPUS / "v3.0.0-team-list.odcs.yaml")
    assert doc["contractCreatedTs"] == "2024-02-01T08:30:00Z"
    assert doc["team"][1]["dateIn"] == "2024-01-15"


def test_v300_mapping() -> None:
    r = import_odcs(*_read("v3.0.0-team-list.odcs.yaml"))
    c = r.contract
    assert c.id == "kursus-tilmeldinger"
    assert c.version == "2.1.0"
    assert c.title == "Kursustilmeldinger"
    assert c.source_system == "uddannelse"
    assert c.description.startswith("Tilmeldinger")
    assert c.notes == "Kun afsluttede måneder."
    assert (c.owner, c.steward.name, c.steward.email) == (
        "Kari Nordmann", "Ole Olsen", "ole@example.org")
    assert c.cadence.frequency.value == "monthly"
    assert isinstance(c.format, CsvFormat)
    assert c.format.delimiter == ","
    t = c.tables[0]
    assert (t.name, t.file_pattern, t.description) == (
        "tilmeldinger", "tilmeldinger_{period}.csv", "En række pr. tilmelding.")
    assert t.primary_key == ["tilmelding_id"]
    assert t.row_count is not None
    assert (t.row_count.min, t.row_count.max) == (1, 100000)
    assert t.allow_extra_columns
    cols = {col.name: col for col in t.columns}
    assert cols["tilmelding_id"].type is ColumnType.INTEGER
    assert cols["tilmelding_id"].unique
    assert cols["tilmelding_id"].examples == [1001, 1002]
    assert cols["kursus_kode"].pattern == "^[A-Z]{2}[0-9]{3,6}$"
    assert cols["kursus_kode"].max_length == 8
    assert cols["kursus_kode"].allowed_values == ["AB123", "CD4567"]
    assert cols["kursus_kode"].description == "Kursets kode."
    assert cols["start_dato"].required  # nullCheck mustBe 0
    rng = cols["start_dato"].range
    assert rng is not None
    assert str(rng.min) == "2020-01-01"
    assert str(rng.max) == "2030-12-31"
    assert cols["deltager_navn"].personal.value == "direct"
    assert cols["deltager_navn"].pattern == r"^[\s\S]{2,}$"  # minLength
    assert (cols["pris"].type, cols["pris"].precision, cols["pris"].scale) == (
        ColumnType.DECIMAL, 9, 2)
    assert not cols["betalt"].unique  # duplicateCount < 5 is not "unique"
    assert any(p.startswith("schema[0].properties[5].quality") for p, _ in r.kept)
    assert "slaProperties" in [p for p, _ in r.kept]


def _read(name: str) -> tuple[dict[str, Any], Path, Any]:
    doc, positions = load_odcs(CORPUS / name)
    return doc, CORPUS / name, positions


def test_v302_mapping_and_what_is_kept_aside() -> None:
    r = import_odcs(*_read("v3.0.2-parquet-s3.odcs.yaml"))
    c = r.contract
    assert c.id.startswith("odcs-0b7c9a52")
    assert c.version == "3.0.0"
    assert isinstance(c.format, ParquetFormat)
    assert len(c.tables) == 1  # the topic has no properties: kept aside, not a table
    t = c.tables[0]
    assert t.file_pattern == "readings_table.parquet"
    assert "readings" in r.guessed_patterns
    cols = {col.name: col for col in t.columns}
    assert set(cols) == {"sensor_id", "measured", "value", "flags", "count"}
    assert cols["count"].type is ColumnType.INTEGER  # from physicalType alone
    assert cols["flags"].type is ColumnType.STRING  # an array is read as text
    kept = dict(r.kept)
    assert {"roles", "price", "schema"} <= kept.keys()
    assert {"owner", "steward", "cadence", "recipient", "legal_basis"} <= set(c.placeholders)
    assert c.odcs_extra is not None
    assert c.odcs_extra["id"] == "0b7c9a52-1e7f-4c7e-9a4e-2f0c1d9b8a77"


def test_v310_mapping() -> None:
    r = import_odcs(*_read("v3.1.0-two-tables.odcs.yaml"))
    c = r.contract
    assert isinstance(c.format, CsvFormat)
    assert c.format.delimiter == ";"
    assert c.cadence.frequency.value == "weekly"
    assert (c.owner, c.steward.name) == ("Ydelser", "Anna Hansen")
    borgere, udb = c.tables
    assert borgere.primary_key == ["borger_id", "kommune"]  # schema-level duplicateValues
    assert borgere.row_count is not None
    assert (borgere.row_count.min, borgere.row_count.max) == (10, 1000000)
    bcols = {col.name: col for col in borgere.columns}
    assert bcols["borger_id"].personal.value == "pseudonym"
    assert bcols["kommune"].range is not None
    assert bcols["kommune"].range.min == 101
    assert bcols["email"].pattern is not None  # format: email
    assert bcols["email"].personal.value == "quasi"  # unknown classification: masked
    assert udb.primary_key == ["udbetaling_id"]
    ucols = {col.name: col for col in udb.columns}
    assert ucols["udbetaling_id"].unique
    assert ucols["udbetaling_id"].required
    assert ucols["beloeb"].required
    assert ucols["beloeb"].type is ColumnType.DECIMAL
    assert ucols["udbetalt"].type is ColumnType.TIMESTAMP
    assert ucols["ydelse"].allowed_values == ["SU", "KH", "DP"]
    refs = {(tuple(r.columns), r.table, tuple(r.to_columns)) for r in udb.references}
    assert refs == {(("borger_id", "kommune"), "borgere", ("borger_id", "kommune")),
                    (("borger_id",), "borgere", ("borger_id",))}
    kept = [p for p, _ in r.kept]
    assert "schema[0].quality[+]" in kept  # the SQL rule
    assert "schema[1].properties[3].quality" in kept  # invalidValues list, custom engine
    assert "customProperties[+]" in kept
    assert "authoritativeDefinitions" in kept


def test_invalid_document_lists_every_problem_with_path_and_line() -> None:
    doc, path, positions = _read("v3.1.0-invalid.odcs.yaml")
    with pytest.raises(ContractError) as info:
        import_odcs(doc, path, positions)
    problems = {(p.loc, p.line) for p in info.value.problems}
    assert {("kind", 3), ("schema[0].properties[0].logicalType", 10),
            ("schema[0].properties[1]", 11)} <= problems
    assert any("status" in p.message for p in info.value.problems)


def test_cli_refuses_invalid_document_printing_every_problem() -> None:
    result = run("import", "odcs", CORPUS / "v3.1.0-invalid.odcs.yaml")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    assert "v3.1.0-invalid.odcs.yaml:10:9: schema[0].properties[0].logicalType" in result.stderr
    assert "more problem" not in result.stderr


def test_cli_import_writes_commented_draft_that_lint_rejects(tmp_path: Path) -> None:
    src = CORPUS / "v3.1.0-two-tables.odcs.yaml"
    before = src.read_bytes()
    out = tmp_path / "udbetalinger.yaml"
    result = run("import", "odcs", src, "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "# TODO(steward): the legal basis" in text
    assert "status: draft" in text
    for name in ("recipient", "legal_basis", "purpose", "scope", "direction", "personal_data"):
        assert f"  - {name}: " in result.stderr
    assert "  - schema[0].quality[+]: " in result.stderr
    assert src.read_bytes() == before
    lint = run("lint", out, "--format", "json")
    assert lint.returncode == 1
    codes = [(p["code"], p["loc"]) for f in json.loads(lint.stdout)["files"]
             for p in f["problems"]]
    assert ("draft-placeholder", "legal_basis") in codes
    assert ("draft-placeholder", "recipient") in codes
    # export odcs puts the third-party document back
    back = tmp_path / "back.odcs.json"
    exported = run("export", "odcs", out, "-o", back)
    assert exported.returncode == 0, exported.stderr
    assert contained(load_odcs(src)[0], json.loads(back.read_text(encoding="utf-8")))


def test_ci_refuses_a_folder_with_a_draft(tmp_path: Path) -> None:
    folder = tmp_path / "contracts"
    folder.mkdir()
    doc, path, positions = _read("v3.1.0-two-tables.odcs.yaml")
    (folder / "udbetalinger.yaml").write_text(
        contract_to_yaml(import_odcs(doc, path, positions).contract), encoding="utf-8")
    with pytest.raises(ContractError) as info:
        load_outbound(folder)
    assert {p.code for p in info.value.problems} == {"draft-contract"}


def _odcs_file(tmp_path: Path) -> Path:
    src = CORPUS / "v3.1.0-two-tables.odcs.yaml"
    target = tmp_path / "udbetalinger.odcs.yaml"
    target.write_bytes(src.read_bytes())
    return target


def _borgere(rows: list[dict[str, Any]], path: Path) -> Path:
    lines = ["borger_id;kommune;email"] + [f"{r['id']};{r['kommune']};{r['email']}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_with_an_odcs_contract(tmp_path: Path) -> None:
    contract = _odcs_file(tmp_path)
    good = _borgere([{"id": "a" * 64, "kommune": 101, "email": "x@example.org"},
                     {"id": "b" * 64, "kommune": 860, "email": "y@example.org"}],
                    tmp_path / "borgere_2024-W13.csv")
    # ten rows at least (rowCount); weekly period in the name
    rows = [{"id": f"{i:064x}", "kommune": 101 + i, "email": f"p{i}@example.org"}
            for i in range(12)]
    good = _borgere(rows, tmp_path / "borgere_2024-W13.csv")
    ok = run("validate", "-c", contract, good)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "imported in memory" in ok.stderr
    assert "legal_basis" in ok.stderr
    bad_rows = [*rows, {"id": "not-hex", "kommune": 99, "email": "nope"}]
    bad = _borgere(bad_rows, tmp_path / "borgere_2024-W14.csv")
    result = run("validate", "-c", contract, bad, "--format", "json")
    assert result.returncode == 1
    codes = {f["code"] for file in json.loads(result.stdout)["files"] for f in file["findings"]}
    assert {"pattern-mismatch", "out-of-range"} <= codes


def test_validate_parquet_with_an_odcs_contract_whose_file_name_odcs_does_not_state(
        tmp_path: Path) -> None:
    contract = CORPUS / "v3.0.2-parquet-s3.odcs.yaml"
    frame = pl.DataFrame({"sensor-id": ["s1"], "measured": [None], "value": [20.5],
                          "flags": ["a"], "count": [3]},
                         schema={"sensor-id": pl.String, "measured": pl.Date,
                                 "value": pl.Float64, "flags": pl.String, "count": pl.Int64})
    frame = frame.rename({"sensor-id": "sensor_id"})
    path = tmp_path / "some_delivery.parquet"
    frame.write_parquet(path)
    ok = run("validate", "-c", contract, path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    frame.with_columns(pl.lit(999.0).alias("value")).write_parquet(path)
    assert run("validate", "-c", contract, path).returncode == 1


def test_validate_with_an_invalid_odcs_contract_exits_2() -> None:
    result = run("validate", "-c", CORPUS / "v3.1.0-invalid.odcs.yaml", __file__)
    assert result.returncode == 2
    assert result.stderr.count("error:") == 4


def test_no_personal_value_in_validate_report_or_refusal(tmp_path: Path) -> None:
    cpr = "010190-1234"
    contract = tmp_path / "people.odcs.yaml"
    contract.write_text("\n".join([
        "apiVersion: v3.1.0", "kind: DataContract", "id: people", "version: 1.0.0",
        "status: active", "schema:", "  - name: people", "    properties:",
        "      - name: cpr", "        logicalType: string", "        classification: direct",
        "        logicalTypeOptions: {maxLength: 4}",
    ]) + "\n", encoding="utf-8")
    data = tmp_path / "people.csv"
    data.write_text(f"cpr\n{cpr}\n", encoding="utf-8")
    result = run("validate", "-c", contract, data, "--format", "json")
    assert result.returncode == 1
    assert cpr not in result.stdout + result.stderr
    refused = tmp_path / "refused.odcs.yaml"
    refused.write_text(contract.read_text(encoding="utf-8").replace(
        "logicalType: string", f"logicalType: '{cpr}'"), encoding="utf-8")
    result = run("import", "odcs", refused)
    assert result.returncode == 2
    assert cpr not in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["dst-ledighed", "su-styrelsen-su"])
def test_our_own_contracts_import_without_placeholders_or_extras(name: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    original = load_contract(repo / "contracts" / f"{name}.yaml").contract
    result = import_odcs(json.loads(json.dumps(contract_to_odcs(original))))
    assert result.contract == original
    assert result.placeholders == []
    assert result.kept == []
