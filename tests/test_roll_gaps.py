"""A roll left out of a month's inbox says nothing: its people are neither 已执行 nor 疑似漏保, and
the run says which programme is missing; a roll cut to less than half of last month's is reported,
and says nothing about the people it leaves out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.feedback import feedback
from hexiao.load import load
from hexiao.match import MatchResult, match
from hexiao.normalize.ids import check_digit

runner = CliRunner()
NOVEMBER, DECEMBER = "2026-11", "2026-12"


def _pid(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


SOLO, HEAD, WIFE, LONE, POOR = (
    _pid("19400312", "021"),
    _pid("19500101", "013"),
    _pid("19520202", "024"),
    _pid("19410101", "035"),
    _pid("19600505", "046"),
)
CREMATION = [
    "逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆",
    f"孙大山,{SOLO},2026-09-14,2026-09-16,县殡仪馆",
    f"张三,{HEAD},2026-09-03,,县殡仪馆",
    f"赵四,{LONE},2026-09-20,,县殡仪馆",
]
# 钱五 is monitored against poverty and covered by 特困供养: on no roll, he would be 疑似漏保.
POVERTY = [
    "乡镇（街道）,村（社区）,户主身份证号,姓名,身份证号,监测对象类别,风险是否消除",
    f"城关镇,南村,{POOR},钱五,{POOR},边缘易致贫户,否",
]
# 张三 (低保) and his wife 李梅 (特困) are one household: without her roll, it looks paid less.
LOW_INCOME = [
    f"城关镇,东村,H2,张三,{HEAD},张三,{HEAD},户主,农村低保,A,400,2021-06",
]
DESTITUTE = {
    "孙大山": f"城关镇,东村,H1,孙大山,{SOLO},孙大山,{SOLO},本人,特困供养,,600,2020-01",
    "李梅": f"城关镇,东村,H2,张三,{HEAD},李梅,{WIFE},配偶,特困供养,,400,2021-06",
    "赵四": f"双桥镇,西村,H3,赵四,{LONE},赵四,{LONE},本人,特困供养,,500,2019-01",
    "钱五": f"城关镇,南村,H5,钱五,{POOR},钱五,{POOR},本人,特困供养,,500,2022-01",
}


def _roll(workspace: Path, month: str, destitute: list[str]) -> None:
    text = "\n".join([ROLL_HEADER, *LOW_INCOME, *destitute]) + "\n"
    load("roll", [write_text(workspace / f"{month}.csv", text)], month=month, db=workspace / "hexiao.duckdb")


def _november(workspace: Path) -> dict[str, str]:
    """November matched with every roll, 孙大山's warning confirmed 属实; warning IDs by name."""
    db = workspace / "hexiao.duckdb"
    _roll(workspace, NOVEMBER, list(DESTITUTE.values()))
    load("cremation", [write_text(workspace / "火化.csv", "\n".join(CREMATION) + "\n")], month=NOVEMBER, db=db)
    load("poverty", [write_text(workspace / "监测.csv", "\n".join(POVERTY) + "\n")], month=NOVEMBER, db=db)
    warnings = match(month=NOVEMBER, db=db, out=workspace / "out").warnings
    assert "OMISSION" not in warnings["code"].to_list()
    ids = dict(zip(warnings["name"], warnings["warning_id"], strict=True))
    reply = write_text(workspace / "反馈.csv", f"预警编号,月份,核查结果,核查备注\n{ids['孙大山']},{NOVEMBER},属实,\n")
    assert feedback([reply], db=db).by_result == {"属实": 1}
    return ids


def _december(workspace: Path, destitute: list[str]) -> MatchResult:
    _roll(workspace, DECEMBER, destitute)
    return match(month=DECEMBER, db=workspace / "hexiao.duckdb", out=workspace / "out")


def test_a_missing_roll_executes_nobody_lists_no_omission_and_says_so(workspace: Path) -> None:
    ids = _november(workspace)
    result = _december(workspace, [])  # 特困供养花名册 left out of December's files
    summary = result.summary
    assert summary["missing_programs"] == [{"program": "特困供养", "previous_month": NOVEMBER, "previous_rows": 4}]
    # 孙大山 (confirmed, still paid as far as anyone knows) and 赵四 are not re-checked, not 已执行.
    assert summary["resolved"] == 0 and summary["resolved_warnings"] == []
    unchecked = {(r["warning_id"], r["state"]) for r in summary["not_rechecked_warnings"]}
    assert unchecked == {(ids["孙大山"], "未复核"), (ids["赵四"], "未复核")}
    assert summary["not_rechecked"] == 2
    # 张三's household lost 李梅's 特困 amount only on paper: his warning is not executed by it.
    assert result.warnings.filter(result.warnings["name"] == "张三")["state"].to_list() == ["逾期未反馈"]
    # 钱五 is on November's 特困 roll: not 疑似漏保, counted.
    assert "OMISSION" not in result.warnings["code"].to_list() and summary["omission_held_back"] == 1
    written = json.loads((workspace / "out" / DECEMBER / "summary.json").read_text(encoding="utf-8"))
    assert written["missing_programs"] == summary["missing_programs"] and written["roll_shrink"] == []

    cli = runner.invoke(app, ["match", "--month", DECEMBER, "--quiet", "--masked"])
    assert cli.exit_code == 0, cli.output
    masked = json.loads((workspace / "out" / DECEMBER / "脱敏" / "summary.json").read_text(encoding="utf-8"))
    assert masked["missing_programs"] == summary["missing_programs"]
    assert sorted(r["name"] for r in masked["not_rechecked_warnings"]) == ["孙**", "赵*"]
    line = "警告：2026-12 月没有「特困供养」花名册（2026-11 月有 4 行）"
    assert [text for text in cli.stderr.splitlines() if text.startswith("警告：2026-12")] == [
        f"{line}：该类别人员本月未复核，其预警不会标为已执行、不列为疑似漏保；"
        "请把完整的花名册放入收件目录 inbox/2026-12/ 后重新运行 hexiao match --month 2026-12"
    ]
    status = runner.invoke(app, ["status", "--month", DECEMBER])
    assert status.exit_code == 0 and line in status.stderr


@pytest.mark.parametrize("stopped", ["off the roll", "listed at 0"])
def test_a_present_roll_without_the_person_or_at_0_still_executes(workspace: Path, stopped: str) -> None:
    ids = _november(workspace)
    kept = [row for name, row in DESTITUTE.items() if name != "孙大山"]
    if stopped == "listed at 0":
        kept.append(DESTITUTE["孙大山"].replace(",600,", ",0,"))
    result = _december(workspace, kept)
    assert result.summary["missing_programs"] == [] and result.summary["roll_shrink"] == []
    resolved = [(r["warning_id"], r["state"]) for r in result.summary["resolved_warnings"]]
    listed = result.warnings.filter(result.warnings["name"] == "孙大山")["state"].to_list()
    assert (resolved, listed) == (([(ids["孙大山"], "已执行")], []) if stopped == "off the roll" else ([], ["已执行"]))
    assert result.summary["not_rechecked"] == 0


def test_a_roll_of_less_than_half_last_months_persons_is_reported_and_leaves_the_rest_unchecked(
    workspace: Path,
) -> None:
    ids = _november(workspace)
    # A partial 特困 file: 1 person of 4, 孙大山 listed at 0.
    result = _december(workspace, [DESTITUTE["孙大山"].replace(",600,", ",0,")])
    summary = result.summary
    assert summary["roll_shrink"] == [
        {"program": "特困供养", "previous_month": NOVEMBER, "previous_persons": 4, "persons": 1}
    ]
    assert summary["missing_programs"] == []
    # What the partial roll says holds: 孙大山 at 0 is 已执行. Who it leaves out is not re-checked.
    assert result.warnings.filter(result.warnings["name"] == "孙大山")["state"].to_list() == ["已执行"]
    assert summary["resolved_warnings"] == []
    assert [(r["warning_id"], r["state"]) for r in summary["not_rechecked_warnings"]] == [(ids["赵四"], "未复核")]
    assert result.warnings.filter(result.warnings["name"] == "张三")["state"].to_list() == ["逾期未反馈"]
    assert "OMISSION" not in result.warnings["code"].to_list() and summary["omission_held_back"] == 1
    cli = runner.invoke(app, ["match", "--month", DECEMBER])
    assert cli.exit_code == 0, cli.output
    assert "警告：2026-12 月「特困供养」花名册只有 1 人，不到 2026-11 月 4 人的一半，可能只放入了部分文件" in cli.stderr
    assert "花名册缺少或不全：特困供养；上月预警本月未复核 1 条，未列为疑似漏保 1 人" in cli.stdout
