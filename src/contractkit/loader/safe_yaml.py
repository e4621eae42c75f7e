"""Parse YAML and JSON safely, with the line and column of every key, within set limits.

YAML is parsed with ruamel.yaml's round-trip loader because it keeps the line and
column of every key and item, so a problem can be reported as
``contracts/dst-ledighed.yaml:14:5: tables[0].columns[2].type: …``.

Safety — every YAML or JSON document contractkit reads as a contract, code list or ODCS
document goes through :func:`load_yaml` / :func:`load_json` and these limits:

- :data:`MAX_BYTES`: larger files are refused before they are read or parsed;
- :data:`MAX_DEPTH`: nesting is bounded while the document is composed (ruamel's
  ``max_depth``), before Python's own recursion limit could be reached;
- :data:`MAX_NODES`: composing stops at this many nodes, and the alias-expanded size
  ("billion laughs") is bounded by the same number before anything is constructed;
- explicit tags (``!!python/…`` or any custom tag) are refused — contracts are data and
  nothing in them executes.

Each refusal is a located :class:`ContractError` naming the file (``yaml-too-deep``,
``yaml-too-large``, ``file-too-large``), so ``lint`` reports it as a finding (exit 1) and
``validate`` as "cannot judge" (exit 2); none becomes an internal error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from contractkit.errors import ContractError, ContractProblem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Loc", "load_json", "load_yaml", "problem_at"]

MAX_BYTES = 1_048_576
"""Largest contract or code-list file accepted (1 MiB)."""
MAX_NODES = 100_000
"""Most nodes (mappings, sequences, scalars) a document may hold once its aliases are
expanded (guards against alias bombs; a 1,500-column contract has about 15,000)."""
MAX_DEPTH = 64
"""Most levels of nesting from the document's root (level 1) to its deepest value
(a contract needs about 8)."""

Loc = tuple[str | int, ...]
_M = TypeVar("_M", bound=BaseModel)
_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
)


def _count_nodes(node: Node, memo: dict[int, tuple[int, int]], depth: int = 0) -> int:
    """Nodes of the document with its aliases expanded; raises :class:`_TooDeep` when the
    expanded document nests deeper than :data:`MAX_DEPTH`.

    Each node's (size, height) is remembered, so a node reached through many aliases is
    counted once per reference without walking it again. Anchors precede their aliases in
    document order, so this recursion is only as deep as the text (itself bounded).
    """
    size, height = _measure(node, memo, depth)
    if height > MAX_DEPTH:
        raise _TooDeep
    return size


def _measure(node: Node, memo: dict[int, tuple[int, int]], depth: int) -> tuple[int, int]:
    key = id(node)
    if key in memo:
        return memo[key]
    if depth > MAX_DEPTH:
        raise _TooDeep
    memo[key] = (0, 0)  # a recursive alias counts as nothing rather than looping
    children: list[Node] = []
    if isinstance(node, MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, SequenceNode):
        children = list(node.value)
    size, height = 1, 0
    for child in children:
        s, h = _measure(child, memo, depth + 1)
        size += s
        height = max(height, h)
        if height >= MAX_DEPTH:
            raise _TooDeep
    memo[key] = (size, height + 1)
    return memo[key]


class _TooDeep(Exception):
    pass


class _TooManyNodes(MarkedYAMLError):
    pass


class _BoundedComposer(Composer):
    """ruamel's composer, stopping once :data:`MAX_NODES` nodes have been composed
    (memory stays bounded whatever the document; depth is bounded by ``max_depth``)."""

    composed = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise _TooManyNodes(None, None, "too many nodes", self.parser.peek_event().start_mark)
        return super().compose_node(parent, index)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    yaml.Composer = _BoundedComposer
    return yaml


def _too_deep(path: Path, line: int | None = None, col: int | None = None) -> ContractError:
    return ContractError(path, [problem_at(
        path, "yaml-too-deep", f"the document nests deeper than {MAX_DEPTH} levels; refused",
        line, col)])


def _too_large(path: Path, line: int | None = None, col: int | None = None) -> ContractError:
    return ContractError(path, [problem_at(
        path, "yaml-too-large",
        f"the document expands to more than {MAX_NODES} nodes (alias bomb?); refused", line, col)])


def _check_bytes(text: str, path: Path) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ContractError(path, [problem_at(
            path, "file-too-large", f"{size} bytes is more than the {MAX_BYTES} a contract may have")])


def _bad_tags(node: Node, seen: set[int]) -> Iterator[Node]:
    if id(node) in seen:
        return
    seen.add(id(node))
    tag = getattr(node.tag, "value", node.tag)
    if isinstance(node, ScalarNode | MappingNode | SequenceNode) and tag not in _STANDARD_TAGS:
        yield node
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if not isinstance(k, ScalarNode):
                yield k
            yield from _bad_tags(k, seen)
            yield from _bad_tags(v, seen)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _bad_tags(item, seen)


def problem_at(path: Path, code: str, message: str, line: int | None = None,
             col: int | None = None, loc: str = "") -> ContractProblem:
    """A located problem of ``path`` (line and column 1-based, where known)."""
    return ContractProblem(code, str(path), line, col, loc, message)


def load_yaml(text: str, path: Path) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    """Parse YAML text safely into plain Python data plus key positions.

    Raises:
        ContractError: syntax errors, duplicate keys, tags, empty documents, and documents
            past :data:`MAX_BYTES`, :data:`MAX_DEPTH` or :data:`MAX_NODES`.
    """
    _check_bytes(text, path)
    yaml = _yaml()
    try:
        node = yaml.compose(text)
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        raise _too_deep(path, *((mark.line + 1, mark.column + 1) if mark else ())) from None
    except _TooManyNodes as exc:
        mark = exc.problem_mark
        raise _too_large(path, *((mark.line + 1, mark.column + 1) if mark else ())) from None
    except MarkedYAMLError as exc:
        raise ContractError(path, [_marked(path, exc)]) from None
    except YAMLError as exc:
        raise ContractError(path, [problem_at(path, "yaml-syntax", str(exc).splitlines()[0])]) from None
    if node is None:
        raise ContractError(path, [problem_at(path, "empty-document", "the file is empty", 1, 1)])
    try:
        size = _count_nodes(node, {})
    except _TooDeep:
        raise _too_deep(path) from None
    if size > MAX_NODES:
        raise _too_large(path)
    tagged = list(_bad_tags(node, set()))
    if tagged:
        raise ContractError(path, [_refused(path, n) for n in tagged])
    try:
        data = yaml.constructor.construct_document(node)  # the composed node: parsed once
    except MarkedYAMLError as exc:
        raise ContractError(path, [_marked(path, exc)]) from None
    except (ValueError, TypeError) as exc:  # e.g. a timestamp like 2024-02-30
        raise ContractError(path, [problem_at(
            path, "yaml-value", f"a value cannot be read: {exc}")]) from None
    except YAMLError as exc:
        raise ContractError(path, [problem_at(path, "yaml-syntax", str(exc).splitlines()[0])]) from None
    positions: dict[Loc, tuple[int, int]] = {(): (1, 1)}
    plain = _plain(data, (), positions)
    return plain, positions


def load_json(text: str, path: Path) -> Any:
    """Parse JSON text under the same limits as :func:`load_yaml` (bytes, depth, nodes).

    Raises:
        ContractError: invalid JSON, or a document past one of the limits.
    """
    import json

    _check_bytes(text, path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContractError(path, [problem_at(
            path, "json-syntax", exc.msg, exc.lineno, exc.colno)]) from None
    except RecursionError:
        raise _too_deep(path) from None
    try:
        size = _count_plain(data, 1)
    except _TooDeep:
        raise _too_deep(path) from None
    if size > MAX_NODES:
        raise _too_large(path)
    return data


def _count_plain(value: Any, depth: int) -> int:
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, dict):
        return 1 + sum(1 + _count_plain(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count_plain(v, depth + 1) for v in value)
    return 1


def _refused(path: Path, node: Node) -> ContractProblem:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, MappingNode | SequenceNode) and getattr(node.tag, "value", node.tag) in (
        _STANDARD_TAGS
    ):
        return problem_at(path, "yaml-complex-key", "mapping keys must be plain scalars", line, col)
    tag = getattr(node.tag, "value", node.tag)
    return problem_at(path, "yaml-tag", f"explicit tag {tag!r} is not allowed: contracts are data",
                    line, col)


def _marked(path: Path, exc: MarkedYAMLError) -> ContractProblem:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
    code = "duplicate-key" if "duplicate key" in what else "yaml-syntax"
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return problem_at(path, code, what, line, col)


def _plain(value: Any, loc: Loc, positions: dict[Loc, tuple[int, int]]) -> Any:
    if isinstance(value, CommentedMap):
        out: dict[str, Any] = {}
        for key in value:
            try:
                line, col = value.lc.key(key)
                positions[(*loc, str(key))] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            out[str(key)] = _plain(value[key], (*loc, str(key)), positions)
        return out
    if isinstance(value, CommentedSeq):
        items = []
        for i, item in enumerate(value):
            try:
                line, col = value.lc.item(i)
                positions[(*loc, i)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            items.append(_plain(item, (*loc, i), positions))
        return items
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value
    return str(value)
