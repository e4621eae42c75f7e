"""The ``--scope`` option: normalise a municipality/region code and check it exists."""

from __future__ import annotations

from collections.abc import Sequence

from contractkit.contract.scopes import SCOPE_CODELISTS, resolve_scope_code
from contractkit.loader import LoadedContract, default_codelist_dir, load_codelists

__all__ = ["resolve_scope"]


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
    for lc in scoped:
        lists, _ = load_codelists(default_codelist_dir(lc.path), SCOPE_CODELISTS.values())
        if lists:
            return resolve_scope_code(raw, lists).code
    return resolve_scope_code(raw, {}).code
