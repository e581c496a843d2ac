"""`hexiao explain 预警编号`: the whole story of one warning."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hexiao.cli import explain_render as render
from hexiao.cli.common import ConfigOption, DbOption, QuietOption, handled, open_session
from hexiao.explain import explain as gather_story

HELP = (
    "说明一条预警的来龙去脉：涉及的花名册行和所依据的来源记录（文件、工作表、行）、如何关联（匹配方式、得分、"
    "身份证号差异、姓名比较）、发出该预警的那次运行所用的规则参数及其来源、逐月多发金额、各月状态和乡镇反馈。"
    "身份证号默认脱敏；--unmask 显示完整号码，并记入运行台账。只读（--unmask 除外）。"
)


def explain(
    warning_id: Annotated[str, typer.Argument(metavar="预警编号", help="报告中的预警编号，如 DE829F64BFA7。")],
    unmask: Annotated[bool, typer.Option("--unmask", help="显示完整身份证号（记入运行台账）。")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 打印（键名固定，见 README）。")] = False,
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json, read_only=not unmask)
        story = gather_story(
            warning_id, db=session.db, unmask=unmask, config_hash=session.config.digest(), config=session.config
        )
        if as_json:
            sys.stdout.write(render.as_json(story))
        elif sys.stdout.isatty():
            render.rich(story, session.out)
        else:
            sys.stdout.write(render.plain(story))
