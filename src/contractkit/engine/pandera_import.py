"""Importing pandera: in a thread, once per process, and in the command line without pandas.

pandera is needed only once an example is to be built (counts come from polars), so its
import starts then, in a thread, and overlaps the next batches. It is ≈ 0.45 CPU-s, and
both cores are busy judging while it runs.

Most of that is not pandera's polars API: ``import pandera`` imports pandas (≈ 0.2 s) and
pandera's pandas engine (≈ 0.1 s) whenever pandas is installed, only to offer its pandas
API at the top of the namespace; with pyspark installed it also tries pandas-on-Spark.
pandera supports installs without pandas (``pandera[polars]``): its ``__init__`` catches
``No module named 'pandas'`` and goes on with the polars API alone. A process that is
contractkit's own (its command line: :func:`contractkit._process.owned`) imports pandera
as such an install would: for the importing thread only, ``pandas``, ``pyspark`` and
``hypothesis`` (pandera's strategies) look absent, and a one-row validation makes pandera
import the backends it would otherwise import on first use (0.45 → 0.10 s). Other
threads, and every import after, see them as usual. A library caller keeps the ordinary
import: there ``import pandera`` after contractkit must still offer the pandas API
(``pandera.DataFrameSchema``), which this would leave out. For the same reason the
engine builds its checks without pandera's check registry, which imports pandas
(:func:`contractkit.engine.pandera_checks.make_check`).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

from contractkit import _process

__all__ = ["import_pandera", "pandera_ready", "wait", "warm_up"]

_HIDDEN = ("pandas", "pyspark", "hypothesis")
_warming: list[threading.Thread] = []
_warming_lock = threading.Lock()


class _Absent(importlib.abc.MetaPathFinder):
    """Makes :data:`_HIDDEN` look not installed to one thread."""

    def __init__(self, thread: threading.Thread) -> None:
        self.thread = thread

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if (fullname.partition(".")[0] in _HIDDEN
                and threading.current_thread() is self.thread):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None  # every other import is found as usual


@contextlib.contextmanager
def _pandas_absent() -> Iterator[None]:
    finder = _Absent(threading.current_thread())
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _quiet_pyspark() -> None:
    """With pyspark installed (the Spark engine) pandera tries ``import pyspark.pandas``,
    which warns about pandas 3 before it fails; contractkit uses no pandas-on-Spark."""
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                            category=FutureWarning)


def import_pandera() -> None:
    """Import ``pandera.polars`` (in a process contractkit owns: its polars API only, or
    the ordinary import should that fail)."""
    _quiet_pyspark()
    if _process.owned() and "pandera" not in sys.modules and "pandas" not in sys.modules:
        try:
            with _pandas_absent():
                _import_and_prime()
            return
        except Exception:  # a pandera that needs pandas after all: start over with it
            for name in [m for m in sys.modules if m.partition(".")[0] == "pandera"]:
                del sys.modules[name]
    import pandera.errors
    import pandera.polars  # noqa: F401


def _import_and_prime() -> None:
    import pandera.errors
    import pandera.polars as pa
    import polars as pl

    def positive(data: Any) -> Any:
        return data.lazyframe.select(pl.col(data.key) > 0)

    # pandera imports its backends on first use: a one-row validation makes it do so now
    with contextlib.suppress(pandera.errors.SchemaErrors):
        pa.DataFrameSchema({"x": pa.Column(None, checks=[pa.Check(positive)])}).validate(
            pl.DataFrame({"x": [0]}), lazy=True)


def _import_quietly() -> None:
    with contextlib.suppress(Exception):  # the main thread repeats what failed, and raises
        import_pandera()


def warm_up() -> None:
    """Start importing pandera in a thread, once per process (:func:`wait` joins it)."""
    with _warming_lock:
        if not _warming:
            thread = threading.Thread(target=_import_quietly, name="contractkit-pandera",
                                      daemon=True)
            _warming.append(thread)
            thread.start()


def pandera_ready() -> bool:
    """Whether pandera is imported (or its import is not under way in a thread)."""
    with _warming_lock:
        return not _warming or not _warming[0].is_alive()


def wait() -> None:
    """Wait for the import :func:`warm_up` started (if any)."""
    with _warming_lock:
        thread = _warming[0] if _warming else None
    if thread is not None:
        thread.join()
