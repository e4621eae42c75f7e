"""Plant one realistic defect in a warehouse: a citizen moves, the meeting stays behind.

The citizen's residence changes, but a March 2024 meeting is still registered with the old
job centre, so the meeting lands in the old municipality's file of the meeting-times feed,
whose scope is "Kun oplysninger om borgere i egen kommune." Usage:

    .venv/bin/python examples/pipeline/plant_defect.py WAREHOUSE.duckdb

Prints the name of the file the gate must reject.
"""

from __future__ import annotations

import sys

import duckdb


def main(path: str) -> None:
    """Move the first dagpenge recipient with a March 2024 meeting to another municipality."""
    con = duckdb.connect(path)
    try:
        row = con.execute("""
            SELECT s.cpr, s.jobcenter_kommune FROM samtaler s JOIN forloeb f USING (forloeb_id)
            WHERE f.ydelse_kode IN ('111', '112') AND NOT s.annulleret
              AND s.samtale_dato BETWEEN DATE '2024-03-01' AND DATE '2024-03-31'
            ORDER BY s.samtale_id LIMIT 1""").fetchone()
        assert row is not None, "no meeting in March 2024"
        cpr, old = row
        new = 101 if old != 101 else 147
        con.execute("UPDATE personer SET bopaelskommune = ? WHERE cpr = ?", [new, cpr])
    finally:
        con.close()
    print(f"samtaler_{old}_2024-03.csv")


if __name__ == "__main__":
    main(sys.argv[1])
