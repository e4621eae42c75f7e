"""The Spark engine: the same contracts, compiled rules and Report, judged by Apache Spark.

The only package that imports pyspark; ``import contractkit`` does not load it (the
engine imports this package when ``engine="spark"`` is asked for). See the README's
"Spark" section for when to choose it and what it promises about row numbers.
"""

from contractkit.spark.api import validate_paths_spark

__all__ = ["validate_paths_spark"]
