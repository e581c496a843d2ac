"""Month to month: stable 预警编号, 新增/持续, township feedback, and what was resolved.

- 预警编号 = the rule code's first two letters + 10 hex digits of MD5(code | person | evidence):
  MD5 is computed by DuckDB and never changes between versions, so the same person, rule and
  evidence keep their number every month.
- Every warning shows its latest township reply (`replies.with_replies`). A reply belonging to an
  earlier month acts on this one: 不属实 suppresses the same warning (counted, never silently
  lost); 属实 or 已处理 while the person is still on the roll raises the risk one level and says so
  (已核实属实仍在保, 已处理但仍在册) — except 已处理 on a notice (提前告知), whose person stays on
  the roll until the stop month. An OMISSION person is on no roll: a reply shows, nothing more.
- Warnings of the previous month that no longer hold are 已解除.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from hexiao.replies import latest_replies, with_replies
from hexiao.rules.base import ACTION_NOTIFY
from hexiao.rules.omission import OmissionRule
from hexiao.store import query, temp_table

STATUS_NEW, STATUS_ONGOING = "新增", "持续"
REPLY_FALSE, REPLY_CONFIRMED, REPLY_HANDLED = "不属实", "属实", "已处理"
CONFIRMED_NOTE = "已核实属实仍在保"
HANDLED_NOTE = "已处理但仍在册"
RAISED_RISK = {"低": "中", "中": "高", "高": "高"}

WARNING_COLUMNS = [
    "warning_id", "month", "code", "label", "risk", "township", "village", "household_id", "head_name",
    "name", "id_number", "program", "match_method", "match_score", "source", "evidence", "action",
    "effective_month", "overpayment", "first_month", "status", "review_result", "review_note",
    "feedback_month",
]  # fmt: skip


# Stored with each warning, never reported: the rows it rests on (`rules.base.RULE_OUTPUT_SCHEMA`).
SOURCE_KEYS = "source_keys"

# The order of a month's warnings in every report: the warning ID last, which is unique, so rows
# equal on the rest (DUPLICATE's two rows of one person in one household) keep one order.
WARNING_ORDER = ["township", "code", "household_id", "name", "warning_id"]


def in_report_order(warnings: pl.DataFrame) -> pl.DataFrame:
    return warnings.sort(WARNING_ORDER, nulls_last=True)


@dataclass(frozen=True)
class MonthWarnings:
    warnings: pl.DataFrame  # what the townships receive
    suppressed: pl.DataFrame  # warning_id, code, township, name: confirmed 不属实 earlier
    resolved: pl.DataFrame  # last month's warnings that no longer hold


def finalise(conn: duckdb.DuckDBPyConnection, month: str, raw: pl.DataFrame) -> MonthWarnings:
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
               NULL::VARCHAR AS review_result, NULL::VARCHAR AS review_note, NULL::VARCHAR AS feedback_month
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
    earlier = latest_replies(conn, month, before=True).rename(
        {"review_result": "reply", "review_note": "reply_note", "feedback_month": "reply_month"}
    )
    frame = frame.join(earlier, on="warning_id", how="left", maintain_order="left")
    suppressed = frame.filter(pl.col("reply") == REPLY_FALSE)
    kept = _acted_on(frame.filter(pl.col("reply").is_null() | (pl.col("reply") != REPLY_FALSE)))
    kept = in_report_order(with_replies(conn, month, kept.select(*WARNING_COLUMNS, SOURCE_KEYS)))
    previous = query(
        conn,
        """SELECT warning_id, code, label, township, name, month FROM warnings
           WHERE month = (SELECT max(month) FROM warnings WHERE month < ?)""",
        [month],
    )
    resolved = previous.join(frame.select("warning_id"), on="warning_id", how="anti").sort("warning_id")
    suppressed = suppressed.select("warning_id", "code", "label", "township", "name").sort("warning_id")
    return MonthWarnings(kept, suppressed, resolved)


def _acted_on(frame: pl.DataFrame) -> pl.DataFrame:
    """Warnings raised again although an earlier month's reply said 属实 or 已处理: while the person
    is still on the roll, the risk goes up one level and the evidence says why, naming the reply."""
    reply = pl.col("reply")
    said = (
        pl.when(pl.col("code") == OmissionRule.code)
        .then(None)
        .when(reply == REPLY_CONFIRMED)
        .then(pl.lit(CONFIRMED_NOTE))
        .when((reply == REPLY_HANDLED) & (pl.col("action") != ACTION_NOTIFY))
        .then(pl.lit(HANDLED_NOTE))
    )
    which = pl.format("（{} 反馈", pl.col("reply_month")) + pl.when(pl.col("reply_note").is_null()).then(
        pl.lit("）")
    ).otherwise(pl.format("：{}）", pl.col("reply_note")))
    return frame.with_columns(said.alias("_said")).with_columns(
        pl.when(pl.col("_said").is_null())
        .then(pl.col("risk"))
        .otherwise(pl.col("risk").replace(RAISED_RISK))
        .alias("risk"),
        pl.when(pl.col("_said").is_null())
        .then(pl.col("evidence"))
        .otherwise(pl.concat_str([pl.col("evidence"), pl.lit("；"), pl.col("_said"), which]))
        .alias("evidence"),
    )
