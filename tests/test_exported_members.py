"""The public surface is deliberate: __all__ is sorted and names exist (httpx's habit)."""

from __future__ import annotations

import importlib

import pytest

import contractkit

PACKAGES = ["contractkit", "contractkit.contract", "contractkit.engine", "contractkit.errors",
            "contractkit.report"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_resolvable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported)
    for member in exported:
        assert hasattr(module, member), f"{name}.{member} is in __all__ but missing"


def test_errors_form_one_tree() -> None:
    for member in ("ContractError", "UsageError", "DeliveryError", "CompileError", "DbtError",
                   "GitError"):
        assert issubclass(getattr(contractkit, member), contractkit.ContractkitError)


def test_dir_shows_only_the_public_surface_and_subpackages() -> None:
    # Issue 19: dir(contractkit) leaked Path, TYPE_CHECKING and annotations.
    import types

    public = {n for n in dir(contractkit) if not n.startswith("_")}
    extra = {n for n in public - set(contractkit.__all__)
             if not isinstance(getattr(contractkit, n), types.ModuleType)}
    assert extra == set()
    for leaked in ("Path", "TYPE_CHECKING", "annotations"):
        assert leaked not in dir(contractkit)
