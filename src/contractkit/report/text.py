"""Rich text report for people: a summary table per file, then the findings.

Findings on column-family members are shown one line per family and code (members
affected, first examples), not one line per member; the JSON report keeps the detail.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from contractkit.report.families import NAMES, FamilyLine, family_lines
from contractkit.report.model import Finding, Report

__all__ = ["render_text"]


def render_text(report: Report, console: Console) -> None:
    """Print ``report`` to ``console`` (markup in values is never interpreted)."""
    summary = Table(title="Validation summary", show_lines=False)
    for head in ("file", "contract", "table", "rows", "result", "findings"):
        summary.add_column(head, overflow="fold")
    for f in report.files:
        verdict = Text("conforms", style="green") if f.ok else Text("does not conform",
                                                                    style="red")
        counts = ", ".join(f"{c}: {n}" for c, n in f.counts.items()) or "-"
        summary.add_row(Text(f.file), Text(f"{f.contract_id} {f.contract_version}"),
                        Text(f.table or "-"), "-" if f.rows is None else f"{f.rows:,}",
                        verdict, Text(counts))
    console.print(summary)
    for f in report.files:
        lines = family_lines(f)
        plain = [x for x in f.findings if x.family is None]
        if not plain and not lines:
            continue
        console.print(Text(f"\n{f.file}", style="bold"))
        if lines:
            _render_families(lines, console)
        if not plain:
            if f.truncated:
                console.print(Text("(examples capped; counts above are exact)", style="dim"))
            continue
        table = Table(show_header=True, show_lines=False, box=None, pad_edge=False)
        for head in ("row", "column", "code", "value", "message"):
            table.add_column(head, overflow="fold")
        header_codes = _many_header_findings(plain)
        for code in header_codes:
            x = next(x for x in plain if x.code == code and x.row is None)
            names = [y.column or "-" for y in plain if y.code == code and y.row is None]
            total = f.counts.get(code, 0) - sum(
                sum(c.get(code, {}).values()) for c in f.family_counts.values())
            table.add_row("-", Text(f"{total:,} columns: " + ", ".join(names[:NAMES]) + ", …"),
                          Text(code, style="red"), "-", Text(x.message))
        for x in plain:
            if x.row is None and x.code in header_codes:
                continue
            table.add_row("-" if x.row is None else str(x.row), Text(x.column or "-"),
                          Text(x.code, style="red" if x.severity == "error" else "yellow"),
                          Text(x.value if x.value is not None else "-"), Text(x.message))
        console.print(table)
        if f.truncated:
            console.print(Text("(examples capped; counts above are exact)", style="dim"))
    bad = sum(not f.ok for f in report.files)
    if report.ok:
        console.print(Text(f"{len(report.files)} file(s) conform", style="green"))
    else:
        console.print(Text(f"{bad} of {len(report.files)} file(s) do not conform", style="red"))


def _render_families(lines: list[FamilyLine], console: Console) -> None:
    table = Table(show_header=True, show_lines=False, box=None, pad_edge=False,
                  title="column families (one line per family and code)", title_justify="left")
    for head in ("family", "code", "findings", "members", "first examples"):
        table.add_column(head, overflow="fold")
    for line in lines:
        members = line.members_text()
        if line.code == "missing-column" and line.every_member:
            members += " (every member: was the family renamed? see extra-column)"
        table.add_row(Text(line.family), Text(line.code, style="red"), f"{line.findings:,}",
                      Text(members), Text(line.examples_text()))
    console.print(table)


def _many_header_findings(plain: list[Finding]) -> list[str]:
    """Codes of file-level column findings (no row) too many to list one per line."""
    per_code: dict[str, int] = {}
    for x in plain:
        if x.row is None and x.column is not None and x.code in ("missing-column",
                                                                   "extra-column"):
            per_code[x.code] = per_code.get(x.code, 0) + 1
    return [code for code, n in per_code.items() if n > NAMES]
