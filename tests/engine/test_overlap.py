"""Stage overlap: prefetch keeps order, re-raises the producer's error, stops early."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contractkit.engine.overlap import Background, prefetch


def _items(n: int, fail_at: int | None = None) -> Iterator[int]:
    for i in range(n):
        if i == fail_at:
            raise ValueError("bad batch")
        yield i


def test_prefetch_keeps_order() -> None:
    assert list(prefetch(_items(50))) == list(range(50))


def test_prefetch_reraises_at_its_place() -> None:
    gen = prefetch(_items(10, fail_at=3))
    assert [next(gen), next(gen), next(gen)] == [0, 1, 2]
    with pytest.raises(ValueError, match="bad batch"):
        next(gen)


def test_prefetch_stops_early() -> None:
    gen = prefetch(_items(1000))
    assert next(gen) == 0
    gen.close()  # joins the producer without consuming the rest


def test_background_runs_in_order_and_reraises() -> None:
    done: list[int] = []
    behind = Background()
    for i in range(5):
        behind.submit(lambda i=i: done.append(i))  # type: ignore[misc]
    behind.wait()
    assert done == [0, 1, 2, 3, 4]

    def boom() -> None:
        raise RuntimeError("store failed")

    behind.submit(boom)
    with pytest.raises(RuntimeError, match="store failed"):
        behind.wait()
    behind.close()
