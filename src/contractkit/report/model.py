"""The report data model: findings with stable codes, per-file reports, the whole report.

Findings are values, never exceptions. Every finding carries a stable kebab-case
:class:`Code`; each contract rule kind maps to exactly one code. Values shown in a
finding are already masked when their column holds personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Code", "Comparison", "FileReport", "Finding", "Report", "Severity"]


class Code(StrEnum):
    """Stable finding codes (kebab-case; part of the public interface)."""

    MISSING_COLUMN = "missing-column"
    EXTRA_COLUMN = "extra-column"
    WRONG_TYPE = "wrong-type"
    NOT_NULL = "not-null"
    DUPLICATE_KEY = "duplicate-key"
    NOT_UNIQUE = "not-unique"
    OUT_OF_RANGE = "out-of-range"
    NOT_ALLOWED = "not-allowed"
    NOT_IN_CODELIST = "not-in-codelist"
    PATTERN_MISMATCH = "pattern-mismatch"
    TOO_LONG = "too-long"
    BAD_CPR = "bad-cpr"
    BAD_PSEUDONYM = "bad-pseudonym"
    BAD_ISO_WEEK = "bad-iso-week"
    BAD_PERIOD_LABEL = "bad-period-label"
    ROW_COUNT = "row-count"
    OUT_OF_SCOPE = "out-of-scope"
    OUT_OF_PERIOD = "out-of-period"
    BAD_FILE_NAME = "bad-file-name"
    MALFORMED_FILE = "malformed-file"
    BELOW_MIN_CELL_SIZE = "below-min-cell-size"
    BROKEN_REFERENCE = "broken-reference"
    VOLUME_CHANGE = "volume-change"
    SHARE_CHANGE = "share-change"
    CODE_VANISHED = "code-vanished"
    SHIFT = "shift"


class Severity(StrEnum):
    """How bad a finding is: only errors make a file non-conforming."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Comparison:
    """Both periods' figures behind a period-over-period finding (aggregates only).

    Attributes:
        baseline_period: the period of the baseline (the last released delivery).
        period: the period of the file judged.
        baseline: the figure in the baseline (a row count, a share in percent, a mean …);
            ``None`` when it was suppressed (below the minimum cell size).
        current: the same figure now.
        change: ``current - baseline`` in ``unit``; ``None`` when it cannot be computed.
        unit: ``percent`` (relative change) or ``points`` (percentage points).
        statistic: what the figures are: ``rows``, ``share``, ``count`` or a statistic
            such as ``mean`` or ``p50``.
    """

    baseline_period: str
    period: str | None
    baseline: float | None
    current: float | None
    change: float | None
    unit: str
    statistic: str


@dataclass(frozen=True)
class Finding:
    """One problem found in a delivered file.

    Attributes:
        code: one of :class:`Code`.
        message: explanation; never contains a raw personal value.
        file: the file the finding is about.
        column: the column, when the finding is about one.
        row: 1-based data row (header not counted); ``None`` for file-level findings.
        value: example value, already masked if the column is personal.
        severity: ``error`` or ``warning``.
        rule: the contract rule that failed, e.g. ``timer:out-of-range`` or ``primary_key``.
        family: the column family (``y_YYWW``) the column is a member of, if any.
        comparison: both periods' figures, for period-over-period findings.
    """

    code: str
    message: str
    file: str
    column: str | None = None
    row: int | None = None
    value: str | None = None
    severity: str = "error"
    rule: str | None = None
    family: str | None = None
    comparison: Comparison | None = None


@dataclass(frozen=True)
class FileReport:
    """The result of validating one file against one table of a contract.

    Attributes:
        file: the file.
        contract_id: id of the contract.
        contract_version: version of the contract.
        table: the table the file was judged against (``None`` if none could be chosen).
        rows: data rows read (``None`` if the file could not be read).
        counts: exact number of findings per code, even when examples are capped.
        findings: example findings, at most ``max_examples`` per rule.
        truncated: whether some findings were left out of ``findings``.
        warning_codes: codes whose findings are warnings (they do not fail the file).
        family_counts: exact findings per column family, code and member column, in member
            order (``{"y_YYWW": {"not-in-codelist": {"y_2401": 3}}}``); empty without families.
        family_sizes: the number of expected members per column family for the file's period.
        rules: every rule the file was judged by → its exact number of findings (0: the rule
            holds); a column family's rules count once for the whole family
            (``y_YYWW:not-in-codelist``). Empty when the rules are not known.
    """

    file: str
    contract_id: str
    contract_version: str
    table: str | None
    rows: int | None
    counts: dict[str, int]
    findings: tuple[Finding, ...]
    truncated: bool
    warning_codes: frozenset[str] = field(default_factory=frozenset)
    family_counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    family_sizes: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no error-severity finding was counted."""
        return not any(n > 0 for code, n in self.counts.items() if code not in self.warning_codes)


@dataclass(frozen=True)
class Report:
    """The result of one validation run over one or more files."""

    files: tuple[FileReport, ...]
    notes: tuple[str, ...] = ()
    """Remarks that are not findings, e.g. that a first period has no baseline."""

    @property
    def ok(self) -> bool:
        """True when every file conforms."""
        return all(f.ok for f in self.files)

    @property
    def counts(self) -> dict[str, int]:
        """Findings per code summed over all files."""
        total: dict[str, int] = {}
        for f in self.files:
            for code, n in f.counts.items():
                total[code] = total.get(code, 0) + n
        return total

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text (schema ``contractkit-report/1``, values masked).

        Args:
            indent: indentation (``None``: one line).

        Returns:
            The JSON document ``contractkit validate --format json`` prints.
        """
        import json

        from contractkit.report.json_report import report_to_json

        return json.dumps(report_to_json(self), indent=indent, ensure_ascii=False)

    def findings_frame(self) -> pl.DataFrame:
        """The example findings of every file as one polars DataFrame (values masked).

        Returns:
            One row per finding with columns ``file, contract_id, contract_version, table,
            code, severity, rule, column, row, value, message``; counts per code (exact even
            when examples were capped) are in :attr:`counts`.
        """
        import polars as pl

        schema = {"file": pl.String, "contract_id": pl.String, "contract_version": pl.String,
                  "table": pl.String, "code": pl.String, "severity": pl.String,
                  "rule": pl.String, "column": pl.String, "row": pl.Int64, "value": pl.String,
                  "message": pl.String}
        rows = [{"file": x.file, "contract_id": f.contract_id,
                 "contract_version": f.contract_version, "table": f.table, "code": str(x.code),
                 "severity": x.severity, "rule": x.rule, "column": x.column, "row": x.row,
                 "value": x.value, "message": x.message}
                for f in self.files for x in f.findings]
        return pl.DataFrame(rows, schema=schema)
