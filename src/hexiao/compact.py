"""Rewrite a workspace file so that what was deleted from it is gone from the disk too.

DuckDB keeps a deleted row's bytes in the file: a checkpoint only marks their blocks free for later
writes, and `VACUUM` reclaims nothing. So names and IDs a purge deleted could still be read from the
file with a hex editor. `rewrite` copies the live contents (tables, sequences at their current
values, constraints: `COPY FROM DATABASE`) into a fresh file beside the workspace and puts it in
place with one rename. A failure or a kill before the rename leaves the workspace as it was and at
most a stray copy, which the next rewrite removes. The caller holds the workspace lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from hexiao import engine


def rewrite(db_path: Path) -> None:
    fresh = db_path.with_name(f".{db_path.name}.rewrite")
    _remove(fresh)
    try:
        with engine.instance(f"{db_path}.tmp") as conn:
            old_umask = os.umask(0o077)  # the copy holds names and IDs: owner-only, like the workspace
            try:
                conn.execute("ATTACH ? AS rewrite_from (READ_ONLY)", [str(db_path)])
                conn.execute("ATTACH ? AS rewrite_to", [str(fresh)])
            finally:
                os.umask(old_umask)
            conn.execute("COPY FROM DATABASE rewrite_from TO rewrite_to")
            conn.execute("DETACH rewrite_from")
            conn.execute("DETACH rewrite_to")  # checkpoints the copy: all of it is in the file
        _sync(fresh)
        os.replace(fresh, db_path)
        _sync(db_path.parent)  # the rename itself survives a power cut
    except BaseException:
        _remove(fresh)
        raise


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def _sync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
