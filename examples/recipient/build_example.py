"""Rebuild the example's received deliveries (how the files in this folder were made).

Usage: ``.venv/bin/python examples/recipient/build_example.py [TARGET]`` (default: this
folder; its ``received/`` must not exist). Writes ``received/dream-kommuner/2024-03/`` (a
clean delivery to Aarhus, 751) and ``received/dream-kommuner/2024-04/`` (the same feed a
month later, with three problems).
The CPR numbers are synthetic. Needs ``contracts/`` of this folder (the municipality's copy
of the contract and its code lists).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from contractkit.atomic import atomic_write_bytes
from contractkit.delivery import build_manifest, write_manifest
from contractkit.delivery.extract import extract_delivery
from contractkit.loader import load_contract

HERE = Path(__file__).resolve().parent
HEADER = "cpr;kommune_kode;periode;uge;ydelse_kode;branche;grad;koen;alder\n"
# (cpr, benefit code, industry, employment rate, sex, age): synthetic persons.
PERSONS = [
    ("1503851234", "111", "", "", "K", "39"),
    ("2207920557", "", "471100", "100", "M", "31"),
    ("0911024113", "651", "", "", "M", "21"),
]
WEEKS = {"2024-03": ["2024-W10", "2024-W11", "2024-W12", "2024-W13"],
         "2024-04": ["2024-W14", "2024-W15", "2024-W16", "2024-W17"]}


def month_file(kommune: str, period: str) -> bytes:
    """One municipality's DREAM rows for one month (one row per person and ISO week)."""
    lines = [HEADER]
    for cpr, ydelse, branche, grad, koen, alder in PERSONS:
        for week in WEEKS[period]:
            lines.append(f"{cpr};{kommune};{period};{week};{ydelse};{branche};{grad};{koen};"
                         f"{alder}\n")
    return "".join(lines).encode("utf-8")


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
            data = month_file(kommune, period)
            atomic_write_bytes(path, data)
            entries.append((path, "dream", kommune, data.count(b"\n") - 1))
        write_manifest(producer, build_manifest(lc, period, entries, "released", generated_at))
        return extract_delivery(producer, "751", root / lc.contract.id / period).folder


def build(target: Path) -> None:
    """Write both received folders below ``target/received``."""
    root = target / "received"
    # March: on time (due 2024-04-10).
    deliver(root, "2024-03", ["751", "101"], datetime(2024, 4, 8, 6, 0, tzinfo=UTC))
    # April: late (due 2024-05-10). Aarhus's file was changed after it was sent (an employment
    # rate of 100 became 180), and Copenhagen's file was put in Aarhus's folder by mistake.
    april = deliver(root, "2024-04", ["751", "101"], datetime(2024, 5, 14, 9, 30, tzinfo=UTC))
    own = april / "dream_751_2024-04.csv"
    atomic_write_bytes(own, own.read_bytes().replace(b";471100;100;", b";471100;180;", 1))
    atomic_write_bytes(april / "dream_101_2024-04.csv", month_file("101", "2024-04"))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
