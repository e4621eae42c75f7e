"""Render a :class:`DiffReport`: rich text, JSON (``contractkit-diff/1``) and a Markdown
changelog section a steward can paste into release notes."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from contractkit.diff.compare import ContractDiff, DiffReport
from contractkit.diff.model import Change, ChangeClass
from contractkit.diff.semver import VersionProblem

__all__ = ["SCHEMA_ID", "diff_to_json", "render_markdown", "render_text", "render_version_gate"]

SCHEMA_ID = "contractkit-diff/1"
_COLOUR = {ChangeClass.BREAKING: "red", ChangeClass.COMPATIBLE: "yellow",
           ChangeClass.PATCH: "cyan"}
_HEADING = {
    ChangeClass.BREAKING: "Breaking changes (major version)",
    ChangeClass.COMPATIBLE: "Compatible changes (minor version)",
    ChangeClass.PATCH: "Documentation (patch version)",
}
_ORDER = (ChangeClass.BREAKING, ChangeClass.COMPATIBLE, ChangeClass.PATCH)


def _where(c: Change) -> str:
    return c.location or "contract"


def _values(c: Change, arrow: str = "->") -> str:
    if c.old is None and c.new is None:
        return ""
    old = c.old if c.old is not None else "(none)"
    new = c.new if c.new is not None else "(none)"
    return f"{old} {arrow} {new}"


def _title(d: ContractDiff, arrow: str = "->") -> str:
    versions = f" {arrow} ".join(v for v in (d.old_version, d.new_version) if v is not None)
    return f"{d.contract_id} {versions} ({d.status})"


def render_text(report: DiffReport, console: Console) -> None:
    """Print the report for people: one block per contract, changes by class."""
    if report.against:
        console.print(f"compared against git revision {escape(report.against)}")
    for note in report.skipped:
        console.print(f"[yellow]skipped[/] {escape(note)}")
    unchanged = [d.contract_id for d in report.contracts if d.status == "unchanged"]
    for d in report.contracts:
        if d.status == "unchanged":
            continue
        paths = " -> ".join(p for p in (d.old_path, d.new_path) if p)
        console.print(f"[bold]{escape(_title(d))}[/]  [dim]{escape(paths)}[/]")
        for c in d.changes:
            colour = _COLOUR[c.change_class]
            gov = " [magenta]governance[/]" if c.governance else ""
            values = _values(c)
            line = (f"  [{colour}]{c.change_class:<10}[/] {c.kind}{gov}  {escape(_where(c))}"
                    + (f": {escape(values)}" if values else "")
                    + (f" [dim]({escape(c.detail)})[/]" if c.detail else ""))
            console.print(line)
            console.print(f"             [dim]{escape(c.reason)}[/]")
        if d.status == "changed":
            need = d.required_bump
            console.print(f"  required bump: {need}, declared: {d.declared_bump or 'none'}")
        for p in d.problems:
            console.print(f"  [red]error[/] {escape(p.message)} [dim]({p.code})[/]")
    if unchanged:
        console.print(f"[dim]unchanged: {escape(', '.join(unchanged))}[/]")
    n = len(report.changes)
    n_gov = sum(c.governance for c in report.changes)
    counts = ", ".join(f"{sum(c.change_class is k for c in report.changes)} {k}" for k in _ORDER)
    console.print(f"{len(report.contracts)} contract(s), {n} change(s): {counts}; "
                  f"{n_gov} governance change(s) need review")


def render_version_gate(report: DiffReport, console: Console) -> None:
    """Print the semver gate of ``lint --against``: version problems as errors, governance
    changes as warnings, added/removed contracts as notes."""
    for note in report.skipped:
        console.print(f"[yellow]warning[/] {escape(note)} [dim](not compared)[/]")
    for d in report.contracts:
        where = escape(d.new_path or d.old_path or d.contract_id)
        if d.status in ("added", "removed"):
            console.print(f"[cyan]note[/] {where}: contract {d.contract_id} {d.status} "
                          f"since {escape(report.against or '')}")
        for c in d.changes:
            if c.governance and d.status == "changed":
                console.print(f"[yellow]warning[/] {where}: {escape(_where(c))}: governance "
                              f"change needs review: {escape(_values(c))} [dim]({c.kind})[/]")
        for p in d.problems:
            console.print(f"[red]error[/] {where}: {escape(p.message)} [dim]({p.code})[/]")
    compared = sum(d.status == "changed" for d in report.contracts)
    bad = len(report.problems)
    verdict = "[green]versions ok[/]" if not bad else f"[red]{bad} version problem(s)[/]"
    console.print(f"against {escape(report.against or '')}: {compared} changed contract(s): "
                  f"{verdict}")


def _change_json(c: Change) -> dict[str, object]:
    return {"kind": c.kind.value, "class": c.change_class.value, "governance": c.governance,
            "location": c.location, "table": c.table, "column": c.column, "old": c.old,
            "new": c.new, "detail": c.detail, "reason": c.reason}


def _problem_json(p: VersionProblem) -> dict[str, object]:
    return {"code": p.code, "message": p.message,
            "required": p.required.value if p.required else None,
            "declared": p.declared.value if p.declared else None,
            "kind": p.change.kind.value if p.change else None,
            "location": p.change.location if p.change else None}


def diff_to_json(report: DiffReport) -> dict[str, object]:
    """The report as JSON-ready data (schema ``schemas/diff.schema.json``)."""
    changes = report.changes
    return {
        "schema": SCHEMA_ID,
        "against": report.against,
        "ok": not report.problems,
        "summary": {
            **{k.value: sum(c.change_class is k for c in changes) for k in _ORDER},
            "governance": sum(c.governance for c in changes),
        },
        "skipped": list(report.skipped),
        "contracts": [
            {
                "id": d.contract_id,
                "status": d.status,
                "old": {"path": d.old_path, "version": d.old_version} if d.old_version else None,
                "new": {"path": d.new_path, "version": d.new_version} if d.new_version else None,
                "required_bump": d.required_bump.value if d.required_bump else None,
                "declared_bump": d.declared_bump.value if d.declared_bump else None,
                "version_problems": [_problem_json(p) for p in d.problems],
                "changes": [_change_json(c) for c in d.changes],
            }
            for d in report.contracts
        ],
    }


def _md(text: str) -> str:
    """Escape the characters that would change Markdown inline formatting."""
    return "".join("\\" + ch if ch in "\\`*_[]<|" else ch for ch in text)


def _md_change(c: Change) -> str:
    values = _values(c, "→")
    line = f"- `{c.kind}` at `{_where(c)}`"
    if values:
        line += f": {_md(values)}"
    if c.detail:
        line += f" ({_md(c.detail)})"
    return line + f" — {_md(c.reason)}."


def render_markdown(report: DiffReport) -> str:
    """A changelog section per contract, ready to paste into release notes."""
    out: list[str] = []
    for d in report.contracts:
        if d.status == "unchanged":
            continue
        out.append(f"## {_md(_title(d, '→'))}\n")
        gov = [c for c in d.changes if c.governance]
        if gov:
            out.append("### Governance — needs review\n")
            out.extend(_md_change(c) for c in gov)
            out.append("")
        for k in _ORDER:
            these = [c for c in d.changes if c.change_class is k]
            if these:
                out.append(f"### {_HEADING[k]}\n")
                out.extend(_md_change(c) for c in these)
                out.append("")
        for p in d.problems:
            out.append(f"> **Version problem:** {_md(p.message)}\n")
    if not out:
        return "No changes.\n"
    return "\n".join(out).rstrip("\n") + "\n"
