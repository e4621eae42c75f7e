"""File-level mutants: bytes that cannot be read as the contract's format, bad file names.

Every kind here must make the engine report ``malformed-file`` (or ``bad-file-name``)
and nothing else: a file that cannot be read is judged by no rule; a bad record (ragged,
wrong encoding) is left out and the other rows, which conform, are judged.
"""

from __future__ import annotations

import numpy as np

from contractkit.contract.models import CsvFormat, FileFormat
from contractkit.errors import UsageError

__all__ = ["bad_file_name", "break_bytes"]


def bad_file_name(name: str) -> str:
    """A file name that no table's pattern matches (the extension is kept)."""
    return f"BROKEN_{name}"


def _first_data_line_end(data: bytes, fmt: CsvFormat) -> int:
    """Offset of the end (before the line ending) of the first data line."""
    start = data.index(b"\n") + 1 if fmt.header and b"\n" in data else 0
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end
    return end - 1 if end > start and data[end - 1 : end] == b"\r" else end


def break_bytes(kind: str, data: bytes, fmt: FileFormat, seed: int) -> bytes:
    """The bytes of a conforming file, broken as ``kind`` (see ``FILE_MUTANTS``).

    Raises:
        UsageError: the kind does not apply to the format, or the file has no data row.
    """
    rng = np.random.default_rng(seed)
    if kind == "empty-file":
        return b""
    if kind == "binary-junk":
        return b"\x00\x01\xff\xfe" + rng.bytes(1024) + b"\x00"
    if kind == "truncated":
        if isinstance(fmt, CsvFormat):
            raise UsageError("truncated applies to Parquet files")
        return data[: max(8, len(data) // 2)]
    if not isinstance(fmt, CsvFormat):
        raise UsageError(f"{kind} applies to CSV files")
    if kind == "missing-header":
        if not fmt.header:
            raise UsageError("the contract's CSV has no header to remove")
        return data[data.index(b"\n") + 1 :] if b"\n" in data else b""
    end = _first_data_line_end(data, fmt)
    if kind == "ragged-row":
        extra = (fmt.delimiter + "x").encode(fmt.encoding.replace("-sig", ""))
        return data[:end] + extra + data[end:]
    if kind == "wrong-encoding":
        # A byte the declared encoding cannot decode: Latin-1 'æ' in UTF-8, 0x81 in cp1252.
        if fmt.encoding == "latin-1":
            raise UsageError("every byte sequence is valid Latin-1: wrong encoding is undetectable")
        bad = b"\x81" if fmt.encoding == "cp1252" else b"\xe6"
        return data[:end] + bad + data[end:]
    raise UsageError(f"unknown file mutant {kind!r}")
