"""`hexiao feedback`: record what the townships found when they verified the warnings.

Replies come back as the CSV hexiao wrote, re-saved by Excel or WPS (GBK or UTF-8, columns moved,
extra columns), or as workbooks: they are read by header like any other input. Each row's 核查结果
is recorded against its 预警编号 and filed under the month of its 月份 column, or, where the
township dropped that column, the latest month that warning was reported in. Rows the township has
not answered yet are counted, and so are rows that repeat the latest reply already recorded (every
report shows it, so a list sent back untouched holds it: not a new reply); every other row that
cannot be recorded is listed with its reason and stored as a rejected row, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from hexiao import ledger
from hexiao.errors import StateError
from hexiao.kinds import FEEDBACK_KIND
from hexiao.load import InputSummary, PlannedFile, read_files, store_inputs
from hexiao.log import get_logger
from hexiao.replies import replies_as_of
from hexiao.status import feedback_detail
from hexiao.store import opened, query, require_workspace, workspace_lock

log = get_logger()
UNKNOWN_WARNING = "未知的预警编号（不是 hexiao 发出的预警，或数据库不同）"
UNANSWERED = "核查结果未填写（乡镇尚未答复）"
UNCHANGED = "与已记录的最新反馈相同（乡镇未改动，不重复录入）"
# The reply fields a township fills in: a row equal in all of them to the reply its report showed
# was sent back untouched, not answered again.
REPLY_FIELDS = ("review_result", "review_note", "notice_date", "recovered")
# The columns of the `feedback` table a reply row fills; `store_inputs` adds month, input and file.
STORED_COLUMNS = (
    "source_row", "warning_id", "warning_month", "review_result", "review_note", "received_at", "notice_date", "recovered",
    "sheet",
)  # fmt: skip


@dataclass
class FeedbackResult:
    batch_id: int
    inputs: list[InputSummary]
    by_result: dict[str, int] = field(default_factory=dict)  # warnings recorded per 核查结果
    unanswered: int = 0  # rows with 核查结果 blank: the township has not answered them yet
    invalid: int = 0  # rows with a 核查结果 other than 属实/不属实/已处理
    contradictory: int = 0  # 预警编号 refused: rows of one file that disagree
    unchanged: int = 0  # 预警编号 whose row repeats the latest reply recorded: not recorded again
    problems: list[str] = field(default_factory=list)  # "file 第N行：reason", all but the unanswered and unchanged


def feedback(paths: list[Path], *, db: Path, config_hash: str = "", config_text: str | None = None) -> FeedbackResult:
    """Read township replies and record them; all files commit together or not at all."""
    planned = [PlannedFile(path, FEEDBACK_KIND) for path in paths]
    require_workspace(db)  # replies belong to warnings a workspace holds: never create an empty one
    with (
        workspace_lock(db),
        opened(db) as conn,
        ledger.batch(conn, "feedback", "", config_hash=config_hash, config_text=config_text) as run,
    ):
        result = _record(conn, run.batch_id, planned)
        run.detail = feedback_detail(
            result.by_result,
            result.unchanged,
            unanswered=result.unanswered,
            invalid=result.invalid,
            contradictory=result.contradictory,
        )
    return result


def _record(conn: duckdb.DuckDBPyConnection, batch_id: int, planned: list[PlannedFile]) -> FeedbackResult:
    """Check and store the replies; the caller holds the transaction."""
    reported = query(conn, "SELECT DISTINCT warning_id, month FROM warnings")
    if reported.height == 0:
        raise StateError("数据库中还没有任何预警；请确认 --db 指向发出这些预警的工作区")
    reads, inputs = read_files(conn, planned)
    result = FeedbackResult(batch_id, inputs)
    received_at = datetime.now()
    for read in reads:
        sorted_rows = sort_replies(read.loaded, reported, _shown(conn, read.loaded, reported))
        refused = sorted_rows.filter(pl.col("reason").is_not_null())
        recorded = sorted_rows.filter(pl.col("reason").is_null()).with_columns(pl.lit(received_at).alias("received_at"))
        _count(result, recorded, refused)
        refused_rows = refused.select("source_row", "sheet", "raw", "reason")
        quiet = refused["unanswered"] | refused["unchanged"]  # counted, not listed as problems
        listed = pl.concat([read.rejected, refused_rows.filter(~quiet)], how="vertical_relaxed")
        result.problems.extend(_problems(read.summary.file, listed))
        read.loaded = recorded.select(STORED_COLUMNS)
        read.rejected = pl.concat([read.rejected, refused_rows], how="vertical_relaxed")
        read.summary.rows_loaded, read.summary.rows_rejected = recorded.height, read.rejected.height
        month = str(recorded["warning_month"].max() or "") if recorded.height else ""
        store_inputs(conn, batch_id, FEEDBACK_KIND, month, [read], None)
    log.info(
        "乡镇反馈：%s；未改动（已记录）%d 个编号，未填写 %d 行，无效 %d 行，矛盾 %d 个编号；问题 %d 行",
        json.dumps(result.by_result, ensure_ascii=False),
        result.unchanged,
        result.unanswered,
        result.invalid,
        result.contradictory,
        len(result.problems),
    )
    return result


def _shown(conn: duckdb.DuckDBPyConnection, rows: pl.DataFrame, reported: pl.DataFrame) -> pl.DataFrame:
    """The latest reply recorded as of each month these rows may answer (`replies_as_of`): the
    months in their 月份 column and, for a row without one, the months its warning was reported."""
    undated = rows.filter(pl.col("reply_month").is_null()).select("warning_id").join(reported, on="warning_id")
    months = pl.concat([rows["reply_month"].drop_nulls(), undated["month"]]).unique().to_list()
    return replies_as_of(conn, [str(month) for month in months])


def sort_replies(rows: pl.DataFrame, reported: pl.DataFrame, shown: pl.DataFrame) -> pl.DataFrame:
    """Each reply row of one file with its `warning_month` and, unless it can be recorded, its
    `reason` (and flags `unanswered`, `contradictory`, `invalid`, `unchanged` to count by).

    `reported` holds every (warning_id, month) stored; `shown`, the latest reply recorded as of a
    month (`as_of`, `replies.replies_as_of`). Checks, the first that applies wins: not answered;
    contradicted by another row of the same 预警编号 in this file (rows that agree count as one);
    not a valid 核查结果; not a 预警编号 hexiao issued; a 月份 in which that warning was not reported;
    the very reply already recorded latest for that month (the township sent its list back
    untouched: every report shows each warning's latest reply)."""
    months = reported.group_by("warning_id").agg(
        pl.col("month").max().alias("latest_month"),
        pl.col("month").sort().str.join("、").alias("reported_in"),
    )
    answered = pl.col("review_written").is_not_null()
    versions = pl.struct("review_written", "review_note")
    rows = rows.with_columns(
        pl.when(answered).then(versions.n_unique().over("warning_id", answered)).alias("_versions"),
        pl.when(answered)
        .then(pl.col("source_row").sort().cast(pl.String).str.join("、").over("warning_id", answered))
        .alias("_rows"),
    )
    rows = rows.join(months, on="warning_id", how="left", maintain_order="left")
    rows = rows.with_columns(pl.coalesce("reply_month", "latest_month").alias("warning_month"))
    rows = rows.join(
        reported.select("warning_id", pl.col("month").alias("warning_month"), pl.lit(True).alias("_reported")),
        on=["warning_id", "warning_month"],
        how="left",
        maintain_order="left",
    )
    rows = rows.join(
        shown.select(
            "warning_id",
            pl.col("as_of").alias("warning_month"),
            *[pl.col(name).alias(f"_shown_{name}") for name in REPLY_FIELDS],
            pl.lit(True).alias("_shown"),
        ),
        on=["warning_id", "warning_month"],
        how="left",
        maintain_order="left",
    )
    same = pl.all_horizontal(pl.col(name).eq_missing(pl.col(f"_shown_{name}")) for name in REPLY_FIELDS)
    rows = rows.with_columns(
        (~answered).alias("unanswered"),
        (answered & (pl.col("_versions") > 1)).alias("contradictory"),
    ).with_columns(
        (answered & ~pl.col("contradictory") & pl.col("review_result").is_null()).alias("invalid"),
    )
    reason = (
        pl.when(pl.col("unanswered"))
        .then(pl.lit(UNANSWERED))
        .when(pl.col("contradictory"))
        .then(
            pl.format(
                "预警编号 {} 在本文件中有互相矛盾的核查结果或备注（第 {} 行）；该编号在本文件中不录入，请只保留一行后重新交回",
                "warning_id",
                "_rows",
            )
        )
        .when(pl.col("invalid"))
        .then(pl.format("核查结果“{}”无效（应为 属实、不属实 或 已处理）", "review_written"))
        .when(pl.col("latest_month").is_null())
        .then(pl.lit(UNKNOWN_WARNING))
        .when(pl.col("_reported").is_null())
        .then(
            pl.format(
                "{} 月的预警名单中没有预警编号 {}（该预警见于 {}）；请核对“月份”列",
                "warning_month",
                "warning_id",
                "reported_in",
            )
        )
        .when(pl.col("_shown") & same)
        .then(pl.lit(UNCHANGED))
    )
    return rows.with_columns(reason.alias("reason")).with_columns(
        (pl.col("reason") == UNCHANGED).fill_null(False).alias("unchanged")
    )


def _count(result: FeedbackResult, recorded: pl.DataFrame, refused: pl.DataFrame) -> None:
    for value, count in recorded.group_by("review_result").agg(pl.col("warning_id").n_unique()).iter_rows():
        result.by_result[str(value)] = result.by_result.get(str(value), 0) + int(count)
    result.unanswered += int(refused["unanswered"].sum())
    result.invalid += int(refused["invalid"].sum())
    result.contradictory += refused.filter(pl.col("contradictory"))["warning_id"].n_unique()
    result.unchanged += refused.filter(pl.col("unchanged"))["warning_id"].n_unique()


def _problems(file: str, listed: pl.DataFrame) -> list[str]:
    """ "file 第N行：reason", with the sheet of a workbook: "file 工作表“S” 第N行：reason"."""
    name = Path(file).name
    rows = listed.sort("source_row", maintain_order=True).select("sheet", "source_row", "reason")
    return [
        f"{name} {f'工作表“{sheet}” ' if sheet else ''}第{row}行：{reason}" for sheet, row, reason in rows.iter_rows()
    ]
