"""A thin, read-only layer over the ``git`` command for ``--against REF``.

Only three plumbing commands are used, each with an argument list (never a shell):
``rev-parse`` (find the repository, check the ref), ``ls-tree`` (list files at the ref) and
``cat-file blob`` (read one file at the ref). Nothing in the repository is changed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from contractkit.errors import GitError

__all__ = ["GitRepo"]

_TIMEOUT = 60


def _run(args: Sequence[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=_TIMEOUT,
                              check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (needed for --against)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {_TIMEOUT} s") from None
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {first[0] if first else 'no message'}")
    return done.stdout


@dataclass(frozen=True)
class GitRepo:
    """A git work tree and one revision in it.

    Attributes:
        root: the top-level folder of the work tree.
        ref: the revision as the user wrote it (e.g. ``origin/main``).
        commit: the commit id it resolves to.
    """

    root: Path
    ref: str
    commit: str

    @classmethod
    def open(cls, ref: str, near: Path) -> GitRepo:
        """Find the repository holding ``near`` and resolve ``ref`` to a commit.

        Raises:
            GitError: not inside a git work tree, or ``ref`` names no commit.
        """
        if not ref or ref.startswith("-"):
            raise GitError(f"{ref!r} is not a git revision")
        folder = near if near.is_dir() else near.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        try:
            top = _run(["rev-parse", "--show-toplevel"], folder).decode().strip()
        except GitError:
            raise GitError(f"{near}: not inside a git work tree (needed for --against)") from None
        root = Path(top)
        try:
            commit = _run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
        except GitError:
            raise GitError(f"{ref!r}: unknown git revision") from None
        return cls(root, ref, commit.decode().strip())

    def relative(self, path: Path) -> PurePosixPath:
        """``path`` relative to the work tree's root (as git names it).

        Raises:
            GitError: the path lies outside the work tree.
        """
        try:
            rel = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            raise GitError(f"{path}: outside the git work tree {self.root}") from None
        return PurePosixPath(rel.as_posix())

    def files(self, under: PurePosixPath) -> list[PurePosixPath]:
        """Files at the revision that are ``under`` (itself, if a file), sorted."""
        spec = "." if str(under) in ("", ".") else str(under)
        out = _run(["ls-tree", "-r", "-z", "--name-only", self.commit, "--", spec], self.root)
        return sorted(PurePosixPath(n) for n in out.decode("utf-8").split("\0") if n)

    def read(self, path: PurePosixPath) -> bytes:
        """The bytes of ``path`` at the revision.

        Raises:
            GitError: the file does not exist at the revision.
        """
        return _run(["cat-file", "blob", f"{self.commit}:{path}"], self.root)

    def label(self, path: PurePosixPath) -> Path:
        """A path-like label for messages: ``REF:path``."""
        return Path(f"{self.ref}:{path}")
