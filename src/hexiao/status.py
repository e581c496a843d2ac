"""`hexiao.status`: the run ledger — every batch, its inputs and its warnings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from hexiao.report.settle import PENDING
from hexiao.roll_gaps import gap_messages
from hexiao.store import opened, query, require_workspace, workspace_lock


@dataclass
class Ledger:
    batches: (
        pl.DataFrame
    )  # batch_id, command, month, started_at, finished_at, outcome, version, config_hash, detail, os_user
    inputs: pl.DataFrame  # batch_id, kind, month, file_name, sha256, rows_read, rows_loaded, rows_rejected
    warnings: pl.DataFrame  # month, code, warnings
    roll_alerts: list[str]  # each matched month's missing or shrunk rolls, from its summary (`roll_gaps`)


def status(*, db: Path, month: str | None = None) -> Ledger:
    """Read the ledger; with `month`, only that month's batches and warnings. Where there is no
    workspace it creates none: it says so."""
    require_workspace(db)  # before the lock: where there is no workspace, not even its lock file appears
    with workspace_lock(db), opened(db, read_only=True) as conn:
        where, params = ("WHERE month = ?", [month]) if month else ("", [])
        batches = query(conn, f"SELECT * FROM batches {where} ORDER BY batch_id", list(params))
        inputs = query(
            conn,
            f"""SELECT batch_id, kind, month, file_name, sha256, rows_read, rows_loaded, rows_rejected
                FROM inputs {where} ORDER BY input_id""",
            list(params),
        )
        warnings = query(
            conn,
            f"SELECT month, code, count(*) AS warnings FROM warnings {where} GROUP BY ALL ORDER BY ALL",
            list(params),
        )
        summaries = conn.execute(f"SELECT summary FROM month_summaries {where} ORDER BY month", list(params)).fetchall()
    alerts = [line for (text,) in summaries for line in gap_messages(json.loads(text))]
    return Ledger(batches, inputs, warnings, alerts)


# Before the ledger kept a failed run's message, it kept only the exception's class name.
_EARLIER_FAILURES = {
    "InputError": "输入文件有问题",
    "ConfigError": "配置或选项有问题",
    "StateError": "工作区中缺少所需数据",
    "LockedError": "另一个 hexiao 进程正在使用工作区",
    "KeyboardInterrupt": "已中断",
}
REVIEW_RESULT_ORDER = ("属实", "不属实", "已处理")
# In a feedback run's ledger detail, beside the counts per 核查结果: rows that repeat the latest
# reply recorded (the township sent its list back untouched), not recorded again.
UNCHANGED_KEY = "未改动（已记录）"
# … and the rows not recorded, each kind apart: blank (not answered yet), a 核查结果 that is none of
# the three, and 预警编号 whose rows in one file disagree.
UNANSWERED_KEY, INVALID_KEY, CONTRADICTORY_KEY = "未填写核查结果", "核查结果无效", "内容矛盾"
_NOT_RESULTS = (UNCHANGED_KEY, UNANSWERED_KEY, INVALID_KEY, CONTRADICTORY_KEY)


def readable_detail(command: str, outcome: str, detail: str | None) -> str:
    """A batch's detail as an officer reads it: a failure's message, a feedback run's counts per
    result (`属实 3，不属实 1`). Rows written by earlier versions read the same way."""
    if not detail:
        return ""
    if outcome == PENDING:
        return "结果已保存，报告尚未放入输出目录：下次运行 hexiao match 或 hexiao report 时自动放入"
    if outcome == "失败":
        if detail.isascii() and detail.isidentifier():  # an earlier version's class name
            what = _EARLIER_FAILURES.get(detail, f"内部错误 {detail}")
            return f"原因：{what}（该版本未记下详细原因）"
        return f"原因：{detail}"
    if command == "purge":
        return purge_detail_text(detail)
    if command == "feedback":
        try:
            counts = json.loads(detail)
        except json.JSONDecodeError:
            return detail
        return feedback_counts_text(counts) if isinstance(counts, dict) else detail
    return detail


def feedback_detail(
    by_result: dict[str, int], unchanged: int, *, unanswered: int = 0, invalid: int = 0, contradictory: int = 0
) -> str:
    """A feedback run's ledger detail: its counts per 核查结果 and, those that are not 0, of warnings
    whose row repeated the latest reply recorded, of blank rows, of invalid rows and of 预警编号
    refused as contradictory (`readable_detail` reads it back)."""
    others = {
        UNCHANGED_KEY: unchanged,
        UNANSWERED_KEY: unanswered,
        INVALID_KEY: invalid,
        CONTRADICTORY_KEY: contradictory,
    }
    return json.dumps({**by_result, **{k: v for k, v in others.items() if v}}, ensure_ascii=False)


def feedback_counts_text(counts: dict[str, int]) -> str:
    """A feedback run's ledger detail as read, in the order `hexiao feedback` prints it: `属实 3，不属实 1；
    未改动（已记录） 5 个预警编号…；未填写核查结果 5 行…；核查结果无效 1 行；内容矛盾 2 个预警编号…`."""
    text = review_counts_text({key: value for key, value in counts.items() if key not in _NOT_RESULTS})
    parts = [
        unchanged_text(counts[UNCHANGED_KEY]) if counts.get(UNCHANGED_KEY) else "",
        f"{UNANSWERED_KEY} {counts.get(UNANSWERED_KEY)} 行（乡镇尚未答复）" if counts.get(UNANSWERED_KEY) else "",
        f"{INVALID_KEY} {counts.get(INVALID_KEY)} 行" if counts.get(INVALID_KEY) else "",
        f"{CONTRADICTORY_KEY} {counts.get(CONTRADICTORY_KEY)} 个预警编号（均未录入）"
        if counts.get(CONTRADICTORY_KEY)
        else "",
    ]
    return "；".join([text, *(part for part in parts if part)])


def unchanged_text(unchanged: int) -> str:
    return f"{UNCHANGED_KEY} {unchanged} 个预警编号（交回的与已记录的最新反馈相同，未重复录入）"


def review_counts_text(counts: dict[str, int]) -> str:
    """`{"不属实": 1, "属实": 3}` → `属实 3，不属实 1`: the contract's results first, in its order."""
    if not counts:
        return "未录入任何核查结果"
    known = [result for result in REVIEW_RESULT_ORDER if result in counts]
    rest = sorted(result for result in counts if result not in REVIEW_RESULT_ORDER)
    return "，".join(f"{result} {counts[result]}" for result in (*known, *rest))


def purge_detail_text(detail: str) -> str:
    """A purge's ledger detail (`purge._ledger_detail`) → `保留 2026-10 起；删除 roll 2026-09 173 行，…`."""
    try:
        recorded = json.loads(detail)
    except json.JSONDecodeError:
        return detail
    removed = recorded.get("removed", {}) if isinstance(recorded, dict) else {}
    if not isinstance(removed, dict):
        return detail
    parts = [f"{table} {month} {rows} 行" for table, months in removed.items() for month, rows in months.items()]
    cleared = recorded.get("rejected_raw_cleared", 0)
    what = "删除 " + "，".join(parts) if parts else "没有可删除的数据"
    if cleared:
        what += f"；清除被拒绝行原始内容 {cleared} 行"
    return f"保留 {recorded.get('before')} 起；{what}"
