"""Seeded strings that fully match a regular expression (for volume generation).

Hypothesis' ``from_regex`` serves the property tests; the vectorised generator needs a
sampler driven by a seeded ``random.Random`` instead, so ``contractkit synth`` is
deterministic per seed. This walks the parse tree of Python's own regex parser and
supports what contract patterns use: literals, classes, categories, alternation, groups,
repeats and anchors. Every sample is checked with ``re.fullmatch``.
"""

from __future__ import annotations

import importlib
import random
import re
import string
from typing import Any

from contractkit.errors import CompileError

__all__ = ["sample_regex"]

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

_PRINTABLE = string.ascii_letters + string.digits + "-_.,:/"
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters + "-_",
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_NOT_WORD": "-.,:/",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": string.ascii_letters + string.digits,
}
_OPEN_REPEAT = 8  # how far an unbounded repeat (``*``, ``+``, ``{n,}``) runs past its minimum


def sample_regex(pattern: str, rnd: random.Random, *, max_length: int | None = None,
                 tries: int = 200) -> str:
    """A random string that fully matches ``pattern`` (and is at most ``max_length`` long).

    Raises:
        CompileError: the pattern uses a construct the sampler does not know, or no
            sample within ``tries`` satisfies it.
    """
    compiled = re.compile(pattern)
    try:
        tree = _parser.parse(pattern)
    except re.error as exc:  # pragma: no cover - the contract model validated it already
        raise CompileError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    for _ in range(tries):
        text = "".join(_emit(list(tree), rnd))
        if compiled.fullmatch(text) and (max_length is None or len(text) <= max_length):
            return text
    raise CompileError(f"cannot synthesise a value that fully matches pattern {pattern!r}"
                       + (f" within {max_length} characters" if max_length else ""))


def _emit(items: list[tuple[Any, Any]], rnd: random.Random) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append(rnd.choice([ch for ch in _PRINTABLE if ord(ch) != arg]))
        elif name == "ANY":
            out.append(rnd.choice(_PRINTABLE))
        elif name == "IN":
            out.append(_class_char(arg, rnd))
        elif name == "AT":
            continue
        elif name == "BRANCH":
            out.extend(_emit(list(rnd.choice(arg[1])), rnd))
        elif name == "SUBPATTERN":
            out.extend(_emit(list(arg[-1]), rnd))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = arg
            top = lo + _OPEN_REPEAT if hi == _c.MAXREPEAT else hi
            for _ in range(rnd.randint(lo, max(lo, top))):
                out.extend(_emit(list(sub), rnd))
        elif name == "ATOMIC_GROUP":
            out.extend(_emit(list(arg), rnd))
        else:
            raise CompileError(f"patterns with {name} cannot be synthesised")
    return out


def _class_char(items: list[tuple[Any, Any]], rnd: random.Random) -> str:
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    chars: set[str] = set()
    for op, arg in items[1:] if negate else items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(arg))
        elif name == "RANGE":
            lo, hi = arg
            chars.update(chr(c) for c in range(lo, min(hi, lo + 2000) + 1))
        elif name == "CATEGORY":
            chars.update(_CATEGORIES.get(str(arg), ""))
        else:
            raise CompileError(f"character classes with {name} cannot be synthesised")
    pool = [ch for ch in _PRINTABLE if ch not in chars] if negate else sorted(chars)
    if not pool:
        raise CompileError("an empty character class cannot be synthesised")
    return rnd.choice(pool)
