"""`hexiao demo`: the whole monthly job on the bundled sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import ConfigOption, JsonOption, QuietOption, handled, open_session
from hexiao.cli.match_cmd import report
from hexiao.demo import prepare_demo_workspace
from hexiao.errors import InputError
from hexiao.match import match as run_match
from hexiao.overview import write_overview

HELP = (
    "演示：在演示自己建立并标记的工作区里，对自带的 sample_data 完整跑一遍每月比对（载入 → 比对 → 报告 → 概览页）。"
    "不会使用或清空不是它建立的非空目录。"
)

SAMPLE_MONTH = "2026-11"  # the month the bundled sample data describes


def find_sample_data() -> Path:
    """`sample_data/` of the source tree (or the current directory)."""
    for candidate in (Path.cwd() / "sample_data", Path(__file__).resolve().parents[3] / "sample_data"):
        if candidate.is_dir():
            return candidate
    raise InputError("sample_data", "找不到示例数据目录 sample_data/（请在项目目录中运行）")


def demo(
    data: Annotated[Path | None, typer.Option("--data", help="示例数据目录（默认项目的 sample_data/）。")] = None,
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
        session = open_session(demo_db, config, quiet, as_json)
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
