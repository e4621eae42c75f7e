"""Diff contract files: two files, or every contract against a git revision.

This is the I/O edge of the diff package: it loads contracts (and their code lists, so a
code list that grows is seen), pairs old and new versions and hands the models to the
pure :func:`~contractkit.diff.contracts.diff_contracts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from contractkit.contract.codelists import CodeList
from contractkit.diff.contracts import diff_contracts
from contractkit.diff.git import GitRepo
from contractkit.diff.model import Bump, Change, ChangeKind, required_bump
from contractkit.diff.semver import Version, VersionProblem, bump_between, judge_bump
from contractkit.errors import ContractError, UsageError
from contractkit.loader import (
    LoadedContract,
    default_codelist_dir,
    discover_contract_files,
    load_codelists,
    load_contract,
    load_contract_text,
    load_yaml,
)

__all__ = ["ContractDiff", "DiffReport", "diff_against", "diff_files", "diff_loaded"]

CodeLists = Mapping[str, CodeList]


@dataclass(frozen=True)
class ContractDiff:
    """The changes between two versions of one contract (or its addition/removal).

    Attributes:
        contract_id: the id (the new one when it changed).
        old_path: where the old version was read (``REF:path`` for a git revision).
        new_path: where the new version was read.
        old_version: the old version string (``None`` for an added contract).
        new_version: the new version string (``None`` for a removed contract).
        changes: every change, in document order.
        problems: why the new version lacks the bump the changes need (empty when fine).
    """

    contract_id: str
    old_path: str | None
    new_path: str | None
    old_version: str | None
    new_version: str | None
    changes: tuple[Change, ...]
    problems: tuple[VersionProblem, ...] = ()

    @property
    def status(self) -> str:
        """``added``, ``removed``, ``changed`` or ``unchanged``."""
        if self.old_version is None:
            return "added"
        if self.new_version is None:
            return "removed"
        return "changed" if self.changes else "unchanged"

    @property
    def required_bump(self) -> Bump | None:
        """The bump the changes need (``None`` for added/removed/unchanged contracts)."""
        if self.old_version is None or self.new_version is None:
            return None
        return required_bump(self.changes, major_zero=Version.parse(self.old_version).major == 0)

    @property
    def declared_bump(self) -> Bump | None:
        """The bump the two versions show."""
        if self.old_version is None or self.new_version is None:
            return None
        return bump_between(Version.parse(self.old_version), Version.parse(self.new_version))


@dataclass(frozen=True)
class DiffReport:
    """The diffs of a set of contracts.

    Attributes:
        contracts: one entry per contract (added, removed, changed or unchanged).
        against: the git revision compared against, if any.
        skipped: contracts that could not be compared (invalid on one side), with why.
    """

    contracts: tuple[ContractDiff, ...]
    against: str | None = None
    skipped: tuple[str, ...] = field(default=())

    @property
    def changes(self) -> list[Change]:
        """Every change of every contract."""
        return [c for d in self.contracts for c in d.changes]

    @property
    def problems(self) -> list[VersionProblem]:
        """Every version problem of every contract."""
        return [p for d in self.contracts for p in d.problems]


def diff_loaded(old: LoadedContract | None, new: LoadedContract | None,
                old_lists: CodeLists | None = None, new_lists: CodeLists | None = None,
                old_label: str | None = None) -> ContractDiff:
    """Diff two loaded contracts; either may be ``None`` (added or removed contract)."""
    old_path = old_label or (str(old.path) if old else None)
    if old is None:
        if new is None:
            raise UsageError("nothing to compare")
        change = Change(ChangeKind.CONTRACT_ADDED, "", new=new.contract.id)
        return ContractDiff(new.contract.id, None, str(new.path), None, new.contract.version,
                            (change,))
    if new is None:
        change = Change(ChangeKind.CONTRACT_REMOVED, "", old=old.contract.id)
        return ContractDiff(old.contract.id, old_path, None, old.contract.version, None,
                            (change,))
    changes = tuple(diff_contracts(old.contract, new.contract, old_codelists=old_lists,
                                   new_codelists=new_lists))
    problems = tuple(judge_bump(old.contract.version, new.contract.version, changes))
    return ContractDiff(new.contract.id, old_path, str(new.path), old.contract.version,
                        new.contract.version, changes, problems)


def _lists_beside(path: Path, cache: dict[Path, dict[str, CodeList]] | None = None
                  ) -> dict[str, CodeList]:
    folder = default_codelist_dir(path)
    if cache is not None and folder in cache:
        return cache[folder]
    lists, _problems = load_codelists(folder)  # problems are lint's business
    if cache is not None:
        cache[folder] = lists
    return lists


def diff_files(old: str | Path, new: str | Path) -> DiffReport:
    """Diff two contract files (each with the code lists beside it).

    Args:
        old: the old version's file.
        new: the new version's file.

    Returns:
        The report with one entry, the contract's changes.

    Raises:
        UsageError: a path does not exist.
        ContractError: a file is not a valid contract.
    """
    old, new = Path(old), Path(new)
    old_lc, new_lc = load_contract(old), load_contract(new)
    return DiffReport((diff_loaded(old_lc, new_lc, _lists_beside(old), _lists_beside(new)),))


def _is_contract(path: PurePosixPath, under: PurePosixPath) -> bool:
    """Mirror :func:`discover_contract_files`: YAML files, code-list folders excluded."""
    if path.suffix not in (".yaml", ".yml"):
        return False
    if path == under:
        return True
    inner = path if str(under) == "." else path.relative_to(under)
    return "codelists" not in inner.parts


class _AtRef:
    """Contracts and code lists as they were at a git revision."""

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.all_files = set(repo.files(PurePosixPath(".")))
        self._lists: dict[PurePosixPath, dict[str, CodeList]] = {}

    def text(self, path: PurePosixPath) -> str:
        raw = self.repo.read(path)
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ContractError(self.repo.label(path), []) from None

    def load(self, path: PurePosixPath) -> LoadedContract:
        return load_contract_text(self.text(path), self.repo.label(path))

    def codelists(self, contract: PurePosixPath) -> dict[str, CodeList]:
        for parent in contract.parents:
            folder = parent / "codelists"
            files = sorted(f for f in self.all_files if f.parent == folder
                           and f.suffix in (".yaml", ".yml"))
            if files:
                if folder not in self._lists:
                    self._lists[folder] = self._read_lists(files)
                return self._lists[folder]
        return {}

    def _read_lists(self, files: list[PurePosixPath]) -> dict[str, CodeList]:
        lists: dict[str, CodeList] = {}
        for f in files:
            try:
                data, _ = load_yaml(self.text(f), self.repo.label(f))
                codelist = CodeList.model_validate(data)
            except (ContractError, ValidationError):
                continue  # an invalid list at the revision counts as unknown, not as empty
            lists[codelist.id] = codelist
        return lists


def diff_against(ref: str, paths: Sequence[str | Path], *, skip_invalid: bool = False,
                 near: str | Path | None = None) -> DiffReport:
    """Diff every contract under ``paths`` against the same files at git revision ``ref``.

    Contracts are paired by path, then (for moved files) by id; a contract only at the
    revision is *removed*, one only in the work tree is *added*.

    Args:
        ref: a git revision, e.g. ``origin/main`` or ``HEAD~1``.
        paths: contract files or folders in the work tree (they may be gone from it).
        skip_invalid: record a contract that cannot be loaded on either side in
            ``skipped`` instead of raising (``lint`` reports invalid contracts itself).
        near: where to look for the repository (default: the first path).

    Returns:
        One entry per contract: added, removed, changed or unchanged.

    Raises:
        GitError: not a git work tree, unknown revision, git failed.
        UsageError: a path exists neither in the work tree nor at the revision.
        ContractError: a contract cannot be loaded (unless ``skip_invalid``).
    """
    given = [Path(p) for p in paths]
    repo = GitRepo.open(ref, Path(near or (given[0] if given else Path.cwd())).absolute())
    at_ref = _AtRef(repo)
    skipped: list[str] = []
    invalid: set[PurePosixPath] = set()
    lists_now: dict[Path, dict[str, CodeList]] = {}
    old: dict[PurePosixPath, tuple[LoadedContract, dict[str, CodeList]]] = {}
    new: dict[PurePosixPath, tuple[LoadedContract, dict[str, CodeList]]] = {}
    for p in given:
        under = repo.relative(p)
        before = [f for f in at_ref.all_files if _under(f, under) and _is_contract(f, under)]
        if not p.exists() and not before:
            raise UsageError(f"{p}: no such file or directory (neither now nor at {ref})")
        for f in sorted(before):
            try:
                old[f] = (at_ref.load(f), at_ref.codelists(f))
            except ContractError as exc:
                if not skip_invalid:
                    raise
                skipped.append(f"{repo.label(f)}: invalid at {ref}: {exc}")
                invalid.add(f)
        for file in discover_contract_files([p]) if p.exists() else []:
            rel = repo.relative(file)
            try:
                new[rel] = (load_contract(file), _lists_beside(file, lists_now))
            except ContractError as exc:
                if not skip_invalid:
                    raise
                skipped.append(f"{file}: invalid now: {exc}")
                invalid.add(rel)
    for rel in invalid:
        old.pop(rel, None)
        new.pop(rel, None)
    return DiffReport(tuple(_pair(old, new, repo)), ref, tuple(skipped))


def _under(path: PurePosixPath, under: PurePosixPath) -> bool:
    return str(under) == "." or path == under or under in path.parents


def _pair(old: dict[PurePosixPath, tuple[LoadedContract, dict[str, CodeList]]],
          new: dict[PurePosixPath, tuple[LoadedContract, dict[str, CodeList]]],
          repo: GitRepo) -> list[ContractDiff]:
    out: list[ContractDiff] = []
    unmatched_old = {p: v for p, v in old.items() if p not in new}
    by_id = {v[0].contract.id: p for p, v in unmatched_old.items()}
    for rel, (lc, lists) in new.items():
        key = rel if rel in old else by_id.get(lc.contract.id)
        if key is None or (key != rel and key not in unmatched_old):
            out.append(diff_loaded(None, lc))  # a new contract
            continue
        o_lc, o_lists = old[key]
        unmatched_old.pop(key, None)
        out.append(diff_loaded(o_lc, lc, o_lists, lists, str(repo.label(key))))
    for key, (o_lc, _) in sorted(unmatched_old.items()):
        out.append(diff_loaded(o_lc, None, old_label=str(repo.label(key))))
    return out
