"""Cut one recipient's delivery out of the producer's: what STAR sends each municipality.

A per-municipality/region feed is produced as one folder holding every recipient's file and
one manifest listing them all. :func:`extract_delivery` copies the files of one scope (and
the unscoped ones) into a new folder with a manifest for that scope: the producer's entries
unchanged (hashes, rows, tables), the contract and time it was built under unchanged, and a
top-level ``"scope"``. ``verify`` on the result passes when the producer's did, and a file of
another municipality put into it later is a ``scope-mismatch``.

The target folder appears whole or not at all: everything is written into a temporary
sibling folder that is renamed when complete. Each copied file is hashed on the way and
must match its manifest entry, so a changed source file is never passed on under the
producer's hash.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from contractkit.contract.scopes import normalise_scope_code
from contractkit.delivery.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestFile,
    read_manifest,
    write_manifest,
)
from contractkit.errors import DeliveryError, UsageError

__all__ = ["Extract", "extract_delivery"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Extract:
    """The result of cutting one recipient's delivery.

    Attributes:
        folder: the new delivery folder.
        manifest: its manifest (scope set, only the recipient's entries).
        skipped: how many entries of other scopes were left out.
    """

    folder: Path
    manifest: Manifest
    skipped: int


def _copy_checked(source: Path, target: Path, entry: ManifestFile) -> None:
    """Copy ``source`` to ``target`` hashing the bytes; they must match the manifest."""
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except FileNotFoundError:
        raise DeliveryError(f"{source}: listed in the manifest but not in the delivery "
                            "folder; nothing extracted", source) from None
    except OSError as exc:
        raise DeliveryError(f"{source}: cannot be copied ({exc.strerror})", source) from None
    if digest.hexdigest() != entry.sha256:
        raise DeliveryError(f"{source}: its SHA-256 differs from the manifest (changed, "
                            "truncated or substituted); nothing extracted", source)


def _target_free(out_dir: Path, source: Path) -> None:
    if out_dir.resolve() == source.resolve() or out_dir.resolve().is_relative_to(
            source.resolve()):
        raise UsageError(f"{out_dir}: extract never writes into the delivery it reads "
                         f"({source})")
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise UsageError(f"{out_dir}: exists and is not an empty folder; choose a new one")


def extract_delivery(folder: Path | str, scope: str, out_dir: Path | str) -> Extract:
    """Copy the files of ``scope`` (and the unscoped ones) with a manifest for that scope.

    Args:
        folder: the producer's delivery folder (files plus ``manifest.json``); only read.
        scope: the recipient's municipality/region code (``0751`` = ``751``).
        out_dir: the new delivery folder; must not exist or be empty.

    Returns:
        The new folder, its manifest and the number of entries left out.

    Raises:
        DeliveryError: no readable manifest, or a file is missing or differs from its hash.
        UsageError: the manifest lists no file for ``scope``, the delivery was rejected or is
            already cut for one recipient, or ``out_dir`` is taken.
    """
    source, target = Path(folder), Path(out_dir)
    if not source.is_dir():
        raise DeliveryError(f"{source}: no such delivery folder", source)
    manifest = read_manifest(source)
    code = normalise_scope_code(scope)
    if manifest.scope is not None:
        raise UsageError(f"{source}: already a delivery cut for {manifest.scope}")
    if manifest.status == "rejected":
        raise UsageError(f"{source}: the delivery was rejected; it is not sent to recipients")
    mine = [e for e in manifest.files
            if e.scope is None or normalise_scope_code(e.scope) == code]
    if not any(e.scope is not None for e in mine):
        scopes = sorted({e.scope for e in manifest.files if e.scope is not None})
        listed = ", ".join(scopes[:10]) + (", …" if len(scopes) > 10 else "") or "none"
        raise UsageError(f"{source / MANIFEST_NAME}: lists no file for scope {code} "
                         f"(scopes listed: {listed})")
    _target_free(target, source)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Not mkdtemp: its 0700 mode would become the delivery folder's after the rename.
    staging = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    staging.mkdir()
    try:
        for entry in mine:
            _copy_checked(source / entry.name, staging / entry.name, entry)
        cut = dataclasses.replace(manifest, files=tuple(mine), scope=code)
        write_manifest(staging, cut)
        with contextlib.suppress(FileNotFoundError):
            target.rmdir()  # an empty folder given as the target
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Extract(target, cut, len(manifest.files) - len(mine))
