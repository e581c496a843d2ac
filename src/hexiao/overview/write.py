"""`hexiao overview`: the month's overview page, read from the workspace and written in place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hexiao.config import Config
from hexiao.log import get_logger
from hexiao.match import check_out_dir
from hexiao.overview.data import gather
from hexiao.overview.page import render
from hexiao.store import opened, require_workspace, workspace_lock

OVERVIEW_FILE = "概览.html"
DEFAULT_MONTHS = 12


def write_overview(
    *, month: str, db: Path, out: Path, months: int = DEFAULT_MONTHS, config: Config | None = None
) -> Path:
    """Write `<out>/<month>/概览.html` from the stored results of `month` and up to `months` - 1
    months before it, the month's figures as `hexiao report` with `config` would write them now;
    returns its path.

    The workspace is only read: opened read-only, under the workspace lock as `hexiao status` takes
    it, so while a match runs it says so (exit 3) rather than read a month half written. The page is written to
    a temporary file in the month's folder and renamed over the old one: a reader sees the old page
    or the new, whole; no other file of the folder is touched. Owner-only, like every report."""
    check_out_dir(out, month)
    require_workspace(db)
    with workspace_lock(db), opened(db, read_only=True) as conn:
        data = gather(conn, month, months, (config or Config()).feedback)
    html = render(data, months)
    folder = out / month
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / OVERVIEW_FILE
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{OVERVIEW_FILE}.", suffix=".tmp")  # 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(html)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    get_logger().info("概览 %s 写入 %s", month, target)
    return target
