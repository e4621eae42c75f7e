"""``contractkit CMD`` imports only CMD's module: a recipient's ``validate`` does not load
the catalog, diff, dbt or ODCS code (start-up is mostly imports); ``--help`` lists all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_PROBE = """
import json, sys
from contractkit.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("contractkit"))), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_validate_loads_no_other_command(tmp_path: Path) -> None:
    sample = tmp_path / "dst_ledighed_2024-03.csv"
    sample.write_text("cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem\n",
                      encoding="utf-8")
    loaded = _modules("validate", "-c", "contracts/dst-ledighed.yaml", str(sample))
    assert "contractkit.cli.validate_cmd" in loaded
    for other in ("contractkit.cli.lint_cmd", "contractkit.cli.catalog_cmd",
                  "contractkit.cli.ci_cmd", "contractkit.catalog", "contractkit.diff",
                  "contractkit.pipeline", "contractkit.dbt", "contractkit.synth"):
        assert other not in loaded, other


def test_help_lists_every_command() -> None:
    proc = subprocess.run([sys.executable, "-c", "from contractkit.cli import main; main()",
                           "-h"], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          check=False, env={"COLUMNS": "200", "PATH": ""})
    assert proc.returncode == 0
    for command in ("lint", "schema", "validate", "diff", "catalog", "synth", "ci", "verify",
                    "status", "extract", "new", "export", "import", "dbt", "warehouse"):
        assert f"\n  {command} " in proc.stdout, command
