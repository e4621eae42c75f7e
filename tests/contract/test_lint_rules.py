"""Lint: cross-references and governance rules give located findings with stable codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.lint import lint_paths

Write = Callable[..., Path]


def _codes(path: Path) -> list[tuple[str, str, int | None]]:
    report = lint_paths([path])
    return [(p.code, p.loc, p.line) for r in report.results for p in r.problems]


def test_base_contract_is_clean(write_contract: Write, base_text: str) -> None:
    report = lint_paths([write_contract(base_text)])
    assert report.ok
    assert report.results[0].problems == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # identifiable feed without a law paragraph
        ('references:\n      - {law: lov om Danmarks Statistik, paragraph: "6"}\n',
         "references: []\n",
         ("gov-identifiable-basis", "legal_basis", 11)),
        # statistical feed with a direct identifier, not pseudonymised
        ("purpose: administrative", "purpose: statistical",
         ("gov-statistical-identifier", "tables[0].columns[0].personal", 26)),
        # aggregated feed without minimum cell size (and the CPR column then also mismatches)
        ("personal_data: identifiable", "personal_data: aggregated",
         ("gov-aggregated-cell-size", "tables[0]", 19)),
        # CPR column not classified as a direct identifier
        ("        personal: direct\n", "",
         ("gov-unclassified-personal", "tables[0].columns[0].personal", 23)),
        # unknown code list
        ("codelist: kommuner", "codelist: komuner",
         ("unknown-codelist", "tables[0].columns[1].codelist", 29)),
        # key names a column that does not exist
        ("primary_key: [cpr]", "primary_key: [cpr, uge]",
         ("unknown-column", "tables[0].primary_key", 21)),
        # file pattern without the period
        ('file_pattern: "feed_{period}.csv"', 'file_pattern: "feed.csv"',
         ("file-pattern-period", "tables[0].file_pattern", 20)),
        # per-municipality scope without {kommune} and without a scope column
        ("scope: {kind: national}", "scope: {kind: per_municipality}",
         ("file-pattern-scope", "tables[0].file_pattern", 20)),
    ],
)
def test_each_rule_is_located(write_contract: Write, base_text: str, old: str, new: str,
                              expected: tuple[str, str, int]) -> None:
    assert old in base_text
    codes = _codes(write_contract(base_text.replace(old, new)))
    assert expected in codes


def test_cpr_exemption_allows_statistical_identifiable(write_contract: Write,
                                                       base_text: str) -> None:
    text = base_text.replace("purpose: administrative", "purpose: statistical").replace(
        "personal_data: identifiable",
        "personal_data: identifiable\ncpr_exemption: {basis: '§ 6', approved_by: Datatilsynet}",
    )
    assert lint_paths([write_contract(text)]).ok


def test_column_named_like_personal_data_must_be_classified(write_contract: Write,
                                                           base_text: str) -> None:
    text = base_text.replace(
        "      - name: timer\n",
        "      - name: telefon\n        type: string\n      - name: timer\n",
    )
    assert ("gov-unclassified-personal", "tables[0].columns[2].personal", 31) in _codes(
        write_contract(text))


def test_pseudonymised_feed_cannot_carry_cpr(write_contract: Write, base_text: str) -> None:
    text = base_text.replace("personal_data: identifiable", "personal_data: pseudonymised")
    codes = [c[0] for c in _codes(write_contract(text))]
    assert "gov-class-mismatch" in codes


def test_duplicate_ids_across_files(write_contract: Write, base_text: str) -> None:
    write_contract(base_text, "a.yaml")
    path = write_contract(base_text, "b.yaml")
    report = lint_paths([path.parent])
    assert [p.code for r in report.results for p in r.problems] == ["duplicate-id"]


def test_invalid_and_valid_contracts_reported_together(write_contract: Write,
                                                       base_text: str) -> None:
    write_contract(base_text, "good.yaml")
    write_contract("id: [\n", "bad.yaml")
    report = lint_paths([write_contract(base_text, "good.yaml").parent])
    assert [r.ok for r in report.results] == [False, True]
    assert not report.ok


def test_repository_contracts_are_clean(contracts_dir: Path) -> None:
    report = lint_paths([contracts_dir])
    problems = [str(p) for r in report.results for p in r.problems if p.severity == "error"]
    assert problems == []
    assert len(report.results) >= 1


def test_a_code_list_implied_by_a_semantic_type_must_be_found(tmp_path: Path,
                                                              base_text: str) -> None:
    # Issue 19: outside contracts/ lint said clean and validate then refused the contract.
    text = base_text.replace("        codelist: kommuner\n", "        semantic: kommune_kode\n")
    alone = tmp_path / "elsewhere" / "feed.yaml"
    alone.parent.mkdir()
    alone.write_text(text, encoding="utf-8")
    report = lint_paths([alone])
    assert not report.ok
    (problem,) = report.results[0].problems
    assert (problem.code, problem.loc, problem.line) == (
        "unknown-codelist", "tables[0].columns[1].semantic", 29)
    assert "'kommuner'" in problem.message
    assert "semantic: kommune_kode" in problem.message
    assert f"{alone.parent / 'codelists'} (no such folder)" in problem.message


def test_lint_and_validate_find_the_same_code_lists(tmp_path: Path, base_text: str) -> None:
    from contractkit.engine import validate_paths
    from contractkit.errors import CompileError
    from contractkit.loader import load_contract

    text = base_text.replace("        codelist: kommuner\n", "        semantic: kommune_kode\n")
    alone = tmp_path / "feed.yaml"
    alone.write_text(text, encoding="utf-8")
    data = tmp_path / "feed_2024-03.csv"
    data.write_bytes(b"cpr;kommune_kode;timer\n0101800001;101;1,5\n")
    with pytest.raises(CompileError, match="kommuner"):
        validate_paths(load_contract(alone), [data])
    assert not lint_paths([alone]).ok
    (tmp_path / "codelists").mkdir()
    source = Path(__file__).resolve().parents[2] / "contracts" / "codelists" / "kommuner.yaml"
    (tmp_path / "codelists" / "kommuner.yaml").write_bytes(source.read_bytes())
    assert lint_paths([alone]).ok
    assert validate_paths(load_contract(alone), [data]).ok


def test_outbound_contract_without_a_dbt_model_is_warned(tmp_path: Path, write_contract: Write,
                                                         base_text: str) -> None:
    # Issue 19: `ci` rejected a new outbound contract for a missing model lint did not foresee.
    (tmp_path / "dbt_project.yml").write_text("name: x\nmodel-paths: [\"models\"]\n")
    path = write_contract(base_text)
    (problem,) = lint_paths([path]).results[0].problems
    assert (problem.code, problem.severity, problem.loc) == ("no-dbt-model", "warning",
                                                             "tables[0].name")
    assert "test_feed__rows.sql" in problem.message
    assert lint_paths([path]).ok  # a warning: the model may come after the contract
    (tmp_path / "models" / "deliveries").mkdir(parents=True)
    (tmp_path / "models" / "deliveries" / "test_feed__rows.sql").write_text("select 1\n")
    assert lint_paths([path]).results[0].problems == []
    inbound = write_contract(base_text.replace("direction: outbound", "direction: inbound"),
                             "in.yaml")
    (tmp_path / "models" / "deliveries" / "test_feed__rows.sql").unlink()
    assert lint_paths([inbound]).results[0].problems == []


def test_lint_names_dbt_models_as_the_pipeline_does(contracts_dir: Path) -> None:
    from contractkit.dbt.generate import model_name
    from contractkit.lint import _model_name
    from contractkit.loader import discover_contract_files, load_contract

    for path in discover_contract_files([contracts_dir]):
        lc = load_contract(path)
        for t in lc.contract.tables:
            assert _model_name(lc.contract.id, t.name) == model_name(lc.contract.id, t.name)
