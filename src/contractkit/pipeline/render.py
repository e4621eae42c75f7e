"""Render a ``ci`` run: one summary table (text), JSON (``contractkit-ci/1``), JUnit XML.

Nothing here prints a data value: dbt problems are already sanitised, and from the
engine's findings only codes, counts, columns and rules are shown.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from contractkit.pipeline.ci import CiResult, FeedResult
from contractkit.report import report_to_json
from contractkit.report.junit import file_cases

__all__ = ["ci_to_json", "feed_reasons", "render_ci_junit", "render_ci_text"]


def feed_reasons(feed: FeedResult) -> list[tuple[str, str, str]]:
    """Why a feed is rejected: ``(file, rule, detail)`` per dbt problem and file finding."""
    out = [(p.file, p.rule, p.message) for p in feed.problems]
    if feed.report is not None:
        for fr in feed.report.files:
            for code, count in fr.counts.items():
                example = next((f for f in fr.findings if f.code == code), None)
                if example is not None and example.severity != "error":
                    continue
                rule = (example.rule if example is not None and example.rule else code)
                column = f" column {example.column}" if example and example.column else ""
                out.append((Path(fr.file).name, rule, f"{code} x{count}{column}"))
    if feed.report is None and not feed.problems:
        out.append(("-", "no-files", "no file was produced"))
    return out


def render_ci_text(result: CiResult, console: Console) -> None:
    """The summary table, then the reasons for every rejected feed."""
    table = RichTable(title=f"contractkit ci — period {result.period}")
    for head, justify in (("feed", "left"), ("recipient", "left"), ("period", "left"),
                          ("files", "right"), ("rows", "right"), ("verdict", "left")):
        table.add_column(head, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for f in result.feeds:
        verdict = "[green]released[/]" if f.ok else "[bold red]REJECTED[/]"
        table.add_row(f.feed, f.recipient, f.period, str(len(f.files)), f"{f.rows:,}", verdict)
    # Non-terminals get 80 columns; the table needs a little more to show feed names whole.
    wide = Console(file=console.file, width=max(console.width, 110), highlight=False,
                   no_color=console.no_color, force_terminal=console.is_terminal)
    wide.print(table)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    for f in result.feeds:
        if f.period_note:
            console.print(f"note: {f.feed}: {f.period_note}", markup=False)
    _baseline_lines(result, console)
    for f in result.feeds:
        if f.ok:
            continue
        for file, rule, detail in feed_reasons(f):
            console.print(f"rejected: {f.feed}: {file}: {rule}: {detail}", markup=False)
    released = sum(f.ok for f in result.feeds)
    rejected = len(result.feeds) - released
    built = " (warehouse built)" if result.built_warehouse else ""
    took = result.seconds.get("total", 0.0)
    console.print(f"{len(result.feeds)} feeds: {released} released, {rejected} rejected "
                  f"in {took:.1f} s{built}", markup=False)


_PERIOD_CODES = frozenset({"volume-change", "share-change", "code-vanished", "shift"})


def _baseline_lines(result: CiResult, console: Console) -> None:
    """Notes on the baseline, and period-over-period findings (both periods' figures)."""
    for f in result.feeds:
        if f.report is None:
            continue
        for note in f.report.notes:
            console.print(f"note: {note}", markup=False)
        for fr in f.report.files:
            for x in fr.findings:
                if x.code in _PERIOD_CODES:
                    column = f" {x.column}" if x.column else ""
                    console.print(f"{x.severity}: {f.feed}: {Path(fr.file).name}: {x.code}"
                                  f"{column}: {x.message}", markup=False)


def ci_to_json(result: CiResult) -> dict[str, Any]:
    """The run as JSON-ready data (schema ``contractkit-ci/1``)."""
    return {
        "schema": "contractkit-ci/1",
        "period": result.period,
        "ok": result.ok,
        "warehouse": str(result.warehouse),
        "built_warehouse": result.built_warehouse,
        "notes": list(result.notes),
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
        "feeds": [
            {
                "feed": f.feed,
                "version": f.version,
                "recipient": f.recipient,
                "period": f.period,
                "period_note": f.period_note,
                "folder": str(f.folder),
                "status": f.status,
                "rows": f.rows,
                "files": [{"name": x.path.name, "table": x.table, "scope": x.scope,
                           "rows": x.rows} for x in f.files],
                "problems": [{"file": p.file, "rule": p.rule, "message": p.message}
                             for p in f.problems],
                "report": report_to_json(f.report) if f.report is not None else None,
            }
            for f in result.feeds
        ],
    }


def render_ci_junit(result: CiResult) -> str:
    """JUnit XML: one test suite per feed; a case for dbt, then per file a ``conforms`` case
    and one case per rule of its table, as ``validate --format junit`` gives them
    (class name ``<feed>/<file>``)."""
    suites = ET.Element("testsuites", name=f"contractkit ci {result.period}")
    for f in result.feeds:
        suite = ET.SubElement(suites, "testsuite", name=f.feed)
        dbt = [f"{p.rule}: {p.file}: {p.message}" for p in f.problems]
        case = ET.SubElement(suite, "testcase", classname=f.feed, name="dbt build")
        tests, failures, skipped = 1, 0, 0
        if dbt:
            failures += 1
            ET.SubElement(case, "failure", message=dbt[0]).text = "\n".join(dbt)
        if f.report is None and not f.problems:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=f.feed, name="files")
            failures += 1
            ET.SubElement(case, "failure", message="no file was produced")
        for fr in f.report.files if f.report is not None else ():
            added = file_cases(suite, fr, f"{f.feed}/{Path(fr.file).name}")
            tests, failures, skipped = (a + b for a, b in zip((tests, failures, skipped), added,
                                                              strict=True))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("skipped", str(skipped))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
