"""What an ODCS document says that contractkit's export would not: kept aside, put back.

``import odcs`` maps what it can onto the contract language, exports that contract again
and compares: every element of the original document the export does not reproduce is
kept verbatim in the contract's ``odcs_extra`` under its JSON path, so ``export odcs``
writes it back (:func:`put_back`). Paths are those of the ODCS document:

* ``roles`` — a key the export does not write: the whole value;
* ``schema[0].properties[2].physicalType`` — a value the export writes differently: the
  original wins;
* ``schema[0].quality[+]`` — items of a list the export writes too (quality rules, tags,
  servers, custom properties …) but lacks: appended after the export's own items.

``schema`` objects and their ``properties`` map one to one onto tables and columns, so
they are compared item by item; other lists by item equality.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["APPEND", "kept_aside", "parse_path", "put_back"]

APPEND = "[+]"
"""Suffix of a path whose value is a list of items to append to the list at that path."""

_BY_INDEX = frozenset({"schema", "properties"})
_TOKEN = re.compile(r'\.?([A-Za-z_$@][\w$@-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\+\]')
_PLAIN_KEY = re.compile(r"^[A-Za-z_$@][\w$@-]*$")

Part = str | int


def _same(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: 1 == 1.0, but True is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def _key(path: str, key: str) -> str:
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'{path}["{escaped}"]'


def kept_aside(original: Mapping[str, Any], exported: Mapping[str, Any]) -> dict[str, Any]:
    """Every part of ``original`` that ``exported`` does not reproduce, by JSON path."""
    out: dict[str, Any] = {}
    _diff_map(original, exported, "", out)
    return out


def _diff_map(original: Mapping[str, Any], exported: Mapping[str, Any], path: str,
              out: dict[str, Any]) -> None:
    for key, value in original.items():
        here = _key(path, key)
        if key not in exported:
            out[here] = value
        else:
            _diff(value, exported[key], here, key, out)


def _diff(value: Any, exported: Any, here: str, key: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and isinstance(exported, dict):
        _diff_map(value, exported, here, out)
    elif isinstance(value, list) and isinstance(exported, list):
        if key in _BY_INDEX:
            if len(value) != len(exported):
                out[here] = value
                return
            for i, (item, ex) in enumerate(zip(value, exported, strict=True)):
                _diff(item, ex, f"{here}[{i}]", "", out)
        else:
            missing = [item for item in value if not any(_same(item, ex) for ex in exported)]
            if missing:
                out[here + APPEND] = missing
    elif not _same(value, exported):
        out[here] = value


def parse_path(path: str) -> tuple[list[Part], bool]:
    """Split a kept-aside path into its parts; the flag says whether it ends in ``[+]``.

    Raises:
        ValueError: the path is not of the form this module writes.
    """
    parts: list[Part] = []
    append = False
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if m is None or append or (pos == 0 and path.startswith(".")):
            raise ValueError(f"{path!r} is not a path of the ODCS document")
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif m.group(2) is not None:
            parts.append(int(m.group(2)))
        elif m.group(3) is not None:
            parts.append(re.sub(r"\\(.)", r"\1", m.group(3)))
        else:
            append = True
        pos = m.end()
    if not parts:
        raise ValueError(f"{path!r} is not a path of the ODCS document")
    return parts, append


def put_back(document: dict[str, Any], extra: Mapping[str, Any]) -> list[str]:
    """Write every kept-aside element into ``document`` (in place).

    Returns:
        The paths that no longer fit the document (e.g. a column was removed since the
        import); they are left out.
    """
    misfits: list[str] = []
    for path, value in extra.items():
        try:
            parts, append = parse_path(path)
        except ValueError:
            misfits.append(path)
            continue
        if not _place(document, parts, value, append):
            misfits.append(path)
    return misfits


def _place(document: dict[str, Any], parts: list[Part], value: Any, append: bool) -> bool:
    node: Any = document
    for part, nxt in zip(parts, [*parts[1:], None], strict=True):
        last = nxt is None
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False
            if last:
                return _set(node, part, value, append)
            node = node[part]
            continue
        if not isinstance(node, dict):
            return False
        if last:
            return _set(node, part, value, append)
        if part not in node:
            node[part] = [] if isinstance(nxt, int) else {}
        node = node[part]
    return False


def _set(node: Any, part: Part, value: Any, append: bool) -> bool:
    if not append:
        node[part] = value
        return True
    if isinstance(node, dict) and part not in node:
        node[part] = []
    target = node[part]
    if not isinstance(target, list) or not isinstance(value, list):
        return False
    target.extend(value)
    return True
