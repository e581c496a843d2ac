"""`hexiao.feedback`: record what the townships found when they verified the warnings.

Replies come back as the CSV hexiao wrote, re-saved by Excel or WPS (GBK or UTF-8, columns moved,
extra columns), or as workbooks: they are read by header like any other input. Each row's 核查结果
is recorded against its 预警编号; unknown numbers and invalid results are listed, never dropped.
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
from hexiao.store import opened, query, transaction, workspace_lock

log = get_logger()
UNKNOWN_WARNING = "未知的预警编号（不是 hexiao 发出的预警，或数据库不同）"


@dataclass
class FeedbackResult:
    batch_id: int
    inputs: list[InputSummary]
    by_result: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # "file 第N行：reason"


def feedback(paths: list[Path], *, db: Path, config_hash: str = "") -> FeedbackResult:
    """Read township replies and record them; all files commit together or not at all."""
    planned = [PlannedFile(path, FEEDBACK_KIND) for path in paths]
    with workspace_lock(db), opened(db) as conn:
        batch_id = begin_batch(conn, "feedback", "", config_hash)
        try:
            result = _record(conn, batch_id, planned)
        except BaseException as exc:
            end_batch(conn, batch_id, "失败", failure_detail(exc))
            raise
        end_batch(conn, batch_id, "完成", json.dumps(result.by_result, ensure_ascii=False))
    return result


def _record(conn: duckdb.DuckDBPyConnection, batch_id: int, planned: list[PlannedFile]) -> FeedbackResult:
    known = query(conn, "SELECT warning_id, max(month) AS warning_month FROM warnings GROUP BY warning_id")
    if known.height == 0:
        raise StateError("数据库中还没有任何预警；请确认 --db 指向发出这些预警的工作区")
    reads, inputs = read_files(conn, planned)
    result = FeedbackResult(batch_id, inputs)
    with transaction(conn):
        for read in reads:
            matched = read.loaded.join(known, on="warning_id", how="left")
            unknown = matched.filter(pl.col("warning_month").is_null())
            recorded = matched.filter(pl.col("warning_month").is_not_null()).with_columns(
                pl.lit(datetime.now()).alias("received_at")
            )
            extra_rejected = unknown.select(
                pl.col("source_row"),
                pl.lit("").alias("sheet"),
                pl.struct(
                    pl.col("warning_id").alias("预警编号"),
                    pl.col("review_result").alias("核查结果"),
                    pl.col("review_note").alias("核查备注"),
                )
                .struct.json_encode()
                .alias("raw"),
                pl.lit(UNKNOWN_WARNING).alias("reason"),
            )
            read.loaded = recorded
            read.rejected = pl.concat([read.rejected, extra_rejected], how="vertical_relaxed")
            read.summary.rows_loaded, read.summary.rows_rejected = recorded.height, read.rejected.height
            month = str(recorded["warning_month"].max() or "") if recorded.height else ""
            store_inputs(conn, batch_id, FEEDBACK_KIND, month, [read], None)
            for value, count in recorded.group_by("review_result").len().iter_rows():
                result.by_result[str(value)] = result.by_result.get(str(value), 0) + int(count)
            name = Path(read.summary.file).name
            result.problems.extend(
                f"{name} 第{row}行：{reason}"
                for row, reason in read.rejected.select("source_row", "reason").iter_rows()
            )
    log.info("乡镇反馈：%s；问题 %d 行", json.dumps(result.by_result, ensure_ascii=False), len(result.problems))
    return result
