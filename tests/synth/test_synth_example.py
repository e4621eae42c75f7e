"""examples/synth/README.md runs as documented: every ``$ contractkit`` line, in order."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "examples" / "synth" / "README.md"
BIN = Path(sys.executable).parent / "contractkit"
EXPECTED_EXIT = [0, 0, 0, 1]


def commands() -> list[list[str]]:
    lines = README.read_text(encoding="utf-8").splitlines()
    return [shlex.split(line[2:]) for line in lines if line.startswith("$ contractkit ")]


@pytest.mark.slow
def test_readme_commands_have_their_documented_outcome(tmp_path: Path) -> None:
    cmds = commands()
    assert len(cmds) == len(EXPECTED_EXIT)
    outputs = []
    for cmd, expected in zip(cmds, EXPECTED_EXIT, strict=True):
        # Outputs go to tmp_path: relative "sample"/"broken" resolve there; contracts to REPO.
        args = [str(REPO / a) if a.startswith("contracts/") else a for a in cmd[1:]]
        result = subprocess.run([str(BIN), *args], cwd=tmp_path, capture_output=True, text=True,
                                timeout=120, check=False, env={**os.environ, "COLUMNS": "200"})
        assert result.returncode == expected, result.stdout + result.stderr
        outputs.append(result.stdout)
    assert (tmp_path / "sample" / "dream_751_2024-03.csv").is_file()
    assert "out-of-scope" in outputs[3]
    as_json = subprocess.run(
        [str(BIN), "validate", "-c", str(REPO / "contracts" / "dream-kommuner.yaml"),
         "broken/dream_751_2024-03.csv", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert as_json.returncode == 1
    (report,) = json.loads(as_json.stdout)["files"]
    assert {k: v for k, v in report["counts"].items() if v} == {"out-of-scope": 1}
    documented = README.read_text(encoding="utf-8")
    assert outputs[0].strip() in documented
    assert outputs[2].strip() in documented
