"""File formats of a delivery: a CSV dialect or Parquet."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from contractkit.contract.base import FrozenModel


class CsvFormat(FrozenModel):
    """A delimited text file."""

    type: Literal["csv"] = Field(description="Always 'csv'.")
    encoding: Literal["utf-8", "utf-8-sig", "latin-1", "cp1252"] = Field(
        default="utf-8", description="Character encoding; utf-8-sig means UTF-8 with a BOM."
    )
    delimiter: str = Field(default=";", min_length=1, max_length=1, description="Field separator.")
    decimal: Literal[".", ","] = Field(default=",", description="Decimal mark of numbers.")
    quote_char: str = Field(default='"', min_length=1, max_length=1, description="Quote char.")
    header: bool = Field(default=True, description="First line holds the column names.")
    line_ending: Literal["lf", "crlf"] = Field(
        default="lf", description="Line ending written by producers (readers accept both)."
    )
    null_value: str = Field(default="", description="How a missing value is written.")
    quoted_empty: Literal["null", "empty_string"] = Field(
        default="null",
        description="What a quoted empty field (\"\") means: 'null' — a missing value, like an "
                    "unquoted empty field (as frictionless and pandas read it) — or "
                    "'empty_string', a present value of length 0.",
    )
    date_format: str = Field(default="%Y-%m-%d", description="strftime format of date columns.")


class ParquetFormat(FrozenModel):
    """An Apache Parquet file."""

    type: Literal["parquet"] = Field(description="Always 'parquet'.")
    compression: Literal["zstd", "snappy", "gzip", "none"] = Field(
        default="zstd", description="Compression codec producers use."
    )


FileFormat = Annotated[CsvFormat | ParquetFormat, Field(discriminator="type")]
