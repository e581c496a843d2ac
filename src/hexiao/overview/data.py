"""What the overview page shows, read from the workspace without writing to it.

The month's headline numbers are those of the summary.json a `hexiao report` of the month would
write now: the match's stored summary (`month_summaries`) with the cycle's figures (`overdue`,
`overdue_by_township`, `recovered_total`, `outstanding_total`: `report.money.cycle_summary`)
computed from the replies recorded up to this run, as the report computes them, so a reply recorded
since the match shows on the page as in the next report. The per-township money is the cycle's too
(`report.money.recovery_by_warning`: 应追回, 已追回, 未追回 up to the month). Where the month's roll is
no longer stored (purged), the 处理状态 cannot be worked out: `overdue` is the summary's as stored.
What summary.json does not hold is read from the stored warnings: counts by 建议措施, the trend's
新增/持续 (the `status` column) and reply progress (the latest reply of each warning,
`replies.latest_replies`). The trend's earlier months are their stored summaries; a key a month's
summary predates shows as unknown (None), never as 0 made up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from hexiao.config import FeedbackParams
from hexiao.cycle import REPLY_CONFIRMED, REPLY_FALSE, REPLY_HANDLED
from hexiao.errors import StateError
from hexiao.history import STATUS_NEW, STATUS_ONGOING
from hexiao.match import reported_now
from hexiao.normalize import ids
from hexiao.replies import latest_replies
from hexiao.report.money import MONEY_COLUMNS, cycle_summary, money_totals, recovery_by_warning
from hexiao.rules import LABELS
from hexiao.store import fetch_one, person_rows, query

NO_REPLY = "未反馈"
REPLY_KINDS = (REPLY_CONFIRMED, REPLY_FALSE, REPLY_HANDLED, NO_REPLY)
TREND_RESOLVED, TREND_FALSE = "已解除", "乡镇核实不属实"
TREND_KINDS = (STATUS_NEW, STATUS_ONGOING, TREND_RESOLVED, TREND_FALSE)


@dataclass(frozen=True)
class OverviewData:
    month: str
    summary: dict[str, Any]  # summary.json of the month, as `hexiao report` would write it now
    by_action: pl.DataFrame  # action, warnings, persons
    by_township: pl.DataFrame  # township, code, label, persons (summary.json `by_township`)
    trend: pl.DataFrame  # month, kind (TREND_KINDS), count; one row per month and kind
    money_trend: pl.DataFrame  # month, overpayment_total, recovered_total, outstanding_total (None: not stored)
    replies: pl.DataFrame  # township, warnings, the REPLY_KINDS counts, overdue (None: not stored)
    money: pl.DataFrame  # township, to_recover, recovered, outstanding (up to the month)


def read_summaries(conn: duckdb.DuckDBPyConnection, month: str, months: int) -> list[dict[str, Any]]:
    """summary.json of `month` and the months before it, at most `months` in all, oldest first.
    A month never matched is refused, as `hexiao report` refuses it."""
    rows = conn.execute(
        "SELECT summary FROM month_summaries WHERE month <= ? ORDER BY month DESC LIMIT ?", [month, months]
    ).fetchall()
    summaries = [json.loads(row[0]) for row in rows]
    if not summaries or summaries[0]["month"] != month:
        raise StateError(f"{month} 月还没有比对结果：先运行 hexiao match --month {month}")
    return summaries[::-1]


def gather(
    conn: duckdb.DuckDBPyConnection, month: str, months: int, params: FeedbackParams | None = None
) -> OverviewData:
    summaries = read_summaries(conn, month, months)
    summary, money = _current(conn, month, summaries[-1], params or FeedbackParams())
    summaries[-1] = summary
    # A person is their ID where it names one person, else their row: two people whose IDs Excel
    # zeroed alike are two (as summary.json counts them, `report.summary`).
    unsound = (
        f"SELECT DISTINCT coalesce(id_norm, id_raw) FROM ({person_rows('roll', 'month = ?')}) "
        f"WHERE coalesce(id_norm, id_raw) IS NOT NULL AND (id_norm IS NULL OR id_status NOT IN ({ids.IDENTIFYING_SQL}))"
    )
    warnings = query(
        conn,
        f"""SELECT warning_id, township, code, action, overpayment,
                  CASE WHEN id_number IS NOT NULL AND id_number NOT IN ({unsound}) THEN id_number
                       ELSE concat_ws(chr(31), township, household_id, name, id_number) END AS person
           FROM warnings WHERE month = ?""",
        [month, month],
    )
    return OverviewData(
        month=month,
        summary=summary,
        by_action=warnings.group_by("action")
        .agg(pl.len().alias("warnings"), pl.col("person").n_unique().alias("persons"))
        .sort("warnings", "action", descending=[True, False]),
        by_township=_by_township(summary),
        trend=_trend(conn, summaries),
        money_trend=pl.DataFrame(
            [
                {key: s.get(key) for key in ("month", "overpayment_total", "recovered_total", "outstanding_total")}
                for s in summaries
            ],
            schema={
                "month": pl.String,
                "overpayment_total": pl.Float64,
                "recovered_total": pl.Float64,
                "outstanding_total": pl.Float64,
            },
        ),
        replies=_replies(conn, month, warnings, summary),
        money=money.group_by("township")
        .agg(pl.col(column).sum().cast(pl.Float64).round(2) for column in MONEY_COLUMNS)
        .sort("township"),
    )


def _current(
    conn: duckdb.DuckDBPyConnection, month: str, stored: dict[str, Any], params: FeedbackParams
) -> tuple[dict[str, Any], pl.DataFrame]:
    """The month's summary as `hexiao report` would write it now (`match.report`: the stored one
    with the cycle's figures counted again) and its `recovery_by_warning`. Only temporary tables
    are made (`roll_m` among them), which a read-only workspace allows."""
    if int(fetch_one(conn, "SELECT count(*) FROM roll WHERE month = ?", [month])[0]) == 0:
        # Roll purged: no 处理状态, so the stored `overdue`; the money needs no roll.
        listed = query(conn, "SELECT warning_id, township, code, overpayment FROM warnings WHERE month = ?", [month])
        money = recovery_by_warning(conn, month, listed)
        return stored | money_totals(money), money
    warnings = reported_now(conn, month, params)
    return stored | cycle_summary(conn, month, warnings), recovery_by_warning(conn, month, warnings)


def _by_township(summary: dict[str, Any]) -> pl.DataFrame:
    rows = [
        {"township": township, "code": code, "label": LABELS.get(code, code), "persons": int(persons)}
        for township, codes in summary.get("by_township", {}).items()
        for code, persons in codes.items()
    ]
    schema = {"township": pl.String, "code": pl.String, "label": pl.String, "persons": pl.Int64}
    return pl.DataFrame(rows, schema=schema).sort("township", "code")


def _trend(conn: duckdb.DuckDBPyConnection, summaries: list[dict[str, Any]]) -> pl.DataFrame:
    """新增 and 持续 from the stored warnings' status; 已解除 and 不属实 (warnings found again but held
    back by an earlier 不属实 reply: summary.json `suppressed`) from each month's summary."""
    shown = [s["month"] for s in summaries]
    statuses = query(
        conn,
        "SELECT month, status AS kind, count(*) AS count FROM warnings WHERE list_contains(?, month) GROUP BY ALL",
        [shown],
    )
    rows = [{"month": s["month"], "kind": TREND_RESOLVED, "count": _resolved(conn, s)} for s in summaries] + [
        {"month": s["month"], "kind": TREND_FALSE, "count": int(s.get("suppressed", 0))} for s in summaries
    ]
    grid = pl.DataFrame({"month": shown}).join(pl.DataFrame({"kind": list(TREND_KINDS)}), how="cross")
    counts = pl.concat([statuses.cast({"count": pl.Int64}), pl.DataFrame(rows, schema=statuses.schema)])
    order = pl.col("kind").replace_strict({kind: i for i, kind in enumerate(TREND_KINDS)}, default=len(TREND_KINDS))
    return (
        grid.join(counts, on=["month", "kind"], how="left")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .sort(pl.col("month"), order)
    )


def _resolved(conn: duckdb.DuckDBPyConnection, summary: dict[str, Any]) -> int:
    """summary.json `resolved` where the match stored it; for a month stored before it, the same
    rule as `history.finalise`: the previous stored month's warnings that this month neither raised
    nor held back as 不属实."""
    if "resolved" in summary:
        return int(summary["resolved"])
    held_back = [item["warning_id"] for item in summary.get("suppressed_warnings", [])]
    rows = conn.execute(
        """SELECT count(*) FROM warnings p
           WHERE p.month = (SELECT max(month) FROM warnings WHERE month < $month)
             AND NOT list_contains($held_back, p.warning_id)
             AND p.warning_id NOT IN (SELECT warning_id FROM warnings WHERE month = $month)""",
        {"month": summary["month"], "held_back": held_back},
    ).fetchall()  # to the end: a DuckDB result left open holds the connection
    return int(rows[0][0])


def _replies(
    conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame, summary: dict[str, Any]
) -> pl.DataFrame:
    """Per township: the month's warnings by their latest reply (what its reports show), and the
    overdue count summary.json holds (None where the month's summary predates it)."""
    replied = warnings.join(latest_replies(conn, month), on="warning_id", how="left").with_columns(
        pl.col("review_result").fill_null(NO_REPLY)
    )
    counts = replied.group_by("township").agg(
        pl.len().alias("warnings"), *[(pl.col("review_result") == kind).sum().alias(kind) for kind in REPLY_KINDS]
    )
    overdue = summary.get("overdue_by_township")
    return counts.with_columns(
        pl.col("township")
        .replace_strict(overdue or {}, default=0 if overdue is not None else None, return_dtype=pl.Int64)
        .alias("overdue")
    ).sort("township")
