"""`hexiao report`: write a month's reports again from the stored warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from hexiao.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    MonthOption,
    QuietOption,
    check_month,
    handled,
    open_session,
)
from hexiao.cli.match_cmd import OutOption, report_format_of
from hexiao.match import report as write_report
from hexiao.report.writer import MASKED_DIR

HELP = (
    "重新生成某月的报告（不重新比对）：例如收到乡镇反馈之后，或改用 GB18030 编码、另要每个乡镇一个 Excel 工作簿。"
    "不指定时，编码、工作簿和脱敏版照该月上次写出的方式（整个月份目录会被替换）。只用已有的工作区，不会新建数据库。"
)

# Unset: as the month's reports were last written (`ReportFormat.recorded`).
ReportEncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="CSV 编码：utf-8（带 BOM）或 gb18030（默认：同该月上次）。")
]
ReportFormatOption = Annotated[
    str | None,
    typer.Option("--format", help="csv 或 xlsx（每个乡镇另写一个工作簿）（默认：同该月上次）。"),
]
ReportMaskedOption = Annotated[
    bool | None,
    typer.Option("--masked/--no-masked", help="是否另写脱敏版到 <out>/<YYYY-MM>/脱敏/（默认：同该月上次）。"),
]


def report(
    month: MonthOption = None,
    out: OutOption = Path("out"),
    encoding: ReportEncodingOption = None,
    report_format: ReportFormatOption = None,
    masked: ReportMaskedOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        # Only what was given changes; the rest is as the month was last written.
        given = report_format_of(encoding or "utf-8", report_format or "csv", bool(masked))
        changes: dict[str, Any] = {}
        if encoding is not None:
            changes["encoding"] = given.encoding
        if report_format is not None:
            changes["excel"] = given.excel
        if masked is not None:
            changes["masked"] = given.masked
        session = open_session(db, config, quiet, as_json, read_only=True)
        out_dir = write_report(month=check_month(month), db=session.db, out=out, config=session.config, **changes)
        masked_note = f"；脱敏版在 {out_dir / MASKED_DIR}" if (out_dir / MASKED_DIR).is_dir() else ""
        session.step(f"报告已写入 {out_dir}{masked_note}")
        if session.json:
            session.emit_json({"out_dir": str(out_dir)})
