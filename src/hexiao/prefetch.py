"""Run an iterator one step ahead on a second thread, so producing and consuming overlap."""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar, cast

T = TypeVar("T")

_ITEM, _ERROR, _END = "item", "error", "end"


def prefetched(items: Iterator[T], depth: int = 1) -> Generator[T, None, None]:
    """The values of `items`, each produced on a second thread while the caller works on the one
    before. Worth it when both sides spend their time in native code that releases the GIL (Polars
    preparing a file, DuckDB storing the previous one). At most `depth` values wait in between.

    An exception raised by `items` is raised here, at its place in the sequence. If the caller
    stops early, the producer stops at its next value and is joined before this returns.
    """
    handoff: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(entry: tuple[str, object]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((_ITEM, item)):
                    return
        except BaseException as exc:  # handed to the caller's thread, which raises it
            offer((_ERROR, exc))
            return
        offer((_END, None))

    thread = threading.Thread(target=produce, name="hexiao-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == _END:
                return
            if kind == _ERROR:
                assert isinstance(value, BaseException)
                raise value
            yield cast(T, value)
    finally:
        stop.set()
        thread.join()
