"""What ``-c/--contract`` and the files of ``validate`` may be: files or folders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from contractkit.contract.periods import file_name_regex
from contractkit.errors import DeliveryError, UsageError
from contractkit.loader import LoadedContract, discover_contract_files, load_contract

__all__ = ["choose_contract", "expand_files"]


def expand_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the files in it (not ``manifest.json``, not hidden).

    Raises:
        DeliveryError: a folder holds no file.
    """
    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        from contractkit.delivery.manifest import MANIFEST_NAME  # delivery folders only

        inside = sorted(f for f in p.iterdir() if f.is_file() and f.name != MANIFEST_NAME
                        and not f.name.startswith("."))
        if not inside:
            raise DeliveryError(f"{p}: a folder without delivery files", p)
        out.extend(inside)
    return out


def _manifest_feed(paths: Sequence[Path]) -> str | None:
    from contractkit.delivery.manifest import read_manifest  # a plain file has none

    for p in paths:
        if p.is_dir():
            try:
                return read_manifest(p).contract_id
            except DeliveryError:
                continue
    return None


def _fits(lc: LoadedContract, name: str) -> bool:
    freq = lc.contract.cadence.frequency
    return any(file_name_regex(t.file_pattern, freq).match(name) for t in lc.contract.tables)


def choose_contract(contract: Path, given: Sequence[Path], files: Sequence[Path],
                    ) -> LoadedContract:
    """The contract to validate ``files`` with: ``contract`` itself, or from a folder the one
    named by a delivery folder's manifest, else the one whose file pattern fits the files.

    Raises:
        UsageError: no contract in the folder fits, or several do.
    """
    if not contract.is_dir():
        return load_contract(contract)
    candidates = discover_contract_files([contract])
    feed = _manifest_feed(given)
    if feed is not None:
        named = [f for f in candidates if f.stem == feed]
        if named:
            return load_contract(named[0])
    loaded = [load_contract(f) for f in candidates]
    fitting = [lc for lc in loaded if files and all(_fits(lc, f.name) for f in files)]
    if len(fitting) == 1:
        return fitting[0]
    names = ", ".join(f.name for f in files[:3])
    if not fitting:
        raise UsageError(f"{contract}: no contract's file pattern fits {names}; give the "
                         "contract file with -c")
    ids = ", ".join(lc.contract.id for lc in fitting)
    raise UsageError(f"{contract}: several contracts fit {names} ({ids}); give one with -c")
