"""`hexiao feedback PATH...`: township replies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hexiao.cli.common import ConfigOption, DbOption, JsonOption, QuietOption, describe_inputs, handled, open_session
from hexiao.feedback import feedback as record_feedback
from hexiao.status import review_counts_text, unchanged_text

HELP = (
    "录入乡镇核查反馈：读取乡镇填好“核查结果”（属实/不属实/已处理）、“核查备注”，以及“告知日期”“已追回金额”（截至目前累计）后交回的预警名单"
    "（CSV 或 XLSX，Excel/WPS 另存过也可）。反馈记在该行“月份”所指的月份下（没有该列时记在该预警最近一次发出的月份），"
    "此后写出的每份报告都在“核查结果”“核查备注”“反馈月份”中显示最新反馈。不属实的预警以后不再提示；"
    "属实或已处理但仍在册的会提高风险等级再次提示（处理状态 属实未处理/已处理但仍在册）。"
    "同一文件中同一预警编号内容矛盾的几行都不录入；告知日期或已追回金额无法识别的行不录入。"
    "与已记录的最新反馈完全相同的行（原样交回的名单）计为“未改动（已记录）”，不重复录入。"
)


def feedback(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="乡镇交回的一个或多个文件。")],
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json)
        result = record_feedback(
            paths, db=session.db, config_hash=session.config.digest(), config_text=session.config.settings_text()
        )
        for line in describe_inputs(result.inputs, verb="录入", rejected="未录入"):
            session.step(line)
        for problem in result.problems:
            session.step(f"  未录入：{problem}")
        if session.json:
            session.emit_json(
                {
                    "batch_id": result.batch_id,
                    "by_result": result.by_result,
                    "unanswered": result.unanswered,
                    "invalid": result.invalid,
                    "contradictory": result.contradictory,
                    "unchanged": result.unchanged,
                    "problems": result.problems,
                    "inputs": [vars(i) for i in result.inputs],
                }
            )
        elif not session.quiet:
            counts = review_counts_text(result.by_result)
            session.out.print(
                f"已录入核查结果：{counts}；{unchanged_text(result.unchanged)}；未填写核查结果 {result.unanswered} 行（乡镇尚未答复，未录入）；"
                f"核查结果无效 {result.invalid} 行；内容矛盾的预警编号 {result.contradictory} 个；"
                f"未录入的问题行共 {len(result.problems)} 行（见上）"
            )
