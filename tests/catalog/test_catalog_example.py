"""examples/catalog/README.md: its commands run with the outcomes the README states."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from contractkit.interop import odcs_problems
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "catalog"
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=cwd,
                          env={**os.environ, "COLUMNS": "400"})


def test_register_with_example_deliveries(tmp_path: Path) -> None:
    out = tmp_path / "register"
    result = run("catalog", REPO / "contracts", "-o", out, "--deliveries",
                 EXAMPLE / "deliveries", cwd=REPO)
    assert result.returncode == 0, result.stderr
    n = len(list((REPO / "contracts").glob("*.yaml")))
    assert re.search(rf"\b{n} feed\(s\), {2 * n + 2} file\(s\) written", result.stdout)
    dst = (out / "feeds" / "dst-ledighed.html").read_text(encoding="utf-8")
    rows = re.findall(r'data-period="([^"]+)" data-status="([^"]+)"', dst)
    assert rows == [("2024-03", "released"), ("2024-02", "rejected")]
    assert "<code>not-in-codelist</code> 3" in dst
    dream = (out / "feeds" / "dream-kommuner.html").read_text(encoding="utf-8")
    latest = re.search(r'data-period="2024-03".*?</tr>', dream, re.S)
    assert latest is not None
    assert "<td>2</td><td>62439</td>" in latest.group(0)  # two files, their rows summed
    assert (out / "index.md").is_file()


def test_odcs_round_trip_as_documented(tmp_path: Path) -> None:
    src = REPO / "contracts" / "dst-ledighed.yaml"
    first = run("export", "odcs", src, "-o", "dst-ledighed.odcs.yaml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = run("import", "odcs", "dst-ledighed.odcs.yaml", "-o",
                 "dst-ledighed.roundtrip.yaml", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert load_contract(tmp_path / "dst-ledighed.roundtrip.yaml").contract == load_contract(
        src).contract
    as_json = run("export", "odcs", src, "-o", "c.json", cwd=tmp_path)
    assert as_json.returncode == 0
    assert odcs_problems(json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))) == []


def test_table_schema_as_documented(tmp_path: Path) -> None:
    one = run("export", "tableschema", REPO / "contracts" / "dst-ledighed.yaml", "-o",
              "dst-ledighed.schema.json", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    schema = json.loads((tmp_path / "dst-ledighed.schema.json").read_text(encoding="utf-8"))
    kommune = next(f for f in schema["fields"] if f["name"] == "kommune_kode")
    assert len(kommune["constraints"]["enum"]) == 98
    udk = REPO / "contracts" / "udk-kontanthjaelp-sygedagpenge.yaml"
    package = run("export", "tableschema", udk, cwd=tmp_path)
    assert json.loads(package.stdout)["profile"] == "tabular-data-package"
    table = run("export", "tableschema", udk, "--table", "modtagere", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "fields" in json.loads(table.stdout)
