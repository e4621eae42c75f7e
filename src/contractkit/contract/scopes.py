"""Recipient scope codes (a municipality or region) given on the command line or in a manifest.

A scope code is written like the data it selects: ``0751`` and ``751`` are the same
municipality (Aarhus), as the engine already treats leading zeros in scope columns and code
lists. :func:`resolve_scope_code` normalises a code and checks it against the municipality
and region code lists, so ``--scope 999`` or ``--scope Aarhus`` is a bad argument (naming the
nearest codes) rather than a delivery that "must not be here". Pure functions, no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from contractkit.contract.base import ScopeKind
from contractkit.contract.codelists import CodeList
from contractkit.errors import UsageError

__all__ = ["SCOPE_CODELISTS", "ScopeCode", "normalise_scope_code", "resolve_scope_code"]

SCOPE_CODELISTS: dict[ScopeKind, str] = {
    ScopeKind.PER_MUNICIPALITY: "kommuner",
    ScopeKind.PER_REGION: "regioner",
}
"""The code list that enumerates the recipients of each per-scope kind."""

_NEAREST = 3


@dataclass(frozen=True)
class ScopeCode:
    """A validated recipient scope.

    Attributes:
        code: the code without leading zeros (``751``).
        kind: per_municipality or per_region (``None`` when no code list could be consulted).
        name: the municipality's or region's name from the code list, when known.
    """

    code: str
    kind: ScopeKind | None
    name: str | None = None


def normalise_scope_code(code: str) -> str:
    """A scope code as the code lists write it: trimmed, leading zeros dropped (``0751`` → ``751``).

    Args:
        code: the code as given.

    Returns:
        The normalised code; non-numeric text is only trimmed.
    """
    text = code.strip()
    if text.isdigit():
        return text.lstrip("0") or "0"
    return text


def _nearest(text: str, lists: Mapping[ScopeKind, CodeList]) -> list[str]:
    """The codes nearest to ``text``: numerically for digits, by name (or code) otherwise."""
    entries = [(v.code, v.name) for cl in lists.values() for v in cl.values]
    if text.isdigit():
        number = int(text)
        # A three-digit typo is nearer a municipality than a region, whatever the arithmetic.
        same = [e for e in entries if len(e[0]) == len(text)] or entries
        ranked = sorted(same, key=lambda e: (abs(int(e[0]) - number) if e[0].isdigit()
                                             else 10**9, e[0]))
        chosen = ranked[:_NEAREST]
    else:
        by_name = {name.casefold(): (code, name) for code, name in entries}
        names = difflib.get_close_matches(text.casefold(), list(by_name), n=_NEAREST, cutoff=0.5)
        chosen = [by_name[n] for n in names]
    return [f"{code} ({name})" for code, name in chosen]


def resolve_scope_code(code: str, codelists: Mapping[str, CodeList],
                       option: str = "--scope") -> ScopeCode:
    """Normalise ``code`` and check that it names a municipality or region.

    Args:
        code: the code as given (``0751``, ``751``).
        codelists: loaded code lists; ``kommuner`` and ``regioner`` are consulted.
        option: how the argument is called in messages.

    Returns:
        The scope code with its kind and name. When neither code list is available the code
        is only normalised (kind ``None``).

    Raises:
        UsageError: the code is in neither list (the message names the nearest codes).
    """
    normal = normalise_scope_code(code)
    lists = {kind: cl for kind, name in SCOPE_CODELISTS.items()
             if (cl := codelists.get(name)) is not None}
    if not lists:
        return ScopeCode(normal, None)
    for kind, cl in lists.items():
        for value in cl.values:
            if normalise_scope_code(value.code) == normal:
                return ScopeCode(value.code, kind, value.name)
    nearest = _nearest(normal, lists)
    looked = " or ".join(f"'{cl.id}'" for cl in lists.values())
    hint = f"; nearest: {', '.join(nearest)}" if nearest else ""
    raise UsageError(f"{option} {code!r} is not a code in the code list {looked} "
                     f"(a municipality or region code, e.g. 751 for Aarhus){hint}")
