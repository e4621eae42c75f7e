"""Render a cadence :class:`~contractkit.delivery.status.StatusReport` as rich tables."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from contractkit.delivery.status import FeedStatus, PeriodState, PeriodStatus, StatusReport

__all__ = ["render_status_junit", "render_status_text"]

_STYLE = {
    PeriodState.ON_TIME: "green",
    PeriodState.LATE: "yellow",
    PeriodState.MISSING: "red",
    PeriodState.NO_MANIFEST: "red",
    PeriodState.REJECTED: "red",
    PeriodState.PENDING: "yellow",
    PeriodState.NOT_DUE: "dim",
}
_SHOWN_SCOPES = 12


def _scopes(p: PeriodStatus) -> str:
    if not p.missing_scopes:
        return ""
    shown = ", ".join(p.missing_scopes[:_SHOWN_SCOPES])
    more = len(p.missing_scopes) - _SHOWN_SCOPES
    return f"{len(p.missing_scopes)} missing: {shown}" + (f", … (+{more})" if more > 0 else "")


def _feed_table(feed: FeedStatus) -> Table:
    table = Table(title=escape(f"{feed.feed} — {feed.title}"), title_justify="left",
                  caption=f"{feed.frequency}, due {feed.due_days} days after period end; "
                  f"due next: {feed.due_next.period} (by {feed.due_next.due.isoformat()})",
                  caption_justify="left")
    for head in ("period", "due", "state", "delivered at", "missing files"):
        table.add_column(head, overflow="fold")
    for p in feed.periods:
        state = f"[{_STYLE[p.state]}]{p.state.value}[/]"
        table.add_row(p.period, p.due.isoformat(), state, escape(p.generated_at or p.problem or ""),
                      _scopes(p))
    return table


def render_status_text(report: StatusReport, console: Console) -> None:
    """Print one table per feed, then a one-line verdict."""
    for feed in report.feeds:
        console.print(_feed_table(feed))
        if feed.unexpected:
            console.print(f"  [yellow]not a {feed.frequency} period:[/] "
                          + escape(", ".join(feed.unexpected)), highlight=False)
        if feed.after_as_of:
            console.print(f"  [dim]made after {report.as_of.isoformat()}, not counted:[/] "
                          + escape(", ".join(feed.after_as_of)), highlight=False)
    bad = [f.feed for f in report.feeds if not f.ok]
    verdict = ("[green]nothing missing[/]" if not bad
               else f"[red]{len(bad)} feed(s) need action:[/] " + ", ".join(bad))
    console.print(f"{len(report.feeds)} feed(s) as of {report.as_of.isoformat()}: {verdict}")


def render_status_junit(report: StatusReport) -> str:
    """JUnit XML: one test case per feed, failing when a period needs action."""
    suites = ET.Element("testsuites", name="contractkit status")
    suite = ET.SubElement(suites, "testsuite", name=f"as of {report.as_of.isoformat()}")
    failures = 0
    for feed in report.feeds:
        case = ET.SubElement(suite, "testcase", classname="status", name=feed.feed)
        bad = [p for p in feed.periods if p.needs_action]
        if bad:
            failures += 1
            lines = [f"{p.period}: {p.state.value}" + (f" ({_scopes(p)})" if p.missing_scopes
                                                       else "") for p in bad]
            ET.SubElement(case, "failure", type="needs-action",
                          message=f"{len(bad)} period(s) need action").text = "\n".join(lines)
    for element in (suite, suites):
        element.set("tests", str(len(report.feeds)))
        element.set("failures", str(failures))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
