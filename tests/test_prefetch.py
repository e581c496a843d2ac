"""The read-ahead thread of the load: same values, same order, errors where they happened."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from hexiao.prefetch import prefetched


def test_values_arrive_in_order_from_another_thread() -> None:
    threads: list[str] = []

    def produce() -> Iterator[int]:
        for value in range(50):
            threads.append(threading.current_thread().name)
            yield value

    assert list(prefetched(produce())) == list(range(50))
    assert set(threads) == {"hexiao-prefetch"}


def test_an_error_is_raised_at_its_place_in_the_sequence() -> None:
    def produce() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("bad file")

    seen: list[int] = []
    with pytest.raises(ValueError, match="bad file"):
        for value in prefetched(produce()):
            seen.append(value)
    assert seen == [1, 2]


def test_stopping_early_stops_the_producer() -> None:
    produced: list[int] = []

    def produce() -> Iterator[int]:
        for value in range(1000):
            produced.append(value)
            yield value

    values = prefetched(produce(), depth=1)
    assert next(values) == 0
    values.close()  # the caller gives up, as on an error while storing
    assert len(produced) <= 3  # the value taken, one waiting, one being offered
    assert not any(t.name == "hexiao-prefetch" for t in threading.enumerate())


def test_the_producer_starts_before_the_first_value_is_asked_for() -> None:
    started = threading.Event()

    def produce() -> Iterator[int]:
        started.set()
        yield 1

    with prefetched(produce()) as values:
        assert started.wait(5)  # the caller has not asked yet: the workspace opens meanwhile
        assert list(values) == [1]
