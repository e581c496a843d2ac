"""Run an iterator ahead on a second thread, so producing and consuming overlap."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Generic, TypeVar, cast

T = TypeVar("T")

_ITEM, _ERROR, _END = "item", "error", "end"


class Prefetched(Generic[T]):
    """The values of `items`, produced on a second thread from the moment this is made, while the
    caller does other work or works on the value before. Worth it when both sides spend their time
    in native code that releases the GIL (Polars preparing a file, DuckDB storing the previous one).
    At most `depth` values wait in between.

    An exception raised by `items` is raised here, at its place in the sequence. `close()` (or
    leaving a `with` block) stops the producer at its next value and joins it; a caller that may
    stop before the end must close it.
    """

    def __init__(self, items: Iterator[T], depth: int = 1) -> None:
        self._items = items
        self._handoff: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._finished = False
        self._thread = threading.Thread(target=self._produce, name="hexiao-prefetch", daemon=True)
        self._thread.start()

    def _offer(self, entry: tuple[str, object]) -> bool:
        while not self._stop.is_set():
            try:
                self._handoff.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            for item in self._items:
                if not self._offer((_ITEM, item)):
                    return
        except BaseException as exc:  # handed to the caller's thread, which raises it
            self._offer((_ERROR, exc))
            return
        self._offer((_END, None))

    def __iter__(self) -> Prefetched[T]:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        kind, value = self._handoff.get()
        if kind == _ITEM:
            return cast(T, value)
        self.close()
        if kind == _ERROR:
            assert isinstance(value, BaseException)
            raise value
        raise StopIteration

    def close(self) -> None:
        self._finished = True
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> Prefetched[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def prefetched(items: Iterator[T], depth: int = 1) -> Prefetched[T]:
    """`items` produced ahead on a second thread, starting now (see `Prefetched`)."""
    return Prefetched(items, depth)
