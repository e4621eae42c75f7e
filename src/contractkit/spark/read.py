"""Reading a delivered file with Spark: the contract's CSV dialect or Parquet, row-numbered.

The structural checks (empty, binary, encoding, header, ragged rows, unbalanced quotes)
are the polars engine's own (:func:`contractkit.engine.read.open_source`), run first on
the driver; Spark then reads the file (or, when it has bad records, the engine's private
UTF-8 copy without them, its rows numbered as in the file by :func:`original_rows`):

* CSV: every column as text (a bad value becomes ``wrong-type``, never a crash), in the
  contract's encoding, delimiter, quote (doubled quotes escape one, as RFC 4180 and polars
  read them) and header; multi-line records as polars reads them. The file is read as
  one partition (``multiLine`` files are never split), so ``monotonically_increasing_id``
  numbers its records exactly 0…n-1 in file order; the count pass checks that the read
  had one partition. An unquoted empty field is null; a quoted empty field ``""`` is null
  too unless the format says ``quoted_empty: empty_string``, as in the polars engine.
* Parquet: native types, numbered by Spark's ``_metadata.row_index`` (the row's position
  in the file).

Columns get positional aliases (``c0``, ``c1`` …) so that any header text is safe.
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field
from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from contractkit.contract.models import Column as ContractColumn
from contractkit.contract.models import ColumnType, CsvFormat, ParquetFormat
from contractkit.engine.read import STRUCTURE_CHECK_BYTES, Malformed, Problem
from contractkit.engine.structure import RowMap
from contractkit.spark.exprs import spark_cast, spark_type

__all__ = ["CORRUPT", "PARTITION", "ROW", "SparkFrame", "check_utf8", "original_rows",
           "read_frame"]

ROW = "__ck_row"
CORRUPT = "__ck_corrupt"
PARTITION = "__ck_partition"
_EMPTY = "\x00ck-empty\x00"
"""What Spark reads a quoted empty field as, before it becomes an empty text again."""
_CHARSETS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "latin-1": "ISO-8859-1",
             "cp1252": "windows-1252"}


@dataclass
class SparkFrame:
    """A delivered file as a Spark DataFrame: the row number and each contract column.

    Attributes:
        df: columns :data:`ROW` (1-based), ``c<i>`` per present contract column (text for
            CSV, native for Parquet) and, for CSV, :data:`CORRUPT` and :data:`PARTITION`.
        alias: contract column name → its column in ``df``.
        parsed: columns whose values are text to parse (all of CSV; Parquet columns
            whose physical type is not the contract's).
        is_csv: whether the file is CSV.
    """

    df: DataFrame
    alias: dict[str, str]
    columns: list[ContractColumn]
    is_csv: bool
    parsed: set[str] = field(default_factory=set)

    def raw(self, name: str) -> Column:
        """The column as read."""
        return F.col(self.alias[name])

    def typed(self, col: ContractColumn, casts: dict[str, object]) -> Column:
        """The column parsed as its contract type (unparsable → null)."""
        if col.name in self.parsed:
            return spark_cast(F.col(self.alias[col.name]).cast("string"),
                              **casts)  # type: ignore[arg-type]
        return F.col(self.alias[col.name]).cast(spark_type(col.type.value))


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _native_ok(dtype: T.DataType, col: ContractColumn) -> bool:
    # the polars engine's rule (contractkit.engine.evaluate._native_ok), on Spark's types
    kind = col.type
    if kind is ColumnType.STRING:
        return isinstance(dtype, T.StringType)
    if kind is ColumnType.INTEGER:
        return isinstance(dtype, T.IntegralType)
    if kind in (ColumnType.DECIMAL, ColumnType.FLOAT):
        return isinstance(dtype, T.NumericType)
    if kind is ColumnType.BOOLEAN:
        return isinstance(dtype, T.BooleanType)
    if kind is ColumnType.DATE:
        return isinstance(dtype, T.DateType)
    return isinstance(dtype, T.TimestampType | T.TimestampNTZType)


def read_frame(spark: SparkSession, path: Path, fmt: CsvFormat | ParquetFormat,
               header: list[str], columns: list[ContractColumn]) -> SparkFrame:
    """Read ``path`` (already structurally checked) as a :class:`SparkFrame`."""
    alias = {c.name: f"c{i}" for i, c in enumerate(columns)}
    if isinstance(fmt, ParquetFormat):
        df = spark.read.parquet(str(path))
        types = {f.name: f.dataType for f in df.schema.fields}
        parsed = {c.name for c in columns if not _native_ok(types[c.name], c)}
        df = df.select((F.col("_metadata.row_index") + 1).alias(ROW),
                       *[F.col(_quoted(c.name)).alias(alias[c.name]) for c in columns])
        return SparkFrame(df, alias, columns, False, parsed)
    positional = [f"h{i}" for i in range(len(header))]
    schema = T.StructType([T.StructField(n, T.StringType()) for n in positional]
                          + [T.StructField(CORRUPT, T.StringType())])
    df = spark.read.csv(
        str(path), schema=schema, sep=fmt.delimiter, quote=fmt.quote_char,
        escape=fmt.quote_char, header=fmt.header, multiLine=True,
        encoding=_CHARSETS[fmt.encoding], nullValue=fmt.null_value, emptyValue=_EMPTY,
        mode="PERMISSIVE", columnNameOfCorruptRecord=CORRUPT, enforceSchema=True,
        ignoreLeadingWhiteSpace=False, ignoreTrailingWhiteSpace=False)
    where = {name: positional[i] for i, name in enumerate(header)}
    picked = []
    # a quoted empty field is null unless the contract's format says it is an empty string
    quoted_empty = F.lit("") if fmt.quoted_empty == "empty_string" else F.lit(None)
    for c in columns:
        src = F.col(where[c.name])
        picked.append(F.when(src == _EMPTY, quoted_empty).otherwise(src).alias(alias[c.name]))
    df = df.select((F.monotonically_increasing_id() + 1).alias(ROW),
                   F.spark_partition_id().alias(PARTITION), F.col(CORRUPT), *picked)
    return SparkFrame(df, alias, columns, True, {c.name for c in columns})


def original_rows(frame: SparkFrame, row_map: RowMap) -> None:
    """Number the rows of a copy without bad records as the rows of the original file."""
    if not row_map:
        return

    # a Python function per row: only files with bad records take this path
    # (plain numbers, the standard library and no Arrow: the workers need neither contractkit
    # nor pyarrow, which a cluster's Python may lack)
    steps = row_map.steps()
    original = F.udf(lambda row: row + bisect.bisect_left(steps, row), T.LongType(),
                     useArrow=False)
    frame.df = frame.df.withColumn(ROW, original(F.col(ROW)))


def check_utf8(path: Path, fmt: CsvFormat) -> None:
    """Decode a large UTF-8 file completely (Spark would silently replace bad bytes).

    Files up to :data:`STRUCTURE_CHECK_BYTES` and transcoded ones were already decoded
    completely by the structural check.

    Raises:
        Malformed: the file is not valid UTF-8.
    """
    if fmt.encoding not in ("utf-8", "utf-8-sig") or path.stat().st_size <= STRUCTURE_CHECK_BYTES:
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(1 << 22)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                row = lines + chunk[: exc.start].count(b"\n")
                raise Malformed([Problem(
                    "the file is not valid UTF-8 as the contract declares (wrong encoding, "
                    "e.g. Latin-1?)", row if row > 0 else None)]) from None
            if not chunk:
                return
            lines += chunk.count(b"\n")
