"""Whether the running process is contractkit's own (its command line).

A few choices are only right for a process contractkit owns, not for a program that calls
contractkit as a library: the command line claims its process (:func:`claim`) before it runs
a command, and the engine asks :func:`owned` (see :mod:`contractkit.engine.pandera_import`).
"""

from __future__ import annotations

__all__ = ["claim", "owned"]

_owned = [False]


def claim(value: bool = True) -> None:
    """Mark the process as contractkit's own (or, with ``False``, not)."""
    _owned[0] = value


def owned() -> bool:
    """Whether the process is contractkit's own."""
    return _owned[0]
