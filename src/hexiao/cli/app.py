"""`hexiao`: the Typer application and its entry point."""

from __future__ import annotations

import typer

from hexiao.cli import (
    check_cmd,
    config_cmd,
    demo_cmd,
    explain_cmd,
    feedback_cmd,
    load_cmd,
    match_cmd,
    overview_cmd,
    purge_cmd,
    report_cmd,
    status_cmd,
)
from hexiao.process import leave_memory_to_the_system

app = typer.Typer(
    name="hexiao",
    help="民政核对：把每月保障对象花名册与火化、车辆、房产等部门数据比对，按乡镇生成预警名单和退出建议。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("load", help=load_cmd.HELP, short_help="载入一种数据文件：花名册或某部门的比对数据。")(load_cmd.load)
app.command("match", help=match_cmd.HELP)(match_cmd.match)
app.command("report", help=report_cmd.HELP)(report_cmd.report)
app.command("feedback", help=feedback_cmd.HELP, short_help="录入乡镇交回的核查结果（属实/不属实/已处理）。")(
    feedback_cmd.feedback
)
app.command("check", help=check_cmd.HELP, short_help="核对申请人：逐人与各部门数据和现有花名册比对，写出核对报告。")(
    check_cmd.check
)
app.command("status", help=status_cmd.HELP)(status_cmd.status)
app.command(
    "explain", help=explain_cmd.HELP, short_help="说明一条预警：依据的行、如何关联、当时的参数、逐月金额和反馈。"
)(explain_cmd.explain)
app.command("overview", help=overview_cmd.HELP, short_help="生成某月的概览页 概览.html（给局领导看）。")(
    overview_cmd.overview
)
app.command("purge", help=purge_cmd.HELP, short_help="按保存期限删除旧月份的花名册和比对数据原始行。")(purge_cmd.purge)
app.command("demo", help=demo_cmd.HELP)(demo_cmd.demo)
app.add_typer(config_cmd.config_app, name="config", help=config_cmd.HELP)


def main() -> None:
    """The `hexiao` command: the process ends when it returns (Typer exits through SystemExit)."""
    try:
        app()
    finally:
        leave_memory_to_the_system()
