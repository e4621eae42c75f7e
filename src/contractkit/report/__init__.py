"""Reports: the data model, masking of personal values, and renderers.

The renderers load on first use: ``contractkit validate`` printing text does not import the
JSON or JUnit writers, and ``import contractkit`` does not import rich.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from contractkit.report.mask import Masker
from contractkit.report.model import Code, FileReport, Finding, Report, Severity

if TYPE_CHECKING:
    from contractkit.report.json_report import report_to_json
    from contractkit.report.junit import render_junit
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

_RENDERERS = {"render_junit": "junit", "render_text": "text", "report_to_json": "json_report"}


def __getattr__(name: str) -> object:
    module = _RENDERERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"contractkit.report.{module}"), name)
