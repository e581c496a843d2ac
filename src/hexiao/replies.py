"""The townships' replies as a month's reports see them.

A reply belongs to a month (`feedback.warning_month`, 反馈月份): the month of the report it answers.
Month M's reports show, for each warning, its latest reply belonging to M or an earlier month —
whenever that reply arrived, so a rewrite of M (`hexiao report`) or a new run of M shows replies
recorded since. The latest is the one of the latest month, then the last to arrive: a reply to a
later report answers a more recent visit than a late reply to an earlier one. 告知日期 and
已追回金额 are those of the latest reply that gives one: 已追回金额 is the total recovered so far,
so the latest figure stands and nothing is counted twice, and a later reply that leaves it blank
does not erase it.
"""

from __future__ import annotations

import duckdb
import polars as pl

from hexiao.store import query

# The reply columns of a warning row (history.WARNING_COLUMNS), as every report shows them.
REPLY_COLUMNS = ("review_result", "review_note", "feedback_month", "notice_date", "recovered")
# Later month first, then the later arrival: which of a warning's replies is the latest.
_LATEST = "warning_month DESC, received_at DESC, input_id DESC, source_row DESC"
_ORDER_KEY = "struct_pack(m := warning_month, t := received_at, i := input_id, r := source_row)"


def latest_replies(conn: duckdb.DuckDBPyConnection, month: str, *, before: bool = False) -> pl.DataFrame:
    """warning_id and its latest reply (`REPLY_COLUMNS`) among those belonging to `month` or an
    earlier one; with `before`, to an earlier month only (what a run acts on: a reply answers the
    report of its own month, and changes what the next months report)."""
    return replies_as_of(conn, [month], before=before).drop("as_of")


def replies_as_of(conn: duckdb.DuckDBPyConnection, months: list[str], *, before: bool = False) -> pl.DataFrame:
    """`latest_replies` for each month of `months` at once, that month in column `as_of`: what
    each month's reports showed (a township's file may answer more than one month)."""
    upto = "<" if before else "<="
    return query(
        conn,
        f"""
        WITH replies AS (
            SELECT m.as_of, f.* FROM feedback f
            JOIN (SELECT unnest(?::VARCHAR[]) AS as_of) m ON f.warning_month {upto} m.as_of
        ), latest AS (
            SELECT as_of, warning_id, review_result, review_note, warning_month AS feedback_month
            FROM replies
            QUALIFY row_number() OVER (PARTITION BY as_of, warning_id ORDER BY {_LATEST}) = 1
        ), figures AS (
            SELECT as_of, warning_id,
                   arg_max(notice_date, {_ORDER_KEY}) FILTER (WHERE notice_date IS NOT NULL) AS notice_date,
                   arg_max(recovered, {_ORDER_KEY}) FILTER (WHERE recovered IS NOT NULL) AS recovered
            FROM replies GROUP BY as_of, warning_id
        )
        SELECT l.*, f.notice_date, f.recovered FROM latest l JOIN figures f USING (as_of, warning_id)
        """,
        [sorted(set(months))],
    )


def with_replies(conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame) -> pl.DataFrame:
    """Month `month`'s warnings, columns and order kept, their reply columns (`REPLY_COLUMNS`)
    holding the latest reply of each (see the module)."""
    replies = latest_replies(conn, month)
    joined = warnings.drop(REPLY_COLUMNS).join(replies, on="warning_id", how="left", maintain_order="left")
    return joined.select(warnings.columns)
