"""Build the register of deliveries: gather contracts, history and verdicts, write the site.

The site is static (HTML with inline CSS/JS, no external assets) plus a Markdown twin. It is
rendered only from contract text, code lists, git history and checked manifest fields —
never from delivered data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from contractkit.catalog.history import HistoryEntry, git_history
from contractkit.catalog.labels import Lang, enum_label, labels
from contractkit.catalog.verdicts import Verdict, read_verdicts
from contractkit.contract.codelists import CodeList
from contractkit.contract.models import (
    ColumnFamily,
    ColumnRules,
    Contract,
    Direction,
    SemanticType,
)
from contractkit.errors import UsageError
from contractkit.loader import (
    LoadedContract,
    default_codelist_dir,
    discover_contract_files,
    load_codelists,
    load_contract,
)

__all__ = ["CatalogResult", "FeedEntry", "PartyGroup", "build_catalog", "collect_feeds"]

_SEMANTIC_CODELISTS = {SemanticType.KOMMUNE_KODE: "kommuner", SemanticType.REGION_KODE: "regioner"}


@dataclass(frozen=True)
class FeedEntry:
    """One feed as the catalog shows it."""

    loaded: LoadedContract
    history: list[HistoryEntry] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    codelists: list[CodeList] = field(default_factory=list)

    @property
    def contract(self) -> Contract:
        """The feed's contract."""
        return self.loaded.contract


@dataclass(frozen=True)
class PartyGroup:
    """The feeds of one recipient (outbound) or one provider (inbound)."""

    code: str
    name: str
    feeds: list[FeedEntry]


@dataclass(frozen=True)
class CatalogResult:
    """What :func:`build_catalog` wrote.

    Attributes:
        out: the output folder.
        feeds: ids of the feeds listed.
        files: every file written.
    """

    out: Path
    feeds: tuple[str, ...]
    files: tuple[Path, ...]


def _codelist_names(contract: Contract) -> list[str]:
    names: list[str] = []
    for table in contract.tables:
        for col in [*table.columns, *table.column_families]:
            name = col.codelist or (_SEMANTIC_CODELISTS.get(col.semantic) if col.semantic
                                    else None)
            if name is not None and name not in names:
                names.append(name)
    return names


def collect_feeds(paths: Sequence[Path], *, deliveries: Path | None = None,
                  recipient: str | None = None, purpose: str | None = None,
                  history: bool = True) -> list[FeedEntry]:
    """Load every contract under ``paths`` with its history, verdicts and code lists.

    Raises:
        UsageError: a path is missing, or two contracts share an id.
        ContractError: a contract is invalid (a register must not silently omit a feed).
    """
    lists_by_dir: dict[Path, dict[str, CodeList]] = {}
    feeds: list[FeedEntry] = []
    seen: dict[str, Path] = {}
    for path in discover_contract_files(paths):
        lc = load_contract(path)
        c = lc.contract
        if c.id in seen:
            raise UsageError(f"{path}: contract id {c.id!r} is also used by {seen[c.id]}")
        seen[c.id] = path
        if recipient is not None and recipient.lower() not in (c.recipient.code.lower(),
                                                               c.provider.code.lower()):
            continue
        if purpose is not None and c.purpose.value != purpose:
            continue
        folder = default_codelist_dir(path)
        if folder not in lists_by_dir:
            lists_by_dir[folder] = load_codelists(folder)[0]
        available = lists_by_dir[folder]
        feeds.append(FeedEntry(
            loaded=lc,
            history=git_history(path) if history else [],
            verdicts=read_verdicts(deliveries, c) if deliveries is not None else [],
            codelists=[available[n] for n in _codelist_names(c) if n in available],
        ))
    return feeds


def group_feeds(feeds: Iterable[FeedEntry], direction: Direction) -> list[PartyGroup]:
    """Outbound feeds grouped per recipient, inbound feeds per provider, sorted by name."""
    groups: dict[str, PartyGroup] = {}
    for f in feeds:
        c = f.contract
        if c.direction is not direction:
            continue
        party = c.recipient if direction is Direction.OUTBOUND else c.provider
        group = groups.setdefault(party.code, PartyGroup(party.code, party.name, []))
        group.feeds.append(f)
    for g in groups.values():
        g.feeds.sort(key=lambda f: f.contract.id)
    return sorted(groups.values(), key=lambda g: g.name.casefold())


def _number(value: float | date) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def family_range(family: ColumnFamily, lang: Lang) -> str:
    """Which members a family has, e.g. "one per ISO week from 1991-W27 through the
    delivery period" (one catalog row stands for them all)."""
    lab = labels(lang)
    unit = family.unit.value
    if family.last_offset == 0:
        end = lab["family_through"]
    else:
        end = lab[f"family_before_{unit}"].format(n=-family.last_offset)
    return f"{lab[f'family_{unit}']} {lab['family_from']} {family.first} {end}"


def column_rules(column: ColumnRules, lang: Lang) -> list[tuple[str, str]]:
    """The checks on ``column`` as ``(label, value)`` pairs for display."""
    lab = labels(lang)
    rules: list[tuple[str, str]] = []
    if column.semantic is not None:
        rules.append((lab["rule_semantic"], column.semantic.value))
    if column.allowed_values is not None:
        rules.append((lab["rule_allowed"], ", ".join(map(str, column.allowed_values))))
    if column.codelist is not None:
        rules.append((lab["rule_codelist"], column.codelist))
    if column.range is not None:
        low = _number(column.range.min) if column.range.min is not None else "…"
        high = _number(column.range.max) if column.range.max is not None else "…"
        rules.append((lab["rule_range"], f"{low} – {high}"))
    if column.pattern is not None:
        rules.append((lab["rule_pattern"], column.pattern))
    if column.max_length is not None:
        rules.append((lab["rule_max_length"], str(column.max_length)))
    return rules


def build_catalog(paths: Sequence[Path], out: Path, *, deliveries: Path | None = None,
                  lang: Lang = Lang.DA, recipient: str | None = None,
                  purpose: str | None = None) -> CatalogResult:
    """Write the register (HTML + Markdown) for the contracts under ``paths`` into ``out``.

    Raises:
        UsageError: bad paths, ``out`` is a file, or ``deliveries`` is not a folder.
        ContractError: a contract is invalid.
    """
    from contractkit.catalog.render import render_site

    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if deliveries is not None and not deliveries.is_dir():
        raise UsageError(f"{deliveries}: no such deliveries folder")
    feeds = collect_feeds(paths, deliveries=deliveries, recipient=recipient, purpose=purpose)
    files = render_site(feeds, out, lang=lang, with_verdicts=deliveries is not None)
    return CatalogResult(out, tuple(f.contract.id for f in feeds), tuple(files))


def personal_label(contract: Contract, lang: Lang) -> str:
    """Whether the feed carries personal data, and in what form."""
    return enum_label("personal_data", contract.personal_data.value, lang)
