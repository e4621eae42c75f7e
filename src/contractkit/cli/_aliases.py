"""Old option spellings kept working, unseen in ``--help``, so scripts and READMEs do not break.

The CLI grammar is one: ``-c/--contract`` (a file or a folder), ``-o/--output`` for a file
written, ``--out-dir`` for a folder written. Spellings from before it are rewritten here,
per command, before click parses the arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ALIASES", "rewrite_aliases"]

ALIASES: dict[str, dict[str, str]] = {
    "verify": {"--contracts": "--contract"},
    "status": {"--contracts": "--contract"},
    "ci": {"--contracts": "--contract", "--out": "--out-dir"},
    "dbt": {"--contracts": "--contract"},
    "synth": {"--out": "--output"},
    "catalog": {"--output": "--out-dir", "-o": "--out-dir"},
}
"""Per command: old spelling → the grammar's."""


def rewrite_aliases(args: Sequence[str]) -> list[str]:
    """``args`` with each old option spelling of its command replaced by the current one.

    Args:
        args: the command line after the program name.

    Returns:
        The rewritten arguments (``--out=x`` forms included); others unchanged.
    """
    out = list(args)
    command = next((a for a in out if not a.startswith("-")), None)
    table = ALIASES.get(command or "", {})
    if not table:
        return out
    for i, arg in enumerate(out):
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name in table:
            out[i] = table[name] + eq + value
    return out
