"""Use an ODCS document directly as the contract of ``validate`` (imported in memory).

``contractkit validate -c orders.odcs.yaml FILE`` judges FILE by the table and column rules
the ODCS document states, with the same report and exit codes as a contract YAML. The
governance fields ODCS does not state stay placeholders and play no part in validation.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from contractkit.contract.models import Contract
from contractkit.loader import LoadedContract, load_contract

if TYPE_CHECKING:
    from contractkit.interop.odcs_import import OdcsImport

__all__ = ["is_odcs_file", "load_any_contract", "load_odcs_contract"]

_ODCS_NAME = re.compile(r"\.odcs\.(ya?ml|json)$", re.I)
_ODCS_TEXT = re.compile(r'^\s*"?apiVersion"?\s*:\s*"?v\d', re.M)
_KIND = re.compile(r'^\s*"?kind"?\s*:\s*"?DataContract', re.M)


def is_odcs_file(path: str | Path) -> bool:
    """Whether ``path`` holds an ODCS document (by name, else by its apiVersion/kind keys).

    Args:
        path: a contract YAML or ODCS document.

    Returns:
        ``True`` for an ODCS document.
    """
    path = Path(path)
    if _ODCS_NAME.search(path.name):
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return False  # the contract loader reports the unreadable file
    return bool(_ODCS_TEXT.search(head) and _KIND.search(head))


def load_odcs_contract(path: str | Path) -> tuple[LoadedContract, OdcsImport]:
    """Import the ODCS document at ``path`` in memory.

    Args:
        path: the ODCS document (YAML or JSON).

    Returns:
        The contract it describes, loaded, and what the import made of the document.

    Raises:
        UsageError: the file is missing or unreadable.
        ContractError: the document is not valid ODCS (every problem, with path and line).
    """
    from contractkit.interop.odcs_import import import_odcs, load_odcs  # ODCS documents only

    path = Path(path)
    document, positions = load_odcs(path)
    result = import_odcs(document, path, positions)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return LoadedContract(result.contract, path, {}, digest), result


def _fit_file_names(contract: Contract, guessed: frozenset[str], files: Sequence[Path],
                    table: str | None) -> Contract:
    """The table a single file is judged by takes that file's name when ODCS states none.

    ODCS names tables (often database tables), not delivered files: without a file name in
    the document, the name of the file given is not a finding.
    """
    chosen = table if table is not None else (
        contract.tables[0].name if len(contract.tables) == 1 else None)
    if chosen not in guessed or len(files) != 1:
        return contract
    name = files[0].name.replace("{", "_").replace("}", "_")
    tables = [t.model_copy(update={"file_pattern": name}) if t.name == chosen else t
              for t in contract.tables]
    return contract.model_copy(update={"tables": tables})


def load_any_contract(path: str | Path, files: Sequence[str | Path],
                      note: Callable[[str], None], table: str | None = None) -> LoadedContract:
    """Load a contract YAML, or an ODCS document imported in memory (``note`` says so).

    Args:
        path: the contract YAML or ODCS document.
        files: the files to be judged by it (one file names an ODCS table without a file
            name).
        note: told, in one sentence, that an ODCS document was imported.
        table: the table the files are judged by, if chosen.

    Returns:
        The contract, loaded.
    """
    path = Path(path)
    if not is_odcs_file(path):
        return load_contract(path)
    lc, result = load_odcs_contract(path)
    contract = _fit_file_names(lc.contract, result.guessed_patterns, [Path(f) for f in files],
                               table)
    missing = ", ".join(result.contract.placeholders)
    note(f"note: {path} is an ODCS {result.api_version} document, imported in memory; "
         + (f"governance fields it does not state are absent ({missing}), so only its "
            "table and column rules are judged" if missing else
            "its contractkit governance fields travel in customProperties"))
    return LoadedContract(contract, lc.path, lc.positions, lc.sha256)
