"""JUnit XML for CI systems: one test case per rule per file, passing rules included.

The rules of a column family count as one rule each for the whole family
(``y_YYWW:not-in-codelist``), not one per member: 2,000 week columns give one case.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from contractkit.report.families import family_lines, family_rule
from contractkit.report.model import FileReport, Finding, Report

__all__ = ["file_cases", "render_junit"]


def _rule_of(f: Finding) -> str:
    if f.family is not None:
        return family_rule(f.family, f.code)
    return f.rule or f.code


_ALWAYS_RUN = frozenset({"file_pattern", "file:malformed-file"})
"""Rules judged even when a file cannot be read (its name, its structure)."""


def _cases(fr: FileReport) -> dict[str, tuple[int | None, list[Finding]]]:
    """Rule → its exact findings count (``None`` when only examples are known) and examples.

    Every rule the file was judged by (:attr:`FileReport.rules`) is a case, passing or not;
    rules known only from findings (period-over-period, delivery checks) are added.
    """
    examples: dict[str, list[Finding]] = {}
    for f in fr.findings:
        examples.setdefault(_rule_of(f), []).append(f)
    cases: dict[str, tuple[int | None, list[Finding]]] = {
        rule: (n, examples.get(rule, [])) for rule, n in fr.rules.items()}
    for rule, found in examples.items():
        if rule not in cases:
            cases[rule] = (None, found)
    return cases


def _skipped(fr: FileReport, rule: str) -> str | None:
    """Why a rule that found nothing was not judged at all (``None``: it was)."""
    if fr.rows is None and rule not in _ALWAYS_RUN:
        return "not checked: the file could not be read"
    column = rule.partition(":")[0]
    if fr.rules.get(f"{column}:missing-column") and not rule.endswith(":missing-column"):
        return f"not checked: column {column} is missing"
    return None


def file_cases(suite: ET.Element, fr: FileReport, classname: str) -> tuple[int, int, int]:
    """Add ``fr``'s test cases to ``suite``: ``conforms``, then one per rule.

    A rule that holds is a passing case; a failing rule's case carries its exact count and
    its example findings (values masked); a rule that could not be judged (its column is
    missing, the file unreadable) is skipped.

    Args:
        suite: the ``testsuite`` element.
        fr: the file's report.
        classname: the cases' class name (the file; ``ci`` puts the feed before it).

    Returns:
        How many cases were added, how many fail and how many were skipped.
    """
    tests = failures = skipped = 0
    case = ET.SubElement(suite, "testcase", classname=classname, name="conforms")
    tests += 1
    if not fr.ok:
        failures += 1
        ET.SubElement(case, "failure", type="does-not-conform",
                      message="; ".join(f"{c}: {n}" for c, n in fr.counts.items()))
    summaries = {family_rule(line.family, line.code):
                 f"{line.findings:,} finding(s) on members {line.members_text()}\n"
                 for line in family_lines(fr)}
    for rule, (count, findings) in sorted(_cases(fr).items()):
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=classname, name=rule)
        if count == 0 and (why := _skipped(fr, rule)) is not None:
            skipped += 1
            ET.SubElement(case, "skipped", message=why)
        elif count or findings:
            failures += 1
            code = findings[0].code if findings else rule.rpartition(":")[2]
            head = (f"{count:,} finding(s)" if count is not None
                    else f"{len(findings):,} example finding(s)")
            body = (summaries.get(rule) or f"{head}\n") + "\n".join(
                f"row {f.row if f.row is not None else '-'}"
                f" column {f.column or '-'}: {f.code}: {f.message}"
                + (f" (value {f.value})" if f.value is not None else "")
                for f in findings)
            message = f"{code}: {head}" + (f": {findings[0].message}" if findings else "")
            ET.SubElement(case, "failure", type=code, message=message).text = body
    return tests, failures, skipped


def render_junit(report: Report) -> str:
    """Render ``report`` as JUnit XML: a suite per file, a test case per rule
    (:func:`file_cases`).

    Args:
        report: the report.

    Returns:
        The XML document.
    """
    suites = ET.Element("testsuites", name="contractkit")
    totals = [0, 0, 0]
    for fr in report.files:
        suite = ET.SubElement(suites, "testsuite", name=fr.file)
        counts = file_cases(suite, fr, fr.file)
        for key, n in zip(("tests", "failures", "skipped"), counts, strict=True):
            suite.set(key, str(n))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    for key, n in zip(("tests", "failures", "skipped"), totals, strict=True):
        suites.set(key, str(n))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
