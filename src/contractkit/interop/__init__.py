"""Speak the ecosystem's formats: ODCS v3 export/import and Frictionless Table Schema export.

- :func:`contract_to_odcs` / :func:`odcs_to_contract`: Open Data Contract Standard v3.1.0,
  lossless for every contract (contractkit-only fields in ``customProperties``), validated
  with the JSON Schema of the version a document declares. :func:`import_odcs` takes any
  valid ODCS v3 document: a draft with placeholders where governance is missing, what the
  contract language cannot hold kept verbatim in ``odcs_extra`` (written back on export).
- :func:`load_any_contract`: a contract YAML, or an ODCS document imported in memory.
- :func:`contract_to_tableschema` / :func:`contract_to_datapackage`: Frictionless descriptors.
- :func:`contract_to_yaml`: a contract model back to contract YAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contractkit.interop.contract_yaml import contract_to_yaml
    from contractkit.interop.odcs_contract import is_odcs_file, load_any_contract
    from contractkit.interop.odcs_export import contract_to_odcs
    from contractkit.interop.odcs_import import (
        OdcsImport,
        import_odcs,
        load_odcs,
        odcs_to_contract,
    )
    from contractkit.interop.odcs_schema import ODCS_API_VERSION, odcs_problems
    from contractkit.interop.tableschema import (
        contract_to_datapackage,
        contract_to_tableschema,
        table_to_tableschema,
    )

__all__ = [
    "ODCS_API_VERSION",
    "OdcsImport",
    "contract_to_datapackage",
    "contract_to_odcs",
    "contract_to_tableschema",
    "contract_to_yaml",
    "import_odcs",
    "is_odcs_file",
    "load_any_contract",
    "load_odcs",
    "odcs_problems",
    "odcs_to_contract",
    "table_to_tableschema",
]

_MODULES = {
    "ODCS_API_VERSION": "odcs_schema", "OdcsImport": "odcs_import",
    "contract_to_datapackage": "tableschema", "contract_to_odcs": "odcs_export",
    "contract_to_tableschema": "tableschema", "contract_to_yaml": "contract_yaml",
    "import_odcs": "odcs_import", "is_odcs_file": "odcs_contract",
    "load_any_contract": "odcs_contract", "load_odcs": "odcs_import",
    "odcs_problems": "odcs_schema", "odcs_to_contract": "odcs_import",
    "table_to_tableschema": "tableschema",
}
"""Member → its module, imported on first use: ``validate -c contract.yaml`` (through
:func:`load_any_contract`) does not pay for the ODCS schemas, import or export."""


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"contractkit.interop.{module}"), name)
