"""`hexiao feedback PATH...`: township replies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import ConfigOption, DbOption, JsonOption, QuietOption, describe_inputs, handled, open_session
from hexiao.feedback import feedback as record_feedback
from hexiao.status import review_counts_text

HELP = (
    "录入乡镇核查反馈：读取乡镇填好“核查结果”（属实/不属实/已处理）和“核查备注”后交回的预警名单"
    "（CSV 或 XLSX，Excel/WPS 另存过也可）。不属实的预警以后不再提示；属实但仍在保的会提高风险等级再次提示。"
)


def feedback(
    paths: Annotated[list[Path], typer.Argument(help="乡镇交回的一个或多个文件。")],
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json)
        result = record_feedback(paths, db=session.db, config_hash=session.config.digest())
        for line in describe_inputs(result.inputs, verb="录入", rejected="未录入"):
            session.step(line)
        for problem in result.problems:
            session.step(f"  未录入：{problem}")
        if session.json:
            session.emit_json(
                {
                    "batch_id": result.batch_id,
                    "by_result": result.by_result,
                    "problems": result.problems,
                    "inputs": [vars(i) for i in result.inputs],
                }
            )
        elif not session.quiet:
            counts = review_counts_text(result.by_result)
            session.out.print(f"已录入核查结果：{counts}；未录入 {len(result.problems)} 行（见上）")
