"""`hexiao load KIND PATH...`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    QuietOption,
    check_month,
    describe_inputs,
    handled,
    open_session,
)
from hexiao.kinds import EXTRACT_KINDS, KIND_LABELS, ROLL_KIND
from hexiao.load import load as load_files

LOADABLE = (ROLL_KIND, *EXTRACT_KINDS)  # township replies go through `hexiao feedback`

HELP = (
    "载入一种数据文件：花名册或某部门的比对数据（KIND 见下）。CSV（UTF-8/GBK/GB18030）、XLSX、XLS 均可；"
    "无法使用的行写入拒绝清单并说明原因。"
)


def load(
    kind: Annotated[
        str, typer.Argument(metavar="KIND", help="数据种类：" + "、".join(f"{k}（{KIND_LABELS[k]}）" for k in LOADABLE))
    ],
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="一个或多个文件。")],
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="月份（载入花名册时必填；其他数据默认本月）。")
    ] = None,
    program: Annotated[
        str | None,
        typer.Option("--program", help="保障类别（文件中没有“保障类别”列时使用），如 农村低保、特困供养。"),
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="先删除该月已载入的花名册，再载入这些文件。")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        if kind not in LOADABLE:
            raise typer.BadParameter(f"未知的数据种类 {kind!r}，可用：{', '.join(LOADABLE)}", param_hint="KIND")
        if kind != ROLL_KIND and (replace or program):
            raise typer.BadParameter("--replace 和 --program 只用于 roll（花名册）", param_hint="--replace/--program")
        if kind == ROLL_KIND and month is None:
            # A roll is the payment list of one month: loading November's on 2 December must not
            # silently store it as December's.
            raise typer.BadParameter("载入花名册必须写明月份，例如 --month 2026-11", param_hint="--month")
        session = open_session(db, config, quiet, as_json)
        result = load_files(
            kind,
            paths,
            month=check_month(month),
            db=session.db,
            program=program,
            replace=replace,
            extra_headers=session.config.headers.get(kind),
            config_hash=session.config.digest(),
            config_text=session.config.settings_text(),
        )
        for line in describe_inputs(result.inputs):
            session.step(line)
        if session.json:
            session.emit_json(
                {
                    "kind": result.kind,
                    "month": result.month,
                    "batch_id": result.batch_id,
                    "inputs": [vars(i) for i in result.inputs],
                }
            )
