"""contractkit.delivery: delivery manifests, verifying a received delivery, cadence status."""

from __future__ import annotations

from contractkit.delivery.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestFile,
    build_manifest,
    read_manifest,
    write_manifest,
)

__all__ = [
    "MANIFEST_NAME",
    "Manifest",
    "ManifestFile",
    "build_manifest",
    "read_manifest",
    "write_manifest",
]
