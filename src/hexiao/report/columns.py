"""The contract's warning columns: English store names → Chinese report headers, in order."""

from __future__ import annotations

import re

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
}

# Written with a leading tab so Excel and WPS keep them as text instead of `3.40421E+17`.
TEXT_ID_COLUMNS = ("household_id", "id_number")

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
