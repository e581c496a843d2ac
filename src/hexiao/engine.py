"""DuckDB instances, the engine a workspace is attached to.

Creating an instance costs about 30 ms, most of it DuckDB filling its catalog of built-in
functions. A month done command by command in one process (a script or a scheduler calling
`hexiao.load` for each file, then `hexiao.match`) opens the workspace nine times, so a process
keeps the last instance it used and attaches the next workspace to it, detached again when that
is done.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

# DuckDB would otherwise keep up to 80 % of the machine's memory in its buffer pool; a county
# officer's machine also runs Polars beside it. Above this DuckDB spills to disk instead.
DUCKDB_MEMORY_LIMIT = os.environ.get("HEXIAO_DUCKDB_MEMORY", "3GB")
# A commit writing more than this to the write-ahead log checkpoints instead: a month's commit then
# compresses its rows into the file once, not first into the log and again when the workspace is
# closed (DuckDB's default is 16 MB, above a county's 10 MB: commit and close 0.20 -> 0.12 s).
WAL_LIMIT = "1MB"


@dataclass
class _Instance:
    temp_directory: str
    conn: duckdb.DuckDBPyConnection
    busy: bool = True


_kept: _Instance | None = None
_kept_lock = threading.Lock()


def _new(temp_directory: str) -> _Instance:
    conn = duckdb.connect(
        config={"memory_limit": DUCKDB_MEMORY_LIMIT, "wal_autocheckpoint": WAL_LIMIT, "temp_directory": temp_directory}
    )
    return _Instance(temp_directory, conn)


@contextlib.contextmanager
def instance(temp_directory: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """An instance for the caller alone until the block ends, spilling to `temp_directory`.

    DuckDB cannot move its spill directory once it has used it, and a workspace spills beside
    itself (its temporary tables hold names and IDs), so the kept instance serves only the same
    directory. The caller must leave nothing attached; a block that raises discards its instance,
    so a half-finished state is never handed on.
    """
    global _kept
    with _kept_lock:
        chosen = _kept if _kept is not None and not _kept.busy and _kept.temp_directory == temp_directory else None
        if chosen is not None:
            chosen.busy = True
    if chosen is None:
        chosen = _new(temp_directory)
    try:
        yield chosen.conn
    except BaseException:
        _discard(chosen)
        raise
    replaced: _Instance | None = None
    with _kept_lock:
        chosen.busy = False
        if _kept is not None and _kept.busy:  # another block's, still in use: this one goes
            replaced = chosen
        elif _kept is not chosen:
            replaced, _kept = _kept, chosen
    if replaced is not None:
        replaced.conn.close()


def _discard(item: _Instance) -> None:
    global _kept
    with _kept_lock:
        if _kept is item:
            _kept = None
    item.conn.close()


@atexit.register
def _close_kept() -> None:
    """Closing the instance removes its spill directory."""
    if _kept is not None and not _kept.busy:
        _discard(_kept)
