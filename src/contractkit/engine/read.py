"""Reading delivered files: CSV (the contract's dialect) and Parquet, in batches.

Input files are only ever read. CSV columns are read as strings so that a value that
does not parse as its column's type becomes a located ``wrong-type`` finding rather
than a crash. A file that cannot be parsed at all (empty, binary, unreadable or missing
header, truncated Parquet) raises :class:`Malformed`, which the engine turns into
``malformed-file`` findings; raw lines are never quoted in messages. Bad records of a CSV
file (ragged, undecodable, unbalanced quotes) are found in one pass
(:mod:`contractkit.engine.structure`); the file is then read from a private copy without
them, and :attr:`SourceFile.row_map` gives each row of that copy its original data row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from contractkit.contract.models import CsvFormat, ParquetFormat, Table
from contractkit.engine.csvread import Batch, Reread, csv_batches, text_dtypes
from contractkit.engine.parquetread import parquet_batches, row_groups
from contractkit.engine.sniff import dialect_hint
from contractkit.engine.structure import RowMap, Structure, looks_clean, scan, write_clean
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
    structure: Structure | None = None
    """The bad records of a CSV file, once found (``None``: none found, or not checked)."""
    row_groups: list[int] | None = None
    """The rows of each row group (Parquet; ``None`` for CSV)."""
    row_map: RowMap = field(default_factory=RowMap)
    """Rows of the batches → data rows of the original file (the identity without bad records)."""
    _stack: contextlib.ExitStack | None = None

    def expected_rows(self) -> int:
        """About how many data rows the file has, erring high (CSV: from its size and the
        bytes per row of its first 64 KiB; Parquet: its metadata)."""
        if self.row_groups is not None:
            return sum(self.row_groups)
        size = self._read_path.stat().st_size
        return int(size / max(self.row_bytes or 1.0, 1.0) * 1.25) + 1

    @property
    def read_path(self) -> Path:
        """The file the batches are read from: the file itself, or a private UTF-8 copy
        (transcoded, or without the bad records when :attr:`structure` is set)."""
        return self._read_path

    def batches(self, batch_size: int) -> Iterator[pl.DataFrame]:
        """The frames of :meth:`read_batches`, every column as text (Parquet: as stored).

        Raises:
            Malformed: the file cannot be read as its format (bad records of a large CSV
                file, found after the first batches).
        """
        try:
            for batch in self.read_batches(batch_size):
                yield batch.frame
        except Reread:
            raise Malformed([Problem("the file has bad records")]) from None

    def read_batches(self, batch_size: int,
                     dtypes: Mapping[str, pl.DataType] | None = None) -> Iterator[Batch]:
        """Yield raw batches in file order. CSV: each column as ``dtypes`` says — text
        (``String``, or a ``Categorical`` of the same text; all ``String`` by default) or
        typed (:mod:`contractkit.engine.csvread`); Parquet: native types.

        A large CSV file is checked record by record only when the parser fails on it;
        the batches are then read, as text, from a copy without its bad records (see
        :attr:`row_map`).

        Raises:
            Reread: batches handed out before a failure may hold wrong rows (polars hands
                out rows of later in the file before it fails): call again, with text
                columns, to read the file (or its copy without bad records) from its start.
            Malformed: the file cannot be read as its format.
        """
        done = 0
        text_types = text_dtypes(dtypes or {n: pl.String() for n in self.header})
        try:
            if isinstance(self._fmt, CsvFormat):
                for batch in csv_batches(self._read_path, self._fmt, batch_size,
                                         dtypes or text_types):
                    done += batch.frame.height
                    yield batch
            else:
                yield from parquet_batches(self._read_path, batch_size, self.row_groups or [])
            return
        except (pl.exceptions.ComputeError, pl.exceptions.PolarsError, OSError) as exc:
            failure: BaseException = exc
        if not isinstance(self._fmt, CsvFormat) or self.structure is not None:
            raise _unparsable(failure)
        found = scan(self.path, self._fmt, len(self.header))
        if not found.bad or self._stack is None:
            raise _unparsable(failure)
        self.structure = found
        self._read_path = _clean(self.path, self._fmt, len(self.header), self._stack)
        self.row_map.update(found.dropped)
        if done:
            raise Reread
        try:
            yield from csv_batches(self._read_path, self._fmt, batch_size, text_types)
        except (pl.exceptions.ComputeError, pl.exceptions.PolarsError, OSError) as exc:
            raise _unparsable(exc) from None


def _unparsable(exc: BaseException) -> Malformed:
    return Malformed([Problem(f"the file cannot be parsed ({type(exc).__name__})")])


def _clean(path: Path, fmt: CsvFormat, width: int, stack: contextlib.ExitStack) -> Path:
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="contractkit-")))
    target = folder / "clean.csv"
    write_clean(path, fmt, width, target)
    return target


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
        Malformed: the file is empty, binary, corrupt or has no readable header.
    """
    size = _check_openable(path)
    if size == 0:
        raise Malformed([Problem("the file is empty")])
    if isinstance(fmt, ParquetFormat):
        try:
            schema = pl.read_parquet_schema(path)
            groups = row_groups(path)
        except (pl.exceptions.PolarsError, OSError):
            raise Malformed([Problem("not a readable Parquet file (truncated or corrupt)")]) from None
        return SourceFile(path, list(schema), False, path, fmt, row_groups=groups)
    with path.open("rb") as fh:
        head = fh.read(_SNIFF)
    if b"\x00" in head:
        raise Malformed([Problem("binary content: the file is not delimited text")])
    if head.startswith(b"PAR1"):
        raise Malformed([Problem("binary content: a Parquet file where CSV was expected")])
    read_path = path
    if fmt.encoding in ("latin-1", "cp1252"):
        read_path = _transcode(path, fmt.encoding, stack)
    header = _header(read_path, fmt, table)
    source = SourceFile(path, header, True, read_path, fmt, _row_bytes(head), _stack=stack)
    if ((size <= STRUCTURE_CHECK_BYTES or read_path is not path)
            and not looks_clean(path, fmt, len(header))):
        found = scan(path, fmt, len(header))
        if found.bad:
            source.structure = found
            source._read_path = _clean(path, fmt, len(header), stack)
            source.row_map.update(found.dropped)
    return source


def _row_bytes(head: bytes) -> float:
    """Bytes per line in ``head`` (all of it when no line ends there: a very long row)."""
    return len(head) / max(head.count(b"\n"), 1)


def _transcode(path: Path, encoding: str, stack: contextlib.ExitStack) -> Path:
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="contractkit-")))
    target = folder / "utf8.csv"
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        # a byte the encoding does not define (cp1252's 0x81) is replaced here; the structure
        # check, which always runs on a transcoded file, reports its line as bad-encoding
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        while True:
            chunk = src.read(1 << 20)
            dst.write(decoder.decode(chunk, final=not chunk))
            if not chunk:
                break
    return target


def _dialect(fmt: CsvFormat) -> dict[str, object]:
    return {"delimiter": fmt.delimiter, "quotechar": fmt.quote_char, "strict": True}


def _header(path: Path, fmt: CsvFormat, table: Table) -> list[str]:
    if not fmt.header:
        return table.column_names
    try:  # a bad byte further on is a bad record (structure), not a bad header
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = next(csv.reader(fh, **_dialect(fmt)), None)  # type: ignore[arg-type]
    except csv.Error:
        first = ["\ufffd"]
    if first and any("\ufffd" in f for f in first):
        raise Malformed([Problem("the header line cannot be read")])
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
    """Every bad record of ``path`` (up to ``limit`` per kind) as located problems."""
    return [Problem(b.message, b.row) for b in scan(path, fmt, width, limit).examples]
