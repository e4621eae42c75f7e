"""Hostile contracts: every limit of the loader is tested at and just past its value, through
the loader and through the CLI (``lint`` exit 1, ``validate`` exit 2, the file named, never
"internal error")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from contractkit.errors import ContractError
from contractkit.loader import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    load_codelists,
    load_contract,
    load_contract_text,
    load_json,
    load_yaml,
)


def _codes(text: str, tmp_path: Path) -> list[str]:
    try:
        load_yaml(text, tmp_path / "c.yaml")
    except ContractError as exc:
        return [p.code for p in exc.problems]
    return []


def _flow(depth: int) -> str:
    """A flow sequence whose deepest scalar sits at level ``depth`` (the root is level 1)."""
    return "[" * (depth - 1) + "0" + "]" * (depth - 1) + "\n"


def _block(depth: int) -> str:
    """Block mappings nested so that the deepest scalar sits at level ``depth``."""
    return "".join("  " * i + f"k{i}:\n" for i in range(depth - 2)) + "  " * (depth - 2) + "x: 1\n"


@pytest.mark.parametrize("shape", [_flow, _block])
def test_depth_at_the_limit_loads_and_one_past_is_refused(shape: object, tmp_path: Path) -> None:
    assert callable(shape)
    assert _codes(shape(MAX_DEPTH), tmp_path) == []
    assert _codes(shape(MAX_DEPTH + 1), tmp_path) == ["yaml-too-deep"]


def test_thousands_of_levels_are_refused_located(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as info:
        load_yaml("a: " + _flow(5000), tmp_path / "deep.yaml")
    problem = info.value.problems[0]
    assert problem.code == "yaml-too-deep"
    assert problem.path.endswith("deep.yaml")
    assert problem.line == 1
    assert problem.column is not None


def test_depth_reached_through_aliases_is_refused(tmp_path: Path) -> None:
    # each anchor holds the previous one: textually flat, deep once expanded; the value of
    # a_k is k + 2 levels deep (its sequences and the scalar), under the root mapping
    lines = ["a0: &a0 [0]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, MAX_DEPTH - 1)]
    assert _codes("\n".join(lines[:-1]) + "\n", tmp_path) == []  # a61: 63 + root = 64
    assert _codes("\n".join(lines) + "\n", tmp_path) == ["yaml-too-deep"]


def _alias_doc(extra: int) -> str:
    # root sequence: 1 node + 271 items of a 369-node sequence (368 scalars) = MAX_NODES
    assert MAX_NODES == 1 + 271 * 369
    first = "- &a [" + ",".join(["0"] * 368) + "]"
    return "\n".join([first, *["- *a"] * 270, *["- 0"] * extra]) + "\n"


def test_expanded_nodes_at_the_limit_load_and_one_more_is_refused(tmp_path: Path) -> None:
    data, _ = load_yaml(_alias_doc(0), tmp_path / "c.yaml")
    assert len(data) == 271
    assert _codes(_alias_doc(1), tmp_path) == ["yaml-too-large"]


@pytest.mark.slow
def test_composing_stops_past_the_node_limit(tmp_path: Path) -> None:
    text = "[" + ",".join(["0"] * MAX_NODES) + "]\n"  # MAX_NODES + 1 nodes, no alias
    assert len(text.encode()) < MAX_BYTES
    assert _codes(text, tmp_path) == ["yaml-too-large"]


def test_bytes_at_the_limit_are_read_and_one_more_is_refused(tmp_path: Path) -> None:
    at = tmp_path / "at.yaml"
    at.write_text("x: " + "a" * (MAX_BYTES - 4) + "\n", encoding="utf-8")
    assert at.stat().st_size == MAX_BYTES
    with pytest.raises(ContractError) as info:
        load_contract(at)
    assert "file-too-large" not in {p.code for p in info.value.problems}  # not a contract
    past = tmp_path / "past.yaml"
    past.write_text("x: " + "a" * (MAX_BYTES - 3) + "\n", encoding="utf-8")
    with pytest.raises(ContractError) as info:
        load_contract(past)
    assert [p.code for p in info.value.problems] == ["file-too-large"]


def test_text_loaded_without_a_file_is_bounded_too(tmp_path: Path) -> None:
    # contracts read from a git revision (diff --against) never pass through a file size check
    with pytest.raises(ContractError) as info:
        load_contract_text("x: " + "a" * MAX_BYTES + "\n", tmp_path / "rev.yaml")
    assert [p.code for p in info.value.problems] == ["file-too-large"]
    with pytest.raises(ContractError) as info:
        load_contract_text("a: " + _flow(3000), tmp_path / "rev.yaml")
    assert [p.code for p in info.value.problems] == ["yaml-too-deep"]


def test_code_lists_go_through_the_same_limits(tmp_path: Path) -> None:
    folder = tmp_path / "codelists"
    folder.mkdir()
    (folder / "deep.yaml").write_text("id: deep\nvalues: " + _flow(3000), encoding="utf-8")
    lists, problems = load_codelists(folder)
    assert lists == {}
    assert [p.code for p in problems] == ["yaml-too-deep"]
    assert problems[0].path.endswith("deep.yaml")


def test_json_documents_go_through_the_same_limits(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    assert load_json(json.dumps({"a": [1, 2]}), path) == {"a": [1, 2]}
    at = "[" * (MAX_DEPTH - 1) + "0" + "]" * (MAX_DEPTH - 1)
    assert load_json(at, path) is not None
    for text in ("[" + at + "]", "[" * 100_000 + "]" * 100_000):
        with pytest.raises(ContractError) as info:
            load_json(text, path)
        assert [p.code for p in info.value.problems] == ["yaml-too-deep"]
    with pytest.raises(ContractError) as info:
        load_json("[" + ",".join(["0"] * MAX_NODES) + "]", path)
    assert [p.code for p in info.value.problems] == ["yaml-too-large"]
    with pytest.raises(ContractError) as info:
        load_json("{", path)
    assert info.value.problems[0].code == "json-syntax"


HOSTILE = {
    "deep-flow": "a: " + _flow(5000),
    "deep-block": _block(3000),
    "deep-aliases": "\n".join(["a0: &a0 [0]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 500)]),
    "wide": "[" + ",".join(["0"] * (MAX_NODES + 10)) + "]",
    "huge": "x: " + "a" * (MAX_BYTES + 1),
    "big-int": "id: " + "9" * 100_000,
    "recursive-alias": "a: &x [*x]\n",
    "tag": "id: !!python/object/apply:os.system ['true']\n",
}


BIN = Path(sys.executable).parent / "contractkit"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args],
                          capture_output=True, text=True, check=False, timeout=120)


@pytest.mark.slow
def test_hostile_contracts_via_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a;b\n1;2\n", encoding="utf-8")
    for name, text in HOSTILE.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        lint = _cli("lint", str(path))
        assert lint.returncode == 1, (name, lint.stdout, lint.stderr)
        assert str(path) in lint.stdout, name
        validate = _cli("validate", "-c", str(path), str(data))
        assert validate.returncode == 2, (name, validate.stderr)
        assert str(path) in validate.stderr, name
        for out in (lint, validate):
            assert "internal error" not in out.stdout + out.stderr, name
            assert "Traceback" not in out.stderr, name


def test_deep_odcs_json_and_manifest_are_refused_not_crashes(tmp_path: Path) -> None:
    from contractkit.delivery.manifest import MANIFEST_NAME, read_manifest
    from contractkit.errors import DeliveryError
    from contractkit.interop.odcs_import import load_odcs

    deep = "[" * 200_000 + "]" * 200_000
    odcs = tmp_path / "odcs.json"
    odcs.write_text(deep, encoding="utf-8")
    with pytest.raises(ContractError) as info:
        load_odcs(odcs)
    assert [p.code for p in info.value.problems] == ["yaml-too-deep"]
    (tmp_path / MANIFEST_NAME).write_text(deep, encoding="utf-8")
    with pytest.raises(DeliveryError, match="nested too deep"):
        read_manifest(tmp_path)
