"""The overview as one self-contained HTML page: inline style, inline SVG charts, no script, no
address of anything outside it, so it opens the same on an office PC without a network.

Every number is text (searchable, selectable, read aloud), each chart has its table beside it, and
the layout prints on A4. The headline cells carry `data-key` (the summary.json key) and
`data-value` (its value as stored) so a reader program can check them against summary.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import polars as pl

from hexiao import __version__
from hexiao.overview import charts
from hexiao.overview.data import REPLY_KINDS, TREND_KINDS, OverviewData

UNKNOWN = "—"  # a number the month's stored summary predates

# summary.json keys shown as the month's headline, in the page's order: (key, label, money?).
HEADLINE: tuple[tuple[str, str, bool], ...] = (
    ("households_checked", "核对户数", False),
    ("persons_checked", "核对人数", False),
    ("households_warned", "预警户数", False),
    ("persons_warned", "预警人数", False),
    ("warnings", "预警条数", False),
    ("omissions", "疑似漏保人数", False),
    ("overpayment_total", "本月应追回金额（元）", True),
    ("recovered_total", "累计已追回金额（元）", True),
    ("outstanding_total", "未追回金额（元）", True),
    ("overdue", "逾期未反馈（条）", False),
    ("resolved", "已解除（条）", False),
    ("suppressed", "乡镇核实不属实（条）", False),
)

_STYLE = f"""
body {{ font-family: {charts.FONT_FAMILY}; color: #222; margin: 24px auto; max-width: 1100px; padding: 0 16px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }}
h2 {{ font-size: 17px; border-bottom: 1px solid #999; padding-bottom: 3px; margin-top: 28px; }}
p.note {{ color: #555; font-size: 13px; margin: 4px 0; }}
section {{ break-inside: avoid; }}
.pair {{ display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }}
.pair figure {{ margin: 0; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border: 1px solid #bbb; padding: 3px 8px; }}
th {{ background: #eee; font-weight: normal; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
table.headline td.n {{ font-size: 18px; font-weight: bold; }}
@page {{ size: A4 landscape; margin: 12mm; }}
@media print {{ body {{ margin: 0; max-width: none; }} }}
"""


def _number(value: Any, money: bool = False) -> str:
    if value is None:
        return UNKNOWN
    return f"{float(value):,.2f}" if money else f"{int(value):,}"


def _cell(value: Any, money: bool = False) -> str:
    return f'<td class="n">{_number(value, money)}</td>'


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    klass = f' class="{css}"' if css else ""
    return (
        f"<table{klass}><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _text(value: Any) -> str:
    return f"<td>{escape(str(value)) if value is not None else UNKNOWN}</td>"


def _headline(summary: dict[str, Any]) -> str:
    rows = []
    for key, label, money in HEADLINE:
        value = summary.get(key)
        stored = "" if value is None else escape(str(value))
        rows.append(
            [
                f'<th scope="row">{escape(label)}</th>',
                f'<td class="n" data-key="{key}" data-value="{stored}">{_number(value, money)}</td>',
            ]
        )
    return _table("本月核对与预警（与 summary.json 一致）", ["项目", "数值"], rows, css="headline")


def _section(title: str, note: str, chart: str, table: str) -> str:
    return (
        f'<section><h2>{escape(title)}</h2><p class="note">{escape(note)}</p>'
        f'<div class="pair"><figure>{chart}</figure>{table}</div></section>'
    )


def _township_section(data: OverviewData) -> str:
    frame = data.by_township
    if frame.height == 0:
        return f"<section><h2>各乡镇各类预警</h2><p>{escape(data.month)} 月没有预警。</p></section>"
    labels = frame.sort("code").get_column("label").unique(maintain_order=True).to_list()
    wide = frame.pivot(on="label", index="township", values="persons", aggregate_function="sum").sort("township")
    rows = [
        [_text(row["township"]), *(_cell(row.get(label) or 0) for label in labels)]
        for row in wide.iter_rows(named=True)
    ]
    table = _table("预警人数：乡镇 × 预警类型", ["乡镇（街道）", *labels], rows)
    note = "一人因多种原因预警时，在每种类型下各计一次（summary.json 的 by_township）。"
    return _section("各乡镇各类预警", note, charts.township_types(frame), table)


def _trend_section(data: OverviewData, months: int) -> str:
    wide = data.trend.pivot(on="kind", index="month", values="count").sort("month")
    rows = [[_text(row["month"]), *(_cell(row[kind]) for kind in TREND_KINDS)] for row in wide.iter_rows(named=True)]
    table = _table("各月预警条数", ["月份", *TREND_KINDS], rows)
    note = (
        f"最近 {months} 个月中已比对的月份。新增、持续：当月预警的状态；已解除：上月有、当月不再成立的预警；"
        "乡镇核实不属实：乡镇此前反馈不属实、当月不再下发的预警。"
    )
    return _section("预警变化趋势", note, charts.trend(data.trend, TREND_KINDS), table)


def _reply_section(data: OverviewData) -> str:
    frame = data.replies
    if frame.height == 0:
        return ""
    rows = [
        [
            _text(row["township"]),
            _cell(row["warnings"]),
            *(_cell(row[kind]) for kind in REPLY_KINDS),
            _cell(row["overdue"]),
        ]
        for row in frame.iter_rows(named=True)
    ]
    table = _table("本月预警的核查反馈", ["乡镇（街道）", "预警条数", *REPLY_KINDS, "逾期未反馈"], rows)
    note = "每条预警按其最新一次乡镇反馈计；逾期未反馈取自 summary.json（该月比对未记录时显示 —）。"
    return _section("乡镇反馈进度", note, charts.reply_progress(frame, REPLY_KINDS), table)


def _money_section(data: OverviewData) -> str:
    frame = data.money
    rows = [
        [_text(row["township"]), *(_cell(row[column], True) for column in ("to_recover", "recovered", "outstanding"))]
        for row in frame.iter_rows(named=True)
    ]
    table = _table("截至本月的追回金额（元，summary.csv）", ["乡镇（街道）", "应追回", "已追回", "未追回"], rows)
    months = [
        [
            _text(row["month"]),
            _cell(row["overpayment_total"], True),
            _cell(row["recovered_total"], True),
            _cell(row["outstanding_total"], True),
        ]
        for row in data.money_trend.iter_rows(named=True)
    ]
    by_month = _table("各月金额（元，summary.json）", ["月份", "当月应追回", "累计已追回", "未追回"], months)
    note = (
        "应追回为乡镇核实属实（或已处理）的预警的多发金额，已追回为乡镇反馈填报的金额（同一预警以最新反馈为准），"
        "截至本月，与本月 summary.json、summary.csv 一致；各月金额中该月比对时尚未记录的显示 —。"
    )
    chart = charts.recovery(frame) if frame.height else ""
    return _section("追回情况", note, chart, table) + f'<section><div class="pair">{by_month}</div></section>'


def _action_table(by_action: pl.DataFrame) -> str:
    rows = [[_text(r["action"]), _cell(r["warnings"]), _cell(r["persons"])] for r in by_action.iter_rows(named=True)]
    return _table("按建议措施", ["建议措施", "预警条数", "人数"], rows)


def render(data: OverviewData, months: int) -> str:
    """The page's HTML text."""
    month = escape(data.month)
    headline = f'<section><h2>本月概况</h2><div class="pair">{_headline(data.summary)}{_action_table(data.by_action)}</div></section>'
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{month} 民政核对概览</title><style>{_STYLE}</style></head><body>"
        f"<h1>{month} 民政核对概览</h1>"
        f'<p class="note">由 hexiao {escape(__version__)} 根据工作区中 {month} 月的比对结果生成；'
        "预警是待核实的线索，须经乡镇核查后才能处理。</p>"
        f"{headline}{_township_section(data)}{_trend_section(data, months)}{_reply_section(data)}"
        f"{_money_section(data)}</body></html>\n"
    )
