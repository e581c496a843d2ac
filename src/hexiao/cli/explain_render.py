"""A warning's story (`gather.Story.as_dict`, masked or not) as plain lines, on a terminal with
Rich, or as JSON. Plain text has no colour and no box-drawing: it is what cron mails and what a
GBK console shows."""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hexiao.explain.gather import PURGED, is_default

_NONE = "—"
# The history's columns under the reports' headers (contract.md §4).
_HISTORY_LABELS = {
    "status": "状态", "risk": "风险等级", "action": "建议措施", "overpayment": "应追回金额", "review_result": "核查结果",
    "feedback_month": "反馈月份", "state": "处理状态", "notice_date": "告知日期", "recovered": "已追回金额",
}  # fmt: skip


def _text(value: Any) -> str:
    if value is None or value == "":
        return _NONE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _score(value: float | None) -> str:
    """A match score as every report prints it: whole points, a half rounding up (`report.columns`)."""
    return _NONE if value is None else str(int(value + 0.5))


def _headline(story: dict[str, Any]) -> list[str]:
    w = story["warning"]
    return [
        f"预警 {w['warning_id']}  {w['label']}（{w['code']}）  风险 {_text(w['risk'])}  建议 {_text(w['action'])}  "
        f"{w['month']} 月（首次 {w['first_month']}，{w['status']}）",
        f"  {_text(w['township'])} {_text(w['village'])}  户编号 {_text(w['household_id'])}  姓名 {_text(w['name'])}  "
        f"身份证号 {_text(w['id_number'])}  保障类别 {_text(w['program'])}",
        f"  比对来源：{_text(w['source'])}",
        f"  证据：{_text(w['evidence'])}",
    ]


def _row_lines(row: dict[str, Any]) -> list[str]:
    if not row["present"]:
        return [f"  {row['role']} {row['place']}：{PURGED}（预警记录的比对来源和证据见上）"]
    values = "，".join(f"{k} {_text(v)}" for k, v in row["values"].items())
    return [
        f"  {row['role']} {row['place']}",
        f"    姓名 {_text(row['name'])}（规范化 {_text(row['name_simplified'])}）  身份证号 原样 {_text(row['id_raw'])}"
        f"，规范化 {_text(row['id_normalised'])}",
        f"    {values}",
    ]


def _link_line(link: dict[str, Any]) -> str:
    if link["method"] is None:
        return "    未与花名册关联：本月各保障花名册均未找到此人"
    present = link["record"]["present"]
    # A removed record cannot be compared now: only what the linker recorded at the match is known.
    edit = {None: "无法比较（一方没有可用的身份证号）", 0: "一致"}.get(link["id_edit"], f"相差 {link['id_edit']} 处")
    ids = f"身份证号{edit}；" if present else ""
    # Beside the roll's person, or the parent on the roll the record was linked to (GUARDIAN_RETURNED).
    linked = f"{link['linked_to']} {_text(link['linked_name'])}"
    names = f"（{linked}，来源 {_text(link['record']['name'])}）" if present else ""
    return (
        f"    关联：{link['method']}，得分 {_score(link['score'])}；{ids}"
        f"姓名{_text(link['name_tier'])}{names}；{_text(link['note'])}"
    )


def _setting_line(item: dict[str, Any]) -> str:
    value = json.dumps(item["value"], ensure_ascii=False)
    return f"  {item['key']} = {value}    # {item['origin']}"


def sections(story: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The story as titled sections of plain lines: what both the plain and the Rich view show."""
    rows: list[str] = []
    for row in story["roll"]:
        rows.extend(_row_lines(row))
    for row in story["others"]:
        rows.extend(_row_lines(row))
    if not story["detail_kept"]:
        rows.append("  此预警由较早版本的 hexiao 发出，未保存所依据的行；见上面的比对来源和证据")
    records: list[str] = []
    for link in story["links"]:
        records.extend(_row_lines(link["record"]))
        records.append(_link_line(link))
    run = story["run"]
    started = _text(run.get("started_at"))[:19]
    config = [
        f"  第 {run['batch_id']} 次运行（{started}，hexiao {_text(run.get('version'))}，配置指纹 "
        f"{_text(run.get('config_hash'))}，配置来源 {_text(run.get('config_source'))}）"
    ]
    if story["settings"]:
        config.extend(_setting_line(item) for item in story["rule_settings"])
        others = [s for s in story["settings"] if s not in story["rule_settings"] and not is_default(s["origin"])]
        config.extend(_setting_line(item) for item in others)
        if not story["rule_settings"]:
            config.append("  本规则没有可配置的参数")
    else:
        config.append("  该次运行未保存配置明细（较早版本），只有配置指纹")
    w = story["warning"]
    money = [f"  生效月份 {_text(w['effective_month'])}；应追回金额 {_text(w['overpayment'])} 元"]
    if w["effective_month"] is None and not story["months"]:
        money = ["  本规则不计多发金额"]
    money.extend(f"  {m['month']}  {_text(m['amount']):>10}  {m['basis']}" for m in story["months"])
    history = [
        "  " + "  ".join(f"{_HISTORY_LABELS.get(k, k)} {_text(v)}" if k != "month" else str(v) for k, v in item.items())
        for item in story["history"]
    ] + [f"  {r['month']}  处理状态 {_text(r['state'])}（该月比对时预警已不成立，不再列出）" for r in story["resolved"]]
    replies = [
        f"  {_text(r.get('warning_month'))} 月的反馈：{_text(r.get('review_result'))}"
        f"（{_text(r.get('review_note'))}）  告知日期 {_text(r.get('notice_date'))}"
        f"  已追回金额 {_text(r.get('recovered'))}  {_reply_place(r)}"
        f"  录入于 {_text(r.get('received_at'))[:19]}"
        for r in story["replies"]
    ] or ["  尚无乡镇反馈"]
    return [
        ("花名册", rows or ["  （此预警不涉及花名册行）"]),
        ("依据的来源记录", records or ["  （只依据花名册本身）"]),
        ("规则与参数（发出该预警的那次运行）", config),
        ("多发金额（逐月）", money),
        ("各月情况", history),
        ("乡镇反馈", replies),
    ]


def plain(story: dict[str, Any]) -> str:
    lines = _headline(story)
    for title, body in sections(story):
        lines.append(title)
        lines.extend(body)
    return "\n".join(lines) + "\n"


def rich(story: dict[str, Any], console: Console) -> None:
    """On a terminal: the headline, then one titled table per section (ASCII boxes where the
    console's encoding has no box-drawing characters: Rich falls back on its own)."""
    for line in _headline(story):
        console.print(line, markup=False, highlight=False)
    for title, body in sections(story):
        table = Table(title=title, title_justify="left", box=box.SIMPLE, show_header=False, expand=False)
        table.add_column(overflow="fold")
        for line in body:
            table.add_row(Text(line.strip()))  # as written: a file name may hold [brackets]
        console.print(table)


def as_json(story: dict[str, Any]) -> str:
    return json.dumps(story, ensure_ascii=False, indent=2, default=str) + "\n"


def _reply_place(reply: dict[str, Any]) -> str:
    """Where a reply came from, as the township's file shows it: file, sheet (a workbook's), row."""
    sheet = f"工作表“{reply['sheet']}” " if reply.get("sheet") else ""
    return f"{_text(reply.get('source_file'))} {sheet}第{_text(reply.get('source_row'))}行"
