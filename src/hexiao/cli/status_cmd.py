"""`hexiao status`: batches, inputs, counts."""

from __future__ import annotations

from typing import Annotated

import typer

from hexiao.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    QuietOption,
    check_month,
    handled,
    open_session,
)
from hexiao.status import readable_detail
from hexiao.status import status as read_ledger

HELP = (
    "运行台账：每次载入、比对、反馈和清理的开始、结束、结果（失败时的原因）、版本、配置指纹、运行的系统用户，每个输入文件的 SHA-256 和行数，"
    "各类预警数。只读：不建立任何文件；没有工作区时会说明。"
)


def status(
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="只看某月（默认列出全部月份）。")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json, read_only=True)
        ledger = read_ledger(db=session.db, month=check_month(month) if month else None)
        if session.json:
            session.emit_json(
                {
                    "batches": ledger.batches.to_dicts(),
                    "inputs": ledger.inputs.to_dicts(),
                    "warnings": ledger.warnings.to_dicts(),
                    "roll_alerts": ledger.roll_alerts,
                }
            )
            return
        out = session.out
        for batch in ledger.batches.iter_rows(named=True):
            finished = batch["finished_at"] or "—"
            detail = readable_detail(batch["command"], batch["outcome"], batch["detail"])
            out.print(
                f"#{batch['batch_id']} {batch['month']} {batch['command']:<15} {batch['outcome']}  "
                f"{batch['started_at']:%Y-%m-%d %H:%M:%S} → {finished if finished == '—' else f'{finished:%H:%M:%S}'}  "
                f"v{batch['version']} 配置 {batch['config_hash'] or '—'}  用户 {batch['os_user'] or '—'}  {detail}"
            )
            for item in ledger.inputs.filter(ledger.inputs["batch_id"] == batch["batch_id"]).iter_rows(named=True):
                # A reply file's rows not recorded are blank, invalid … (the run's line says which), not all refused.
                loaded, rejected = ("录入", "未录入") if item["kind"] == "feedback" else ("载入", "拒绝")
                out.print(
                    f"    {item['kind']:<9} {item['file_name']}  sha256 {item['sha256'][:12]}…  "
                    f"读取 {item['rows_read']} = {loaded} {item['rows_loaded']} + {rejected} {item['rows_rejected']}"
                )
        for row in ledger.warnings.iter_rows(named=True):
            out.print(f"{row['month']} {row['code']:<16} {row['warnings']} 条预警")
        for line in ledger.roll_alerts:
            session.warn(line)
        if ledger.batches.height == 0:
            out.print("还没有任何运行记录")
