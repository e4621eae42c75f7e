"""Reports: the data model, masking of personal values, and renderers."""

from contractkit.report.json_report import report_to_json
from contractkit.report.junit import render_junit
from contractkit.report.mask import Masker
from contractkit.report.model import Code, FileReport, Finding, Report, Severity
from contractkit.report.text import render_text

__all__ = [
    "Code",
    "FileReport",
    "Finding",
    "Masker",
    "Report",
    "Severity",
    "render_junit",
    "render_text",
    "report_to_json",
]
