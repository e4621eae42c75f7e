"""Lint of column families: shape errors from the model and the table-wide cross-checks
come back located (file, line, dotted path) with stable codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from contractkit.contract.family_checks import check_families
from contractkit.contract.models import Frequency, Table
from contractkit.lint import lint_paths

Write = Callable[..., Path]

FAMILIES = """\
    column_families:
      - template: "y_{YYWW}"
        first: "1991-W27"
        type: string
        required: false
        codelist: ydelser
      - template: "grad_{YYYY_MM}"
        first: "2008-01"
        type: integer
        required: false
"""


def _with_families(base_text: str, families: str = FAMILIES) -> str:
    return base_text.replace("    columns:\n", families + "    columns:\n", 1)


def _problems(path: Path) -> list[tuple[str, str, int | None]]:
    report = lint_paths([path])
    return [(p.code, p.loc, p.line) for r in report.results for p in r.problems]


def test_families_are_clean(write_contract: Write, base_text: str) -> None:
    assert _problems(write_contract(_with_families(base_text))) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # two time tokens: the model says so, located at the template's line
        ('template: "y_{YYWW}"', 'template: "y_{YYWW}_{YYYY_MM}"',
         ("invalid-value", "tables[0].column_families[0].template", 23)),
        # no such ISO week
        ('first: "1991-W27"', 'first: "1991-W54"',
         ("invalid-value", "tables[0].column_families[0]", 23)),
        # a month label for a week token
        ('first: "1991-W27"', 'first: "1991-07"',
         ("invalid-value", "tables[0].column_families[0]", 23)),
        # two-digit years from 1920 repeat by now
        ('first: "1991-W27"', 'first: "1920-W01"',
         ("family-year-span", "tables[0].column_families[0].template", 23)),
        # first week after today's period: no member at all
        ('first: "1991-W27"', 'first: "2999-W01"',
         ("family-empty", "tables[0].column_families[0].first", 24)),
        # unknown code list
        ("codelist: ydelser", "codelist: ydelse",
         ("unknown-codelist", "tables[0].column_families[0].codelist", 27)),
        # a plain column the template makes
        ("      - name: timer\n", "      - name: y_0101\n",
         ("family-collision", "tables[0].column_families[0].template", 23)),
        # two families that make the same names
        ('template: "grad_{YYYY_MM}"\n        first: "2008-01"',
         'template: "y_{YYWW}"\n        first: "2008-W01"',
         ("family-collision", "tables[0].column_families[1].template", 28)),
        # a period the engine cannot learn from the file name
        ('file_pattern: "feed_{period}.csv"', 'file_pattern: "feed.csv"',
         ("family-period", "tables[0].column_families", 22)),
        # a key that names a member
        ("primary_key: [cpr]", "primary_key: [cpr, y_2410]",
         ("family-member-reference", "tables[0].primary_key", 21)),
        # a period column that names a member
        ("primary_key: [cpr]", "primary_key: [cpr]\n    period_column: grad_2024_03",
         ("family-member-reference", "tables[0].period_column", 22)),
    ],
)
def test_each_family_rule_is_located(write_contract: Write, base_text: str, old: str, new: str,
                                     expected: tuple[str, str, int]) -> None:
    text = _with_families(base_text)
    assert old in text
    problems = _problems(write_contract(text.replace(old, new)))
    assert expected in problems, problems


def test_year_span_is_judged_for_the_given_day() -> None:
    table = Table.model_validate({
        "name": "t", "file_pattern": "t_{period}.csv",
        "columns": [{"name": "id", "type": "integer"}],
        "column_families": [{"template": "y_{YYWW}", "first": "1991-W27", "type": "string"}]})
    assert [i.code for i in check_families(table, ("tables", 0), Frequency.MONTHLY,
                                           date(2090, 12, 1), ())] == []
    issues = list(check_families(table, ("tables", 0), Frequency.MONTHLY, date(2091, 7, 15), ()))
    assert [i.code for i in issues] == ["family-year-span"]
    assert "2091-W" in issues[0].message


def test_families_with_different_templates_can_still_collide() -> None:
    table = Table.model_validate({
        "name": "t", "file_pattern": "t_{period}.csv",
        "columns": [{"name": "id", "type": "integer"}],
        "column_families": [
            {"template": "x_{YYYYWW}", "first": "2020-W01", "type": "string"},
            {"template": "x_{YYYYMM}", "first": "2020-01", "type": "string"},
            {"template": "z_{YYYYMM}", "first": "2020-01", "type": "string"}]})
    issues = list(check_families(table, ("tables", 0), Frequency.MONTHLY, date(2024, 3, 1), ()))
    assert [(i.code, i.loc) for i in issues] == [
        ("family-collision", ("tables", 0, "column_families", 1, "template"))]


def test_readme_example_is_a_valid_table() -> None:
    from ruamel.yaml import YAML

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Column families"):]
    block = section[section.index("```yaml\n") + 8: section.index("```", section.index(
        "```yaml\n") + 8)]
    table = Table.model_validate(YAML(typ="safe", pure=True).load(block)["tables"][0])
    from contractkit.contract.periods import parse_period

    expanded = table.for_period(parse_period(Frequency.MONTHLY, "2024-03"))
    names = expanded.column_names
    assert names[:3] == ["pnr", "y_9127", "y_9128"]
    assert "y_2413" in names
    assert "y_2414" not in names
    assert names[-1] == "grad_2024_02"
    assert not list(check_families(table, ("tables", 0), Frequency.MONTHLY, date(2024, 3, 1),
                                   ("ydelser",)))


def test_governance_applies_to_families(write_contract: Write, base_text: str) -> None:
    direct = FAMILIES + "        personal: direct\n"  # on grad_YYYY_MM
    text = _with_families(base_text, direct).replace("purpose: administrative",
                                                     "purpose: statistical")
    problems = _problems(write_contract(text))
    assert ("gov-statistical-identifier", "tables[0].column_families[1].personal", 32) in problems
    pseudo = text.replace("personal_data: identifiable", "personal_data: pseudonymised")
    assert ("gov-class-mismatch", "tables[0].column_families[1].personal", 32) in _problems(
        write_contract(pseudo))
