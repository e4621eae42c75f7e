"""Generated dbt YAML from contracts, its staleness check, drift, and message sanitising."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from contractkit.cli import main
from contractkit.dbt.drift import find_drift, read_manifest_models
from contractkit.dbt.generate import GENERATED_HEADER, ROUTE_COLUMN
from contractkit.dbt.runner import DbtSettings, run_dbt, sanitise_message
from contractkit.pipeline.ci import load_outbound

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str | Path) -> int:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    return int(exc.value.code or 0)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the dbt project and the contracts."""
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(REPO / name, tmp_path / name)
    for name in ("models", "macros", "contracts"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def _models(path: Path) -> dict[str, dict[str, object]]:
    doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return {m["name"]: m for m in doc["models"]}


def test_repo_generated_files_are_up_to_date() -> None:
    assert cli("dbt", "generate", "--check", "--contracts", REPO / "contracts",
               "--project-dir", REPO) == 0


def test_generated_model_contract(project: Path) -> None:
    text = (project / "models/deliveries/_dst-ledighed.contract.yml").read_text(encoding="utf-8")
    assert text.startswith(GENERATED_HEADER)
    model = _models(project / "models/deliveries/_dst-ledighed.contract.yml")[
        "dst_ledighed__ledighed"]
    config = model["config"]
    assert config["contract"] == {"enforced": True}  # type: ignore[index]
    assert config["materialized"] == "table"  # type: ignore[index]
    assert model["constraints"] == [{"type": "primary_key", "columns": ["cpr", "uge"]}]
    cols = {c["name"]: c for c in model["columns"]}  # type: ignore[attr-defined]
    assert cols["timer"]["data_type"] == "decimal(5,2)"
    assert cols["kommune_kode"]["data_type"] == "integer"
    assert cols["cpr"]["constraints"] == [{"type": "not_null"}]
    assert "constraints" not in cols["akasse_medlem"]
    accepted = cols["ydelse_kode"]["data_tests"][0]["accepted_values"]["arguments"]
    assert "111" in accepted["values"]
    kommune = cols["kommune_kode"]["data_tests"][0]["accepted_values"]["arguments"]
    assert 101 in kommune["values"]
    assert kommune["quote"] is False
    assert cols["koen"]["data_tests"][0]["accepted_values"]["arguments"]["values"] == ["K", "M"]


def test_relationships_and_routing_column(project: Path) -> None:
    udk = _models(project / "models/deliveries/_udk-kontanthjaelp-sygedagpenge.contract.yml")
    tilbud = {c["name"]: c for c in udk["udk_kontanthjaelp_sygedagpenge__tilbud"]["columns"]}  # type: ignore[attr-defined]
    rel = next(t for t in tilbud["cpr"]["data_tests"] if "relationships" in t)
    assert rel["relationships"]["arguments"] == {
        "to": "ref('udk_kontanthjaelp_sygedagpenge__modtagere')", "field": "cpr"}
    dream = _models(project / "models/deliveries/_dream-kommuner.contract.yml")
    names = [c["name"] for c in dream["dream_kommuner__dream"]["columns"]]  # type: ignore[attr-defined]
    assert names[-1] == ROUTE_COLUMN
    stil = _models(project / "models/deliveries/_dream-stil.contract.yml")
    assert ROUTE_COLUMN not in [c["name"] for c in stil["dream_stil__dream"]["columns"]]  # type: ignore[attr-defined]


def test_check_fails_when_stale_and_generate_fixes_it(project: Path) -> None:
    contract = project / "contracts/dst-ledighed.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace(
        "range: {min: 16, max: 80}", "range: {min: 15, max: 80}"), encoding="utf-8")
    orphan = project / "models/deliveries/_gone.contract.yml"
    orphan.write_text(GENERATED_HEADER + "\nversion: 2\n", encoding="utf-8")
    hand_written = project / "models/deliveries/_unit_tests.yml"
    hand_written.write_text("version: 2\n", encoding="utf-8")
    args = ("--contracts", project / "contracts", "--project-dir", project)
    assert cli("dbt", "generate", "--check", *args) == 1
    assert cli("dbt", "generate", *args) == 0
    assert cli("dbt", "generate", "--check", *args) == 0
    assert not orphan.exists()
    assert hand_written.exists()


@pytest.mark.slow
def test_drift_against_a_parsed_manifest(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    run_dbt(["parse"], DbtSettings(project, project, tmp_path / "none.duckdb", target))
    contracts, _ = load_outbound(project / "contracts")
    models = read_manifest_models(target / "manifest.json")
    assert find_drift(contracts, models) == []
    assert cli("dbt", "drift", "--contracts", project / "contracts", "--project-dir", project,
               "--manifest", target / "manifest.json") == 0
    data = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    node = data["nodes"]["model.contractkit_dsdw.dst_ledighed__ledighed"]
    del node["columns"]["alder"]
    node["columns"]["timer"]["data_type"] = "double"
    (target / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    kinds = {(d.model, d.column, d.kind) for d in find_drift(
        contracts, read_manifest_models(target / "manifest.json"))}
    assert kinds == {("dst_ledighed__ledighed", "alder", "missing-column"),
                     ("dst_ledighed__ledighed", "timer", "type-mismatch")}
    assert cli("dbt", "drift", "--contracts", project / "contracts", "--project-dir", project,
               "--manifest", target / "manifest.json") == 1
    assert cli("dbt", "drift", "--contracts", project / "contracts", "--project-dir", project,
               "--manifest", tmp_path / "missing.json") == 2


def test_dbt_messages_never_carry_values() -> None:
    rule, text = sanitise_message(
        'Constraint Error: Duplicate key "cpr: 010203-1234, uge: 2024-W10" violates primary key')
    assert rule == "dbt:primary_key"
    assert "010203" not in text
    rule, text = sanitise_message("Runtime Error: Conversion Error: '0102031234' is not a date")
    assert rule == "dbt:error"
    assert "0102031234" not in text
    rule, _ = sanitise_message("NOT NULL constraint failed: dst_ledighed__ledighed.cpr")
    assert rule == "dbt:not_null"


def test_a_column_family_gets_a_long_model_that_does_not_grow(project: Path) -> None:
    """DREAM's y_YYWW is delivered through a long model (person × week): its generated YAML
    names no member, so the next period changes nothing."""
    path = project / "models/deliveries/_dream-kommuner.contract.yml"
    text = path.read_text(encoding="utf-8")
    models = _models(path)
    assert list(models) == ["dream_kommuner__dream", "dream_kommuner__dream__y",
                            "dream_kommuner__dream__branche", "dream_kommuner__dream__grad"]
    base = [c["name"] for c in models["dream_kommuner__dream"]["columns"]]  # type: ignore[attr-defined]
    assert base == ["cpr", "kommune_kode", "koen", "alder", ROUTE_COLUMN]
    weeks = models["dream_kommuner__dream__y"]
    assert weeks["constraints"] == [{"type": "primary_key", "columns": ["cpr", "uge"]}]
    cols = {c["name"]: c for c in weeks["columns"]}  # type: ignore[attr-defined]
    assert list(cols) == ["cpr", "uge", "y"]
    assert cols["y"]["constraints"] == [{"type": "not_null"}]  # an empty week has no row
    assert "111" in cols["y"]["data_tests"][0]["accepted_values"]["arguments"]["values"]
    assert cols["cpr"]["data_tests"] == [{"relationships": {"arguments": {
        "to": "ref('dream_kommuner__dream')", "field": "cpr"}}}]
    grad = {c["name"]: c for c in models["dream_kommuner__dream__grad"]["columns"]}  # type: ignore[attr-defined]
    assert grad["grad"]["data_type"] == "integer"
    assert "maaned" in grad
    assert not re.search(r"\by_\d{4}\b|grad_\d{4}_\d{2}", text)
    stil = _models(project / "models/deliveries/_dream-stil.contract.yml")
    assert [c["name"] for c in stil["dream_stil__dream__y"]["columns"]] == [  # type: ignore[attr-defined]
        "pnr_pseudonym", "uge", "y"]


@pytest.mark.slow
def test_drift_finds_a_missing_family_model(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    (project / "models/deliveries/dream_stil__dream__grad.sql").unlink()
    run_dbt(["parse"], DbtSettings(project, project, tmp_path / "none.duckdb", target))
    contracts, _ = load_outbound(project / "contracts")
    drift = find_drift(contracts, read_manifest_models(target / "manifest.json"))
    assert [(d.model, d.kind) for d in drift] == [("dream_stil__dream__grad", "missing-model")]
