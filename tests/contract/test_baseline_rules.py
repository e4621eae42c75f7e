"""The period-over-period rules of the contract language: schema bounds and lint rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.contract.jsonschema import contract_json_schema
from contractkit.errors import ContractError
from contractkit.lint import lint_paths
from contractkit.loader import load_contract

Write = Callable[..., Path]

EXTRA = """\
      - {name: ydelse_kode, type: string, codelist: ydelser}
      - {name: alder, type: integer, personal: quasi}
      - {name: note, type: string, required: false}
"""
CLEAN = """\
    baseline:
      description: Starting values.
      row_count:
        - {min_change_pct: -30, max_change_pct: 40, min_rows: 10}
      shares:
        - {column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}
      shifts:
        - {column: timer, statistic: p50, min_change_pct: -10, max_change_pct: 10}
        - {column: alder, statistic: mean, max_change_pct: 5, severity: warning}
"""


def _text(base_text: str, baseline: str = CLEAN) -> str:
    return base_text + EXTRA + baseline


def _problems(path: Path) -> list[tuple[str, str, str]]:
    report = lint_paths([path])
    return [(p.code, p.loc, p.severity) for r in report.results for p in r.problems]


def test_clean_baseline_lints_clean(write_contract: Write, base_text: str) -> None:
    path = write_contract(_text(base_text))
    assert _problems(path) == []
    table = load_contract(path).contract.tables[0]
    assert table.baseline is not None
    assert table.baseline.share_columns == ["ydelse_kode"]
    assert table.baseline.shift_columns == ["timer", "alder"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("{min_change_pct: -30, max_change_pct: 40, min_rows: 10}",
         "{min_change_pct: 20, max_change_pct: 10}",
         ("baseline-bounds", "tables[0].baseline.row_count[0]", "error")),
        ("{min_change_pct: -30, max_change_pct: 40, min_rows: 10}",
         "{min_change_pct: 5, max_change_pct: 40}",
         ("baseline-bounds", "tables[0].baseline.row_count[0]", "error")),
        ("{min_change_pct: -30, max_change_pct: 40, min_rows: 10}", "{min_rows: 10}",
         ("baseline-bounds", "tables[0].baseline.row_count[0]", "warning")),
        ("{column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}",
         "{column: ydelse, max_change_points: 5}",
         ("unknown-column", "tables[0].baseline.shares[0].column", "error")),
        ("{column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}",
         "{column: note, max_change_points: 5}",
         ("baseline-column", "tables[0].baseline.shares[0].column", "error")),
        ("{column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}",
         "{column: kommune_kode, max_change_points: 5}",
         ("baseline-personal", "tables[0].baseline.shares[0].column", "error")),
        ("{column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}",
         "{column: cpr, max_change_points: 5}",
         ("baseline-personal", "tables[0].baseline.shares[0].column", "error")),
        ("{column: ydelse_kode, max_change_points: 5, no_code_vanishes: true}",
         "{column: ydelse_kode}",
         ("baseline-bounds", "tables[0].baseline.shares[0]", "warning")),
        ("{column: timer, statistic: p50, min_change_pct: -10, max_change_pct: 10}",
         "{column: ydelse_kode, max_change_pct: 10}",
         ("baseline-column", "tables[0].baseline.shifts[0].column", "error")),
        ("{column: alder, statistic: mean, max_change_pct: 5, severity: warning}",
         "{column: alder, statistic: p90, max_change_pct: 5}",
         ("baseline-personal", "tables[0].baseline.shifts[1].statistic", "error")),
        ("{column: timer, statistic: p50, min_change_pct: -10, max_change_pct: 10}",
         "{column: timer, min_change_pct: 10, max_change_pct: -10}",
         ("baseline-bounds", "tables[0].baseline.shifts[0]", "error")),
    ],
)
def test_lint_finds_insane_rules(write_contract: Write, base_text: str, old: str, new: str,
                                 expected: tuple[str, str, str]) -> None:
    assert old in CLEAN
    assert expected in _problems(write_contract(_text(base_text, CLEAN.replace(old, new))))


@pytest.mark.parametrize(("old", "new"), [
    ("max_change_points: 5", "max_change_points: 101"),
    ("max_change_points: 5", "max_change_points: -1"),
    ("min_change_pct: -30", "min_change_pct: -101"),
    ("min_rows: 10", "min_rows: -1"),
    ("severity: warning", "severity: fatal"),
    ("statistic: p50", "statistic: p99"),
])
def test_out_of_range_values_are_located_contract_errors(write_contract: Write, base_text: str,
                                                         old: str, new: str) -> None:
    path = write_contract(_text(base_text, CLEAN.replace(old, new)))
    with pytest.raises(ContractError) as exc:
        load_contract(path)
    [problem] = exc.value.problems
    assert problem.loc.startswith("tables[0].baseline.")
    assert problem.line is not None
    assert not lint_paths([path]).ok


def test_json_schema_documents_the_rules() -> None:
    defs = contract_json_schema()["$defs"]
    share = defs["ShareRule"]["properties"]["max_change_points"]
    assert share["anyOf"][0]["minimum"] == 0
    assert share["anyOf"][0]["maximum"] == 100
    assert "baseline" in defs["Table"]["properties"]


def test_repository_contracts_with_baseline_rules_lint_clean(contracts_dir: Path) -> None:
    with_rules = []
    for path in sorted(contracts_dir.glob("*.yaml")):
        lc = load_contract(path)
        if any(t.baseline is not None for t in lc.contract.tables):
            with_rules.append(lc.contract.id)
            assert lint_paths([path]).ok, path
    assert {"dst-ledighed", "dst-forsorgelse", "udk-kontanthjaelp-sygedagpenge",
            "samtaletidspunkter-kommuner"} <= set(with_rules)
