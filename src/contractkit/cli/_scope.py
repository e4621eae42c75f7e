"""The ``--scope`` option: normalise a municipality/region code and check it exists."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from contractkit.contract.scopes import SCOPE_CODELISTS, resolve_scope_code
from contractkit.loader import LoadedContract, default_codelist_dir, load_codelists

__all__ = ["resolve_scope", "resolve_scope_at"]


def _check(raw: str, places: Sequence[Path]) -> str:
    for place in places:
        lists, _ = load_codelists(default_codelist_dir(place), SCOPE_CODELISTS.values())
        if lists:
            return resolve_scope_code(raw, lists).code
    return resolve_scope_code(raw, {}).code


def resolve_scope(raw: str | None, contracts: Sequence[LoadedContract]) -> str | None:
    """``--scope`` as the code lists write it (``0751`` → ``751``), or ``None`` when not given.

    The code is looked up in the municipality and region code lists beside the contracts
    (those a per-scope contract would be validated with).

    Raises:
        UsageError: the code names no municipality or region (the nearest are named).
    """
    if raw is None:
        return None
    scoped = [lc for lc in contracts if lc.contract.scope.kind in SCOPE_CODELISTS] or contracts
    return _check(raw, [lc.path for lc in scoped])


def resolve_scope_at(raw: str, paths: Sequence[Path]) -> str:
    """``--scope`` checked against the code lists of contract files or folders ``paths``.

    Raises:
        UsageError: the code names no municipality or region (the nearest are named).
    """
    return _check(raw, [p / "contract.yaml" if p.is_dir() else p for p in paths])
