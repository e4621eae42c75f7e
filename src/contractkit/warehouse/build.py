"""Build the embedded warehouse: a DuckDB file standing in for STAR's DSDW.

The build is seeded and deterministic; persons and spells are generated with numpy in
chunks (so ``--persons 1000000`` stays within memory), everything else is derived in
DuckDB SQL. The file is written atomically: it is built under a temporary name in the
target folder and renamed into place only when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from contractkit.atomic import owner_only
from contractkit.errors import UsageError

__all__ = ["DEFAULT_PERSONS", "DEFAULT_SEED", "WarehouseInfo", "build_warehouse",
           "warehouse_info"]

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 42
GENERATOR_VERSION = "1"
_CHUNK = 250_000
TABLES = ("personer", "kommuner", "forloeb", "ydelseskoder", "ydelsesudbetalinger", "dream_uger", "tilbud",
          "visitation", "samtaler", "akasse_medlemskab", "eindkomst")


@dataclass(frozen=True)
class WarehouseInfo:
    """What a built warehouse holds.

    Attributes:
        path: the DuckDB file.
        persons: number of persons generated.
        seed: the generator's seed.
        rows: row count per table.
    """

    path: Path
    persons: int
    seed: int
    rows: dict[str, int]


def build_warehouse(path: str | Path, kommuner: Mapping[str, str], persons: int = DEFAULT_PERSONS,
                    seed: int = DEFAULT_SEED, memory_limit: str = "2GB") -> WarehouseInfo:
    """Generate the warehouse into ``path`` (replacing it atomically).

    Args:
        path: the DuckDB file to write.
        kommuner: municipality code -> region code (the ``kommuner`` code list).
        persons: number of persons.
        seed: generator seed; the same seed gives the same warehouse.
        memory_limit: DuckDB's memory limit while deriving tables (spills to disk beyond).

    Returns:
        What the warehouse holds.

    Raises:
        UsageError: ``persons`` is not positive or the folder cannot be written.
    """


    if persons < 1:
        raise UsageError(f"--persons must be at least 1, not {persons}")
    if not kommuner:
        raise UsageError("no municipality codes to place persons in")
    path = Path(path).absolute()
    with owner_only():  # persons with CPR numbers: folders 0700, the file and spill 0600
        return _build(path, kommuner, persons, seed, memory_limit)


def _build(path: Path, kommuner: Mapping[str, str], persons: int, seed: int,
           memory_limit: str) -> WarehouseInfo:
    import duckdb

    from contractkit.warehouse.derive import derive_tables

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UsageError(f"{path.parent}: cannot write the warehouse ({exc.strerror})") from None
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"SET memory_limit = '{memory_limit}'")
            con.execute("SET preserve_insertion_order = false")
            _load_base(con, persons, seed, sorted(kommuner))
            con.execute("CREATE TABLE kommuner (kommune_kode INTEGER PRIMARY KEY, "
                        "region_kode INTEGER NOT NULL)")
            con.executemany("INSERT INTO kommuner VALUES (?, ?)",
                            [[int(k), int(r)] for k, r in sorted(kommuner.items())])
            derive_tables(con, seed)
            con.execute(
                "CREATE TABLE warehouse_info AS SELECT ? AS generator_version, ? AS seed, "
                "? AS persons", [GENERATOR_VERSION, seed, persons])
            rows = {t: _count(con, t) for t in TABLES}
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    return WarehouseInfo(path, persons, seed, rows)


def _count(con: object, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # type: ignore[attr-defined]
    return int(row[0])


def _load_base(con: object, persons: int, seed: int, kommuner: Sequence[str]) -> None:
    """Generate persons and spells in chunks and append them to DuckDB."""
    import polars as pl

    from contractkit.warehouse.people import generate_persons, generate_spells

    everyone = generate_persons(persons, seed, kommuner)
    c = con
    c.execute("CREATE TABLE personer AS SELECT * FROM everyone")  # type: ignore[attr-defined]
    c.execute("ALTER TABLE personer ADD PRIMARY KEY (cpr)")  # type: ignore[attr-defined]
    next_id = 1
    for start in range(0, persons, _CHUNK):
        part = everyone.slice(start, _CHUNK)
        spells: pl.DataFrame = generate_spells(part, seed, first_id=next_id)
        next_id += spells.height
        if start == 0:
            c.execute("CREATE TABLE forloeb AS SELECT * FROM spells")  # type: ignore[attr-defined]
        else:
            c.execute("INSERT INTO forloeb SELECT * FROM spells")  # type: ignore[attr-defined]


def warehouse_info(path: str | Path) -> WarehouseInfo:
    """Read what an existing warehouse holds.

    Args:
        path: the DuckDB file.

    Returns:
        What it holds: persons, the random seed, rows per table.

    Raises:
        UsageError: the file is missing or not a contractkit warehouse.
    """
    import duckdb

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such warehouse (run `contractkit warehouse build`)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise UsageError(f"{path}: cannot be opened as a DuckDB file ({type(exc).__name__})") from None
    try:
        row = con.execute("SELECT seed, persons FROM warehouse_info").fetchone()
        if row is None:
            raise UsageError(f"{path}: not a contractkit warehouse")
        rows = {t: _count(con, t) for t in TABLES}
    except duckdb.Error:
        raise UsageError(f"{path}: not a contractkit warehouse") from None
    finally:
        con.close()
    return WarehouseInfo(path, int(row[1]), int(row[0]), rows)
