"""`hexiao load KIND PATH...`."""

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
    describe_inputs,
    handled,
    open_session,
)
from hexiao.io.fields import FIELDS, KIND_LABELS
from hexiao.load import load as load_files

HELP = (
    "载入数据文件：KIND 为 roll（保障对象花名册）、cremation（火化/殡葬）、vehicle（车辆）、property（不动产）、"
    "business（工商）、employee（财政供养）或 poverty（防返贫监测）。CSV（UTF-8/GBK/GB18030）、XLSX、XLS 均可；"
    "无法使用的行写入拒绝清单并说明原因。"
)


def load(
    kind: Annotated[str, typer.Argument(help="数据种类：" + "、".join(f"{k}（{v}）" for k, v in KIND_LABELS.items()))],
    paths: Annotated[list[Path], typer.Argument(help="一个或多个文件。")],
    month: MonthOption = None,
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
        if kind not in FIELDS:
            raise typer.BadParameter(f"未知的数据种类 {kind!r}，可用：{', '.join(FIELDS)}", param_hint="KIND")
        session = open_session(db, config, quiet, as_json)
        result = load_files(
            kind,
            paths,
            month=check_month(month),
            db=session.db,
            program=program,
            replace=replace,
            extra_headers=session.config.headers.get(kind),
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
