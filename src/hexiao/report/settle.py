"""Reports a killed run had committed but not yet put in place.

A match stores its warnings and stages its reports in one transaction, and renames the staging
directory into place after the commit. A kill between the commit and the rename would leave the
new warnings with last run's reports. So the transaction also marks its batch `PENDING` with the
staging directory's path (`mark_pending`): after a kill the ledger says which reports are staged,
and the next run that writes reports (`match`, `report`) puts them in place before anything else
(`settle_pending`) — the reports a township receives always belong to the warnings stored.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from hexiao.ledger import DONE, Run, end_batch
from hexiao.log import get_logger
from hexiao.report.writer import old_reports_dir

log = get_logger()

PENDING = "已提交"  # batches.outcome: committed, reports staged but not yet in place
SETTLED_NOTE = "报告在下一次运行时放入输出目录"
# What stage_reports and publish_reports name their directories: `.<month>.tmp-<pid>` and
# `.<month>.old-<pid>`. Only directories of exactly these names are ever removed here.
_WORK_DIR = re.compile(r"\.(\d{4}-\d{2})\.(tmp|old)-(\d+)")


def mark_pending(run: Run, staging: Path) -> None:
    """Inside the run's batch (`ledger.batch`): the batch commits as PENDING with its staged reports named."""
    run.outcome, run.detail = PENDING, str(staging.resolve())


def settle_pending(conn: duckdb.DuckDBPyConnection, out: Path, own_pid: int) -> list[Path]:
    """Put in place the reports of every committed batch whose run died before publishing them,
    then remove staging directories of runs that died before committing. The caller holds the
    workspace lock, so no other run is writing. Returns the month directories put in place."""
    settled = []
    pending = conn.execute("SELECT batch_id, detail FROM batches WHERE outcome = ? ORDER BY batch_id", [PENDING])
    for batch_id, detail in pending.fetchall():
        staging = Path(detail)
        target = _place(staging)
        if target is not None:
            settled.append(target)
            log.info("上次比对已保存但报告未放入，现已放入 %s", target)
        if old_reports_dir(staging).is_dir():
            shutil.rmtree(old_reports_dir(staging))
        end_batch(conn, batch_id, DONE, SETTLED_NOTE)
    _sweep(out, own_pid)
    return settled


def _place(staging: Path) -> Path | None:
    """The month directory `staging` becomes, when the run that staged it died before renaming
    it into place; None when it had (a staged directory no longer there was renamed)."""
    match = _WORK_DIR.fullmatch(staging.name)
    if match is None or not staging.is_dir():
        return None
    target, old = staging.parent / match.group(1), old_reports_dir(staging)
    if target.exists() and not old.exists():
        target.rename(old)
    elif target.exists():  # both: the previous reports are parked already, this is a stray copy
        shutil.rmtree(target)
    staging.rename(target)
    return target


def _sweep(out: Path, own_pid: int) -> None:
    """Staging and parked directories of runs that died: nothing refers to them any more."""
    if not out.is_dir():
        return
    for path in out.iterdir():
        match = _WORK_DIR.fullmatch(path.name)
        if match is not None and int(match.group(3)) != own_pid and path.is_dir():
            shutil.rmtree(path)
