"""Money of the township cycle, up to a month: per warning, what is to recover, what was recovered
and what is still outstanding.

Every warning reported up to the month counts, listed this month or not (a stopped person's
warning is no longer raised, its money still matters), with the 应追回金额 of the last report
that listed it. 已追回金额 is the latest figure a reply gave (`replies.latest_replies`: the total so
far). A warning the township confirmed (latest reply 属实, or 已处理: handled, so true) is to be
recovered; its outstanding amount is what is to recover less what was recovered, never below 0
(a township may recover more than hexiao counted: the months before the roll snapshots).
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from hexiao.cycle import OVERDUE, REPLY_CONFIRMED, REPLY_HANDLED
from hexiao.replies import latest_replies
from hexiao.store import query, temp_table

MONEY_COLUMNS = ("to_recover", "recovered", "outstanding")


def recovery_by_warning(conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame) -> pl.DataFrame:
    """warning_id, township, code and `MONEY_COLUMNS` (DECIMAL) of every warning reported up to
    `month`; `warnings` is the month's own list."""
    temp_table(conn, "money_listed", warnings.select("warning_id", "township", "code", "overpayment"))
    temp_table(conn, "money_replies", latest_replies(conn, month).select("warning_id", "review_result", "recovered"))
    try:
        return query(
            conn,
            f"""
            WITH earlier AS (
                SELECT warning_id, township, code, overpayment FROM warnings
                WHERE month < ? AND warning_id NOT IN (SELECT warning_id FROM money_listed)
                QUALIFY row_number() OVER (PARTITION BY warning_id ORDER BY month DESC) = 1
            ), reported AS (
                SELECT * FROM money_listed UNION ALL SELECT * FROM earlier
            ), owed AS (
                SELECT w.warning_id, w.township, w.code,
                       CASE WHEN r.review_result IN ('{REPLY_CONFIRMED}', '{REPLY_HANDLED}')
                            THEN CAST(round(coalesce(w.overpayment, 0), 2) AS DECIMAL(12, 2))
                            ELSE 0::DECIMAL(12, 2) END AS to_recover,
                       coalesce(r.recovered, 0)::DECIMAL(12, 2) AS recovered
                FROM reported w LEFT JOIN money_replies r USING (warning_id)
            )
            SELECT *, greatest(to_recover - recovered, 0)::DECIMAL(12, 2) AS outstanding FROM owed
            ORDER BY warning_id
            """,
            [month],
        )
    finally:
        conn.execute("DROP TABLE money_listed")
        conn.execute("DROP TABLE money_replies")


def cycle_summary(conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame) -> dict[str, Any]:
    """summary.json's keys of the cycle: `overdue`, `overdue_by_township`, `recovered_total`,
    `outstanding_total` (contract.md §4)."""
    overdue = warnings.filter(pl.col("state") == OVERDUE)
    by_township = overdue.group_by("township").len().sort("township", nulls_last=True)
    return {
        "overdue": overdue.height,
        "overdue_by_township": {str(township): int(count) for township, count in by_township.iter_rows()},
    } | money_totals(recovery_by_warning(conn, month, warnings))


def money_totals(money: pl.DataFrame) -> dict[str, float]:
    """`recovered_total` and `outstanding_total` of a `recovery_by_warning` frame."""
    return {"recovered_total": _yuan(money["recovered"].sum()), "outstanding_total": _yuan(money["outstanding"].sum())}


def _yuan(total: Any) -> float:
    """A DECIMAL sum as a JSON number with at most 2 decimals (0 for an empty sum)."""
    return round(float(total or 0), 2)
