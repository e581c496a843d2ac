"""The township cycle: each warning's 处理状态 at a run, from the replies and the rolls alone.

A warning is a lead, not a verdict. Its state moves only when a township replies or a roll shows
the payment changed — never on hexiao's own say, and never by the day the run happens: the same
stored inputs give the same states, whenever and however often a month is run.

- No reply: 待核查, or 逾期未反馈 once `overdue_after_months` months have passed since its first
  report; one month later still, its risk is raised one level.
- The latest reply (`replies.latest_replies`): 不属实, 已处理, or 属实 = 已核实属实. For 属实 with
  停发/减发, a 告知日期 makes it 已告知, and 可执行 once 告知日期 + `response_days` falls on or
  before the last day of the run's month (the person had their say before this month is paid).
- 已执行: the roll shows it — this month's roll pays the person nothing (停发), or pays the
  household less than the roll of the warning's first month did (减发).
  A warning of last month no longer raised (`resolved_states`) is 已执行 where it asked to stop or
  reduce and this month's roll no longer pays the person, else 已解除.
- A programme whose roll is missing or shrunk to less than half this month (`roll_gaps`) says
  nothing about the people it leaves out: their households are never taken as paid less, and last
  month's warning of such a person, on no roll this month, is 未复核 (not re-checked: neither
  已执行 nor 已解除) until the month is matched again with that roll. A person listed at 0 is 已执行.
- Escalation, one rule: a reply of an earlier month said 属实 (已处理) and the person is still paid
  as before — 属实未处理 (已处理但仍在册), risk raised one level. Not while a notice's response
  window runs into this month, not for 已处理 on a notice (提前告知: the person stays paid until
  the stop month), never for OMISSION (a person on no roll).
- 渐退 is a stop at its 建议生效月份: the person stays paid through the 渐退期, so neither 属实 nor
  已处理 escalates before that month; a roll that pays nothing executes it like a 停发.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb
import polars as pl

from hexiao.config import FeedbackParams
from hexiao.ingest.values import month_start
from hexiao.roll_gaps import GAP_TABLE
from hexiao.rules.base import ACTION_GRADUAL, ACTION_NOTIFY, ACTION_REDUCE, ACTION_STOP
from hexiao.rules.omission import OmissionRule
from hexiao.store import query, temp_table

REPLY_FALSE, REPLY_CONFIRMED, REPLY_HANDLED = "不属实", "属实", "已处理"
OPEN, OVERDUE = "待核查", "逾期未反馈"
CONFIRMED, NOTIFIED, ENFORCEABLE, EXECUTED = "已核实属实", "已告知", "可执行", "已执行"
CONFIRMED_UNACTED, HANDLED_STILL_PAID = "属实未处理", "已处理但仍在册"
RESOLVED = "已解除"  # last month's warning that no longer holds, its person still paid
NOT_RECHECKED = "未复核"  # last month's warning of a person whose programme's roll is missing this month
# States in which the warning comes back one risk level higher.
RAISING_STATES = (CONFIRMED_UNACTED, HANDLED_STILL_PAID)
RAISED_RISK = {"低": "中", "中": "高", "高": "高"}
EXIT_ACTIONS = (ACTION_STOP, ACTION_REDUCE, ACTION_GRADUAL)


def _month_number(column: str) -> pl.Expr:
    """'2026-11' → 2026 × 12 + 11, so months subtract."""
    parts = pl.col(column).str.split_exact("-", 1)
    return parts.struct.field("field_0").cast(pl.Int32) * 12 + parts.struct.field("field_1").cast(pl.Int32)


def states(warnings: pl.DataFrame, month: str, params: FeedbackParams) -> pl.DataFrame:
    """`warnings` with `state` and `raise_risk` (bool) added. Reads `review_result` and
    `feedback_month` (the latest reply up to `month`), `notice_date`, `action`, `effective_month`, `code`,
    `first_month` and `changed` (the roll pays differently from when the warning was raised:
    `roll_changes`)."""
    start = month_start(month)
    last_day = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    reply, action = pl.col("review_result"), pl.col("action")
    months_open = pl.lit(_month_number_of(month)) - _month_number("first_month")
    window_ends = pl.col("notice_date").str.to_date("%Y-%m-%d", strict=False) + pl.duration(days=params.response_days)
    # A window that ends in this month or later is still running at the previous month's payment.
    window_running = window_ends.is_not_null() & (window_ends >= pl.lit(start))
    changed = pl.col("changed").fill_null(False)
    earlier = pl.col("feedback_month") < month
    still_paid = earlier & ~changed & (pl.col("code") != OmissionRule.code)
    # A 渐退 before its end month: paid as it should be.
    exit_ahead = (action == ACTION_GRADUAL) & (pl.col("effective_month") > month).fill_null(False)
    state = (
        pl.when(action.is_in(EXIT_ACTIONS) & changed & (reply.is_null() | (reply != REPLY_FALSE)))
        .then(pl.lit(EXECUTED))
        .when(reply.is_null())
        .then(pl.when(months_open >= params.overdue_after_months).then(pl.lit(OVERDUE)).otherwise(pl.lit(OPEN)))
        .when(reply == REPLY_FALSE)
        .then(pl.lit(REPLY_FALSE))
        .when((reply == REPLY_CONFIRMED) & still_paid & ~window_running & ~exit_ahead)
        .then(pl.lit(CONFIRMED_UNACTED))
        .when((reply == REPLY_HANDLED) & still_paid & (action != ACTION_NOTIFY) & ~exit_ahead)
        .then(pl.lit(HANDLED_STILL_PAID))
        .when((reply == REPLY_CONFIRMED) & action.is_in(EXIT_ACTIONS) & window_ends.is_not_null())
        .then(pl.when(window_ends <= pl.lit(last_day)).then(pl.lit(ENFORCEABLE)).otherwise(pl.lit(NOTIFIED)))
        .when(reply == REPLY_CONFIRMED)
        .then(pl.lit(CONFIRMED))
        .otherwise(pl.lit(REPLY_HANDLED))
    )
    overdue_again = reply.is_null() & (months_open >= params.overdue_after_months + 1)
    return warnings.with_columns(state.alias("state")).with_columns(
        (pl.col("state").is_in(RAISING_STATES) | (overdue_again & (pl.col("state") == OVERDUE))).alias("raise_risk")
    )


def _month_number_of(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon)


def _gap_households_sql(warnings: str) -> str:
    """SQL: warning_id of `warnings` whose household had a member on last month's roll of a
    programme missing or shrunk this month (`roll_gaps`): its amount this month tells nothing."""
    return f"""
        SELECT DISTINCT w.warning_id FROM {warnings} w JOIN {GAP_TABLE} g
          ON g.township = w.township AND g.household_id = w.household_id
    """


def _gap_persons_sql(warnings: str) -> str:
    """SQL: warning_id of `warnings` whose person is on last month's roll of a programme missing or
    shrunk this month, by ID, or by name within the household where that roll has no ID."""
    return f"""
        SELECT w.warning_id FROM {warnings} w JOIN {GAP_TABLE} g ON g.id_norm = w.id_number
        UNION
        SELECT w.warning_id FROM {warnings} w JOIN {GAP_TABLE} g
          ON g.name = w.name AND g.household_id = w.household_id WHERE g.id_norm IS NULL
    """


def roll_changes(conn: duckdb.DuckDBPyConnection, warnings: pl.DataFrame) -> pl.DataFrame:
    """warning_id and `changed`: this month's roll (`roll_m`) pays the person nothing, or pays the
    household less than the stored roll of the warning's first month did. A person is found by
    ID, or by name within the household where the roll has no ID; a household whose roll of the
    first month is no longer stored, or one a missing or shrunk roll leaves unknown
    (`_gap_households_sql`), is never taken as paid less."""
    columns = ("warning_id", "township", "household_id", "id_number", "name", "first_month")
    temp_table(conn, "cycle_warnings", warnings.select(columns))
    try:
        return query(
            conn,
            f"""
            WITH person_rows AS (  -- two equi-joins, not one join on OR (which DuckDB cannot hash)
                SELECT w.warning_id, r.monthly_amount FROM cycle_warnings w JOIN roll_m r ON r.id_norm = w.id_number
                UNION ALL
                SELECT w.warning_id, r.monthly_amount FROM cycle_warnings w JOIN roll_m r
                  ON r.name = w.name AND r.household_id = w.household_id WHERE r.id_norm IS NULL
            ), person AS (
                SELECT warning_id, sum(monthly_amount) AS paid FROM person_rows GROUP BY warning_id
            ), now AS (
                SELECT township, household_id, sum(monthly_amount) AS amount FROM roll_m GROUP BY ALL
            ), then_ AS (
                SELECT month, township, household_id, sum(monthly_amount) AS amount FROM roll
                WHERE month IN (SELECT DISTINCT first_month FROM cycle_warnings) GROUP BY ALL
            ), gap AS ({_gap_households_sql("cycle_warnings")})
            SELECT w.warning_id, coalesce(p.paid = 0 OR n.amount < t.amount AND g.warning_id IS NULL, false) AS changed
            FROM cycle_warnings w
            LEFT JOIN person p USING (warning_id)
            LEFT JOIN gap g USING (warning_id)
            LEFT JOIN now n ON n.township = w.township AND n.household_id = w.household_id
            LEFT JOIN then_ t ON t.month = w.first_month AND t.township = w.township AND t.household_id = w.household_id
            """,
        )
    finally:
        conn.execute("DROP TABLE cycle_warnings")


def advance(
    conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame, params: FeedbackParams, *, raise_risk: bool
) -> pl.DataFrame:
    """Month `month`'s warnings (columns and order kept; reply columns filled by
    `replies.with_replies`) with their `state`; with `raise_risk`, the risk raised where the
    state says so (a match; a rewrite keeps the risk the match stored)."""
    changes = roll_changes(conn, warnings)
    frame = warnings.drop("state").join(changes, on="warning_id", how="left", maintain_order="left")
    frame = states(frame, month, params)
    if raise_risk:
        frame = frame.with_columns(
            pl.when(pl.col("raise_risk"))
            .then(pl.col("risk").replace(RAISED_RISK))
            .otherwise(pl.col("risk"))
            .alias("risk")
        )
    return frame.select(warnings.columns)


def resolved_states(conn: duckdb.DuckDBPyConnection, resolved: pl.DataFrame) -> pl.DataFrame:
    """Last month's warnings that no longer hold (columns kept but `action`, `id_number` and
    `household_id`, which it reads), with `state`: 未复核 for a person on no roll this month whom
    a missing or shrunk roll leaves unknown (`_gap_persons_sql`); 已执行 for a 停发/减发 whose
    person this month's roll (`roll_m`) no longer lists or pays nothing; else 已解除 (the evidence
    went away)."""
    temp_table(conn, "cycle_resolved", resolved)
    try:
        return query(
            conn,
            f"""
            WITH gap AS ({_gap_persons_sql("cycle_resolved")})
            SELECT w.* EXCLUDE (action, id_number, household_id),
                   CASE WHEN p.id_norm IS NULL AND n.name IS NULL AND w.warning_id IN (SELECT warning_id FROM gap)
                        THEN '{NOT_RECHECKED}'
                        WHEN w.action IN ('{ACTION_STOP}', '{ACTION_REDUCE}', '{ACTION_GRADUAL}')
                             AND (p.id_norm IS NULL AND n.name IS NULL OR coalesce(p.paid, n.paid) = 0)
                        THEN '{EXECUTED}' ELSE '{RESOLVED}' END AS state
            FROM cycle_resolved w
            LEFT JOIN (SELECT id_norm, sum(monthly_amount) AS paid FROM roll_m WHERE id_norm IS NOT NULL GROUP BY ALL) p
              ON p.id_norm = w.id_number
            LEFT JOIN (SELECT name, household_id, sum(monthly_amount) AS paid FROM roll_m WHERE id_norm IS NULL GROUP BY ALL) n
              ON n.name = w.name AND n.household_id = w.household_id
            ORDER BY w.warning_id
            """,
        )
    finally:
        conn.execute("DROP TABLE cycle_resolved")
