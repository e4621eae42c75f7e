"""Delivery manifests: what a producer sent, so a recipient can check what arrived.

A delivery folder ``deliveries/<contract id>/<period>/`` holds the delivered files and a
``manifest.json`` naming each file with its SHA-256, row count, table and scope, plus the
contract id, version and hash it was built under. The JSON layout (``"schema":
"contractkit-manifest/1"``)::

    {"schema": "contractkit-manifest/1", "feed": "dst-ledighed",
     "contract_id": "dst-ledighed", "contract_version": "1.0.0", "contract_sha256": "…",
     "period": "2024-03", "generated_at": "2024-04-08T06:00:00Z", "status": "released",
     "recipient": "DST",
     "files": [{"name": "dst_ledighed_2024-03.csv", "sha256": "…", "rows": 120,
                "table": "ledighed", "scope": null, "profile": {…}}]}

A file whose table has period-over-period (``baseline``) rules carries a ``profile`` of
aggregates (see :mod:`contractkit.delivery.profile`); manifests without it stay valid.

A delivery cut for one recipient of a per-municipality/region feed (``contractkit extract``)
carries a top-level ``"scope": "751"`` and lists only that recipient's files (and the
unscoped ones), each with the hash the producer recorded.

Manifests are written atomically (temp file + rename) and never carry data values.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contractkit.atomic import atomic_write_text
from contractkit.delivery.profile import FileProfile, profile_from_json, profile_to_json
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract

__all__ = [
    "MANIFEST_NAME",
    "MANIFEST_SCHEMA",
    "STATUSES",
    "Manifest",
    "ManifestFile",
    "build_manifest",
    "file_sha256",
    "manifest_from_json",
    "manifest_to_json",
    "parse_generated_at",
    "read_manifest",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
"""File name of the manifest inside a delivery folder."""
MANIFEST_SCHEMA = "contractkit-manifest/1"
"""Value of the manifest's ``schema`` key (bumped on incompatible layout changes)."""
STATUSES = ("released", "rejected", "pending")
"""The states a delivery can be in."""
MAX_MANIFEST_BYTES = 16 * 1_048_576
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ManifestFile:
    """One delivered file as the producer recorded it.

    Attributes:
        name: file name inside the delivery folder (no folders).
        sha256: lowercase hex SHA-256 of the file's bytes.
        rows: data rows (header not counted).
        table: the contract table the file belongs to.
        scope: municipality/region code for per-municipality/region feeds, else ``None``.
        profile: aggregates for period-over-period rules (tables with ``baseline`` rules;
            absent in manifests made before such rules existed).
    """

    name: str
    sha256: str
    rows: int
    table: str
    scope: str | None
    profile: FileProfile | None = None


@dataclass(frozen=True)
class Manifest:
    """What one delivery (one feed, one period) consists of.

    Attributes:
        feed: the feed (equal to the contract id).
        contract_id: id of the contract the delivery was built under.
        contract_version: its semantic version.
        contract_sha256: hash of the contract file's text.
        period: the period label, e.g. ``2024-03``.
        files: the delivered files.
        generated_at: ISO 8601 UTC time the manifest was made, e.g. ``2024-04-08T06:00:00Z``.
        status: ``released``, ``rejected`` or ``pending``.
        recipient: the recipient's short code (e.g. ``DST``).
        scope: the one municipality/region this delivery was cut for (``None``: the whole
            delivery as produced).
    """

    feed: str
    contract_id: str
    contract_version: str
    contract_sha256: str
    period: str
    files: tuple[ManifestFile, ...]
    generated_at: str
    status: str
    recipient: str
    scope: str | None = None

    def file(self, name: str) -> ManifestFile | None:
        """Return the entry for file ``name``, if listed."""
        return next((f for f in self.files if f.name == name), None)


def file_sha256(path: str | Path) -> str:
    """Lowercase hex SHA-256 of a file's bytes, read in chunks.

    Args:
        path: the file.

    Returns:
        The digest as 64 lowercase hex digits.

    Raises:
        DeliveryError: the file cannot be read.
    """
    path = Path(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot be read ({exc.strerror})", path) from None
    return digest.hexdigest()


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_generated_at(text: str) -> datetime:
    """Parse a manifest's ``generated_at`` into an aware UTC datetime.

    Raises:
        ValueError: not an ISO 8601 timestamp.
    """
    moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def build_manifest(
    lc: LoadedContract,
    period: str,
    files: Sequence[tuple[str | Path, str, str | None, int]],
    status: str,
    generated_at: datetime | None = None,
    profiles: Mapping[str, FileProfile] | None = None,
) -> Manifest:
    """Describe a delivery: hash every file and record the contract it was built under.

    Args:
        lc: the contract the delivery was built under.
        period: the period label.
        files: ``(path, table, scope, rows)`` per delivered file.
        status: ``released``, ``rejected`` or ``pending``.
        generated_at: when the manifest was made (default: now, UTC); naive means UTC.
        profiles: file name → its profile, for files whose table has baseline rules.

    Returns:
        The manifest (write it with :func:`write_manifest`).

    Raises:
        UsageError: unknown status or table, or two files with the same name.
        DeliveryError: a file cannot be read.
    """
    if status not in STATUSES:
        raise UsageError(f"manifest status {status!r} is not one of {', '.join(STATUSES)}")
    contract = lc.contract
    entries: list[ManifestFile] = []
    seen: set[str] = set()
    for given, table, scope, rows in files:
        path = Path(given)
        if contract.table(table) is None:
            raise UsageError(f"{path.name}: table {table!r} is not in contract {contract.id}")
        if path.name in seen:
            raise UsageError(f"{path.name}: listed twice in one delivery")
        seen.add(path.name)
        entries.append(ManifestFile(path.name, file_sha256(path), int(rows), table, scope,
                                    (profiles or {}).get(path.name)))
    return Manifest(
        feed=contract.id,
        contract_id=contract.id,
        contract_version=contract.version,
        contract_sha256=lc.sha256,
        period=period,
        files=tuple(entries),
        generated_at=_utc_iso(generated_at or datetime.now(UTC)),
        status=status,
        recipient=contract.recipient.code,
    )


def manifest_to_json(manifest: Manifest) -> dict[str, Any]:
    """The manifest as a JSON-ready dict (with the ``schema`` key; ``scope`` only when set)."""
    data: dict[str, Any] = {
        "schema": MANIFEST_SCHEMA,
        "feed": manifest.feed,
        "contract_id": manifest.contract_id,
        "contract_version": manifest.contract_version,
        "contract_sha256": manifest.contract_sha256,
        "period": manifest.period,
        "generated_at": manifest.generated_at,
        "status": manifest.status,
        "recipient": manifest.recipient,
        "files": [_file_json(f) for f in manifest.files],
    }
    if manifest.scope is not None:
        data["scope"] = manifest.scope
    return data


def _file_json(f: ManifestFile) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "sha256": f.sha256, "rows": f.rows,
                           "table": f.table, "scope": f.scope}
    if f.profile is not None:
        out["profile"] = profile_to_json(f.profile)
    return out


def write_manifest(folder: str | Path, manifest: Manifest) -> Path:
    """Write ``folder/manifest.json`` atomically.

    Args:
        folder: the delivery folder.
        manifest: the manifest (:func:`build_manifest`).

    Returns:
        The path of the manifest written.
    """
    path = Path(folder) / MANIFEST_NAME
    text = json.dumps(manifest_to_json(manifest), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(path, text)
    return path


class _Malformed(ValueError):
    pass


def _req(data: dict[str, Any], key: str, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise _Malformed(f"{where}{key!r} must be a non-empty string")
    return value


def _opt(data: dict[str, Any], key: str, where: str = "") -> str | None:
    return None if data.get(key) is None else _req(data, key, where)


def _file_entry(item: Any, i: int) -> ManifestFile:
    where = f"files[{i}]."
    if not isinstance(item, dict):
        raise _Malformed(f"files[{i}] must be an object")
    name = _req(item, "name", where)
    if "/" in name or "\\" in name or name in (".", ".."):
        raise _Malformed(f"{where}name {name!r} must be a plain file name")
    sha = _req(item, "sha256", where)
    if not _SHA256.match(sha):
        raise _Malformed(f"{where}sha256 must be 64 lowercase hex characters")
    rows = item.get("rows")
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        raise _Malformed(f"{where}rows must be a non-negative integer")
    profile = None
    if item.get("profile") is not None:
        try:
            profile = profile_from_json(item["profile"], f"{where}profile")
        except ValueError as exc:
            raise _Malformed(str(exc)) from None
    return ManifestFile(name, sha, rows, _req(item, "table", where),
                        _opt(item, "scope", where), profile)


def manifest_from_json(data: Any) -> Manifest:
    """Build a manifest from parsed JSON.

    Raises:
        ValueError: the data is not a manifest of the known layout (message says where).
    """
    if not isinstance(data, dict):
        raise _Malformed("the manifest must be a JSON object")
    if data.get("schema") != MANIFEST_SCHEMA:
        raise _Malformed(f"'schema' must be {MANIFEST_SCHEMA!r}")
    files = data.get("files")
    if not isinstance(files, list):
        raise _Malformed("'files' must be a list")
    entries = tuple(_file_entry(item, i) for i, item in enumerate(files))
    names = [f.name for f in entries]
    if len(set(names)) != len(names):
        raise _Malformed("a file is listed twice")
    generated_at = _req(data, "generated_at")
    try:
        parse_generated_at(generated_at)
    except ValueError:
        raise _Malformed("'generated_at' must be an ISO 8601 timestamp") from None
    status = _req(data, "status")
    if status not in STATUSES:
        raise _Malformed(f"'status' must be one of {', '.join(STATUSES)}")
    return Manifest(
        feed=_req(data, "feed"),
        contract_id=_req(data, "contract_id"),
        contract_version=_req(data, "contract_version"),
        contract_sha256=_req(data, "contract_sha256"),
        period=_req(data, "period"),
        files=entries,
        generated_at=generated_at,
        status=status,
        recipient=_req(data, "recipient"),
        scope=_opt(data, "scope"),
    )


def read_manifest(folder: Path | str) -> Manifest:
    """Read ``folder/manifest.json``.

    Args:
        folder: the delivery folder.

    Returns:
        The manifest.

    Raises:
        DeliveryError: the manifest is missing, unreadable or malformed.
    """
    path = Path(folder) / MANIFEST_NAME
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise DeliveryError(f"{path}: larger than {MAX_MANIFEST_BYTES} bytes; refused", path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DeliveryError(f"{path}: no manifest in the delivery folder", path) from None
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot be read ({exc.strerror})", path) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeliveryError(f"{path}: not valid UTF-8 JSON ({exc})", path) from None
    except RecursionError:
        raise DeliveryError(f"{path}: malformed manifest: nested too deep", path) from None
    try:
        return manifest_from_json(data)
    except ValueError as exc:
        raise DeliveryError(f"{path}: malformed manifest: {exc}", path) from None
