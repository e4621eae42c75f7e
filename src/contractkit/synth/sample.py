"""Sample files for recipients and testers: conforming, or breaking exactly one rule.

This is what ``contractkit synth`` calls: resolve the context, generate with the seeded
vectorised generator, optionally apply one mutant, and write every file atomically in the
contract's format under the contract's file name pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contractkit.atomic import atomic_write_bytes
from contractkit.errors import UsageError
from contractkit.loader import LoadedContract
from contractkit.synth.context import TableContext, resolve_context
from contractkit.synth.generate import generate_delivery
from contractkit.synth.malformed import bad_file_name, break_bytes
from contractkit.synth.mutants import Mutant, break_frame, member_mutant, mutants_for
from contractkit.synth.writers import output_path, render_file

__all__ = ["SynthFile", "all_mutants", "find_mutant", "rule_names", "synth_files"]


@dataclass(frozen=True)
class SynthFile:
    """One written sample file.

    Attributes:
        path: where it was written.
        table: the table it holds.
        rows: data rows written.
        mutant: the rule it breaks, if any (its ``code`` is the expected finding).
    """

    path: Path
    table: str
    rows: int
    mutant: Mutant | None = None


def all_mutants(ctx: TableContext) -> list[Mutant]:
    """Mutants of every table of the contract, in table order."""
    return [m for t in ctx.lc.contract.tables for m in mutants_for(ctx.for_table(t))]


def rule_names(ctx: TableContext) -> list[str]:
    """The ``--break`` names: ``rule`` for one table, ``table.rule`` for several."""
    qualified = len(ctx.lc.contract.tables) > 1
    return [f"{m.table}.{m.name}" if qualified else m.name for m in all_mutants(ctx)]


def find_mutant(ctx: TableContext, name: str, table: str | None = None) -> Mutant:
    """The mutant called ``name`` (``rule`` or ``table.rule``), or one family member's
    (``y_2410:not-in-codelist``).

    Raises:
        UsageError: no such rule; the message lists the valid names.
    """
    found = [m for m in all_mutants(ctx)
             if name in (m.name, f"{m.table}.{m.name}") and (table is None or m.table == table)]
    if len(found) == 1:
        return found[0]
    if not found:  # one named member of a column family, e.g. y_2410:not-in-codelist
        named = _member_mutant(ctx, name, table)
        if named is not None:
            return named
    names = rule_names(ctx)
    what = "ambiguous; qualify it with the table" if found else "not a rule of this contract"
    raise UsageError(f"--break {name!r} is {what}. Valid rules: {', '.join(names)}")


def _member_mutant(ctx: TableContext, name: str, table: str | None) -> Mutant | None:
    tables = ctx.lc.contract.tables
    head, _, rest = name.partition(".")
    if len(tables) > 1 and rest and ctx.lc.contract.table(head) is not None:
        table, name = head, rest
    chosen = ctx.lc.contract.table(table) if table is not None else tables[0]
    if chosen is None or (len(tables) > 1 and table is None):
        return None
    return member_mutant(ctx.for_table(chosen), name)


def synth_files(lc: LoadedContract, *, rows: int, out: str | Path, table: str | None = None,
                period: str | None = None, scope: str | None = None,
                break_rule: str | None = None, seed: int = 0) -> list[SynthFile]:
    """Write sample files; deterministic for a given seed.

    Writes one table when ``table`` is given, when ``out`` is a file path, or when
    ``break_rule`` targets a table and ``out`` is a file; a folder ``out`` without
    ``table`` receives the whole delivery (so cross-file references can be checked).

    Args:
        lc: the contract.
        rows: data rows per file.
        out: a file to write, or a folder (files named by the tables' file patterns).
        table: write only this table.
        period: the delivery period (default: the last complete one).
        scope: the municipality/region of a per-scope feed.
        break_rule: break exactly this rule (``timer:out-of-range``, ``primary_key:duplicate-key``, …).
        seed: the random seed; the same seed gives the same files.

    Returns:
        Every file written, with its table, rows and the rule broken in it.

    Raises:
        UsageError: bad arguments (unknown table or rule, bad period or scope, a row
            count the keys or row-count bounds cannot hold).
    """
    out = Path(out)
    if rows < 0:
        raise UsageError("--rows must be 0 or more")
    ctx = resolve_context(lc, table=table, period=period, scope=scope)
    mutant = find_mutant(ctx, break_rule, table) if break_rule else None
    folder_out = output_path(ctx, out) != out
    if table is not None:
        wanted = [table]
    elif mutant is not None and not folder_out:
        wanted = [mutant.table]
    elif folder_out:
        wanted = [t.name for t in lc.contract.tables]
    else:
        wanted = [ctx.table.name]
    frames = generate_delivery(ctx, rows, seed)
    fmt = lc.contract.format
    written: list[SynthFile] = []
    for name in wanted:
        tctx = ctx.for_table(lc.contract.table(name) or ctx.table)
        frame = frames[name]
        applied = mutant if mutant is not None and mutant.table == name else None
        if applied is not None:
            frame = break_frame(applied, frame, tctx, seed, parents=frames)
        data = render_file(frame, fmt)
        path = output_path(tctx, out)
        if applied is not None and applied.level == "file":
            kind = applied.name.split(":", 1)[1]
            if kind == "bad-file-name":
                path = path.with_name(bad_file_name(path.name))
            else:
                data = break_bytes(kind, data, fmt, seed)
        atomic_write_bytes(path, data)
        written.append(SynthFile(path, name, frame.height, applied))
    return written
