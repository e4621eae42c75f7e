"""Write a contract model back as contract YAML (the form ``contracts/*.yaml`` take)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from contractkit.contract.models import Contract

__all__ = ["MODELINE", "contract_to_yaml"]

MODELINE = "# yaml-language-server: $schema=../schemas/contract.schema.json\n"
"""The first line of every contract: VS Code's YAML extension then autocompletes it."""


def contract_to_yaml(contract: Contract, *, modeline: bool = True,
                     hints: Mapping[str, str] | None = None) -> str:
    """Render ``contract`` as YAML, keys in model order, defaults left out.

    Loading the text with :func:`contractkit.loader.load_contract_text` gives an equal
    contract (tested for every contract in ``contracts/``). Each field listed in the
    contract's ``placeholders`` gets a ``TODO(steward)`` comment above it, saying what to
    fill in (``hints``: field → what it needs).
    """
    dumped: dict[str, Any] = contract.model_dump(mode="json", exclude_defaults=True)
    # Required fields whose value happens to equal a default still belong in the file.
    data = CommentedMap({"id": contract.id, "version": contract.version, **dumped})
    for name in contract.placeholders:
        if name in data:
            need = (hints or {}).get(name, "the real value")
            data.yaml_set_comment_before_after_key(
                name, before=f"TODO(steward): {need}.\nA stand-in value: fill it in, then "
                f"remove {name!r} from placeholders.", indent=0)
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096  # no folding: long Danish sentences stay on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return (MODELINE if modeline else "") + buf.getvalue()
