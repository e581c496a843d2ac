"""Month to month: stable 预警编号, 新增/持续, township feedback, and what was resolved.

- 预警编号 = the rule code's first two letters + 10 hex digits of MD5(code | person | evidence):
  MD5 is computed by DuckDB and never changes between versions, so the same person, rule and
  evidence keep their number every month.
- Every warning shows its latest township reply (`replies.with_replies`) and its 处理状态
  (`cycle`). A 不属实 reply belonging to an earlier month suppresses the same warning (counted,
  never silently lost).
- Warnings of the previous month that no longer hold are 已解除, or 已执行 (`cycle.resolved_states`);
  those of people whose programme's roll is missing this month are 未复核, kept apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from hexiao.config import FeedbackParams
from hexiao.cycle import NOT_RECHECKED, REPLY_FALSE, advance, resolved_states
from hexiao.replies import latest_replies, with_replies
from hexiao.store import query, temp_table

STATUS_NEW, STATUS_ONGOING = "新增", "持续"

WARNING_COLUMNS = [
    "warning_id", "month", "code", "label", "risk", "township", "village", "household_id", "head_name",
    "name", "id_number", "program", "match_method", "match_score", "source", "evidence", "action",
    "effective_month", "overpayment", "first_month", "status", "review_result", "review_note",
    "feedback_month", "state", "notice_date", "recovered",
]  # fmt: skip


# The order of a month's warnings in every report: the warning ID last, which is unique, so rows
# equal on the rest (DUPLICATE's two rows of one person in one household) keep one order.
WARNING_ORDER = ["township", "code", "household_id", "name", "warning_id"]


def in_report_order(warnings: pl.DataFrame) -> pl.DataFrame:
    return warnings.sort(WARNING_ORDER, nulls_last=True)


@dataclass(frozen=True)
class MonthWarnings:
    warnings: pl.DataFrame  # what the townships receive
    suppressed: pl.DataFrame  # warning_id, code, township, name: confirmed 不属实 earlier
    resolved: pl.DataFrame  # last month's warnings that no longer hold, with their `state`
    not_rechecked: pl.DataFrame  # last month's warnings a missing roll leaves unknown: 未复核, not resolved
    details: pl.DataFrame  # warning_id, link_detail: what each warning rests on, stored beside it


def finalise(
    conn: duckdb.DuckDBPyConnection, month: str, raw: pl.DataFrame, params: FeedbackParams | None = None
) -> MonthWarnings:
    temp_table(conn, "raw_warnings", raw)
    frame = query(
        conn,
        """
        WITH numbered AS (
            SELECT *, substr(code, 1, 2) || upper(substr(md5(code || '|' || person_key || '|' || evidence_key), 1, 10))
                   AS warning_id
            FROM raw_warnings
        ), history AS (
            SELECT warning_id, min(month) AS first_month FROM warnings WHERE month < ? GROUP BY warning_id
        )
        SELECT n.* EXCLUDE (person_key, evidence_key), ? AS month, coalesce(h.first_month, ?) AS first_month,
               CASE WHEN h.first_month IS NULL THEN ? ELSE ? END AS status,
               NULL::VARCHAR AS review_result, NULL::VARCHAR AS review_note, NULL::VARCHAR AS feedback_month,
               NULL::VARCHAR AS state, NULL::VARCHAR AS notice_date, NULL::DECIMAL(12,2) AS recovered
        FROM numbered n LEFT JOIN history h USING (warning_id)
        QUALIFY row_number() OVER (
            PARTITION BY warning_id
            ORDER BY township, source, household_id, village, program, head_name, id_number, action,
                     effective_month, overpayment, evidence, match_method, match_score
        ) = 1
        """,
        [month, month, month, STATUS_NEW, STATUS_ONGOING],
    )
    conn.execute("DROP TABLE raw_warnings")
    earlier = latest_replies(conn, month, before=True).select("warning_id", pl.col("review_result").alias("reply"))
    frame = frame.join(earlier, on="warning_id", how="left", maintain_order="left")
    suppressed = frame.filter(pl.col("reply") == REPLY_FALSE)
    kept = frame.filter(pl.col("reply").is_null() | (pl.col("reply") != REPLY_FALSE)).select(WARNING_COLUMNS)
    kept = advance(conn, month, with_replies(conn, month, kept), params or FeedbackParams(), raise_risk=True)
    kept = in_report_order(kept)
    previous = query(
        conn,
        """SELECT warning_id, code, label, township, name, month, action, id_number, household_id FROM warnings
           WHERE month = (SELECT max(month) FROM warnings WHERE month < ?)""",
        [month],
    )
    resolved = resolved_states(conn, previous.join(frame.select("warning_id"), on="warning_id", how="anti"))
    unknown = pl.col("state") == NOT_RECHECKED
    suppressed = suppressed.select("warning_id", "code", "label", "township", "name").sort("warning_id")
    return MonthWarnings(
        warnings=kept,
        suppressed=suppressed,
        resolved=resolved.filter(~unknown),
        not_rechecked=resolved.filter(unknown),
        details=frame.select("warning_id", "link_detail"),
    )
