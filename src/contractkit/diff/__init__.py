"""Contract evolution: classify every change between two contract versions.

Pure functions over two :class:`~contractkit.contract.models.Contract` models
(:func:`diff_contracts`, :func:`check_version_bump`), an I/O edge that loads files or reads
them at a git revision (:func:`diff_files`, :func:`diff_against`), and renderers
(text, JSON ``contractkit-diff/1``, Markdown changelog).
"""

from __future__ import annotations

from contractkit.diff.compare import (
    ContractDiff,
    DiffReport,
    diff_against,
    diff_files,
    diff_loaded,
)
from contractkit.diff.contracts import diff_contracts
from contractkit.diff.model import Bump, Change, ChangeClass, ChangeKind, required_bump
from contractkit.diff.render import (
    diff_to_json,
    render_markdown,
    render_text,
    render_version_gate,
)
from contractkit.diff.semver import Version, VersionProblem, check_version_bump, judge_bump

__all__ = [
    "Bump",
    "Change",
    "ChangeClass",
    "ChangeKind",
    "ContractDiff",
    "DiffReport",
    "Version",
    "VersionProblem",
    "check_version_bump",
    "diff_against",
    "diff_contracts",
    "diff_files",
    "diff_loaded",
    "diff_to_json",
    "judge_bump",
    "render_markdown",
    "render_text",
    "render_version_gate",
    "required_bump",
]
