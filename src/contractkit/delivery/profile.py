"""Per-file profiles: the aggregates a period-over-period rule compares, never a value.

A profile is computed for a file whose table has ``baseline`` rules and kept in the
delivery's manifest, so the next period can be compared with what was released. It holds
the row count, the count of each code of the coded columns the share rules name, and the
count, mean and (for columns without personal data) quantiles of the numeric columns the
shift rules name. Counts below the minimum cell size (the table's ``min_cell_size``, else
the baseline's) are suppressed: the code stays listed, its count is ``None``; a mean over
fewer values than that is not kept. Share rules only name columns without personal data
(lint), and the profile refuses any other, so no personal value can enter it.

JSON layout inside a manifest's file entry::

    "profile": {"rows": 120, "min_cell_size": 5,
                "codes": {"samtaletype": {"CV": 14, "JOB": 60, "FAELLES": null}},
                "numeric": {"timer": {"count": 118, "mean": 31.2, "p50": 37.0}}}
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractkit.contract.baseline import QUANTILES, Baseline
from contractkit.contract.models import (
    Column,
    ColumnType,
    CsvFormat,
    ParquetFormat,
    PersonalClass,
    Table,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    import polars as pl

    from contractkit.engine.read import SourceFile

__all__ = [
    "FileProfile",
    "NumericSummary",
    "cell_threshold",
    "profile_file",
    "profile_from_json",
    "profile_to_json",
]

_BATCH_ROWS = 1_000_000


@dataclass(frozen=True)
class NumericSummary:
    """Count, mean and quantiles of one numeric column (``None``: suppressed or no values).

    Attributes:
        count: non-null values that parse as numbers.
        mean: their mean, ``None`` when fewer than the minimum cell size.
        quantiles: ``p10`` … ``p90``; only for columns without personal data.
    """

    count: int
    mean: float | None
    quantiles: dict[str, float] = field(default_factory=dict)

    def statistic(self, name: str) -> float | None:
        """The mean or a quantile by name (``None`` when not kept)."""
        return self.mean if name == "mean" else self.quantiles.get(name)


@dataclass(frozen=True)
class FileProfile:
    """The aggregates of one delivered file that period-over-period rules compare.

    Attributes:
        rows: data rows.
        min_cell_size: counts below this were suppressed.
        codes: column → code → rows with it (``None``: present, but fewer than
            ``min_cell_size``).
        numeric: column → its summary.
    """

    rows: int
    min_cell_size: int
    codes: dict[str, dict[str, int | None]] = field(default_factory=dict)
    numeric: dict[str, NumericSummary] = field(default_factory=dict)


def cell_threshold(table: Table, baseline: Baseline) -> int:
    """The suppression threshold: the table's ``min_cell_size`` if set, else the baseline's."""
    return table.min_cell_size.min if table.min_cell_size is not None else baseline.min_cell_size


def _as_codes(series: pl.Series) -> pl.Series:
    import polars as pl

    if series.dtype == pl.String:
        return series.str.strip_chars()
    if series.dtype == pl.Boolean:
        return series.cast(pl.String).str.to_lowercase()
    return series.cast(pl.String)


def _as_numbers(series: pl.Series, fmt: CsvFormat | ParquetFormat) -> pl.Series:
    import polars as pl

    if series.dtype == pl.String:
        text = series.str.strip_chars()
        if isinstance(fmt, CsvFormat) and fmt.decimal == ",":
            text = text.str.replace(",", ".", literal=True)
        return text.cast(pl.Float64, strict=False)
    return series.cast(pl.Float64, strict=False)


def _profiled(table: Table, names: list[str], *, personal_ok: bool) -> list[Column]:
    out = []
    for name in names:
        col = table.column(name)
        if col is None:
            continue
        if not personal_ok and col.personal is not PersonalClass.NONE:
            continue
        if personal_ok and col.personal in (PersonalClass.DIRECT, PersonalClass.PSEUDONYM):
            continue
        out.append(col)
    return out


def _batches(path: Path, fmt: CsvFormat | ParquetFormat, source: SourceFile,
             needed: list[str]) -> Iterator[pl.DataFrame]:
    """Batches of only the ``needed`` columns (all rows), read in the contract's dialect."""
    import polars as pl

    from contractkit.engine.csvread import scan_options

    if isinstance(fmt, ParquetFormat):
        lf = pl.scan_parquet(path)
    elif fmt.encoding in ("utf-8", "utf-8-sig"):
        # the engine's own reading of the dialect (its nulls included), projected to few columns
        lf = pl.scan_csv(path, schema=dict.fromkeys(source.header, pl.String),
                         **scan_options(fmt))  # type: ignore[arg-type]
    else:  # transcoded by the engine's reader
        for batch in source.batches(_BATCH_ROWS):
            yield batch.select(needed)
        return
    yield from lf.select(needed).collect_batches(chunk_size=_BATCH_ROWS)


def profile_file(path: Path, table: Table, fmt: CsvFormat | ParquetFormat,
                 rows: int | None = None) -> FileProfile | None:
    """The profile of ``path`` read as ``table`` in ``fmt``; ``None`` if the table has no
    baseline rules or the file cannot be read as its format (a malformed file).

    Only the columns the rules name are read; with only volume rules and ``rows`` (the
    engine's count) given, the file is not read again at all.

    Raises:
        DeliveryError: the path is missing or unreadable.
    """
    import polars as pl

    from contractkit.engine.read import Malformed, open_source  # polars: only when profiling

    rules = table.baseline
    if rules is None:
        return None
    threshold = cell_threshold(table, rules)
    coded = _profiled(table, rules.share_columns, personal_ok=False)
    numeric = [c for c in _profiled(table, rules.shift_columns, personal_ok=True)
               if c.type in (ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.FLOAT)]
    if rows is not None and not coded and not numeric:
        return FileProfile(rows=rows, min_cell_size=threshold)
    counts: dict[str, dict[str, int]] = {c.name: {} for c in coded}
    values: dict[str, list[pl.Series]] = {c.name: [] for c in numeric}
    total = 0
    with contextlib.ExitStack() as stack:
        try:
            source = open_source(path, fmt, table, stack)
            if source.structure is not None:  # bad records: a malformed file
                return None
            present = set(source.header)
            coded = [c for c in coded if c.name in present]
            numeric = [c for c in numeric if c.name in present]
            needed = list(dict.fromkeys([c.name for c in coded + numeric] or source.header[:1]))
            for batch in _batches(path, fmt, source, needed):
                total += batch.height
                for c in coded:
                    vc = _as_codes(batch.get_column(c.name)).drop_nulls().value_counts()
                    seen = counts[c.name]
                    for code, n in vc.iter_rows():
                        seen[code] = seen.get(code, 0) + n
                for c in numeric:
                    values[c.name].append(
                        _as_numbers(batch.get_column(c.name), fmt).drop_nulls())
        except (Malformed, pl.exceptions.PolarsError):
            return None
    return FileProfile(
        rows=total,
        min_cell_size=threshold,
        codes={name: {code: (n if n >= threshold else None) for code, n in sorted(seen.items())}
               for name, seen in counts.items()},
        numeric={c.name: _summary(values[c.name], threshold,
                                  quantiles=c.personal is PersonalClass.NONE)
                 for c in numeric},
    )


def _summary(parts: list[pl.Series], threshold: int, *, quantiles: bool) -> NumericSummary:
    import polars as pl

    series = pl.concat(parts) if parts else pl.Series([], dtype=pl.Float64)
    series = series.filter(series.is_finite())
    count = series.len()
    if count < threshold or count == 0:
        return NumericSummary(count, None)
    mean = series.mean()
    qs: dict[str, float] = {}
    if quantiles:
        for name, q in QUANTILES.items():
            value = series.quantile(q, interpolation="linear")
            if value is not None:
                qs[name.value] = float(value)
    return NumericSummary(count, None if mean is None else float(mean),  # type: ignore[arg-type]
                          qs)


def profile_to_json(profile: FileProfile) -> dict[str, Any]:
    """The profile as JSON-ready data."""
    return {
        "rows": profile.rows,
        "min_cell_size": profile.min_cell_size,
        "codes": {name: dict(codes) for name, codes in profile.codes.items()},
        "numeric": {name: {"count": s.count, "mean": s.mean, **s.quantiles}
                    for name, s in profile.numeric.items()},
    }


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{where} must be a non-negative integer")
    return value


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} must be a number or null")
    return float(value)


def _codes(data: Any, where: str) -> dict[str, int | None]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} must be an object")
    return {str(code): None if n is None else _count(n, f"{where}.{code}")
            for code, n in data.items()}


def _numeric(data: Any, where: str) -> NumericSummary:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} must be an object")
    qs = {k: _number(v, f"{where}.{k}") for k, v in data.items() if k in _QUANTILE_NAMES}
    return NumericSummary(_count(data.get("count"), f"{where}.count"),
                          _number(data.get("mean"), f"{where}.mean"),
                          {k: v for k, v in qs.items() if v is not None})


_QUANTILE_NAMES = frozenset(s.value for s in QUANTILES)


def profile_from_json(data: Any, where: str = "profile") -> FileProfile:
    """Read a profile back from parsed JSON.

    Raises:
        ValueError: the data is not a profile (the message says where).
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} must be an object")
    codes = data.get("codes", {})
    numeric = data.get("numeric", {})
    if not isinstance(codes, Mapping) or not isinstance(numeric, Mapping):
        raise ValueError(f"{where}.codes and {where}.numeric must be objects")
    return FileProfile(
        rows=_count(data.get("rows"), f"{where}.rows"),
        min_cell_size=_count(data.get("min_cell_size", 1), f"{where}.min_cell_size"),
        codes={str(k): _codes(v, f"{where}.codes.{k}") for k, v in codes.items()},
        numeric={str(k): _numeric(v, f"{where}.numeric.{k}") for k, v in numeric.items()},
    )
