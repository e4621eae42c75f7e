"""Masking: stable within a report, different across keys, never the raw value."""

from __future__ import annotations

from contractkit.report import Masker


def test_mask_is_stable_and_keyed() -> None:
    a, b = Masker(b"k1"), Masker(b"k2")
    assert a.mask("010180-1234") == a.mask("010180-1234")
    assert a.mask("010180-1234") != a.mask("010180-1235")
    assert a.mask("010180-1234") != b.mask("010180-1234")
    assert "010180" not in a.mask("010180-1234")


def test_show_masks_only_personal() -> None:
    m = Masker()
    assert m.show("x", personal=False) == "x"
    assert m.show("x", personal=True) != "x"
    assert m.show(None, personal=True) is None
