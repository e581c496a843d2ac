"""`hexiao overview`: the bureau's one-page overview of a month."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    MonthOption,
    QuietOption,
    check_month,
    handled,
    open_session,
)
from hexiao.cli.match_cmd import OutOption
from hexiao.overview import DEFAULT_MONTHS, write_overview

HELP = (
    "为局领导生成某月的概览页 <out>/<YYYY-MM>/概览.html：本月核对和预警的主要数字（与 summary.json 一致）、"
    "各乡镇各类预警、最近几个月的变化、乡镇反馈进度和逾期、追回金额。单个文件，不联网也能打开和打印。"
    "只读取工作区，不改动数据库。"
)

MonthsOption = Annotated[
    int, typer.Option("--months", min=1, help=f"趋势图包含的月数（默认 {DEFAULT_MONTHS}，含本月）。")
]


def overview(
    month: MonthOption = None,
    months: MonthsOption = DEFAULT_MONTHS,
    out: OutOption = Path("out"),
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json, read_only=True)
        page = write_overview(month=check_month(month), db=session.db, out=out, months=months, config=session.config)
        session.step(f"概览已写入 {page}")
        if session.json:
            session.emit_json({"overview": str(page)})
