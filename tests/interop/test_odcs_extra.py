"""Kept-aside ODCS elements: paths, the diff against an export, and putting them back."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.interop.odcs_extra import kept_aside, parse_path, put_back

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=12)


def test_paths_parse_back() -> None:
    assert parse_path("schema[0].properties[2].tags") == (
        ["schema", 0, "properties", 2, "tags"], False)
    assert parse_path('customProperties[+]') == (["customProperties"], True)
    assert parse_path('a["odd.key [x]"].b') == (["a", "odd.key [x]", "b"], False)
    with pytest.raises(ValueError, match="not a path"):
        parse_path("a[+].b")


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(st.dictionaries(st.text(max_size=6), JSON, max_size=4),
       st.dictionaries(st.text(max_size=6), JSON, max_size=4))
def test_putting_back_what_was_kept_aside_restores_every_field(
        original: dict[str, Any], exported: dict[str, Any]) -> None:
    extra = kept_aside(original, exported)
    doc = copy.deepcopy(exported)
    assert put_back(doc, extra) == []
    for key, value in original.items():
        assert key in doc
        assert _contains(value, doc[key])


def _contains(part: Any, whole: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and _contains(v, whole[k])
                                               for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(_contains(x, y) for y in whole)
                                               for x in part)
    if isinstance(part, bool) or isinstance(whole, bool):
        return type(part) is type(whole) and part == whole
    return bool(part == whole)


def test_a_path_that_no_longer_fits_is_reported() -> None:
    doc: dict[str, Any] = {"schema": [{"properties": [{"name": "a"}]}]}
    assert put_back(doc, {"schema[0].properties[3].tags": ["x"]}) == [
        "schema[0].properties[3].tags"]
