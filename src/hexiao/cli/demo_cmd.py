"""`hexiao demo`: the whole monthly job on the bundled sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import ConfigOption, JsonOption, QuietOption, handled, open_session
from hexiao.cli.match_cmd import report
from hexiao.config import DEFAULT_CONFIG_NAME
from hexiao.demo import applicant_lists, find_sample_data, prepare_demo_workspace
from hexiao.intake import check as run_check
from hexiao.intake.report import FOUND_ANY, VERDICT
from hexiao.match import match as run_match
from hexiao.overview import write_overview

HELP = (
    "演示：在演示自己建立并标记的工作区里，对自带的示例数据完整跑一遍每月比对（载入 → 比对 → 报告 → 概览页），"
    "再对示例的申请人名单做一次核对（hexiao check）。"
    "不会使用或清空不是它建立的非空目录。未给 --config 时使用示例数据自带的 hexiao.toml（示例县的低保标准等本地设置）。"
)

SAMPLE_MONTH = "2026-11"  # the month the bundled sample data describes


def demo(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="示例数据目录（默认随 hexiao 安装的示例数据；源码目录中为 sample_data/）。"),
    ] = None,
    workspace: Annotated[
        Path,
        typer.Option(
            "--workspace",
            help="演示工作区：数据库和报告都放在这里。由演示自己建立（或用一个空目录）并留下标记文件 .hexiao-demo，"
            "每次运行清空重建；不是空目录又没有这个标记的目录一律拒绝使用。",
        ),
    ] = Path("hexiao-demo"),
    db: Annotated[
        Path | None,
        typer.Option("--db", help="演示数据库（默认 <workspace>/hexiao.duckdb，须在演示工作区内；不读 HEXIAO_DB）。"),
    ] = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        source = data or find_sample_data()
        demo_db = db or workspace / "hexiao.duckdb"
        kept = prepare_demo_workspace(workspace, data=source, db=demo_db)
        # The sample's local standards ([rules.income] standard, the medical threshold …) come with
        # it: rules that have no default run only where a bureau has set them.
        sample_settings = source / DEFAULT_CONFIG_NAME
        session = open_session(
            demo_db, config or (sample_settings if sample_settings.is_file() else None), quiet, as_json
        )
        if kept:
            session.step(f"演示工作区 {workspace} 中不是演示写的文件未动：{'、'.join(kept)}")
        # The sample data is an inbox: the same path `hexiao match --inbox` takes every month; the demo
        # shows every output, the township workbooks and the masked edition included.
        outcome = run_match(
            month=SAMPLE_MONTH,
            db=session.db,
            out=workspace / "out",
            config=session.config,
            inbox=source,
            excel=True,
            masked=True,
        )
        report(session, outcome)
        page = write_overview(month=SAMPLE_MONTH, db=session.db, out=workspace / "out")
        session.step(f"概览页已写入 {page}")
        # The intake check on the sample's applicants: every source column, as an office runs it on
        # a month's applications.
        if lists := applicant_lists(source):
            checked = run_check(
                lists, db=session.db, out=workspace / "out", month=SAMPLE_MONTH, excel=True, config=session.config
            )
            found = checked.rows.filter(checked.rows[VERDICT] == FOUND_ANY).height
            session.step(f"申请人核对：{checked.rows.height} 人，有发现 {found} 人；核对报告已写入 {checked.out_dir}")
