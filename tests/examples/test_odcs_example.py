"""The bring-your-own-ODCS walkthrough (examples/odcs/) runs with its documented outcomes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "odcs"
BIN = Path(sys.executable).parent / "contractkit"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "COLUMNS": "400"},
                          cwd=REPO)


def test_good_file_conforms_and_broken_one_does_not() -> None:
    contract = EXAMPLE / "ordrer.odcs.yaml"
    good = run("validate", "-c", contract, EXAMPLE / "received" / "good" / "ordrer.csv")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "imported in memory" in good.stderr
    bad = run("validate", "-c", contract, EXAMPLE / "received" / "broken" / "ordrer.csv",
              "--format", "json")
    assert bad.returncode == 1
    codes = {f["code"] for x in json.loads(bad.stdout)["files"] for f in x["findings"]}
    assert codes == {"duplicate-key", "out-of-range", "not-allowed"}
    assert "b@example.org" not in bad.stdout  # a restricted column is masked


def test_import_gives_a_draft_lint_rejects_and_export_gives_the_document_back(
        tmp_path: Path) -> None:
    out = tmp_path / "webshop-ordrer.yaml"
    imported = run("import", "odcs", EXAMPLE / "ordrer.odcs.yaml", "-o", out)
    assert imported.returncode == 0, imported.stderr
    assert "  - legal_basis: " in imported.stderr
    assert "  - schema[0].quality[+]: " in imported.stderr  # the SQL rule, kept aside
    assert "# TODO(steward)" in out.read_text(encoding="utf-8")
    assert run("lint", out).returncode == 1
    back = run("export", "odcs", out, "--json")
    assert back.returncode == 0, back.stderr
    doc = json.loads(back.stdout)
    assert doc["roles"] == [{"role": "analytiker", "access": "read"}]
    assert doc["id"] == "webshop-ordrer"
    assert any(r.get("type") == "sql" for r in doc["schema"][0]["quality"])
