"""JUnit XML of a contract diff, for CI systems: a suite per contract, a case per change.

The cases fail exactly when ``contractkit diff --fail-on`` makes the run fail: a change at
or above the chosen class (or a governance change). Without a threshold every case passes
(a diff is information); a missing version bump is then written as the case's output.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree as ET

from contractkit.diff.compare import DiffReport
from contractkit.diff.model import Change

__all__ = ["render_diff_junit"]


def _describe(c: Change) -> str:
    values = "" if c.old is None and c.new is None else (
        f"{c.old if c.old is not None else '(none)'} -> "
        f"{c.new if c.new is not None else '(none)'}")
    parts = [f"{c.kind} ({c.change_class}{', governance' if c.governance else ''})", values,
             c.detail, c.reason]
    return "\n".join(p for p in parts if p)


def render_diff_junit(report: DiffReport, failing: Callable[[Change], bool],
                      gate: bool = False) -> str:
    """Render ``report`` as JUnit XML.

    Args:
        report: the diff.
        failing: whether a change fails the run (``--fail-on``).
        gate: whether a threshold was chosen: then a contract whose version lacks the bump
            its changes need fails its ``version`` case.

    Returns:
        The XML document.
    """
    suites = ET.Element("testsuites", name="contractkit diff")
    total_tests = total_failures = 0
    for d in report.contracts:
        name = d.contract_id
        suite = ET.SubElement(suites, "testsuite", name=name)
        tests = failures = 0
        case = ET.SubElement(suite, "testcase", classname=name, name="version")
        tests += 1
        problems = "\n".join(p.message for p in d.problems)
        if problems and gate:
            failures += 1
            ET.SubElement(case, "failure", type=d.problems[0].code,
                          message=d.problems[0].message).text = problems
        elif problems:
            ET.SubElement(case, "system-out").text = problems
        for c in d.changes:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=name,
                                 name=f"{c.location or 'contract'}: {c.kind}")
            if failing(c):
                failures += 1
                ET.SubElement(case, "failure", type=str(c.change_class),
                              message=f"{c.change_class} change: {c.kind}").text = _describe(c)
            else:
                ET.SubElement(case, "system-out").text = _describe(c)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        total_tests += tests
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
