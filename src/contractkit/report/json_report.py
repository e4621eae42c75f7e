"""The JSON report (schema ``contractkit-report/1``, see ``schemas/report.schema.json``).

Fields added within version 1 are optional and appear only where they apply (``family``
on a finding about a column-family member, ``families`` on a file with such findings), so
a report without families is the same as before and old readers keep working.
"""

from __future__ import annotations

from typing import Any

from contractkit.report.model import FileReport, Finding, Report

__all__ = ["REPORT_SCHEMA_ID", "report_to_json"]

REPORT_SCHEMA_ID = "contractkit-report/1"


def _finding(f: Finding) -> dict[str, Any]:
    out = {"code": f.code, "severity": f.severity, "rule": f.rule, "column": f.column,
           "row": f.row, "value": f.value, "message": f.message}
    if f.family is not None:
        out["family"] = f.family
    return out


def _families(f: FileReport) -> dict[str, Any]:
    return {family: {"members": f.family_sizes.get(family, 0), "counts": codes}
            for family, codes in f.family_counts.items()}


def _file(f: FileReport) -> dict[str, Any]:
    out = {
        "file": f.file,
        "contract": {"id": f.contract_id, "version": f.contract_version},
        "table": f.table,
        "rows": f.rows,
        "ok": f.ok,
        "counts": dict(f.counts),
        "truncated": f.truncated,
        "findings": [_finding(x) for x in f.findings],
    }
    if f.family_counts:  # only for files with findings on column-family members
        out["families"] = _families(f)
    return out


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (values already masked)."""
    return {"schema": REPORT_SCHEMA_ID, "ok": report.ok,
            "files": [_file(f) for f in report.files]}
