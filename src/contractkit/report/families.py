"""Findings on column-family members, summarised per family and code.

A wide register has thousands of member columns (``y_9127`` … ``y_2413``); one report line
per member is unreadable. The text report and JUnit show one entry per family and code:
how many findings, which members (how many of how many), and the first examples. The JSON
report keeps every example finding and the exact count per member.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.report.model import FileReport, Finding

__all__ = ["FamilyLine", "family_lines", "family_rule"]

EXAMPLES = 3
"""Example findings shown per family and code."""
NAMES = 5
"""Member names shown per family and code before "…"."""


@dataclass(frozen=True)
class FamilyLine:
    """The findings of one code on the members of one family.

    Attributes:
        family: the family's display name, e.g. ``y_YYWW``.
        code: the finding code.
        findings: exact number of findings.
        members: the members with at least one finding, in member order (strays last).
        size: the number of members the family has for the file's period.
        examples: the first example findings (by row, then member).
    """

    family: str
    code: str
    findings: int
    members: tuple[str, ...]
    size: int
    examples: tuple[Finding, ...]

    @property
    def every_member(self) -> bool:
        """Whether every expected member has this finding (e.g. a renamed family)."""
        return self.size > 0 and len(self.members) >= self.size

    def members_text(self) -> str:
        """``3 of 1,700: y_2410, y_2411, y_2412`` (at most :data:`NAMES` names)."""
        shown = ", ".join(self.members[:NAMES]) + (", …" if len(self.members) > NAMES else "")
        return f"{len(self.members):,} of {self.size:,}: {shown}"

    def examples_text(self) -> str:
        """``y_2412 row 2: 999; …`` (values as the report holds them, masked if personal)."""
        parts = []
        for f in self.examples:
            where = f"{f.column} row {f.row}" if f.row is not None else f"{f.column}"
            parts.append(where + (f": {f.value}" if f.value is not None else ""))
        return "; ".join(parts)


def family_rule(family: str, code: str) -> str:
    """The rule id of a family's rule as one whole, e.g. ``y_YYWW:not-in-codelist``."""
    return f"{family}:{code}"


def family_lines(fr: FileReport) -> list[FamilyLine]:
    """One line per family and code with findings, in family then code order."""
    by_key: dict[tuple[str, str], list[Finding]] = {}
    for f in fr.findings:
        if f.family is not None:
            by_key.setdefault((f.family, f.code), []).append(f)
    lines = []
    for family, codes in fr.family_counts.items():
        for code, members in codes.items():
            examples = sorted(by_key.get((family, code), []),
                              key=lambda f: (f.row or 0, f.column or ""))
            lines.append(FamilyLine(family, code, sum(members.values()), tuple(members),
                                    fr.family_sizes.get(family, 0), tuple(examples[:EXAMPLES])))
    return lines
