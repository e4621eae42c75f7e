"""The JSON report (schema ``contractkit-report/1``, see ``schemas/report.schema.json``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from contractkit.report.model import FileReport, Finding, Report

__all__ = ["REPORT_SCHEMA_ID", "report_to_json"]

REPORT_SCHEMA_ID = "contractkit-report/1"


def _finding(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"code": f.code, "severity": f.severity, "rule": f.rule,
                           "column": f.column, "row": f.row, "value": f.value,
                           "message": f.message}
    if f.comparison is not None:
        out["comparison"] = asdict(f.comparison)
    return out


def _file(f: FileReport) -> dict[str, Any]:
    return {
        "file": f.file,
        "contract": {"id": f.contract_id, "version": f.contract_version},
        "table": f.table,
        "rows": f.rows,
        "ok": f.ok,
        "counts": dict(f.counts),
        "truncated": f.truncated,
        "findings": [_finding(x) for x in f.findings],
    }


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (values already masked)."""
    out: dict[str, Any] = {"schema": REPORT_SCHEMA_ID, "ok": report.ok,
                           "files": [_file(f) for f in report.files]}
    if report.notes:
        out["notes"] = list(report.notes)
    return out
