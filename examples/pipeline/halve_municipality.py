"""Plant a period-over-period defect: half of one job centre's citizens vanish in a month.

A source feed arrived late: the meetings of every second citizen of one municipality's job
centre are missing for the month. Each file on its own is still valid row by row; only the
comparison with the last released month shows it. Usage:

    .venv/bin/python examples/pipeline/halve_municipality.py WAREHOUSE.duckdb [KOMMUNE] [MONTH]

(default: 751 Aarhus, 2024-03). Prints the name of the file the gate must hold.
"""

from __future__ import annotations

import sys

import duckdb


def main(path: str, kommune: int = 751, month: str = "2024-03") -> None:
    """Delete the month's meetings of every second citizen of ``kommune``'s job centre."""
    first = f"{month}-01"
    con = duckdb.connect(path)
    try:
        con.execute("""
            DELETE FROM samtaler WHERE jobcenter_kommune = $k
              AND samtale_dato >= CAST($d AS DATE)
              AND samtale_dato < CAST($d AS DATE) + INTERVAL 1 MONTH
              AND cpr IN (
                SELECT cpr FROM (
                  SELECT cpr, row_number() OVER (ORDER BY cpr) AS n FROM (
                    SELECT DISTINCT cpr FROM samtaler WHERE jobcenter_kommune = $k
                      AND samtale_dato >= CAST($d AS DATE)
                      AND samtale_dato < CAST($d AS DATE) + INTERVAL 1 MONTH))
                WHERE n % 2 = 0)""", {"k": kommune, "d": first})
    finally:
        con.close()
    print(f"samtaler_{kommune}_{month}.csv")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], *([int(args[1])] if len(args) > 1 else []), *args[2:3])
