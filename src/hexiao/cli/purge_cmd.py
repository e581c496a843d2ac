"""`hexiao purge [--before YYYY-MM] [--dry-run]`: drop raw rows past the retention horizon."""

from __future__ import annotations

from typing import Annotated

import typer

from hexiao.cli.common import ConfigOption, DbOption, JsonOption, QuietOption, check_month, handled, open_session
from hexiao.kinds import KIND_LABELS
from hexiao.log import attach_log_file
from hexiao.purge import PurgeResult
from hexiao.purge import purge as run_purge

HELP = (
    "按保存期限清理个人信息（个人信息保护法：最小必要、保存期限最短）：删除保存期限之前各月的花名册和比对数据原始行，"
    "一次完成或完全不做。默认保留最近 [retention] months 个月（默认 60，按工作区中最近的月份计算，与运行日期无关）。"
    '仍在使用的比对数据、保留月份的预警所依据的行、火化记录（除非 [retention] cremation = "purge"）不删除；'
    "每月统计、预警历史、乡镇反馈和运行台账保留。删除后重写数据库文件，删除的内容不再留在文件中。"
    "--dry-run 只列出将删除的内容，不改动、不建立任何文件。"
)


def purge(
    before: Annotated[
        str | None,
        typer.Option(
            "--before", metavar="YYYY-MM", help="删除此月之前的数据（默认：保留最近 [retention] months 个月）。"
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将删除的内容，不删除。")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        horizon = check_month(before, "--before") if before else None
        session = open_session(db, config, quiet, as_json, read_only=True)
        if not dry_run and session.db.is_file():  # logged like every change; no workspace, no log
            attach_log_file(session.db)
        result = run_purge(db=session.db, config=session.config, before=horizon, dry_run=dry_run)
        if session.json:
            session.emit_json(result.as_dict())
        elif not session.quiet:
            for line in describe(result):
                session.out.print(line)


def describe(result: PurgeResult) -> list[str]:
    """What was (or, with --dry-run, would be) removed: one line per table and month."""
    if result.before is None:
        return ["工作区还没有任何月份的数据，没有可清理的内容"]
    verb = "将删除" if result.dry_run else "已删除"
    lines = [f"保留 {result.before} 及以后的数据（工作区最近的月份 {result.latest}）"]
    for kind, month in sorted(result.in_force.items()):
        lines.append(f"  保留 {KIND_LABELS.get(kind, kind)} {month}：仍在使用")
    lines += [f"  {verb} {KIND_LABELS.get(i.table, i.table)} {i.month}：{i.rows} 行" for i in result.removed]
    if result.rejected_cleared:
        lines.append(f"  {verb}被拒绝行的原始内容 {result.rejected_cleared} 行（文件、行号和原因保留）")
    total = f"共{'将' if result.dry_run else ''}删除 {result.total} 行"
    lines.append(total if result.removed else f"{result.before} 之前没有可删除的数据")
    if not result.dry_run:
        lines.append(f"数据库文件已重写，删除的内容不再留在文件中：{result.size_before:,} → {result.size_after:,} 字节")
    return lines
