"""`import contractkit` stays light: no dbt, duckdb, hypothesis, pandera, polars or pyspark."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("dbt", "duckdb", "hypothesis", "pandera", "polars", "pandas", "pyspark", "py4j")


def test_import_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys, json, contractkit, contractkit.cli; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    loaded = set(json.loads(out))
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_the_python_api_does_not_load_the_command_line() -> None:
    # the report renderers load on first use: `import contractkit` has no rich nor typer
    code = "import sys, json, contractkit; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    loaded = {m.split(".")[0] for m in json.loads(out)}
    assert loaded.isdisjoint({"rich", "typer", "numpy"}), loaded & {"rich", "typer", "numpy"}
