"""The YAML loader: valid contracts load; every problem is located; unsafe YAML is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.errors import ContractError, UsageError
from contractkit.loader import MAX_BYTES, load_codelists, load_contract, load_contract_text


def test_valid_contract_loads_with_positions(base_text: str, tmp_path: Path) -> None:
    lc = load_contract_text(base_text, tmp_path / "f.yaml")
    assert lc.contract.id == "test-feed"
    assert lc.contract.semver == (1, 2, 3)
    assert lc.positions[("tables", 0, "columns", 2, "range")] == (35, 9)
    assert len(lc.sha256) == 64


def _problems(text: str, tmp_path: Path) -> list[tuple[str, int | None, str]]:
    with pytest.raises(ContractError) as info:
        load_contract_text(text, tmp_path / "c.yaml")
    return [(p.code, p.line, p.loc) for p in info.value.problems]


def test_wrong_type_is_located_at_the_value(base_text: str, tmp_path: Path) -> None:
    text = base_text.replace("type: integer", "type: integr")
    problems = _problems(text, tmp_path)
    assert problems == [("invalid-value", 28, "tables[0].columns[1].type")]


def test_typo_key_is_located(base_text: str, tmp_path: Path) -> None:
    text = base_text.replace("        personal: quasi", "        persnal: quasi")
    problems = _problems(text, tmp_path)
    assert ("unknown-key", 30, "tables[0].columns[1].persnal") in problems


def test_every_error_is_reported_not_just_the_first(base_text: str, tmp_path: Path) -> None:
    text = (base_text.replace("type: integer", "type: integr")
            .replace("version: 1.2.3", "version: one")
            .replace("purpose: administrative", "purpose: fun"))
    codes = {(p[2]) for p in _problems(text, tmp_path)}
    assert codes == {"version", "purpose", "tables[0].columns[1].type"}


def test_missing_key_is_named(base_text: str, tmp_path: Path) -> None:
    text = base_text.replace("purpose: administrative\n", "")
    assert _problems(text, tmp_path) == [("missing-key", 1, "purpose")]


def test_discriminated_format_error_location_drops_the_tag(base_text: str, tmp_path: Path) -> None:
    text = base_text.replace('decimal: ","', 'decimal: ":"')
    assert _problems(text, tmp_path) == [("invalid-value", 17, "format.decimal")]


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    problems = _problems("id: a\nversion: [1,\ntitle: x: y\n", tmp_path)
    assert problems[0][0] == "yaml-syntax"
    assert problems[0][1] is not None


def test_duplicate_keys_are_refused(base_text: str, tmp_path: Path) -> None:
    problems = _problems(base_text + "purpose: statistical\n", tmp_path)
    assert problems[0][0] == "duplicate-key"
    assert problems[0][1] == 36


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        refs = ",".join(f"*a{i - 1}" for _ in range(10))
        lines.append(f"a{i}: &a{i} [{refs}]")
    problems = _problems("\n".join(lines) + "\n", tmp_path)
    assert problems == [("yaml-too-large", None, "")]


@pytest.mark.parametrize(
    "text",
    [
        "id: !!python/object/apply:os.system ['echo hacked']\n",
        "id: !custom value\n",
        "!!python/name:os.system\n",
    ],
)
def test_tags_are_refused_and_nothing_executes(text: str, tmp_path: Path) -> None:
    problems = _problems(text, tmp_path)
    assert {p[0] for p in problems} == {"yaml-tag"}
    assert problems[0][1] == 1


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("x: " + "a" * (MAX_BYTES + 1), encoding="utf-8")
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert info.value.problems[0].code == "file-too-large"


def test_non_utf8_contract_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: a\ntitle: Sj\u00e6lland\n".encode("latin-1"))
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert (info.value.problems[0].code, info.value.problems[0].line) == ("encoding", 2)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just text\n"])
def test_empty_or_non_mapping_documents(text: str, tmp_path: Path) -> None:
    problems = _problems(text, tmp_path)
    assert problems[0][0] in {"empty-document", "not-a-mapping"}


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_contract(tmp_path / "nope.yaml")
    with pytest.raises(UsageError, match="directory"):
        load_contract(tmp_path)


def test_message_format_is_file_line_col_loc(base_text: str, tmp_path: Path) -> None:
    path = tmp_path / "dst.yaml"
    path.write_text(base_text.replace("type: integer", "type: integr"), encoding="utf-8")
    with pytest.raises(ContractError) as info:
        load_contract(path)
    message = str(info.value)
    assert message.startswith(f"{path}:28:9:")
    assert "tables[0].columns[1].type: 'integr'" in message


def test_repository_code_lists_load(contracts_dir: Path) -> None:
    lists, problems = load_codelists(contracts_dir / "codelists")
    assert problems == []
    assert len(lists["kommuner"].codes) == 98
    assert lists["regioner"].codes == {"1081", "1082", "1083", "1084", "1085"}
    assert "411" not in lists["kommuner"].codes  # Christiansø is not a municipality


def _codelist(folder: Path, name: str, codes: list[str]) -> Path:
    path = folder / f"{name}.yaml"
    values = "\n".join(f"  - {{code: \"{c}\", name: N{c}}}" for c in codes)
    path.write_text(f"id: {name}\ntitle: {name}\nsource: test\nvalues:\n{values}\n",
                    encoding="utf-8")
    return path


def test_only_the_named_code_lists_are_loaded(tmp_path: Path) -> None:
    _codelist(tmp_path, "a", ["1"])
    _codelist(tmp_path, "b", ["2"])
    (tmp_path / "broken.yaml").write_text("id: [", encoding="utf-8")
    lists, problems = load_codelists(tmp_path, ["b"])
    assert set(lists) == {"b"}
    assert problems == []
    assert set(load_codelists(tmp_path)[0]) == {"a", "b"}


def test_a_changed_code_list_is_read_again(tmp_path: Path) -> None:
    path = _codelist(tmp_path, "a", ["1"])
    assert load_codelists(tmp_path)[0]["a"].codes == {"1"}
    _codelist(tmp_path, "a", ["1", "22"])
    assert load_codelists(tmp_path)[0]["a"].codes == {"1", "22"}
    path.write_text("id: [", encoding="utf-8")
    for _ in range(2):  # a remembered broken file keeps its problems
        lists, problems = load_codelists(tmp_path)
        assert lists == {}
        assert [p.code for p in problems] == ["yaml-syntax"]
