"""Why a CSV header was not recognised: a guess at the file's real dialect.

When the first line of a file names none of the contract's columns, the usual cause is a
delimiter other than the contract's: the whole header then reads as one field. Python's
:class:`csv.Sniffer` (the standard library; no dependency) guesses the delimiter from how
consistently a character splits the first lines; the guess is kept only when the header,
split by it, names columns of the contract. If the sniffer cannot decide, each common
delimiter is tried on the header alone. The result is a sentence for the finding, e.g.
"the file looks ','-separated (its header then names 3 of the contract's 3 columns); the
contract declares ';'".
"""

from __future__ import annotations

import csv
from pathlib import Path

from contractkit.contract.fileformat import CsvFormat

__all__ = ["dialect_hint"]

_SAMPLE_BYTES = 64 * 1024
_CANDIDATES = ",;\t|"


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def _named(header_line: str, delimiter: str, quote: str, columns: set[str]) -> int:
    fields = next(csv.reader([header_line], delimiter=delimiter, quotechar=quote), [])
    return len({f.strip() for f in fields} & columns)


def dialect_hint(path: Path, fmt: CsvFormat, columns: list[str]) -> str | None:
    """A sentence naming the delimiter the file seems to use, when it is not the contract's.

    Args:
        path: the CSV file.
        fmt: the contract's CSV format.
        columns: the contract table's column names.

    Returns:
        The hint, or ``None`` when no other delimiter makes the header name the contract's
        columns.
    """
    try:
        with path.open("rb") as fh:
            raw = fh.read(_SAMPLE_BYTES)
    except OSError:
        return None
    text = raw.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if not lines:
        return None
    wanted = set(columns)
    candidates = [d for d in _CANDIDATES if d != fmt.delimiter]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=_CANDIDATES).delimiter
    except csv.Error:
        sniffed = None
    order = ([sniffed] if sniffed in candidates else []) + candidates
    best = max(order, key=lambda d: _named(lines[0], d, fmt.quote_char, wanted))
    named = _named(lines[0], best, fmt.quote_char, wanted)
    if named == 0:
        return None
    return (f"the file looks {_shown(best)}-separated (its header then names {named} of the "
            f"contract's {len(wanted)} columns); the contract declares {_shown(fmt.delimiter)}")
