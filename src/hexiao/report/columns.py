"""The contract's warning columns: English store names → Chinese report headers, in order, and how
their values are presented in every report file."""

from __future__ import annotations

import re

import polars as pl

REPORT_HEADERS = {
    "warning_id": "预警编号",
    "month": "月份",
    "code": "预警代码",
    "label": "预警类型",
    "risk": "风险等级",
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "household_id": "户编号",
    "head_name": "户主姓名",
    "name": "姓名",
    "id_number": "身份证号",
    "program": "保障类别",
    "match_method": "匹配方式",
    "match_score": "匹配得分",
    "source": "比对来源",
    "evidence": "证据",
    "action": "建议措施",
    "effective_month": "建议生效月份",
    "overpayment": "应追回金额",
    "first_month": "首次预警月份",
    "status": "状态",
    "review_result": "核查结果",
    "review_note": "核查备注",
    "feedback_month": "反馈月份",
    "state": "处理状态",
    "notice_date": "告知日期",
    "recovered": "已追回金额",
}

# Written with a leading tab so Excel and WPS keep them as text instead of `3.40421E+17`.
TEXT_ID_COLUMNS = ("household_id", "id_number")

# Amounts are yuan and fen: `560.00` in CSV text, DECIMAL(12,2) in Parquet — a float would print
# `560.0` or `0.30000000000000004`. Empty where unknown or not applicable, never 0.
MONEY_COLUMNS = ("overpayment", "recovered")
MONEY_TYPE = pl.Decimal(12, 2)
# Scores are whole points 0–100; the linker's half points round up, as a person reading them would.
SCORE_COLUMNS = ("match_score",)
SCORE_TYPE = pl.Int32


def money(column: str) -> pl.Expr:
    """A float amount as DECIMAL(12,2), rounded to the fen half away from zero, as a cashier would."""
    return pl.col(column).round(2, mode="half_away_from_zero").cast(MONEY_TYPE)


def presented(frame: pl.DataFrame) -> pl.DataFrame:
    """Warnings with amounts as money and scores as integers: what every report file holds."""
    return frame.with_columns(
        *(money(c) for c in MONEY_COLUMNS if c in frame.columns),
        *(pl.col(c).round(0, mode="half_away_from_zero").cast(SCORE_TYPE) for c in SCORE_COLUMNS if c in frame.columns),
    )


REJECTED_HEADERS = {
    "file": "文件",
    "sheet": "工作表",
    "source_row": "行号",
    "kind": "数据种类",
    "reason": "原因",
    "raw": "原始内容",
}


def safe_file_part(name: str | None) -> str:
    """A township name as part of a file name (no path separators or characters Windows refuses)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name or "未填乡镇") or "未填乡镇"


def township_file_stems(prefix: str, townships: list[str | None]) -> dict[str | None, str]:
    """`<prefix>_<township>` for each township. Two names that make the same file name
    (`safe_file_part`: 甲/乙 and 甲:乙) are told apart by `_2`, `_3`… in the order given, instead of
    one file overwriting the other."""
    stems: dict[str | None, str] = {}
    for township in townships:
        stem = f"{prefix}_{safe_file_part(township)}"
        name, number = stem, 1
        while name in stems.values():
            number += 1
            name = f"{stem}_{number}"
        stems[township] = name
    return stems
