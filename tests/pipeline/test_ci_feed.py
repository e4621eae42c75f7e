"""``contractkit ci --feed ID`` runs only the chosen feeds (issue 19, point 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractkit.cli import main

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _ci(tmp_path: Path, warehouse: Path, *extra: str) -> list[str]:
    return ["ci", "--period", "2024-03", "--warehouse", str(warehouse),
            "--out", str(tmp_path / "deliveries"), "--project-dir", str(REPO),
            "--contracts", str(REPO / "contracts"), "--target-dir", str(tmp_path / "target"),
            *extra]


def test_ci_runs_one_chosen_feed(built_warehouse: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(_ci(tmp_path, built_warehouse, "--feed", "dst-ledighed", "--format", "json"))
    captured = capsys.readouterr()
    text = captured.out
    assert exc.value.code == 0, captured.err + text
    (feed,) = json.loads(text)["feeds"]
    assert (feed["feed"], feed["status"]) == ("dst-ledighed", "released")
    built = sorted(p.name for p in (tmp_path / "deliveries").iterdir() if p.is_dir())
    assert built == ["dst-ledighed"]


def test_ci_unknown_feed_is_a_bad_argument(built_warehouse: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(_ci(tmp_path, built_warehouse, "--feed", "dst-ledighe"))
    assert exc.value.code == 2
    assert "dst-ledighed" in capsys.readouterr().err
