"""Collecting findings of one file: exact counts per code, capped examples per rule."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from contractkit.report.families import family_rule
from contractkit.report.mask import Masker
from contractkit.report.model import Code, FileReport, Finding

__all__ = ["Collector", "Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """The counts and examples of a :class:`Collector` at one moment."""

    counts: dict[str, int]
    examples: dict[str, list[Finding]]
    totals: dict[str, int]
    member_counts: dict[str, dict[str, dict[str, int]]]


class Collector:
    """Accumulates the findings of one file.

    Counts are exact; at most ``max_examples`` example findings are kept per rule.
    Values of personal columns are masked before they are stored. ``families`` maps each
    member column of a column family to the family's display name (``y_YYWW``): findings on
    a member carry it, and counts are also kept per family, code and member (rule ids of
    column rules are ``<column>:<code>``). ``row_map``, while set, turns the row of an
    example into the data row of the original file (rows read from a copy of the file
    without its bad records, see :mod:`contractkit.engine.structure`).
    """

    def __init__(self, file: str, max_examples: int, masker: Masker,
                 personal: Iterable[str] = (), families: Mapping[str, str] | None = None) -> None:
        self.file = file
        self.max_examples = max_examples
        self.masker = masker
        self.personal = frozenset(personal)
        self.counts: dict[str, int] = {}
        self.examples: dict[str, list[Finding]] = {}
        self.totals: dict[str, int] = {}
        self.families: dict[str, str] = dict(families or {})
        self.member_counts: dict[str, dict[str, dict[str, int]]] = {}
        self.family_sizes: dict[str, int] = {}
        self.row_map: Callable[[int], int] | None = None
        for family in self.families.values():
            self.family_sizes[family] = self.family_sizes.get(family, 0) + 1
        self.declared: list[str] = []

    def snapshot(self) -> Snapshot:
        """The findings so far, to :meth:`restore` when a file is judged again."""
        return Snapshot(dict(self.counts), {r: list(f) for r, f in self.examples.items()},
                        dict(self.totals), copy.deepcopy(self.member_counts))

    def restore(self, snapshot: Snapshot) -> None:
        """Go back to the findings of ``snapshot``."""
        self.counts = dict(snapshot.counts)
        self.examples = {r: list(f) for r, f in snapshot.examples.items()}
        self.totals = dict(snapshot.totals)
        self.member_counts = copy.deepcopy(snapshot.member_counts)
        self.row_map = None

    def declare(self, rules: Iterable[str]) -> None:
        """Name the rules the file is judged by, so passing rules are reported too."""
        self.declared.extend(rules)

    def _rule_counts(self) -> dict[str, int]:
        """Every declared or failed rule → its exact findings (a family's members as one)."""
        out: dict[str, int] = {}
        for rule, n in [*((r, 0) for r in self.declared), *self.totals.items()]:
            member, sep, code = rule.partition(":")
            family = self.families.get(member) if sep else None
            key = family_rule(family, code) if family is not None else rule
            out[key] = out.get(key, 0) + n
        return dict(sorted(out.items()))

    def count(self, code: Code, n: int = 1, rule: str | None = None) -> None:
        """Add ``n`` to the exact count of ``code`` (and of ``rule``, for truncation)."""
        if n:
            self.counts[str(code)] = self.counts.get(str(code), 0) + n
            key = rule or str(code)
            self.totals[key] = self.totals.get(key, 0) + n
            member = key.partition(":")[0]
            family = self.families.get(member)
            if family is not None:
                per_code = self.member_counts.setdefault(family, {}).setdefault(str(code), {})
                per_code[member] = per_code.get(member, 0) + n

    @property
    def truncated(self) -> bool:
        """Whether some counted findings have no example."""
        return any(n > len(self.examples.get(rule, [])) for rule, n in self.totals.items())

    def room(self, rule: str) -> int:
        """How many more examples rule ``rule`` may keep."""
        return self.max_examples - len(self.examples.get(rule, []))

    def example(self, code: Code, rule: str, message: str, *, column: str | None = None,
                row: int | None = None, value: object = None, personal: bool | None = None) -> None:
        """Keep one example finding (if the rule has room); does not change counts."""
        if self.room(rule) <= 0:
            return
        is_personal = (column in self.personal) if personal is None else personal
        if row is not None and self.row_map is not None:
            row = self.row_map(row)
        shown = self.masker.show(value, is_personal)
        self.examples.setdefault(rule, []).append(
            Finding(str(code), message, self.file, column, row, shown, "error", rule,
                    self.families.get(column) if column is not None else None))

    def add(self, code: Code, rule: str, message: str, *, column: str | None = None,
            row: int | None = None, value: object = None, personal: bool | None = None) -> None:
        """Count one finding and keep it as an example if there is room."""
        self.count(code, 1, rule)
        self.example(code, rule, message, column=column, row=row, value=value,
                     personal=personal)

    def report(self, *, contract_id: str, contract_version: str, table: str | None,
               rows: int | None) -> FileReport:
        """The finished file report (examples ordered by row, then rule)."""
        findings = sorted((f for fs in self.examples.values() for f in fs),
                          key=lambda f: (f.row is not None, f.row or 0, f.rule or "", f.code))
        order = {m: i for i, m in enumerate(self.families)}
        families = {fam: {code: dict(sorted(members.items(), key=lambda kv: order[kv[0]]))
                          for code, members in sorted(codes.items())}
                    for fam, codes in self.member_counts.items()}
        return FileReport(self.file, contract_id, contract_version, table, rows,
                          dict(sorted(self.counts.items())), tuple(findings), self.truncated,
                          family_counts=families, family_sizes=dict(self.family_sizes),
                          rules=self._rule_counts() if self.declared else {})
