"""The Spark session contractkit judges with: local, a cluster, or Spark Connect — and quiet.

One session per process (Spark's own rule); :func:`spark_session` reuses it. Where the
session comes from, in order: ``master`` (``--spark-master``: ``local[2]``,
``spark://host:7077``, ``yarn``…), the ``SPARK_REMOTE`` environment variable (a Spark
Connect URL, ``sc://host:15002``), else ``local[2]``.

Quiet by design: the JVM's own output (its log, progress bars, warnings and any
exception text, which can quote a row) never reaches the user's terminal — a locally
started JVM writes to ``/dev/null`` and logs at ERROR — and a failing Spark job becomes
a :class:`~contractkit.errors.SparkError` that names the step, never Spark's message.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import warnings
from collections.abc import Iterator
from urllib.parse import urlsplit

from py4j.protocol import Py4JError
from pyspark import SparkConf, SparkContext
from pyspark.errors import PySparkException
from pyspark.java_gateway import launch_gateway
from pyspark.logger import PySparkLogger
from pyspark.sql import SparkSession

from contractkit.errors import SparkError

__all__ = ["DEFAULT_MASTER", "SESSION_CONF", "spark_errors", "spark_session"]

DEFAULT_MASTER = "local[2]"
SESSION_CONF: dict[str, str] = {
    # a bad value must never raise inside a job: every parse and comparison returns null
    "spark.sql.ansi.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    # the JVM never JIT-compiles a generated method over 8,000 bytes; Spark then falls back
    # to smaller stages (a 200k-row file: 79 s → 61 s from a cold start on a loaded machine)
    "spark.sql.codegen.hugeMethodLimit": "8000",
    # joins of key sets are sort-merge joins: Spark's size estimate of a Parquet file's key
    # set (from its compressed size) chose to broadcast 5M keys and ran out of memory
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    # a contract may declare cp1252, which Spark 4 reads only with Java's full charset list
    "spark.sql.legacy.javaCharsets": "true",
}
"""Session settings the rules rely on (set on every session, Spark Connect included)."""
_LAUNCH_CONF: dict[str, str] = {
    "spark.app.name": "contractkit",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": os.environ.get("CONTRACTKIT_SPARK_MEMORY", "1g"),
    "spark.sql.adaptive.enabled": "true",
}
_REFUSED = {
    "UNAVAILABLE": "no server answers there",
    "UNAUTHENTICATED": "it refused the token (SPARK_CONNECT_AUTHENTICATE_TOKEN or ;token=)",
    "PERMISSION_DENIED": "it refused the token (SPARK_CONNECT_AUTHENTICATE_TOKEN or ;token=)",
}
_lock = threading.Lock()


@contextlib.contextmanager
def _without_spark_remote() -> Iterator[None]:
    # spark-submit refuses a master when SPARK_REMOTE is set (as pyspark does when it starts
    # a local Connect server, the variable is hidden while the JVM starts)
    remote = os.environ.pop("SPARK_REMOTE", None)
    try:
        yield
    finally:
        if remote is not None:
            os.environ["SPARK_REMOTE"] = remote


def _local_session(master: str) -> SparkSession:
    conf = SparkConf(loadDefaults=False).setMaster(master).setAll(list(_LAUNCH_CONF.items()))
    context = SparkContext._active_spark_context
    if context is None:
        # the JVM's stdout/stderr go nowhere: log lines and exception text may quote values
        with _without_spark_remote():
            gateway = launch_gateway(  # type: ignore[no-untyped-call]
                conf, popen_kwargs={"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL})
        context = SparkContext(conf=conf, gateway=gateway)
    # not SparkSession.builder: with SPARK_REMOTE set it insists on Spark Connect, while
    # --spark-master chooses this session
    session = SparkSession(context)
    context.setLogLevel("ERROR")
    return session


def _server(url: str) -> str:
    # host and port only: the rest of a Spark Connect URL can carry a token
    parts = urlsplit(url.split(";", 1)[0])
    try:
        return f"{parts.hostname or '?'}:{parts.port or 15002}"
    except ValueError:
        return "?"


def _connect_session(url: str) -> SparkSession:
    where = f"the Spark Connect server at {_server(url)} (SPARK_REMOTE)"
    try:
        from pyspark.errors.exceptions.connect import SparkConnectGrpcException
        from pyspark.sql.connect.client.retries import DefaultPolicy

        session = SparkSession.builder.remote(url).getOrCreate()
    except ImportError:
        raise SparkError("SPARK_REMOTE is set, but Spark Connect needs pyspark's connect "
                         "extra (pip install 'pyspark[connect]')") from None
    except (PySparkException, ValueError):
        raise SparkError("SPARK_REMOTE is not a Spark Connect URL (sc://host:port)") from None
    # pyspark retries an unreachable server for about ten minutes; the first call gives up
    # after about 13 s (8 retries from 50 ms, doubling), later calls keep pyspark's patience
    usual = session.client.get_retry_policies()
    session.client.set_retry_policies([DefaultPolicy(max_retries=8, backoff_multiplier=2.0)])
    try:
        for key, value in SESSION_CONF.items():
            session.conf.set(key, value)
    except SparkConnectGrpcException as exc:
        # closed, or pyspark's exit hook would try the server again for minutes
        session.client.close()
        status = exc.getGrpcStatusCode().name
        why = _REFUSED.get(status, f"it answered {status}")
        raise SparkError(f"cannot use {where}: {why}") from None
    finally:
        session.client.set_retry_policies(usual)
    return session


def spark_session(master: str | None = None) -> SparkSession:
    """The process's Spark session (started on first use; later calls reuse it).

    Raises:
        SparkError: Java is missing, the master cannot be reached or Spark fails to start.
    """
    remote = os.environ.get("SPARK_REMOTE")
    with _lock, spark_errors("starting Spark"), warnings.catch_warnings():
        # pyspark warns about the installed pandas at start-up; contractkit's Spark path
        # uses no pandas conversion
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        # the Connect client's own note when it gives up on a server (the error follows)
        warnings.filterwarnings("ignore", message=r"\[RETRIES_EXCEEDED\]")
        _quiet_query_context_log()
        if master is None and remote:
            return _connect_session(remote)
        session = _local_session(master or DEFAULT_MASTER)
        for key, value in SESSION_CONF.items():
            session.conf.set(key, value)
    return session


def _quiet_query_context_log() -> None:
    # pyspark logs a failed DataFrame operation's exception text to stderr, at ERROR, on a
    # logger of its own: that text can quote data
    PySparkLogger.getLogger("DataFrameQueryContextLogger").disabled = True


@contextlib.contextmanager
def spark_errors(step: str) -> Iterator[None]:
    """Turn a failure inside Spark into a :class:`SparkError` naming ``step`` only.

    Spark's exception text can quote the data it was reading, so it is never shown.
    """
    try:
        yield
    except SparkError:
        raise
    except (PySparkException, Py4JError, RuntimeError, OSError) as exc:
        raise SparkError(f"the Spark engine failed while {step} ({type(exc).__name__}); "
                         "Spark's own message is withheld as it may quote data") from None
