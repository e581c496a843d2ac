"""`hexiao check PATH...`: the intake check of applicants."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from hexiao.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    QuietOption,
    Session,
    check_month,
    handled,
    open_session,
)
from hexiao.intake import CheckResult
from hexiao.intake import check as run_check
from hexiao.intake.report import CHECK_ID, FOUND_ANY, VERDICT
from hexiao.intake.sources import FOUND, NO_DATA, SOURCE_HEADERS

HELP = (
    "核对申请人：申请名单（与花名册同样的格式：乡镇、户编号、户主、姓名、身份证号、申请的保障类别）逐人与火化、车辆、"
    "不动产、工商、财政供养、收入数据及现有花名册比对，写出 <out>/核对/<日期>/核对报告_<乡镇>.csv。"
    "申请人不存入花名册，也不进入每月预警；每次核对记入运行记录。"
)


def check(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="一个或多个申请名单文件（CSV、XLSX 或 XLS）。")],
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="YYYY-MM", help="按该月在用的比对数据核对（默认：工作区中有数据的最近月份）。"),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="报告目录；报告写入 <out>/核对/<YYYY-MM-DD>/。")] = Path("out"),
    report_format: Annotated[
        str, typer.Option("--format", help="csv（默认）或 xlsx（每个乡镇一个工作簿，身份证号为文本，冻结表头）。")
    ] = "csv",
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        if report_format not in ("csv", "xlsx"):
            raise typer.BadParameter("只支持 csv 或 xlsx", param_hint="--format")
        chosen = check_month(month) if month is not None else None
        session = open_session(db, config, quiet, as_json)
        result = run_check(
            paths, db=session.db, out=out, month=chosen, excel=report_format == "xlsx", config=session.config
        )
        _report(session, result)


def _report(session: Session, result: CheckResult) -> None:
    for item in result.inputs:
        name = Path(item.file).name
        if item.skipped:
            session.step(f"跳过 {name}：与前面的文件内容相同")
            continue
        session.step(
            f"申请名单 {name}（{item.encoding}，表头在第 {item.header_row} 行）："
            f"读取 {item.rows_read} 行 = 核对 {item.rows_loaded} + 无法核对 {item.rows_rejected}"
        )
        for note in item.notes:
            session.step(f"  注意：{note}")
    for problem in result.problems:
        session.step(f"  无法核对：{problem}")
    for problem in result.id_problems:
        session.warn(f"需核实身份证号：{problem}")
    rows = result.rows
    found = rows.filter(pl.col(VERDICT) == FOUND_ANY).height
    to_verify = rows.filter(pl.col(VERDICT) == CHECK_ID).height
    by_source = {h: rows.filter(pl.col(h).str.starts_with(FOUND)).height for h in SOURCE_HEADERS}
    no_data = [h for h in SOURCE_HEADERS if rows.height and (rows[h] == NO_DATA).all()]
    basis = f"{result.month} 月在用的比对数据" + ("，即工作区中有数据的最近月份" if result.latest else "")
    counts = f"有发现 {found} 人" + (f"，需核实身份证号 {to_verify} 人" if to_verify else "")
    session.step(f"核对申请人 {rows.height} 人，{counts}；按 {basis}；报告在 {result.out_dir}")
    if no_data:
        session.warn(f"未取得数据，未能核对：{'、'.join(no_data)}（先用 hexiao load 载入该类数据）")
    for header, missing in result.partial.items():
        session.warn(
            f"{header}：未取得{'、'.join(missing)}，该列的“未发现”只说明已取得的数据中没有（先用 hexiao load 载入）"
        )
    if session.json:
        session.emit_json(
            {
                "batch_id": result.batch_id,
                "month": result.month,
                "month_is_latest": result.latest,
                "applicants": rows.height,
                "with_findings": found,
                "id_to_verify": to_verify,
                "id_problems": result.id_problems,
                "partial_data": {header: list(missing) for header, missing in result.partial.items()},
                "by_source": by_source,
                "no_data": no_data,
                "files": [str(path) for path in result.files],
                "problems": result.problems,
                "inputs": [vars(item) for item in result.inputs],
            }
        )
    elif not session.quiet:
        session.out.print(f"核对完成：申请人 {rows.height} 人，{counts}（按 {basis}）")
        session.out.print("  " + "，".join(f"{h} {n}" for h, n in by_source.items() if h not in no_data))
        for path in result.files:
            session.out.print(f"  报告：{path}")
