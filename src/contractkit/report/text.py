"""Rich text report for people: a summary table per file, then the findings."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from contractkit.report.model import Report

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
        if not f.findings:
            continue
        console.print(Text(f"\n{f.file}", style="bold"))
        table = Table(show_header=True, show_lines=False, box=None, pad_edge=False)
        for head in ("row", "column", "code", "value", "message"):
            table.add_column(head, overflow="fold")
        for x in f.findings:
            table.add_row("-" if x.row is None else str(x.row), Text(x.column or "-"),
                          Text(x.code, style="red" if x.severity == "error" else "yellow"),
                          Text(x.value if x.value is not None else "-"), Text(x.message))
        console.print(table)
        if f.truncated:
            console.print(Text("(examples capped; counts above are exact)", style="dim"))
    for note in report.notes:
        console.print(Text(f"note: {note}", style="dim"))
    bad = sum(not f.ok for f in report.files)
    if report.ok:
        console.print(Text(f"{len(report.files)} file(s) conform", style="green"))
    else:
        console.print(Text(f"{bad} of {len(report.files)} file(s) do not conform", style="red"))
