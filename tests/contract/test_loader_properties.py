"""Property: no input makes the loader crash — it loads or raises a located ContractError."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractkit.errors import ContractError, ContractProblem
from contractkit.loader import load_contract, load_contract_text

YAML_ALPHABET = st.sampled_from([*"ab:-[]{}&*!|>'\"#%@ \n\t,?0123456789.", "æ", "§"])


def outcome(load: Callable[[], object]) -> list[ContractProblem] | None:
    """None when the document loads; its problems when it is refused with ContractError."""
    try:
        load()
    except ContractError as exc:
        return exc.problems
    return None


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    problems = outcome(lambda: load_contract_text(text, Path("fuzz.yaml")))
    if problems is not None:
        assert problems
        assert all(p.path == "fuzz.yaml" for p in problems)


@settings(max_examples=100, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    problems = outcome(lambda: load_contract(path))
    assert problems is None or problems
    assert path.read_bytes() == data  # the input is never changed


@settings(max_examples=400, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutating_a_valid_contract_never_crashes(base_text: str, data: st.DataObject) -> None:
    lines = base_text.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    replacement = data.draw(st.text(alphabet=YAML_ALPHABET, max_size=30))
    mutated = "\n".join([*lines[:i], replacement, *lines[i + 1:]]) + "\n"
    problems = outcome(lambda: load_contract_text(mutated, Path("m.yaml")))
    for p in problems or []:
        assert p.line is None or 1 <= p.line <= len(mutated.splitlines()) + 1
