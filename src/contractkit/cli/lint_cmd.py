"""``contractkit lint``: check contracts, cross-references and governance rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from xml.etree import ElementTree as ET

import typer
from rich.console import Console
from rich.table import Table as RichTable

from contractkit.cli._app import EXIT_FINDINGS, EXIT_OK, OutputFormat, app, console
from contractkit.diff import DiffReport, diff_against, diff_to_json, render_version_gate
from contractkit.errors import ContractProblem
from contractkit.lint import LintReport, lint_paths

__all__ = ["lint"]


def lint_report_json(report: LintReport) -> dict[str, object]:
    """The lint report as JSON-ready data (schema ``contractkit-lint/1``)."""
    return {
        "schema": "contractkit-lint/1",
        "ok": report.ok,
        "files": [
            {
                "file": str(r.path),
                "id": r.contract_id,
                "version": r.version,
                "ok": r.ok,
                "problems": [
                    {"code": p.code, "severity": p.severity, "line": p.line, "column": p.column,
                     "loc": p.loc, "message": p.message}
                    for p in r.problems
                ],
            }
            for r in report.results
        ],
        "codelist_problems": [
            {"code": p.code, "file": p.path, "line": p.line, "message": p.message}
            for p in report.codelist_problems
        ],
    }


def lint_report_junit(report: LintReport, evolution: DiffReport | None = None) -> str:
    """The lint report as JUnit XML: one test case per contract file, failing on an error.

    Warnings go to the case's ``system-out``; code-list problems get a case of their own.
    With ``--against`` each contract compared also has a ``version`` case, failing when its
    version lacks the bump its changes need (as the exit code does).
    """
    suites = ET.Element("testsuites", name="contractkit lint")
    suite = ET.SubElement(suites, "testsuite", name="contracts")
    failures = 0
    cases = [(str(r.path), r.problems) for r in report.results]
    if report.codelist_problems:
        cases.append(("code lists", report.codelist_problems))
    for d in evolution.contracts if evolution is not None else ():
        cases.append((f"{d.new_path or d.old_path}: version", [
            ContractProblem(p.code, str(d.new_path or d.old_path), None, None, "version",
                            p.message) for p in d.problems]))
    for name, problems in cases:
        case = ET.SubElement(suite, "testcase", classname="lint", name=name)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            failures += 1
            ET.SubElement(case, "failure", type=errors[0].code,
                          message=f"{len(errors)} error(s): {errors[0]}").text = "\n".join(
                f"{p} ({p.code})" for p in errors)
        warnings = [p for p in problems if p.severity != "error"]
        if warnings:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"warning {p} ({p.code})" for p in warnings)
    for element in (suite, suites):
        element.set("tests", str(len(cases)))
        element.set("failures", str(failures))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


_EXAMPLE = """\b
Examples:
  contractkit lint contracts/
  contractkit lint contracts/ --format junit > lint.xml
  contractkit lint contracts/ --against origin/main
"""


@app.command(epilog=_EXAMPLE)
def lint(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", help="Contract files or folders (default: contracts/).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text, json or junit.")] = (
        OutputFormat.TEXT),
    contract: Annotated[list[Path] | None, typer.Option(
        "--contract", "-c", metavar="PATH", help="Contract file or folder (same as PATH).")] = None,
    register: Annotated[bool, typer.Option(help="Also print the register of feeds.")] = False,
    against: Annotated[str | None, typer.Option(
        "--against", help="Also check each contract's version bump against this git revision "
                          "(e.g. origin/main).")] = None,
) -> None:
    """Check contracts and governance rules (exit 1 on any error)."""
    paths = [*(paths or []), *(contract or [])] or None
    report = lint_paths(paths or [Path("contracts")])
    evolution = None
    if against is not None:
        evolution = diff_against(against, paths or [Path("contracts")], skip_invalid=True)
    if fmt is OutputFormat.JSON:
        data = lint_report_json(report)
        if evolution is not None:
            data["against"] = diff_to_json(evolution)
        console.print_json(json.dumps(data, ensure_ascii=False))
    elif fmt is OutputFormat.JUNIT:
        console.file.write(lint_report_junit(report, evolution))
    else:
        for p in report.codelist_problems:
            console.print(f"[red]error[/] {p}", highlight=False)
        for r in report.results:
            for p in r.problems:
                colour = "red" if p.severity == "error" else "yellow"
                console.print(f"[{colour}]{p.severity}[/] {p} [dim]({p.code})[/]",
                              highlight=False)
        bad = sum(not r.ok for r in report.results)
        verdict = "[green]all clean[/]" if report.ok else f"[red]{bad} contract(s) with errors[/]"
        console.print(f"{len(report.results)} contract(s) checked: {verdict}")
        if register:
            # the legal basis is long Danish text: give the table room even when piped
            wide = Console(file=console.file, width=max(console.width, 160), highlight=False,
                           soft_wrap=True)
            wide.print(register_table(report))
        if evolution is not None:
            render_version_gate(evolution, console)
    ok = report.ok and (evolution is None or not evolution.problems)
    raise typer.Exit(EXIT_OK if ok else EXIT_FINDINGS)


def register_table(report: LintReport) -> RichTable:
    """The register of feeds (STAR's register of outbound deliveries) as a rich table."""
    table = RichTable(title="Register of feeds", show_lines=False)
    for head in ("feed", "version", "dir", "from → to", "purpose", "personal data", "cadence",
                 "legal basis"):
        table.add_column(head, overflow="fold")
    for lc in sorted(report.contracts, key=lambda x: (x.contract.direction, x.contract.id)):
        c = lc.contract
        table.add_row(c.id, c.version, c.direction.value,
                      f"{c.provider.code} → {c.recipient.code}", c.purpose.value,
                      c.personal_data.value, c.cadence.frequency.value,
                      "; ".join(lb.text for lb in c.legal_basis))
    return table
