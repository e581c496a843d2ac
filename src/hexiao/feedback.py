"""`hexiao feedback`: record what the townships found when they verified the warnings.

Replies come back as the CSV hexiao wrote, re-saved by Excel or WPS (GBK or UTF-8, columns moved,
extra columns), or as workbooks: they are read by header like any other input. Each row's 核查结果
is recorded against its 预警编号 and filed under the month of its 月份 column, or, where the
township dropped that column, the latest month that warning was reported in. Rows the township has
not answered yet are counted; every other row that cannot be recorded is listed with its reason
and stored as a rejected row, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from hexiao.errors import StateError, failure_detail
from hexiao.io.fields import FEEDBACK_KIND
from hexiao.load import InputSummary, PlannedFile, begin_batch, end_batch, read_files, store_inputs
from hexiao.log import get_logger
from hexiao.store import opened, query, require_workspace, transaction, workspace_lock

log = get_logger()
UNKNOWN_WARNING = "未知的预警编号（不是 hexiao 发出的预警，或数据库不同）"
UNANSWERED = "核查结果未填写（乡镇尚未答复）"
# The columns of the `feedback` table a reply row fills; `store_inputs` adds month, input and file.
STORED_COLUMNS = (
    "source_row", "warning_id", "warning_month", "review_result", "review_note", "received_at", "notice_date", "recovered",
)  # fmt: skip


@dataclass
class FeedbackResult:
    batch_id: int
    inputs: list[InputSummary]
    by_result: dict[str, int] = field(default_factory=dict)  # warnings recorded per 核查结果
    unanswered: int = 0  # rows with 核查结果 blank: the township has not answered them yet
    invalid: int = 0  # rows with a 核查结果 other than 属实/不属实/已处理
    contradictory: int = 0  # 预警编号 refused: rows of one file that disagree
    problems: list[str] = field(default_factory=list)  # "file 第N行：reason", all but the unanswered


def feedback(paths: list[Path], *, db: Path, config_hash: str = "", config_text: str | None = None) -> FeedbackResult:
    """Read township replies and record them; all files commit together or not at all."""
    planned = [PlannedFile(path, FEEDBACK_KIND) for path in paths]
    require_workspace(db)  # replies belong to warnings a workspace holds: never create an empty one
    with workspace_lock(db), opened(db) as conn:
        batch_id = begin_batch(conn, "feedback", "", config_hash, config_text=config_text)
        try:
            result = _record(conn, batch_id, planned)
        except BaseException as exc:
            end_batch(conn, batch_id, "失败", failure_detail(exc))
            raise
        end_batch(conn, batch_id, "完成", json.dumps(result.by_result, ensure_ascii=False))
    return result


def _record(conn: duckdb.DuckDBPyConnection, batch_id: int, planned: list[PlannedFile]) -> FeedbackResult:
    reported = query(conn, "SELECT DISTINCT warning_id, month FROM warnings")
    if reported.height == 0:
        raise StateError("数据库中还没有任何预警；请确认 --db 指向发出这些预警的工作区")
    reads, inputs = read_files(conn, planned)
    result = FeedbackResult(batch_id, inputs)
    received_at = datetime.now()
    with transaction(conn):
        for read in reads:
            sorted_rows = sort_replies(read.loaded, reported)
            refused = sorted_rows.filter(pl.col("reason").is_not_null())
            recorded = sorted_rows.filter(pl.col("reason").is_null()).with_columns(
                pl.lit(received_at).alias("received_at")
            )
            _count(result, recorded, refused)
            refused_rows = refused.select("source_row", pl.lit(None, pl.String).alias("sheet"), "raw", "reason")
            listed = pl.concat([read.rejected, refused_rows.filter(~refused["unanswered"])], how="vertical_relaxed")
            result.problems.extend(_problems(read.summary.file, listed))
            read.loaded = recorded.select(STORED_COLUMNS)
            read.rejected = pl.concat([read.rejected, refused_rows], how="vertical_relaxed")
            read.summary.rows_loaded, read.summary.rows_rejected = recorded.height, read.rejected.height
            month = str(recorded["warning_month"].max() or "") if recorded.height else ""
            store_inputs(conn, batch_id, FEEDBACK_KIND, month, [read], None)
    log.info(
        "乡镇反馈：%s；未填写 %d 行，无效 %d 行，矛盾 %d 个编号；问题 %d 行",
        json.dumps(result.by_result, ensure_ascii=False),
        result.unanswered,
        result.invalid,
        result.contradictory,
        len(result.problems),
    )
    return result


def sort_replies(rows: pl.DataFrame, reported: pl.DataFrame) -> pl.DataFrame:
    """Each reply row of one file with its `warning_month` and, unless it can be recorded, its
    `reason` (and flags `unanswered`, `contradictory`, `invalid` to count by).

    `reported` holds every (warning_id, month) stored. Checks, the first that applies wins: not
    answered; contradicted by another row of the same 预警编号 in this file (rows that agree count
    as one); not a valid 核查结果; not a 预警编号 hexiao issued; a 月份 in which that warning was not
    reported."""
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
    )
    return rows.with_columns(reason.alias("reason"))


def _count(result: FeedbackResult, recorded: pl.DataFrame, refused: pl.DataFrame) -> None:
    for value, count in recorded.group_by("review_result").agg(pl.col("warning_id").n_unique()).iter_rows():
        result.by_result[str(value)] = result.by_result.get(str(value), 0) + int(count)
    result.unanswered += int(refused["unanswered"].sum())
    result.invalid += int(refused["invalid"].sum())
    result.contradictory += refused.filter(pl.col("contradictory"))["warning_id"].n_unique()


def _problems(file: str, listed: pl.DataFrame) -> list[str]:
    """ "file 第N行：reason", with the sheet of a workbook: "file 工作表“S” 第N行：reason"."""
    name = Path(file).name
    rows = listed.sort("source_row", maintain_order=True).select("sheet", "source_row", "reason")
    return [
        f"{name} {f'工作表“{sheet}” ' if sheet else ''}第{row}行：{reason}" for sheet, row, reason in rows.iter_rows()
    ]
