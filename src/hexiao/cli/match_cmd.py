"""`hexiao match`: the monthly job."""

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
    Session,
    check_month,
    describe_inputs,
    handled,
    open_session,
)
from hexiao.kinds import KIND_LABELS
from hexiao.match import MatchResult, ReportFormat
from hexiao.match import match as run_match
from hexiao.roll_gaps import gap_messages
from hexiao.rules import LABELS

HELP = "每月比对：用本月花名册与已载入的火化等数据比对，按乡镇写出预警名单、退出建议和汇总。"

ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}
OutOption = Annotated[Path, typer.Option("--out", help="报告目录；报告写入 <out>/<YYYY-MM>/。")]
EncodingOption = Annotated[str, typer.Option("--encoding", help="CSV 编码：utf-8（带 BOM，默认）或 gb18030。")]
FormatOption = Annotated[
    str,
    typer.Option("--format", help="csv（默认）；xlsx 另为每个乡镇写一个工作簿（身份证号为文本、冻结表头、筛选）。"),
]
MaskedOption = Annotated[
    bool,
    typer.Option(
        "--masked",
        help="另写一份脱敏版到 <out>/<YYYY-MM>/脱敏/：身份证号只显示前6位和后4位，姓名只显示姓，"
        "供会议、公示稿等更大范围传阅；不含 rejected_rows 和 parquet。",
    ),
]


def report_format_of(encoding: str, report_format: str, masked: bool = False) -> ReportFormat:
    if encoding.lower() not in ENCODINGS:
        raise typer.BadParameter("只支持 utf-8 或 gb18030", param_hint="--encoding")
    if report_format not in ("csv", "xlsx"):
        raise typer.BadParameter("只支持 csv 或 xlsx", param_hint="--format")
    return ReportFormat(ENCODINGS[encoding.lower()], report_format == "xlsx", masked)


def match(
    month: MonthOption = None,
    out: OutOption = Path("out"),
    inbox: Annotated[
        Path | None,
        typer.Option("--inbox", help="收件目录：先载入其中尚未载入过的文件（默认 inbox/<月份>/，存在时）。"),
    ] = None,
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
        session = open_session(db, config, quiet, as_json)
        result = run_match(
            month=check_month(month),
            db=session.db,
            out=out,
            config=session.config,
            encoding=formats.encoding,
            excel=formats.excel,
            masked=formats.masked,
            inbox=inbox,
        )
        report(session, result)


def households_and_persons(households: int, persons: int) -> str:
    """`120 户 / 150 人（…）`: where the counts differ, the officer is told why."""
    if households == persons:
        return f"{households} 户 / {persons} 人"
    return f"{households} 户 / {persons} 人（一户可有多人预警；重复享受的一人计入其所在的每一户）"


def money(yuan: float) -> str:
    """`12345.5` → `12,345.50`: yuan as a payment list writes them."""
    return f"{yuan:,.2f}"


def report(session: Session, result: MatchResult) -> None:
    if result.ignored:
        session.step(f"已忽略：{'、'.join(result.ignored)}（隐藏、系统、锁定或空文件，不是数据）")
    for line in describe_inputs(result.loaded):
        session.step(line)
    s = result.summary
    warned = households_and_persons(s["households_warned"], s["persons_warned"])
    session.step(
        f"比对 {s['month']}：核对 {s['households_checked']} 户 {s['persons_checked']} 人，"
        f"预警 {warned}；报告在 {result.out_dir}"
    )
    for line in (*gap_messages(s), *s.get("rule_notes", [])):
        session.warn(line)
    if session.json:
        session.emit_json(s | {"ignored_files": result.ignored})
        return
    if session.quiet:
        return
    out = session.out
    out.print(f"{s['month']} 比对完成（{s['elapsed_s']} 秒）")
    out.print(
        f"  花名册：读取 {s['roll_rows_read']} 行 = 载入 {s['roll_rows_loaded']} + 拒绝 {s['roll_rows_rejected']}；"
        f"核对 {s['households_checked']} 户 {s['persons_checked']} 人"
    )
    for item in s["inputs"]:
        out.print(
            f"  {KIND_LABELS.get(item['kind'], item['kind'])} {item['file']}："
            f"读取 {item['rows_read']} = 载入 {item['rows_loaded']} + 拒绝 {item['rows_rejected']}"
        )
    out.print(f"  预警：在保 {warned}，应追回金额合计 {money(s['overpayment_total'])} 元；疑似漏保 {s['omissions']} 人")
    for code, persons in s["by_code"].items():
        out.print(f"    {code:<16} {LABELS.get(code, '')}：{persons} 人")
    if s["suppressed"] or s["resolved"]:
        out.print(f"  乡镇核实不属实、本月不再提示：{s['suppressed']} 条；上月预警本月已解除：{s['resolved']} 条")
    if s["missing_programs"] or s["roll_shrink"]:
        missing = "、".join(gap["program"] for gap in (*s["missing_programs"], *s["roll_shrink"]))
        out.print(
            f"  花名册缺少或不全：{missing}；上月预警本月未复核 {s['not_rechecked']} 条，"
            f"未列为疑似漏保 {s['omission_held_back']} 人（补齐花名册后重新比对）"
        )
    actions = result.warnings.group_by("action").len().sort("action")
    out.print("  建议措施：" + "，".join(f"{a} {n}" for a, n in actions.iter_rows()))
    out.print(f"  报告：{result.out_dir}")
