"""Reading delivered files: CSV (the contract's dialect) and Parquet, in batches.

Input files are only ever read. CSV columns are read as strings so that a value that
does not parse as its column's type becomes a located ``wrong-type`` finding rather
than a crash. A file that cannot be parsed at all (empty, binary, wrong encoding,
ragged rows, truncated Parquet, missing header) raises :class:`Malformed`, which the
engine turns into ``malformed-file`` findings; raw lines are never quoted in messages.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from contractkit.contract.models import CsvFormat, ParquetFormat, Table
from contractkit.engine.sniff import dialect_hint
from contractkit.errors import DeliveryError

__all__ = ["STRUCTURE_CHECK_BYTES", "Malformed", "Problem", "SourceFile", "open_source"]

STRUCTURE_CHECK_BYTES = 32 * 1024 * 1024
"""CSV files up to this size get an exact record-by-record structure check up front;
larger files rely on the parser's own errors (then located by the same check)."""
_SNIFF = 64 * 1024


@dataclass(frozen=True)
class Problem:
    """One structural problem: a message and, when known, the 1-based data row."""

    message: str
    row: int | None = None


class Malformed(Exception):
    """The file cannot be read as the contract's format; carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "malformed")
        self.problems = problems


@dataclass
class SourceFile:
    """An opened delivery file: its header and a way to stream raw batches."""

    path: Path
    header: list[str]
    is_csv: bool
    _read_path: Path
    _fmt: CsvFormat | ParquetFormat
    row_bytes: float | None = None
    """Bytes of text per data row in the file's first 64 KiB (CSV; ``None`` for Parquet)."""

    def batches(self, batch_size: int,
                dtypes: Mapping[str, pl.DataType] | None = None) -> Iterator[pl.DataFrame]:
        """Yield raw batches in file order. CSV: text, each column as ``dtypes`` says
        (``String`` or a ``Categorical`` of the same text; all ``String`` by default);
        Parquet: native types."""
        try:
            if isinstance(self._fmt, CsvFormat):
                yield from _csv_batches(self._read_path, self._fmt, self.header, batch_size,
                                        dtypes)
            else:
                lf = pl.scan_parquet(self._read_path)
                yield from lf.collect_batches(chunk_size=batch_size)
        except (pl.exceptions.ComputeError, pl.exceptions.PolarsError, OSError) as exc:
            if isinstance(self._fmt, CsvFormat):
                problems = structure_problems(self._read_path, self._fmt, len(self.header))
                if problems:
                    raise Malformed(problems) from None
            raise Malformed([Problem(f"the file cannot be parsed ({type(exc).__name__})")]) from None


def _check_openable(path: Path) -> int:
    try:
        if path.is_dir():
            raise DeliveryError(f"{path}: is a directory, not a file", path)
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except FileNotFoundError:
        raise DeliveryError(f"{path}: no such file", path) from None
    except PermissionError:
        raise DeliveryError(f"{path}: permission denied", path) from None
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot be opened ({exc.strerror})", path) from None
    return size


def open_source(path: Path, fmt: CsvFormat | ParquetFormat, table: Table,
                stack: contextlib.ExitStack) -> SourceFile:
    """Open ``path`` for reading as ``fmt``.

    Raises:
        DeliveryError: the path is missing, a directory or unreadable (cannot judge).
        Malformed: the file is empty, binary, badly encoded, ragged or corrupt.
    """
    size = _check_openable(path)
    if size == 0:
        raise Malformed([Problem("the file is empty")])
    if isinstance(fmt, ParquetFormat):
        try:
            schema = pl.read_parquet_schema(path)
        except (pl.exceptions.PolarsError, OSError):
            raise Malformed([Problem("not a readable Parquet file (truncated or corrupt)")]) from None
        return SourceFile(path, list(schema), False, path, fmt)
    with path.open("rb") as fh:
        head = fh.read(_SNIFF)
    if b"\x00" in head:
        raise Malformed([Problem("binary content: the file is not delimited text")])
    if head.startswith(b"PAR1"):
        raise Malformed([Problem("binary content: a Parquet file where CSV was expected")])
    read_path = path
    if fmt.encoding in ("latin-1", "cp1252"):
        read_path = _transcode(path, fmt.encoding, stack)
    else:
        _check_utf8_prefix(head, size)
    header = _header(read_path, fmt, table)
    if size <= STRUCTURE_CHECK_BYTES or read_path is not path:
        problems = structure_problems(read_path, fmt, len(header))
        if problems:
            raise Malformed(problems)
    return SourceFile(path, header, True, read_path, fmt, _row_bytes(head))


def _row_bytes(head: bytes) -> float:
    """Bytes per line in ``head`` (all of it when no line ends there: a very long row)."""
    return len(head) / max(head.count(b"\n"), 1)


def _check_utf8_prefix(head: bytes, size: int) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=len(head) >= size)
    except UnicodeDecodeError as exc:
        row = head[: exc.start].count(b"\n")
        raise Malformed([Problem(
            "the file is not valid UTF-8 as the contract declares (wrong encoding, e.g. Latin-1?)",
            row if row > 0 else None)]) from None


def _transcode(path: Path, encoding: str, stack: contextlib.ExitStack) -> Path:
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="contractkit-")))
    target = folder / "utf8.csv"
    lines = 0
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        decoder = codecs.getincrementaldecoder(encoding)()
        while True:
            chunk = src.read(1 << 20)
            try:
                dst.write(decoder.decode(chunk, final=not chunk))
            except UnicodeDecodeError as exc:  # e.g. 0x81, which cp1252 does not define
                row = lines + chunk[: exc.start].count(b"\n")
                raise Malformed([Problem(
                    f"the file is not valid {encoding} as the contract declares "
                    f"(byte 0x{chunk[exc.start]:02x})", row if row > 0 else None)]) from None
            if not chunk:
                break
            lines += chunk.count(b"\n")
    return target


def _dialect(fmt: CsvFormat) -> dict[str, object]:
    return {"delimiter": fmt.delimiter, "quotechar": fmt.quote_char, "strict": True}


def _header(path: Path, fmt: CsvFormat, table: Table) -> list[str]:
    if not fmt.header:
        return table.column_names
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            first = next(csv.reader(fh, **_dialect(fmt)), None)  # type: ignore[arg-type]
    except (UnicodeDecodeError, csv.Error):
        raise Malformed([Problem("the header line cannot be read")]) from None
    if not first or all(not f.strip() for f in first):
        raise Malformed([Problem("missing header: the first line is empty")])
    names = [f.strip() for f in first]
    if not set(names) & set(table.column_names):
        hint = dialect_hint(path, fmt, table.column_names)  # a wrong delimiter, most often
        raise Malformed([Problem(hint or
                                 "missing header: the first line names none of the contract's "
                                 "columns")])
    if len(set(names)) != len(names):
        raise Malformed([Problem("the header names a column more than once")])
    return names


def structure_problems(path: Path, fmt: CsvFormat, width: int,
                       limit: int = 10_000) -> list[Problem]:
    """Check every record has ``width`` fields and the text decodes; return problems found."""
    problems: list[Problem] = []
    row = 0
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, **_dialect(fmt))  # type: ignore[arg-type]
            if fmt.header:
                next(reader, None)
            for record in reader:
                row += 1
                if len(record) != width and record != []:
                    problems.append(Problem(
                        f"ragged row: {len(record)} fields where the header has {width}", row))
                    if len(problems) >= limit:
                        break
    except UnicodeDecodeError:
        problems.append(Problem(
            "the file is not valid UTF-8 as the contract declares (wrong encoding, e.g. Latin-1?)",
            row + 1))
    except csv.Error:
        problems.append(Problem("unbalanced quotes: a quoted field never ends", row + 1))
    return problems


def _csv_batches(path: Path, fmt: CsvFormat, header: list[str], batch_size: int,
                 dtypes: Mapping[str, pl.DataType] | None = None) -> Iterator[pl.DataFrame]:
    # an unquoted empty field is always null; a quoted one ("") too unless the contract says
    # quoted_empty: empty_string (polars reads "" as null only when "" is a null value)
    if fmt.quoted_empty == "null":
        null_values: list[str] | None = sorted({fmt.null_value, ""})
    else:
        null_values = [fmt.null_value] if fmt.null_value else None
    lf = pl.scan_csv(
        path, separator=fmt.delimiter, quote_char=fmt.quote_char, has_header=fmt.header,
        schema={name: (dtypes or {}).get(name, pl.String()) for name in header},
        null_values=null_values, encoding="utf8",
        infer_schema=False, raise_if_empty=False,
    )
    yield from lf.collect_batches(chunk_size=batch_size)


