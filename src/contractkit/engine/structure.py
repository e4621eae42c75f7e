"""The structure of a delivered CSV file, checked record by record in one pass.

:func:`scan` reads the file once, decoding each physical line on its own, and sorts every
data record into *good* or *bad*: a record is bad when a line of it does not decode in the
contract's encoding (``bad-encoding``), its quotes are unbalanced or a quote stands inside
an unquoted field (``bad-quotes``), or it has more or fewer fields than the header
(``ragged-row``). A blank line is a good record (every field null), as the reader takes it.
Counts per kind are exact; located examples are kept up to a cap. Raw text is never put
in a message (it may hold a CPR number).

When some records are bad, :func:`write_clean` writes a private copy of the file (UTF-8)
without them, so that the column rules can still judge the good records; :class:`RowMap`
turns a row of that copy back into the data row of the original file.
"""

from __future__ import annotations

import codecs
import csv
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from contractkit.contract.models import CsvFormat

__all__ = ["KINDS", "BadRecord", "RowMap", "Structure", "looks_clean", "scan", "write_clean"]

KINDS = ("bad-encoding", "bad-quotes", "ragged-row")
"""Kinds of bad records, in the order a record is classified (the first that applies)."""
EXAMPLES_PER_KIND = 10_000
"""Located examples kept per kind (the counts are exact beyond it)."""
_NAMES = {"bad-encoding": ("undecodable line", "undecodable lines"),
          "bad-quotes": ("record with unbalanced quotes", "records with unbalanced quotes"),
          "ragged-row": ("ragged row", "ragged rows")}


@dataclass(frozen=True)
class BadRecord:
    """One bad record: its kind, 1-based data row (header not counted) and a message."""

    kind: str
    row: int
    message: str


@dataclass
class Structure:
    """What one pass over a CSV file found.

    Attributes:
        rows: data records in the file (good and bad; the header not counted).
        counts: exact number of bad records per kind.
        examples: located bad records, at most ``limit`` per kind, in file order.
        dropped: the data rows of every bad record, ascending.
    """

    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[BadRecord] = field(default_factory=list)
    dropped: array[int] = field(default_factory=lambda: array("q"))

    @property
    def bad(self) -> int:
        """Bad records in all."""
        return len(self.dropped)

    def summary(self) -> str:
        """One sentence: how many rows the rules judged and why the others were left out."""
        parts = [f"{n:,} {_NAMES[k][n != 1]}" for k in KINDS if (n := self.counts.get(k, 0))]
        return (f"the column rules ran on {self.rows - self.bad:,} of {self.rows:,} data rows; "
                f"{self.bad:,} cannot be read as records ({', '.join(parts)}) and were left out")


class RowMap:
    """Maps a data row of the batches read to the data row of the original file.

    The identity until :meth:`update` says which rows were left out: the rows then come
    from a copy of the file without its bad records.
    """

    def __init__(self) -> None:
        self._shifted: np.ndarray[Any, np.dtype[np.int64]] = np.empty(0, np.int64)

    def update(self, dropped: array[int]) -> None:
        """The rows now come from a copy without the data rows ``dropped``."""
        left = np.frombuffer(dropped, dtype=np.int64) if len(dropped) else np.empty(0, np.int64)
        # the j-th left-out row d_j (1-based j) has d_j - j kept rows before it
        self._shifted = left - np.arange(1, len(left) + 1, dtype=np.int64)

    def steps(self) -> list[int]:
        """The map as plain numbers: row ``r`` is ``r + bisect_left(steps, r)`` in the file."""
        return [int(v) for v in self._shifted]

    def __bool__(self) -> bool:
        return bool(len(self._shifted))

    def original(self, row: int) -> int:
        """The original data row of ``row``."""
        return row + int(np.searchsorted(self._shifted, row, side="left"))

    def originals(self, rows: np.ndarray[Any, np.dtype[np.int64]]
                  ) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The original data rows of ``rows`` (vectorised :meth:`original`)."""
        if not len(self._shifted):
            return rows
        return rows + np.searchsorted(self._shifted, rows, side="left")


_SHOWN = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "latin-1": "Latin-1", "cp1252": "cp1252"}
_DECODERS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "latin-1": "latin-1", "cp1252": "cp1252"}


class _Lines:
    """The file's physical lines, each decoded on its own; remembers the current record's
    lines and which of them did not decode, and takes lines back to read them again."""

    def __init__(self, fh: IO[bytes], encoding: str) -> None:
        self._fh = fh
        self._encoding = _DECODERS.get(encoding, encoding)
        self._first = True
        self._back: list[tuple[str, bool]] = []
        self.taken: list[tuple[str, bool]] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.pop()
        else:
            raw = self._fh.readline()
            if not raw:
                raise StopIteration
            if self._first and raw.startswith(codecs.BOM_UTF8) and self._encoding == "utf-8":
                raw = raw[len(codecs.BOM_UTF8):]
            self._first = False
            try:
                item = (raw.decode(self._encoding), True)
            except UnicodeDecodeError:
                item = (raw.decode(self._encoding, errors="replace"), False)
        self.taken.append(item)
        return item[0]

    def take(self) -> tuple[str, bool]:
        """The text of the record just read and whether all its lines decoded."""
        text = "".join(t for t, _ in self.taken)
        ok = all(good for _, good in self.taken)
        self.taken = []
        return text, ok

    def give_back_all_but_first(self) -> str:
        """After a broken record: keep its first line as the record, re-read the rest."""
        first, rest = self.taken[0], self.taken[1:]
        self._back.extend(reversed(rest))
        self.taken = []
        return first[0]


def _quotes_ok(fmt: CsvFormat) -> re.Pattern[str]:
    d, q = re.escape(fmt.delimiter), re.escape(fmt.quote_char)
    fld = f"(?:{q}(?:[^{q}]|{q}{q})*{q}|[^{d}{q}\\r\\n]*)"
    return re.compile(f"{fld}(?:{d}{fld})*(?:\\r\\n|\\n|\\r)?")


def _records(fh: IO[bytes], fmt: CsvFormat, width: int
             ) -> Iterator[tuple[int, str, tuple[str, str] | None]]:
    """Yield ``(data row, text, problem)`` per record; row 0 is the header (when there is
    one); ``problem`` is ``(kind, message)`` for a bad record, else ``None``."""
    lines = _Lines(fh, fmt.encoding)
    reader = csv.reader(lines, delimiter=fmt.delimiter, quotechar=fmt.quote_char, strict=True)
    quote_ok = _quotes_ok(fmt)
    row = 0 if fmt.header else 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            text = lines.give_back_all_but_first()
            yield row, text, ("bad-quotes",
                              "unbalanced quotes: a quoted field never ends or a quote "
                              "stands inside a field")
            row += 1
            continue
        text, decoded = lines.take()
        problem: tuple[str, str] | None = None
        if not decoded:
            problem = ("bad-encoding", f"the line is not valid {_SHOWN[fmt.encoding]} as the "
                       "contract declares (another encoding, e.g. Latin-1?)")
        elif fmt.quote_char in text and not quote_ok.fullmatch(text):
            problem = ("bad-quotes", "unbalanced quotes: a quote stands inside an unquoted field")
        elif record and len(record) != width:
            problem = ("ragged-row", f"ragged row: {len(record)} fields where the header has "
                       f"{width}")
        yield row, text, problem
        row += 1


def looks_clean(path: Path, fmt: CsvFormat, width: int) -> bool:
    """Whether the whole file decodes and every record has ``width`` fields: the quick check
    of a file (C speed), before :func:`scan` looks at each record of a file that fails it.
    A quote inside an unquoted field passes here; the reader fails on it later."""
    try:
        with path.open("r", encoding=fmt.encoding if fmt.encoding != "utf-8" else "utf-8-sig",
                       newline="") as fh:
            reader = csv.reader(fh, delimiter=fmt.delimiter, quotechar=fmt.quote_char,
                                strict=True)
            if fmt.header:
                next(reader, None)
            return all(len(record) == width or not record for record in reader)
    except (UnicodeDecodeError, csv.Error):
        return False


def scan(path: Path, fmt: CsvFormat, width: int, limit: int = EXAMPLES_PER_KIND) -> Structure:
    """Check every record of ``path`` (in the contract's encoding) in one pass."""
    found = Structure()
    kept: dict[str, int] = {}
    with path.open("rb") as fh:
        for row, _text, problem in _records(fh, fmt, width):
            if row == 0:
                continue
            found.rows = row
            if problem is None:
                continue
            kind, message = problem
            found.counts[kind] = found.counts.get(kind, 0) + 1
            found.dropped.append(row)
            if kept.get(kind, 0) < limit:
                kept[kind] = kept.get(kind, 0) + 1
                found.examples.append(BadRecord(kind, row, message))
    return found


def write_clean(path: Path, fmt: CsvFormat, width: int, target: Path) -> None:
    """Write ``path`` without its bad records to ``target`` in UTF-8; the header (if any)
    is kept. ``target`` is created private (0600)."""
    target.touch(mode=0o600, exist_ok=False)
    with path.open("rb") as fh, target.open("w", encoding="utf-8", newline="") as out:
        for _row, text, problem in _records(fh, fmt, width):
            if problem is None:
                out.write(text if text.endswith(("\n", "\r")) else text + "\n")
