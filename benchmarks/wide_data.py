"""The wide benchmark case: a DREAM-shaped file for period 2024-03 and its contract.

DREAM as municipalities receive it: one row per person, a benefit code per ISO week in
``y_YYWW`` from 1991-W27 through the period (1,709 columns for 2024-03), and since 2008
an industry code and an employment rate per month (``branche_YYYY_MM``, ``grad_YYYY_MM``,
195 each). Realistic sparsity: most weeks are empty; a person has a few spells of equal
codes. A handful of planted bad cells (a code outside the list, a rate over 100, an
industry code of five digits, a bad CPR) make the findings non-trivial.

The contract is DREAM's municipality contract with its columns replaced by the wide
layout, stated as column families and expanded for the period (``Table.for_period``), as
the engine sees it either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO / "contracts" / "dream-kommuner.yaml"
PERIOD = "2024-03"
CHUNK = 20_000
CODES = ["111", "112", "121", "211", "521", "611", "651", "701", "730", "740", "750", "760",
         "774", "783", "881", "890", "997"]
BRANCHES = ["851010", "862100", "471100", "410000", "561010", "841100", "620100", "881000"]


def wide_contract() -> Any:
    """The loaded DREAM contract with the wide table (families expanded for :data:`PERIOD`)."""
    from dataclasses import replace

    from contractkit.contract.families import ColumnFamily
    from contractkit.contract.models import Column
    from contractkit.contract.periods import parse_period
    from contractkit.loader import load_contract

    lc = load_contract(CONTRACT)
    c = lc.contract
    plain = [col for col in c.tables[0].columns if col.name in ("cpr", "kommune_kode", "koen",
                                                                 "alder")]
    families = [
        ColumnFamily(template="y_{YYWW}", first="1991-W27", type="string", codelist="ydelser",
                     required=False, description="Ugens ydelseskode"),
        ColumnFamily(template="branche_{YYYY_MM}", first="2008-01", type="string",
                     pattern="^[0-9]{6}$", required=False, description="Månedens branche"),
        ColumnFamily(template="grad_{YYYY_MM}", first="2008-01", type="integer",
                     range={"min": 0, "max": 100}, required=False,
                     description="Månedens beskæftigelsesgrad"),
    ]
    assert all(isinstance(col, Column) for col in plain)
    table = c.tables[0].model_copy(update={
        "columns": plain, "column_families": families, "primary_key": ["cpr"],
        "period_column": None, "file_pattern": "dream_{kommune}_{period}.csv"})
    period = parse_period(c.cadence.frequency, PERIOD)
    table = table.for_period(period)
    return replace(lc, contract=c.model_copy(update={"tables": [table]}))


def _spells(rng: Any, n: int, width: int, values: int, spells: int, mean: float) -> Any:
    """An ``n × width`` matrix of value indexes (0 = empty) made of up to ``spells``
    runs of one value per row, each of geometric length with mean ``mean``."""
    import numpy as np

    out = np.zeros((n, width), dtype=np.uint8)
    pos = np.arange(width)
    for _ in range(spells):
        active = rng.random(n) < 0.5
        start = rng.integers(0, width, n)
        end = start + rng.geometric(1 / mean, n)
        code = rng.integers(1, values + 1, n).astype(np.uint8)
        mask = active[:, None] & (pos >= start[:, None]) & (pos < end[:, None])
        out = np.where(mask, code[:, None], out)
    return out


def _column(matrix: Any, j: int, labels: Any) -> Any:
    import polars as pl

    idx = pl.Series(matrix[:, j].astype("int64"))
    return labels.gather(idx)


def write_wide(path: Path, rows: int, seed: int = 7) -> Path:
    """Write ``rows`` persons of the wide file to ``path`` (';'-separated, UTF-8)."""
    import numpy as np
    import polars as pl

    lc = wide_contract()
    names = lc.contract.tables[0].column_names
    weeks = [n for n in names if n.startswith("y_")]
    months = [n for n in names if n.startswith("branche_")]
    code_labels = pl.Series([None, *CODES], dtype=pl.String)
    branch_labels = pl.Series([None, *BRANCHES], dtype=pl.String)
    grade_labels = pl.Series([None, "100", "50", "37", "80"], dtype=pl.String)
    with path.open("wb") as fh:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            rng = np.random.default_rng(seed + start)
            person = np.arange(start, start + n)
            cpr = pl.DataFrame({"d": person % 28 + 1, "m": (person // 28) % 12 + 1,
                                "y": 40 + (person // 336) % 60, "s": (person // 20160) % 9000
                                + 1000}).select(pl.format(
                                    "{}{}{}-{}", *(pl.col(c).cast(pl.String).str.zfill(z)
                                                   for c, z in (("d", 2), ("m", 2), ("y", 2),
                                                                ("s", 4))))).to_series()
            week = _spells(rng, n, len(weeks), len(CODES), 4, 30.0)
            work = _spells(rng, n, len(months), len(BRANCHES), 3, 24.0)
            grade = np.where(work > 0, rng.integers(1, 5, (n, 1)).astype(np.uint8), 0)
            cols: dict[str, Any] = {
                "cpr": cpr,
                "kommune_kode": pl.Series(["101"] * n),  # one file per municipality
                "koen": pl.Series(np.where(rng.random(n) < 0.5, "M", "K")),
                "alder": pl.Series(rng.integers(16, 80, n)).cast(pl.String),
            }
            for j, name in enumerate(weeks):
                cols[name] = _column(week, j, code_labels)
            for j, name in enumerate(months):
                cols[name] = _column(work, j, branch_labels)
                cols["grad" + name[len("branche"):]] = _column(grade, j, grade_labels)
            frame = pl.DataFrame(cols).select(names)
            frame = _plant(frame, rng, weeks, months)
            frame.write_csv(fh, separator=";", include_header=start == 0)
    return path


def _plant(frame: Any, rng: Any, weeks: list[str], months: list[str]) -> Any:
    """A few bad cells per chunk: codes outside the list, rates over 100, short industry
    codes, impossible CPR numbers."""
    import polars as pl

    n = frame.height
    updates: dict[str, Any] = {}
    for kind in range(4):
        for row in rng.integers(0, n, 3):
            if kind == 0:
                name, value = weeks[int(rng.integers(0, len(weeks)))], "999"
            elif kind == 1:
                name, value = "grad" + months[int(rng.integers(0, len(months)))][7:], "120"
            elif kind == 2:
                name, value = months[int(rng.integers(0, len(months)))], "85101"
            else:
                name, value = "cpr", "320180-1234"
            updates.setdefault(name, []).append((int(row), value))
    exprs = []
    for name, cells in updates.items():
        expr = pl.col(name)
        for row, value in cells:
            expr = pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value)).otherwise(expr)
        exprs.append(expr.alias(name))
    return frame.with_columns(exprs)
