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
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def _clean_file(tmp_path: Path) -> Path:
    sample = tmp_path / "dst_ledighed_2024-03.csv"
    sample.write_text("cpr;kommune_kode;ydelse_kode;periode;uge;timer;koen;alder;akasse_medlem\n"
                      "010180-1234;101;111;2024-03;2024-W10;37,00;M;44;true\n"
                      "020280-2345;0147;651;2024-03;2024-W11;12,5;K;44;\n", encoding="utf-8")
    return sample


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


def test_validate_of_a_clean_file_loads_only_what_it_uses(tmp_path: Path) -> None:
    # start-up is mostly imports: a clean CSV judged by a contract YAML, reported as text,
    # needs no ODCS code, no other report format, no delivery manifest, no progress bar and
    # no pandera (it builds examples of failing rows only)
    loaded = _modules("validate", "-c", "contracts/dst-ledighed.yaml", str(_clean_file(tmp_path)))
    assert "contractkit.report.text" in loaded
    unused = {"contractkit.interop.odcs_import", "contractkit.interop.odcs_export",
              "contractkit.interop.odcs_schema", "contractkit.interop.tableschema",
              "contractkit.report.junit", "contractkit.report.json_report",
              "contractkit.delivery", "rich.progress", "pandera", "pandas", "xml.etree"}
    assert loaded.isdisjoint(unused), loaded & unused


def test_each_format_loads_its_own_renderer(tmp_path: Path) -> None:
    sample = _clean_file(tmp_path)
    for fmt, renderer, other in (("json", "contractkit.report.json_report", "junit"),
                                 ("junit", "contractkit.report.junit", "json_report")):
        loaded = _modules("validate", "-c", "contracts/dst-ledighed.yaml", str(sample),
                          "--format", fmt)
        assert renderer in loaded
        assert f"contractkit.report.{other}" not in loaded
        assert "contractkit.report.text" not in loaded


def test_validate_builds_examples_with_pandera_without_importing_pandas(tmp_path: Path) -> None:
    # the command line owns its process: pandera is imported with its polars API only
    # (contractkit.engine.pandera_import), and the examples still come from pandera
    sample = _clean_file(tmp_path)
    text = sample.read_text(encoding="utf-8").replace(";44;true", ";144;true")
    planted = "310280-1234"  # a bad CPR number (no 31 February): an example of its own
    sample.write_text(text.replace("020280-2345", planted), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _PROBE, "validate", "-c",
                           "contracts/dst-ledighed.yaml", str(sample), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    report = json.loads(proc.stdout)
    found = [(f["row"], f["column"], f["code"]) for f in report["files"][0]["findings"]]
    assert sorted(found) == [(1, "alder", "out-of-range"), (2, "cpr", "bad-cpr")]
    assert planted not in proc.stdout + proc.stderr  # masked in the example
    assert "3102801234" not in proc.stdout + proc.stderr
    assert "pandera.polars" in loaded
    assert not {m.split(".")[0] for m in loaded} & {"pandas", "pyspark"}


def test_a_library_caller_keeps_pandas_api_of_pandera(tmp_path: Path) -> None:
    # only the command line hides pandas from pandera's import: a program calling
    # contractkit and then pandera's pandas API must find it
    sample = _clean_file(tmp_path)
    sample.write_text(sample.read_text(encoding="utf-8").replace(";44;true", ";144;true"),
                      encoding="utf-8")
    code = ("import sys; from contractkit import load_contract; "
            "from contractkit.engine import validate_paths; "
            "rep = validate_paths(load_contract('contracts/dst-ledighed.yaml'), [sys.argv[1]]); "
            "import pandera; print(rep.files[0].counts, hasattr(pandera, 'DataFrameSchema'))")
    out = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120, check=True).stdout
    assert out.split() == ["{'out-of-range':", "1}", "True"]


def test_pandera_is_imported_as_usual_when_it_needs_what_is_hidden() -> None:
    # should a pandera release need pandas (or anything hidden) for its polars API, the
    # command line falls back to the ordinary import rather than fail
    code = ("import sys; from contractkit import _process; _process.claim(); "
            "from contractkit.engine import pandera_import as pi; "
            "pi._HIDDEN = (*pi._HIDDEN, 'pandera'); pi.import_pandera(); "
            "import pandera; print(hasattr(pandera, 'DataFrameSchema'), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=True).stdout
    assert out.split() == ["True", "True"]
