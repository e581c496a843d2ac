"""`hexiao purge`: keep personal data no longer than the work needs (个人信息保护法 第十九条).

Months before a horizon lose their raw rows, in one transaction:

- roll snapshots of those months;
- extract rows loaded for those months, except an extract still in force for a month kept: per
  snapshot kind the newest snapshot of a month ≤ the horizon (the one the first kept month is
  matched against), and accumulating kinds (cremation) only when `[retention] cremation = "purge"`;
- the raw values of the rejected rows of the inputs purged (file, row and reason stay).

Never removed: a row a kept warning (one of a month ≥ the horizon) rests on — the rows its `link_detail` names (`rules.common.rests_on_sql`), and
the person's roll rows of the months its 应追回金额 counts — so matching a kept month again gives
the warnings it gave before. Nor month_summaries (each month's counts), warnings and feedback (their
history), batches and inputs (the ledger: files, SHA-256, row counts). After the commit the file is
rewritten (`compact.rewrite`), so what was deleted is gone from the disk too.

The default horizon counts back `[retention] months` from the latest month the workspace holds (its
newest roll or match), not from today: the same workspace and setting always purge the same rows,
whenever the command runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from hexiao import ledger
from hexiao.compact import rewrite
from hexiao.config import Config
from hexiao.errors import ConfigError, StateError
from hexiao.kinds import ACCUMULATING_KINDS, BY_NAME, CREMATION_KIND, ROLL_KIND, SNAPSHOT_KINDS
from hexiao.log import get_logger
from hexiao.rules.common import rests_on_sql
from hexiao.store import (
    ROW_KEY_SQL,
    fetch_one,
    opened,
    query,
    require_workspace,
    spelled_id_sql,
    workspace_lock,
)

log = get_logger()

PURGE_CREMATION = "purge"
# How far back from a month the rules read an accumulating register by each row's own date: 因病
# sums 12 months of settlements, 重残 looks for 12 months without a wage or a pension, 渐退 dates a
# job by its first contribution (`new_employment_months`, 6). Such rows are kept for the months kept
# and this far before them, whatever month they were loaded in, so a kept month matches again alike.
LOOKBACK_MONTHS = 12
_DOOMED = "purge_doomed"  # temp table: (kind, month, row_key) of every row the purge removes


@dataclass(frozen=True)
class Removed:
    """Rows removed from one table for one month."""

    table: str
    month: str
    rows: int


@dataclass
class PurgeResult:
    before: str | None  # the first month kept; None when the workspace holds no month yet
    latest: str | None  # the latest month the workspace holds
    dry_run: bool
    removed: list[Removed] = field(default_factory=list)  # per table and month
    rejected_cleared: int = 0  # rejected rows whose raw values were dropped
    in_force: dict[str, str] = field(default_factory=dict)  # snapshot kind → month of the one kept in force
    batch_id: int | None = None
    size_before: int = 0  # bytes of the database file
    size_after: int = 0

    @property
    def total(self) -> int:
        return sum(item.rows for item in self.removed)

    def as_dict(self) -> dict[str, object]:
        return {
            "before": self.before,
            "latest": self.latest,
            "dry_run": self.dry_run,
            "removed": [vars(item) for item in self.removed],
            "removed_total": self.total,
            "rejected_raw_cleared": self.rejected_cleared,
            "in_force": self.in_force,
            "batch_id": self.batch_id,
            "size_before": self.size_before,
            "size_after": self.size_after,
        }


def shift_month(month: str, months: int) -> str:
    """`2026-11` shifted by `months` (negative: back)."""
    year, mon = (int(part) for part in month.split("-"))
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def purge(*, db: Path, config: Config | None = None, before: str | None = None, dry_run: bool = False) -> PurgeResult:
    """Remove what lies before the horizon (`before`, else `[retention] months` back from the
    latest month held), in one transaction, then rewrite the file so the deleted rows are gone from
    the disk too (`compact.rewrite`). `dry_run` only counts, on a read-only workspace: it changes and
    creates nothing. Recorded in the ledger with who ran it and what it removed."""
    config = config or Config()
    require_workspace(db)  # never a new database for a command that only removes
    with workspace_lock(db, create=not dry_run):
        with opened(db, read_only=dry_run) as conn:
            result = _purge_rows(conn, db, config, before, dry_run)
        if dry_run:
            result.size_after = result.size_before
            return result
        try:
            rewrite(db)
        except (OSError, duckdb.Error) as exc:
            raise StateError(
                f"已删除 {result.before} 之前的 {result.total} 行，但数据库文件未能重写（{exc}）："
                f"删除的内容仍可能留在 {db} 的空闲空间中；请腾出与数据库文件同样大的磁盘空间后再运行 hexiao purge"
            ) from None
    result.size_after = db.stat().st_size
    log.info("清理 %s 之前的数据：删除 %d 行", result.before, result.total)
    return result


def _purge_rows(
    conn: duckdb.DuckDBPyConnection, db: Path, config: Config, before: str | None, dry_run: bool
) -> PurgeResult:
    latest = _latest_month(conn)
    horizon = before or (shift_month(latest, 1 - config.retention.months) if latest else None)
    if horizon is not None and latest is not None and horizon > latest:
        raise ConfigError(
            f"--before {horizon} 晚于工作区最近的月份 {latest}：最近一个月的数据正在使用，不能清理；"
            f"请指定不晚于 {latest} 的月份"
        )
    result = PurgeResult(before=horizon, latest=latest, dry_run=dry_run, size_before=db.stat().st_size)
    if dry_run:
        if horizon is not None:
            _plan(conn, config, result)
        return result
    with ledger.batch(conn, "purge", horizon or "", config_hash=config.digest()) as run:
        result.batch_id = run.batch_id
        if horizon is not None:
            _plan(conn, config, result)
            _delete(conn, result)
        run.detail = json.dumps(_ledger_detail(result), ensure_ascii=False)
    return result


def _latest_month(conn: duckdb.DuckDBPyConnection) -> str | None:
    row = fetch_one(conn, "SELECT max(month) FROM (SELECT month FROM roll UNION ALL SELECT month FROM month_summaries)")
    return None if row[0] is None else str(row[0])


def _plan(conn: duckdb.DuckDBPyConnection, config: Config, result: PurgeResult) -> None:
    """Fill `_DOOMED` with every row to remove, and `result` with the counts."""
    before = result.before
    assert before is not None
    _protected(conn, before)
    # Death records only as `[retention] cremation` says: the others go with their months.
    kinds = [ROLL_KIND, *SNAPSHOT_KINDS, *(kind for kind in ACCUMULATING_KINDS if kind != CREMATION_KIND)]
    if config.retention.cremation == PURGE_CREMATION:
        kinds.append(CREMATION_KIND)
    selects: list[str] = []
    for kind in kinds:
        months = "t.month < $before"
        if BY_NAME[kind].row_date:  # what a rule may still read back from the first month kept
            months += f" AND coalesce(t.{BY_NAME[kind].row_date} < CAST($before || '-01' AS DATE) - INTERVAL {LOOKBACK_MONTHS} MONTH, TRUE)"
        if kind in SNAPSHOT_KINDS:
            in_force = fetch_one(conn, f"SELECT max(month) FROM {kind} WHERE month <= ?", [before])[0]
            if in_force is not None:
                result.in_force[kind] = str(in_force)
                months += f" AND t.month <> '{str(in_force).replace(chr(39), chr(39) * 2)}'"
        selects.append(_doomed_rows(kind, months))
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {_DOOMED} AS {' UNION ALL '.join(selects)}", {"before": before})
    counts = query(conn, f"SELECT kind, month, count(*) AS rows FROM {_DOOMED} GROUP BY ALL ORDER BY kind, month")
    result.removed = [Removed(row["kind"], row["month"], row["rows"]) for row in counts.iter_rows(named=True)]
    result.rejected_cleared = int(fetch_one(conn, f"SELECT count(*) FROM rejected WHERE {_PURGED_REJECTS}")[0])


def _protected(conn: duckdb.DuckDBPyConnection, before: str) -> None:
    """Temp tables of what the warnings of the months kept rest on: the rows their `link_detail` names; for a
    warning stored before warnings kept them, every row with its person's ID; and the (ID, months)
    of the roll rows its 应追回金额 counts (`rules.common.overpayment_ctes`)."""
    conn.execute(
        f"""CREATE OR REPLACE TEMP TABLE purge_kept_keys AS
           SELECT DISTINCT unnest({rests_on_sql()}) AS row_key FROM warnings WHERE month >= ? AND link_detail IS NOT NULL""",
        [before],
    )
    conn.execute(
        """CREATE OR REPLACE TEMP TABLE purge_kept_ids AS
           SELECT DISTINCT id_number FROM warnings WHERE month >= ? AND link_detail IS NULL AND id_number IS NOT NULL""",
        [before],
    )
    conn.execute(
        """CREATE OR REPLACE TEMP TABLE purge_paid AS
           SELECT DISTINCT id_number, effective_month, month FROM warnings
           WHERE month >= ? AND effective_month < ? AND id_number IS NOT NULL""",
        [before, before],
    )


def _doomed_rows(kind: str, months: str) -> str:
    """SQL: (kind, month, row_key) of the rows of `kind` in `months` that nothing kept rests on."""
    spelled = spelled_id_sql("t.id_norm", "t.id_key")
    paid = (
        f"AND NOT EXISTS (SELECT 1 FROM purge_paid p WHERE p.id_number = {spelled} "
        "AND t.month >= p.effective_month AND t.month < p.month)"
        if kind == ROLL_KIND
        else ""
    )
    return f"""
        SELECT '{kind}' AS kind, t.month, {ROW_KEY_SQL} AS row_key FROM {kind} t
        WHERE {months}
          AND {ROW_KEY_SQL} NOT IN (SELECT row_key FROM purge_kept_keys)
          AND coalesce({spelled} NOT IN (SELECT id_number FROM purge_kept_ids), TRUE)
          {paid}"""


# The rejected rows of an input whose (kind, month) the purge removes rows of.
_PURGED_REJECTS = f"raw IS NOT NULL AND input_id IN (SELECT DISTINCT input_id FROM inputs JOIN (SELECT DISTINCT kind, month FROM {_DOOMED}) USING (kind, month))"


def _delete(conn: duckdb.DuckDBPyConnection, result: PurgeResult) -> None:
    for kind in dict.fromkeys(item.table for item in result.removed):
        conn.execute(
            f"DELETE FROM {kind} WHERE {ROW_KEY_SQL} IN (SELECT row_key FROM {_DOOMED} WHERE kind = ?)", [kind]
        )
    conn.execute(f"UPDATE rejected SET raw = NULL WHERE {_PURGED_REJECTS}")


def _ledger_detail(result: PurgeResult) -> dict[str, object]:
    """What the ledger keeps of a purge: the horizon and the rows removed per table and month."""
    removed: dict[str, dict[str, int]] = {}
    for item in result.removed:
        removed.setdefault(item.table, {})[item.month] = item.rows
    return {"before": result.before, "removed": removed, "rejected_raw_cleared": result.rejected_cleared}
