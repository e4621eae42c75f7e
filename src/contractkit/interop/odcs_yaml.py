"""Read an ODCS YAML document safely, with positions, keeping dates as the text they are.

ODCS's JSON Schema types dates as strings: a YAML loader that makes ``datetime.date``
objects turns a valid document invalid (DESIGN §5). The document is first read by
:func:`contractkit.loader.load_yaml` (size, alias-bomb and tag guards, duplicate keys, the
line of every key), then its values are taken from a round-trip load whose timestamp
constructor keeps the scalar's text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor

from contractkit.loader import load_yaml

__all__ = ["read_yaml"]


class _TextDates(RoundTripConstructor):
    """A round-trip constructor that leaves timestamps as text."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def read_yaml(text: str, path: Path) -> tuple[Any, dict[tuple[str | int, ...], tuple[int, int]]]:
    """Plain data (dates as text) and 1-based (line, column) of every key and item.

    Raises:
        ContractError: the YAML is unsafe or invalid (located).
    """
    _, positions = load_yaml(text, path)
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _TextDates
    return _plain(yaml.load(text)), positions


def _plain(value: Any) -> Any:
    if isinstance(value, CommentedMap):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, CommentedSeq):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
