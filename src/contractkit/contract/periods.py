"""Delivery periods: parse a period label, its bounds, due date, and file names.

Labels by frequency: daily ``2024-03-15``, weekly ``2024-W09``, monthly ``2024-03``,
quarterly ``2024-Q1``, yearly ``2024``. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from contractkit.contract.base import PLACEHOLDER, Frequency
from contractkit.errors import UsageError

__all__ = [
    "Period",
    "file_name",
    "file_name_regex",
    "parse_period",
    "period_containing",
    "period_option",
]

_PATTERNS: dict[Frequency, re.Pattern[str]] = {
    Frequency.DAILY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    Frequency.WEEKLY: re.compile(r"^(\d{4})-W(\d{2})$"),
    Frequency.MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    Frequency.QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    Frequency.YEARLY: re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {
    Frequency.DAILY: "2024-03-15",
    Frequency.WEEKLY: "2024-W09",
    Frequency.MONTHLY: "2024-03",
    Frequency.QUARTERLY: "2024-Q1",
    Frequency.YEARLY: "2024",
}
PERIOD_REGEX = {
    Frequency.DAILY: r"\d{4}-\d{2}-\d{2}",
    Frequency.WEEKLY: r"\d{4}-W\d{2}",
    Frequency.MONTHLY: r"\d{4}-\d{2}",
    Frequency.QUARTERLY: r"\d{4}-Q[1-4]",
    Frequency.YEARLY: r"\d{4}",
}


@dataclass(frozen=True, order=True)
class Period:
    """One delivery period: inclusive first and last day, and its label."""

    start: date
    end: date
    label: str
    frequency: Frequency

    def due(self, due_days: int) -> date:
        """The day a delivery for this period is due."""
        return self.end + timedelta(days=due_days)

    def next(self) -> Period:
        """The following period."""
        return period_containing(self.frequency, self.end + timedelta(days=1))

    def previous(self) -> Period:
        """The preceding period."""
        return period_containing(self.frequency, self.start - timedelta(days=1))


def parse_period(frequency: Frequency, label: str) -> Period:
    """Parse ``label`` as a period of ``frequency``.

    Raises:
        ValueError: the label is not of the frequency's form or names no real period.
    """
    m = _PATTERNS[frequency].match(label)
    if not m:
        raise ValueError(
            f"{label!r} is not a {frequency.value} period (expected e.g. {_EXAMPLES[frequency]})"
        )
    year = int(m.group(1))
    try:
        if frequency is Frequency.DAILY:
            start = end = date(year, int(m.group(2)), int(m.group(3)))
        elif frequency is Frequency.WEEKLY:
            start = date.fromisocalendar(year, int(m.group(2)), 1)
            end = start + timedelta(days=6)
        elif frequency is Frequency.MONTHLY:
            start = date(year, int(m.group(2)), 1)
            end = _month_end(start)
        elif frequency is Frequency.QUARTERLY:
            q = int(m.group(2))
            start = date(year, 3 * q - 2, 1)
            end = _month_end(date(year, 3 * q, 1))
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise ValueError(f"{label!r} names no real {frequency.value} period") from None
    return Period(start, end, label, frequency)


def period_option(frequency: Frequency, label: str | None) -> Period | None:
    """The period a ``--period`` option names (``None`` when not given).

    Raises:
        UsageError: the label is not a period of ``frequency``.
    """
    if label is None:
        return None
    try:
        return parse_period(frequency, label)
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None


def period_containing(frequency: Frequency, day: date) -> Period:
    """The period of ``frequency`` that contains ``day``."""
    if frequency is Frequency.DAILY:
        label = day.isoformat()
    elif frequency is Frequency.WEEKLY:
        iso = day.isocalendar()
        label = f"{iso.year}-W{iso.week:02d}"
    elif frequency is Frequency.MONTHLY:
        label = f"{day.year}-{day.month:02d}"
    elif frequency is Frequency.QUARTERLY:
        label = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    else:
        label = str(day.year)
    return parse_period(frequency, label)


def _month_end(first: date) -> date:
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def file_name(pattern: str, period: str, kommune: str | None = None,
              region: str | None = None) -> str:
    """Render a file-name pattern; missing placeholders raise ``KeyError``."""
    values = {"period": period, "kommune": kommune, "region": region}

    def repl(m: re.Match[str]) -> str:
        value = values[m.group(1)]
        if value is None:
            raise KeyError(m.group(1))
        return value

    return PLACEHOLDER.sub(repl, pattern)


def file_name_regex(pattern: str, frequency: Frequency) -> re.Pattern[str]:
    """A regex matching file names of ``pattern`` with named groups per placeholder."""
    parts: list[str] = []
    pos = 0
    for m in PLACEHOLDER.finditer(pattern):
        parts.append(re.escape(pattern[pos : m.start()]))
        name = m.group(1)
        inner = PERIOD_REGEX[frequency] if name == "period" else r"\d{3,4}"
        parts.append(f"(?P<{name}>{inner})")
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("^" + "".join(parts) + "$")
