"""Per-step wall time, rows and peak memory, collected only when a benchmark asks for them.

Steps are named `read`, `normalise`, `store`, `link <kind>`, `rule <CODE>`, `report` …; a step
that runs several times (one per file) accumulates. Peak memory is the process's high-water RSS
so far (Linux `VmHWM`), which includes DuckDB's and Polars' native memory, not only Python's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Step:
    seconds: float = 0.0
    rows: int = 0
    peak_mb: float = 0.0


@dataclass
class Recorder:
    enabled: bool = False
    steps: dict[str, Step] = field(default_factory=dict)

    def reset(self) -> None:
        self.steps.clear()


RECORDER = Recorder()


def peak_rss_mb() -> float:
    """High-water resident memory of this process in MB (0 where /proc is not available)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def timed(name: str, rows: int = 0) -> Iterator[Step]:
    """Time a step when recording is on; otherwise costs nothing but a flag check."""
    if not RECORDER.enabled:
        yield Step()
        return
    step = RECORDER.steps.setdefault(name, Step())
    started = time.perf_counter()
    try:
        yield step
    finally:
        step.seconds += time.perf_counter() - started
        step.rows += rows
        step.peak_mb = max(step.peak_mb, peak_rss_mb())
