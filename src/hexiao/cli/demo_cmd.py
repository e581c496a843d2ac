"""`hexiao demo`: the whole monthly job on the bundled sample data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import ConfigOption, DbOption, JsonOption, QuietOption, handled, open_session
from hexiao.cli.match_cmd import report
from hexiao.errors import InputError
from hexiao.match import match as run_match

HELP = "演示：在独立的演示工作区里，对自带的 sample_data 完整跑一遍每月比对（载入 → 比对 → 报告）。"

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
        Path, typer.Option("--workspace", help="演示工作区：数据库和报告都放在这里，每次重建。")
    ] = Path("hexiao-demo"),
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        source = data or find_sample_data()
        if workspace.exists():
            shutil.rmtree(workspace)
        workspace.mkdir(parents=True)
        session = open_session(db or workspace / "hexiao.duckdb", config, quiet, as_json)
        # The sample data is an inbox: the same path `hexiao match --inbox` takes every month.
        outcome = run_match(
            month=SAMPLE_MONTH, db=session.db, out=workspace / "out", config=session.config, inbox=source
        )
        report(session, outcome)
