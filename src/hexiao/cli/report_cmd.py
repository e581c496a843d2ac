"""`hexiao report`: write a month's reports again from the stored warnings."""

from __future__ import annotations

from pathlib import Path

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
from hexiao.cli.match_cmd import EncodingOption, FormatOption, MaskedOption, OutOption, report_format_of
from hexiao.match import report as write_report
from hexiao.report.writer import MASKED_DIR

HELP = (
    "重新生成某月的报告（不重新比对）：例如改用 GB18030 编码，或另要每个乡镇一个 Excel 工作簿。"
    "只用已有的工作区，不会新建数据库。"
)


def report(
    month: MonthOption = None,
    out: OutOption = Path("out"),
    encoding: EncodingOption = "utf-8",
    report_format: FormatOption = "csv",
    masked: MaskedOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    with handled():
        formats = report_format_of(encoding, report_format, masked)
        session = open_session(db, config, quiet, as_json, read_only=True)
        out_dir = write_report(month=check_month(month), db=session.db, out=out, formats=formats, config=session.config)
        masked_note = f"；脱敏版在 {out_dir / MASKED_DIR}" if formats.masked else ""
        session.step(f"报告已写入 {out_dir}{masked_note}")
        if session.json:
            session.emit_json({"out_dir": str(out_dir)})
