"""Which rules a file is judged by: every rule of its table, failing or not.

A CI system shows a rule that holds as a passing test (``validate --format junit``: one test
case per rule), so the report must name the rules that found nothing, too. The ids are the
ones findings carry: ``<column>:<code>`` for column rules, ``primary_key``, ``row_count``,
``file_pattern``, ``file:malformed-file``, ``file:extra-column``.
"""

from __future__ import annotations

from collections.abc import Container

from contractkit.contract.models import Table
from contractkit.engine.compile import TableRules
from contractkit.report.model import Code

__all__ = ["checked_rules"]


def checked_rules(table: Table, rules: TableRules, members: Container[str] = ()) -> list[str]:
    """The rule ids ``table``'s file is judged by (references are added where they run).

    Args:
        table: the table (its column families already expanded for the file's period).
        rules: the table's compiled row rules.
        members: the member columns of its column families (expected even when optional).

    Returns:
        Rule ids in the order: file, header, row rules, dataset rules.
    """
    out = ["file_pattern", f"file:{Code.MALFORMED_FILE}"]
    out += [f"{c.name}:{Code.MISSING_COLUMN}" for c in table.columns
            if c.required or c.name in members]
    if not table.allow_extra_columns:
        out.append(f"file:{Code.EXTRA_COLUMN}")
    out += [r.rule_id for r in rules.rules]
    if table.row_count is not None:
        out.append("row_count")
    if table.primary_key:
        out.append("primary_key")
    out += [f"{c.name}:{Code.NOT_UNIQUE}" for c in table.columns if c.unique]
    return out
