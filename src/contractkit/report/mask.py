"""Masking of personal values: a keyed hash that is stable within one report.

A recipient can see that two findings concern the same person (same mask) without
ever seeing the CPR number. The key is random per :class:`Masker`, so masks cannot be
reversed by hashing candidate CPR numbers and do not correlate across reports.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["MASK_PREFIX", "Masker"]

MASK_PREFIX = "masked:"


class Masker:
    """Turns personal values into ``masked:<12 hex>`` tokens with a per-report key."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(32)

    def mask(self, value: object) -> str:
        """Return the masked token for ``value`` (its text form)."""
        text = "" if value is None else str(value)
        digest = hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()
        return MASK_PREFIX + digest[:12]

    def show(self, value: object, personal: bool) -> str | None:
        """The value as a report may show it: ``None`` stays ``None``; personal is masked."""
        if value is None:
            return None
        return self.mask(value) if personal else str(value)
