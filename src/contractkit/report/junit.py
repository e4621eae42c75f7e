"""JUnit XML for CI systems: one test case per rule per file.

The rules of a column family count as one rule each for the whole family
(``y_YYWW:not-in-codelist``), not one per member: 2,000 week columns give one case.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from contractkit.report.families import family_lines, family_rule
from contractkit.report.model import FileReport, Finding, Report

__all__ = ["render_junit"]


def _rule_of(f: Finding) -> str:
    if f.family is not None:
        return family_rule(f.family, f.code)
    return f.rule or f.code


def _cases(fr: FileReport) -> dict[str, list[Finding]]:
    """Rule → its example findings; rules with counts but no examples get an empty list."""
    cases: dict[str, list[Finding]] = {}
    for f in fr.findings:
        cases.setdefault(_rule_of(f), []).append(f)
    return cases


def render_junit(report: Report, rules: dict[str, list[str]] | None = None) -> str:
    """Render ``report`` as JUnit XML.

    Args:
        report: the report.
        rules: optional file → every rule id checked, so passing rules appear as passing
            test cases; without it only failing rules and a per-file "conforms" case appear.
    """
    suites = ET.Element("testsuites", name="contractkit")
    total_tests = total_failures = 0
    for fr in report.files:
        cases = _cases(fr)
        for rule in (rules or {}).get(fr.file, []):
            cases.setdefault(rule, [])
        suite = ET.SubElement(suites, "testsuite", name=fr.file)
        failures = 0
        tests = 0
        uncovered = dict(fr.counts)
        for f in fr.findings:
            uncovered[f.code] = uncovered.get(f.code, 0) - 1
        case = ET.SubElement(suite, "testcase", classname=fr.file, name="conforms")
        tests += 1
        if not fr.ok:
            failures += 1
            ET.SubElement(case, "failure", type="does-not-conform",
                          message="; ".join(f"{c}: {n}" for c, n in fr.counts.items()))
        summaries = {family_rule(line.family, line.code):
                     f"{line.findings:,} finding(s) on members {line.members_text()}\n"
                     for line in family_lines(fr)}
        for rule, findings in sorted(cases.items()):
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=fr.file, name=rule)
            if findings:
                failures += 1
                body = summaries.get(rule, "") + "\n".join(
                    f"row {f.row if f.row is not None else '-'}"
                    f" column {f.column or '-'}: {f.code}: {f.message}"
                    + (f" (value {f.value})" if f.value is not None else "")
                    for f in findings)
                ET.SubElement(case, "failure", type=findings[0].code,
                              message=f"{findings[0].code}: {findings[0].message}").text = body
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        total_tests += tests
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
