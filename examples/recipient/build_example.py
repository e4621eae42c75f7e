"""Rebuild the example's received deliveries (how the files in this folder were made).

Usage: ``.venv/bin/python examples/recipient/build_example.py [TARGET]`` (default: this
folder; its ``received/`` must not exist). The files are wide, as DREAM is: one row per
citizen, a column per ISO week (``y_9127`` … ``y_2413`` in March) and per month since 2008
(``branche_``, ``grad_``). Writes ``received/dream-kommuner/2024-03/`` (a clean delivery to
Aarhus, 751) and ``received/dream-kommuner/2024-04/`` (the same feed a month later, with three
problems).
The CPR numbers are synthetic. Needs ``contracts/`` of this folder (the municipality's copy
of the contract and its code lists).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from contractkit.atomic import atomic_write_bytes
from contractkit.contract.periods import parse_period
from contractkit.delivery import build_manifest, write_manifest
from contractkit.delivery.extract import extract_delivery
from contractkit.loader import LoadedContract, load_contract

HERE = Path(__file__).resolve().parent
# Synthetic persons: (cpr, sex, age, benefit spells, employment spells). A benefit spell is
# (first ISO week, last ISO week, code); an employment spell (first month, last month,
# industry DB07, employment rate %). Everything else in the wide file is empty.
PERSONS = [
    ("1503851234", "K", "39", [("2019-W02", "2019-W20", "890"), ("2023-W40", "2024-W17", "111")],
     [("2008-01", "2023-09", "861000", "100")]),
    ("2207920557", "M", "31", [("2020-W11", "2020-W14", "890")],
     [("2015-08", "2024-04", "471100", "100")]),
    ("0911024113", "M", "21", [("2021-W35", "2024-W17", "651")], []),
]


def _cells(lc: LoadedContract, period: str) -> tuple[list[str], list[list[str]]]:
    """The wide file's header and rows: plain columns, then a column per week and month."""
    table = lc.contract.tables[0]
    p = parse_period(lc.contract.cadence.frequency, period)
    weeks, months = (dict(zip(f.member_labels(p), f.member_names(p), strict=True))
                     for f in table.column_families[:2])
    header = table.for_period(p).column_names
    rows = []
    for cpr, koen, alder, benefits, jobs in PERSONS:
        row = dict.fromkeys(header, "")
        row.update(cpr=cpr, koen=koen, alder=alder)
        for first, last, code in benefits:
            row.update({weeks[w]: code for w in weeks if first <= w <= last})
        for first, last, branche, grad in jobs:
            for m, name in months.items():
                if first <= m <= last:
                    row[name] = branche
                    row[name.replace("branche_", "grad_")] = grad
        rows.append(row)
    return header, [[r[c] for c in header] for r in rows]


def month_file(lc: LoadedContract, kommune: str, period: str) -> bytes:
    """One municipality's DREAM file for one month: one row per citizen (wide format)."""
    header, rows = _cells(lc, period)
    lines = [";".join(header)]
    for row in rows:
        row[header.index("kommune_kode")] = kommune
        lines.append(";".join(row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def deliver(root: Path, period: str, kommuner: list[str], generated_at: datetime) -> Path:
    """What STAR sends Aarhus: its file cut from the full delivery, with a manifest for 751.

    The full delivery (every listed municipality's file and a manifest of them all) is made in
    a temporary folder, as ``contractkit ci`` would; ``extract`` (``contractkit extract``)
    then cuts Aarhus's part with the producer's hashes.
    """
    lc = load_contract(HERE / "contracts" / "dream-kommuner.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        producer = Path(tmp) / period
        entries = []
        for kommune in kommuner:
            path = producer / f"dream_{kommune}_{period}.csv"
            data = month_file(lc, kommune, period)
            atomic_write_bytes(path, data)
            entries.append((path, "dream", kommune, data.count(b"\n") - 1))
        write_manifest(producer, build_manifest(lc, period, entries, "released", generated_at))
        return extract_delivery(producer, "751", root / lc.contract.id / period).folder


def build(target: Path) -> None:
    """Write both received folders below ``target/received``."""
    root = target / "received"
    lc = load_contract(HERE / "contracts" / "dream-kommuner.yaml")
    # March: on time (due 2024-04-10).
    deliver(root, "2024-03", ["751", "101"], datetime(2024, 4, 8, 6, 0, tzinfo=UTC))
    # April: late (due 2024-05-10). Aarhus's file was changed after it was sent (the second
    # citizen's employment rate for April, grad_2024_04, the last column, went from 100 to
    # 180), and Copenhagen's file was put in Aarhus's folder by mistake.
    april = deliver(root, "2024-04", ["751", "101"], datetime(2024, 5, 14, 9, 30, tzinfo=UTC))
    own = april / "dream_751_2024-04.csv"
    lines = own.read_bytes().split(b"\n")
    assert lines[2].startswith(b"2207920557;")
    assert lines[2].endswith(b";100")
    lines[2] = lines[2][:-3] + b"180"
    atomic_write_bytes(own, b"\n".join(lines))
    atomic_write_bytes(april / "dream_101_2024-04.csv", month_file(lc, "101", "2024-04"))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
