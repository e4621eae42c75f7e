"""Semantic versions of contracts and the version-bump gate.

Rules (documented in the README, section "Changing a contract"):

* a breaking change needs a major bump, a compatible one at least a minor bump, a patch
  change at least a patch bump — bigger bumps are always allowed;
* while the old version is ``0.y.z`` (initial development) a breaking change needs a minor
  bump and anything else a patch bump;
* a version may never go backwards; a pre-release (``2.0.0-rc.1``) ranks below its release;
* from a pre-release to a later pre-release or to its release any change is allowed
  (pre-releases promise nothing);
* a version bump without changes is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import total_ordering

from contractkit.contract.models import Contract
from contractkit.diff.contracts import diff_contracts
from contractkit.diff.model import Bump, Change, ChangeClass, required_bump

__all__ = ["Version", "VersionProblem", "bump_between", "check_version_bump", "judge_bump"]

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$")


@total_ordering
@dataclass(frozen=True)
class Version:
    """A parsed semantic version with semver precedence (build metadata not supported)."""

    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse ``MAJOR.MINOR.PATCH[-PRERELEASE]``.

        Raises:
            ValueError: not a semantic version.
        """
        m = _SEMVER.match(text)
        if m is None:
            raise ValueError(f"{text!r} is not a semantic version")
        pre = tuple(m.group(4).split(".")) if m.group(4) else ()
        return cls(int(m.group(1)), int(m.group(2)), int(m.group(3)), pre)

    @property
    def core(self) -> tuple[int, int, int]:
        """``(major, minor, patch)``."""
        return self.major, self.minor, self.patch

    def _key(self) -> tuple[tuple[int, int, int], int, tuple[tuple[int, int, str], ...]]:
        # A release ranks above its pre-releases; numeric identifiers rank below alphanumeric.
        ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre)
        return self.core, 0 if self.pre else 1, ids

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        return ".".join(map(str, self.core)) + ("-" + ".".join(self.pre) if self.pre else "")


def bump_between(old: Version, new: Version) -> Bump | None:
    """The increment from ``old`` to ``new`` (``None`` when not an increase of the core).

    ``1.4.2 -> 2.0.0`` is major, ``1.4.2 -> 1.5.0`` minor, ``1.4.2 -> 1.4.3`` patch.
    """
    if new.major > old.major:
        return Bump.MAJOR
    if new.major == old.major and new.minor > old.minor:
        return Bump.MINOR
    if new.major == old.major and new.minor == old.minor and new.patch > old.patch:
        return Bump.PATCH
    return None


@dataclass(frozen=True)
class VersionProblem:
    """Why a new contract version does not carry the bump its changes need.

    Attributes:
        code: ``version-backwards`` or ``version-bump-missing``.
        message: one sentence for people, naming the change that demands the bump.
        required: the bump the changes need (``None`` for ``version-backwards``).
        declared: the bump the versions show (``None`` when the version did not increase).
        change: the change that demands the bump, when there is one.
    """

    code: str
    message: str
    required: Bump | None
    declared: Bump | None
    change: Change | None = None


def judge_bump(old_version: str, new_version: str,
               changes: Sequence[Change]) -> list[VersionProblem]:
    """Check that ``new_version`` carries the bump ``changes`` require.

    Raises:
        ValueError: a version string is not a semantic version.
    """
    old, new = Version.parse(old_version), Version.parse(new_version)
    declared = bump_between(old, new)
    if new < old:
        return [VersionProblem("version-backwards",
                               f"version went backwards: {old} -> {new}", None, declared)]
    need = required_bump(changes, major_zero=old.major == 0)
    if need is None:
        return []
    if old.pre and new > old and (new.core == old.core or new.pre):
        return []  # from a pre-release nothing is promised
    if declared is not None and declared.rank >= need.rank:
        return []
    top = max(changes, key=lambda c: c.change_class.rank)
    same = sum(c.change_class is top.change_class for c in changes) - 1
    why = {ChangeClass.BREAKING: "a breaking change", ChangeClass.COMPATIBLE:
           "a compatible change", ChangeClass.PATCH: "a documentation change"}[top.change_class]
    shown = f"{declared} bump" if declared else "no bump"
    message = (f"{new} needs a {need} bump over {old} (has {shown}): {why} at "
               f"{top.location or 'contract'} ({top.kind}: {top.reason})"
               + (f" and {same} more" if same else ""))
    return [VersionProblem("version-bump-missing", message, need, declared, top)]


def check_version_bump(old: Contract, new: Contract,
                       changes: Sequence[Change] | None = None) -> list[VersionProblem]:
    """Check the version of ``new`` against ``old`` and the changes between them.

    Args:
        old: the released version.
        new: the proposed version.
        changes: the changes between them, if already computed (otherwise computed here,
            without code-list contents).
    """
    if changes is None:
        changes = diff_contracts(old, new)
    return judge_bump(old.version, new.version, changes)
