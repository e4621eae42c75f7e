"""Load contracts and code lists from YAML, safely and with located errors.

The parsing and its limits live in :mod:`contractkit.loader.safe_yaml` (re-exported here);
this module turns parsed documents into :class:`~contractkit.contract.models.Contract` and
:class:`~contractkit.contract.codelists.CodeList` models with located problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contractkit._gc import paused
from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Contract
from contractkit.errors import ContractError, ContractProblem, UsageError
from contractkit.loader.safe_yaml import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Loc,
    load_json,
    load_yaml,
    problem_at,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "LoadedContract",
    "discover_contract_files",
    "format_loc",
    "load_codelists",
    "load_contract",
    "load_contract_text",
    "load_json",
    "load_yaml",
]

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedContract:
    """A contract together with where it came from and where each key stands.

    Attributes:
        contract: the validated model.
        path: the file it was loaded from.
        positions: 1-based ``(line, column)`` for every key/item location.
        sha256: hash of the file's bytes (identifies the exact contract text).
    """

    contract: Contract
    path: Path
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict, repr=False)
    sha256: str = ""

    def problem(self, code: str, loc: Loc, message: str, severity: str = "error") -> ContractProblem:
        """Build a problem located at ``loc`` (or its nearest known parent)."""
        line, col = _position(self.positions, loc)
        return ContractProblem(code, str(self.path), line, col, format_loc(loc), message, severity)


def format_loc(loc: Sequence[str | int]) -> str:
    """Render a location tuple as ``tables[0].columns[2].type``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _position(positions: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int | None, int | None]:
    probe = tuple(loc)
    while True:
        if probe in positions:
            return positions[probe]
        if not probe:
            return None, None
        probe = probe[:-1]


def _read_text(path: Path) -> tuple[str, bytes]:
    try:
        if path.is_dir():
            raise UsageError(f"{path}: is a directory, not a contract file")
        size = path.stat().st_size
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise ContractError(path, [problem_at(
            path, "file-too-large", f"{size} bytes is more than the {MAX_BYTES} a contract may have")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContractError(path, [problem_at(
            path, "encoding", "contracts must be UTF-8; byte "
            f"0x{raw[exc.start]:02x} is not", line)]) from None


def _validation_problems(path: Path, exc: ValidationError,
                         positions: dict[Loc, tuple[int, int]]) -> list[ContractProblem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"], positions)
        line, col = _position(positions, loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            code, msg = "unknown-key", f"unknown key {loc[-1]!r} (not part of the contract language)"
        elif kind == "missing":
            code, msg = "missing-key", f"required key {loc[-1]!r} is missing"
        else:
            code = "invalid-value"
            msg = err["msg"].removeprefix("Value error, ")
            if "input" in err and not isinstance(err["input"], dict | list):
                msg = f"{err['input']!r}: {msg}"
        problems.append(ContractProblem(code, str(path), line, col, format_loc(loc), msg))
    return problems


_UNION_TAGS = frozenset({"csv", "parquet", "float", "date", "str", "int"})


def _clean_loc(raw: tuple[str | int, ...], positions: dict[Loc, tuple[int, int]]) -> Loc:
    """Drop pydantic's union/discriminator tags (e.g. 'csv') that are not in the document."""
    out: list[str | int] = []
    for part in raw:
        if isinstance(part, str) and part in _UNION_TAGS and (*out, part) not in positions:
            continue
        out.append(part)
    return tuple(out)


def _validate_model(model: type[_M], data: Any, path: Path,
                    positions: dict[Loc, tuple[int, int]]) -> _M:
    if not isinstance(data, dict):
        raise ContractError(path, [problem_at(
            path, "not-a-mapping", "the document must be a mapping of keys to values", 1, 1)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContractError(path, _validation_problems(path, exc, positions)) from None


def load_contract_text(text: str, path: Path | str) -> LoadedContract:
    """Validate contract YAML ``text`` (as if read from ``path``).

    Args:
        text: the YAML.
        path: the file it stands for (in messages and to find code lists).

    Returns:
        The contract with its path, line positions and the text's SHA-256.

    Raises:
        ContractError: the text is not a valid contract (every problem located).
    """
    import hashlib

    path = Path(path)
    with paused():  # YAML nodes and models: many objects, no cycles to collect
        data, positions = load_yaml(text, path)
        contract = _validate_model(Contract, data, path, positions)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedContract(contract, path, positions, digest)


def load_contract(path: Path | str) -> LoadedContract:
    """Load and validate one contract file.

    Args:
        path: the contract YAML file (``str`` or ``Path``).

    Returns:
        The contract with its path, line positions and the text's SHA-256.

    Raises:
        UsageError: the path does not exist or is not a readable file.
        ContractError: the file is not a valid contract (every problem located).
    """
    text, _ = _read_text(Path(path))
    return load_contract_text(text, path)


def load_codelists(directory: Path | str, names: Iterable[str] | None = None,
                   ) -> tuple[dict[str, CodeList], list[ContractProblem]]:
    """Load the ``*.yaml`` code lists in ``directory`` (only those whose file stem is in
    ``names``, when given); problems are returned, not raised.

    A parsed file is remembered for the process while its modification time and size
    stay the same: YAML with positions is slow to parse, and a run validating many files
    or contracts would otherwise parse the same lists again for each.

    Args:
        directory: the code lists' folder (a missing folder holds none).
        names: load only these code lists (ids = file stems).

    Returns:
        The code lists by id, and the problems of the files that are not valid code lists.
    """
    directory = Path(directory)
    lists: dict[str, CodeList] = {}
    problems: list[ContractProblem] = []
    if not directory.is_dir():
        return lists, problems
    wanted = None if names is None else set(names)
    for file in sorted(directory.glob("*.y*ml")):
        if wanted is not None and file.stem not in wanted:
            continue
        codelist, found = _load_codelist(file)
        problems.extend(found)
        if codelist is not None:
            lists[codelist.id] = codelist
    return lists, problems


_CODELISTS: dict[Path, tuple[tuple[int, int], CodeList | None, list[ContractProblem]]] = {}


def _load_codelist(file: Path) -> tuple[CodeList | None, list[ContractProblem]]:
    try:
        stat = file.stat()
    except OSError:
        stat = None
    stamp = (stat.st_mtime_ns, stat.st_size) if stat is not None else (-1, -1)
    known = _CODELISTS.get(file)
    if known is not None and stat is not None and known[0] == stamp:
        return known[1], list(known[2])
    problems: list[ContractProblem] = []
    codelist: CodeList | None = None
    try:
        text, _ = _read_text(file)
        data, positions = load_yaml(text, file)
        codelist = _validate_model(CodeList, data, file, positions)
    except ContractError as exc:
        problems.extend(exc.problems)
    else:
        if codelist.id != file.stem:
            problems.append(problem_at(file, "codelist-id", f"id {codelist.id!r} must equal the "
                                     f"file name {file.stem!r}", *_position(positions, ("id",))))
    _CODELISTS[file] = (stamp, codelist, list(problems))
    return codelist, problems


def discover_contract_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand files and folders into contract files (``*.yaml``/``*.yml``, not code lists).

    Args:
        paths: contract files and folders of them (searched recursively).

    Returns:
        The contract files, sorted within each folder.

    Raises:
        UsageError: a path does not exist.
    """
    found: list[Path] = []
    for p in map(Path, paths):
        if not p.exists():
            raise UsageError(f"{p}: no such file or directory")
        if p.is_dir():
            found.extend(
                f for f in sorted(p.rglob("*.y*ml"))
                if f.suffix in (".yaml", ".yml") and "codelists" not in f.relative_to(p).parts
            )
        else:
            found.append(p)
    return found


def default_codelist_dir(contract_path: Path | str) -> Path:
    """Where a contract's code lists live: ``codelists/`` beside it (or one level up)."""
    contract_path = Path(contract_path)
    for parent in (contract_path.parent, *contract_path.parents):
        candidate = parent / "codelists"
        if candidate.is_dir():
            return candidate
    return contract_path.parent / "codelists"
