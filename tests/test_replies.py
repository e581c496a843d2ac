"""Township replies in the loop: filed under the month they answer, shown in every later report,
acted on in the months after, and refused when a file contradicts itself."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.feedback import feedback
from hexiao.io.grid import read_grid
from hexiao.load import load
from hexiao.match import ReportFormat, match, report
from hexiao.normalize.ids import check_digit


def _pid(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


CAR_A, CAR_B, CAR_C, CAR_D = (_pid(f"1960010{i}", f"0{i}1") for i in range(1, 5))
ORPHAN_SOON = _pid("20090115", "152")  # 18 on 2027-01-15: stop from 2027-02, notice from 2026-11
LEFT_OUT = _pid("19700101", "191")  # on the monitoring list, on no roll
ROLL = [
    f"城关镇,东村,H1,甲,{CAR_A},甲,{CAR_A},本人,农村低保,A,400,2020-01",
    f"城关镇,东村,H2,乙,{CAR_B},乙,{CAR_B},本人,农村低保,A,400,2020-01",
    f"城关镇,东村,H3,丙,{CAR_C},丙,{CAR_C},本人,农村低保,A,400,2020-01",
    f"城关镇,东村,H4,丁,{CAR_D},丁,{CAR_D},本人,农村低保,A,400,2020-01",
    f"城关镇,南村,G1,辰,{ORPHAN_SOON},辰,{ORPHAN_SOON},本人,事实无人抚养儿童,,1200,2015-01",
]
VEHICLES = [
    "机动车所有人,身份证号码,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期",
    *(f"{name},{pid},皖D1000{i},小型轿车,非营运,正常,2019-05-01" for i, (name, pid) in enumerate(
        [("甲", CAR_A), ("乙", CAR_B), ("丙", CAR_C), ("丁", CAR_D)]
    )),
]  # fmt: skip
POVERTY = [
    "乡镇（街道）,村（社区）,户主身份证号,姓名,身份证号,监测对象类别,风险是否消除",
    f"城关镇,北村,{LEFT_OUT},巳,{LEFT_OUT},边缘易致贫户,否",
]


def _november(workspace: Path) -> tuple[Path, Path, dict[str, str]]:
    """November matched: the database, the output directory, and 预警编号 by the warned person's name."""
    db, out = workspace / "hexiao.duckdb", workspace / "out"
    load(
        "roll",
        [write_text(workspace / "11月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")],
        month="2026-11",
        db=db,
    )
    load("vehicle", [write_text(workspace / "车辆.csv", "\n".join(VEHICLES) + "\n")], month="2026-11", db=db)
    load("poverty", [write_text(workspace / "监测.csv", "\n".join(POVERTY) + "\n")], month="2026-11", db=db)
    warnings = match(month="2026-11", db=db, out=out).warnings
    assert warnings.height == len(warnings["name"].unique())  # one warning per person
    return db, out, dict(zip(warnings["name"], warnings["warning_id"], strict=True))


def _december(workspace: Path, db: Path, out: Path) -> pl.DataFrame:
    """December: the same roll again (everyone warned in November is still on it), matched."""
    roll = write_text(workspace / "12月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n\n")
    load("roll", [roll], month="2026-12", db=db)
    return match(month="2026-12", db=db, out=out).warnings


def _reply(
    report_csv: Path,
    answers: dict[str, tuple[str, str | None]],
    target: Path,
    *,
    month_as: str | None = None,
    drop_month: bool = False,
) -> Path:
    """What a township sends back: its report re-saved by Excel as GBK, 核查结果 moved to the front,
    a column added, 核查结果/核查备注 filled in where answered; 月份 as Excel rewrote it, or gone."""
    frame = pl.read_csv(report_csv, infer_schema=False).with_columns(
        pl.col("预警编号").replace_strict({k: v[0] for k, v in answers.items()}, default=None).alias("核查结果"),
        pl.col("预警编号").replace_strict({k: v[1] for k, v in answers.items()}, default=None).alias("核查备注"),
        pl.lit("张干事").alias("核查人"),
    )
    if month_as is not None:
        frame = frame.with_columns(pl.lit(month_as).alias("月份"))
    if drop_month:
        frame = frame.drop("月份")
    moved = frame.select("核查结果", "核查人", *[c for c in frame.columns if c not in ("核查结果", "核查人")])
    target.write_bytes(moved.write_csv(None).encode("gbk"))
    return target


def _shown(report_csv: Path) -> dict[str, tuple[str | None, ...]]:
    """预警编号 → (核查结果, 核查备注, 反馈月份, 风险等级) as a report file shows them."""
    frame = pl.read_csv(report_csv, infer_schema=False)
    return {
        r[0]: tuple(r[1:]) for r in frame.select("预警编号", "核查结果", "核查备注", "反馈月份", "风险等级").iter_rows()
    }


def _filed(db: Path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute("SELECT warning_id, warning_month, review_result FROM feedback ORDER BY 1, 2").fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def test_a_reply_shows_in_a_rewrite_of_its_month_in_a_rerun_and_in_the_next_month(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    answers = {ids["甲"]: ("已处理", "已收回车辆"), ids["乙"]: ("不属实", None)}
    feedback([_reply(out / "2026-11" / "预警名单_城关镇.csv", answers, workspace / "城关镇反馈.csv")], db=db)

    report(month="2026-11", db=db, out=out, formats=ReportFormat(excel=True))
    for name in ("预警名单.csv", "预警名单_城关镇.csv"):
        shown = _shown(out / "2026-11" / name)
        assert shown[ids["甲"]] == ("已处理", "已收回车辆", "2026-11", "中")
        assert shown[ids["乙"]] == ("不属实", None, "2026-11", "中")
        assert shown[ids["丙"]] == (None, None, None, "中")
    parquet = pl.read_parquet(out / "2026-11" / "warnings.parquet")
    assert parquet.filter(pl.col("warning_id") == ids["甲"]).select(
        "review_result", "review_note", "feedback_month"
    ).row(0) == ("已处理", "已收回车辆", "2026-11")
    workbook_rows = [
        row
        for sheet in read_grid(out / "2026-11" / "预警名单_城关镇.xlsx").sheets
        for row in sheet.frame.drop("_row").rows()
    ]
    assert any(ids["甲"] in row and "已收回车辆" in row and "2026-11" in row for row in workbook_rows)

    # Matching November again shows the reply; it answers this month's report, so nothing else changes.
    rerun = match(month="2026-11", db=db, out=out).warnings
    assert rerun.filter(pl.col("warning_id") == ids["乙"]).select("review_result", "risk").row(0) == ("不属实", "中")
    assert _shown(out / "2026-11" / "预警名单.csv")[ids["甲"]] == ("已处理", "已收回车辆", "2026-11", "中")

    december = _december(workspace, db, out)
    assert ids["乙"] not in december["warning_id"].to_list()  # 不属实: not raised again
    shown = _shown(out / "2026-12" / "预警名单_城关镇.csv")
    assert shown[ids["甲"]][:3] == ("已处理", "已收回车辆", "2026-11")
    assert pl.read_parquet(out / "2026-12" / "warnings.parquet").filter(pl.col("warning_id") == ids["甲"])[
        "feedback_month"
    ].to_list() == ["2026-11"]


def test_handled_or_confirmed_but_still_on_the_roll_comes_back_one_risk_level_higher(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    november = pl.read_csv(out / "2026-11" / "预警名单.csv", infer_schema=False)
    before = {r["预警编号"]: r for r in november.to_dicts()}
    assert before[ids["辰"]]["建议措施"] == "提前告知" and before[ids["巳"]]["预警代码"] == "OMISSION"
    answers = {
        ids["甲"]: ("已处理", "已停发"),
        ids["丙"]: ("属实", None),
        ids["辰"]: ("已处理", "已书面告知"),  # notified: stays on the roll until the stop month
        ids["巳"]: ("已处理", "已受理申请"),  # on no roll, so never "still on the roll"
    }
    feedback([_reply(out / "2026-11" / "预警名单.csv", answers, workspace / "反馈.csv")], db=db)

    december = {r["warning_id"]: r for r in _december(workspace, db, out).to_dicts()}
    handled, confirmed = december[ids["甲"]], december[ids["丙"]]
    assert (before[ids["甲"]]["风险等级"], handled["risk"], handled["status"]) == ("中", "高", "持续")
    assert (handled["state"], handled["evidence"]) == ("已处理但仍在册", before[ids["甲"]]["证据"])
    assert (confirmed["risk"], confirmed["state"], confirmed["evidence"]) == (
        "高",
        "属实未处理",
        before[ids["丙"]]["证据"],
    )
    for unchanged in (ids["辰"], ids["巳"]):
        assert (december[unchanged]["risk"], december[unchanged]["evidence"]) == (
            before[unchanged]["风险等级"],
            before[unchanged]["证据"],
        )
        assert december[unchanged]["state"] == "已处理"
    assert december[ids["辰"]]["review_result"] == "已处理"  # shown all the same


@pytest.mark.parametrize("month_as", ["2026-11", "2026/11/1", "2026年11月", "46327"])
def test_a_late_reply_is_filed_under_the_month_in_its_row(workspace: Path, month_as: str) -> None:
    db, out, ids = _november(workspace)
    _december(workspace, db, out)
    reply = _reply(
        out / "2026-11" / "预警名单.csv",
        {ids["乙"]: ("不属实", "车已过户")},
        workspace / "11月反馈.csv",
        month_as=month_as,
    )
    feedback([reply], db=db)
    assert _filed(db) == [(ids["乙"], "2026-11", "不属实")]

    report(month="2026-11", db=db, out=out, formats=ReportFormat())
    assert _shown(out / "2026-11" / "预警名单.csv")[ids["乙"]][:3] == ("不属实", "车已过户", "2026-11")
    # December, matched again, acts on November's reply: 乙 is no longer raised.
    again = match(month="2026-12", db=db, out=out)
    assert ids["乙"] not in again.warnings["warning_id"].to_list()
    assert [w["warning_id"] for w in again.summary["suppressed_warnings"]] == [ids["乙"]]


def test_the_reply_to_the_later_report_stands_over_a_late_one_to_an_earlier_report(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    _december(workspace, db, out)
    december_reply = {ids["甲"]: ("已处理", None)}
    feedback([_reply(out / "2026-12" / "预警名单.csv", december_reply, workspace / "12月反馈.csv")], db=db)
    november_reply = {ids["甲"]: ("属实", "有车")}  # arrives after December's, answers November's report
    feedback([_reply(out / "2026-11" / "预警名单.csv", november_reply, workspace / "11月反馈.csv")], db=db)

    for month in ("2026-11", "2026-12"):
        report(month=month, db=db, out=out, formats=ReportFormat())
    assert _shown(out / "2026-11" / "预警名单.csv")[ids["甲"]][:3] == ("属实", "有车", "2026-11")
    assert _shown(out / "2026-12" / "预警名单.csv")[ids["甲"]][:3] == ("已处理", None, "2026-12")


def test_a_reply_without_a_month_column_is_filed_under_the_latest_report_of_its_warning(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    _december(workspace, db, out)
    reply = _reply(
        out / "2026-11" / "预警名单.csv", {ids["甲"]: ("属实", None)}, workspace / "反馈.csv", drop_month=True
    )
    feedback([reply], db=db)
    assert _filed(db) == [(ids["甲"], "2026-12", "属实")]

    for month in ("2026-11", "2026-12"):
        report(month=month, db=db, out=out, formats=ReportFormat())
    assert _shown(out / "2026-11" / "预警名单.csv")[ids["甲"]][:3] == (None, None, None)
    assert _shown(out / "2026-12" / "预警名单.csv")[ids["甲"]][:3] == ("属实", None, "2026-12")


def test_a_reply_whose_month_does_not_fit_its_warning_is_listed_not_filed(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    report_csv = out / "2026-11" / "预警名单.csv"
    wrong = _reply(report_csv, {ids["甲"]: ("属实", None)}, workspace / "十月.csv", month_as="2026-10")
    unreadable = _reply(report_csv, {ids["甲"]: ("属实", None)}, workspace / "十一月.csv", month_as="十一月")
    result = feedback([wrong, unreadable], db=db)
    assert result.by_result == {} and _filed(db) == []
    assert [p.split("：", 1)[1] for p in result.problems if ids["甲"] in p or "十一月" in p] == [
        f"2026-10 月的预警名单中没有预警编号 {ids['甲']}（该预警见于 2026-11）；请核对“月份”列",
        "月份无法识别：十一月",
    ]


def test_contradictory_rows_of_one_file_are_refused_and_listed_identical_ones_count_once(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    header = "预警编号,月份,核查结果,核查备注"
    rows = [
        f"{ids['甲']},2026-11,属实,有车",
        f"{ids['乙']},2026-11,不属实,车已过户",
        f"{ids['甲']},2026-11,不属实,无车",
        f"{ids['乙']},2026-11,不属实,车已过户",
        f"{ids['丙']},2026-11,属实,有车",
        f"{ids['丙']},2026-11,属实,车已卖",
    ]
    path = write_text(workspace / "反馈.csv", "\n".join([header, *rows]) + "\n")
    result = feedback([path], db=db)

    assert result.by_result == {"不属实": 1} and result.contradictory == 2
    assert _filed(db) == [(ids["乙"], "2026-11", "不属实"), (ids["乙"], "2026-11", "不属实")]
    assert result.problems == [
        f"反馈.csv 第{row}行：预警编号 {ids[name]} 在本文件中有互相矛盾的核查结果或备注（第 {rows} 行）；"
        "该编号在本文件中不录入，请只保留一行后重新交回"
        for row, name, rows in [(2, "甲", "2、4"), (4, "甲", "2、4"), (6, "丙", "6、7"), (7, "丙", "6、7")]
    ]
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = conn.execute("SELECT source_row FROM rejected WHERE kind = 'feedback' ORDER BY 1").fetchall()
    assert [r[0] for r in stored] == [2, 4, 6, 7]


def test_unanswered_and_invalid_replies_are_counted_apart(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    answers = {ids["甲"]: ("属实", None), ids["乙"]: ("待定", "下周入户"), ids["丙"]: ("属  实", "")}
    reply = _reply(out / "2026-11" / "预警名单.csv", answers, workspace / "反馈.csv")
    result = CliRunner().invoke(app, ["feedback", str(reply), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["by_result"], payload["unanswered"], payload["invalid"]) == ({"属实": 2}, 3, 1)
    assert [p.split("：", 1)[1] for p in payload["problems"]] == ["核查结果“待定”无效（应为 属实、不属实 或 已处理）"]

    reply.write_bytes(reply.read_bytes().replace("待定".encode("gbk"), "属实".encode("gbk")))
    plain = CliRunner().invoke(app, ["feedback", str(reply)])
    assert plain.exit_code == 0, plain.output
    assert "未填写核查结果 3 行（乡镇尚未答复，未录入）；核查结果无效 0 行" in plain.stdout


def test_a_workspace_upgraded_from_before_the_column_shows_replies_in_a_rewrite(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    with duckdb.connect(str(db)) as conn:  # the warnings table as schema version 2 wrote it
        conn.execute("ALTER TABLE warnings DROP COLUMN feedback_month")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    reply = _reply(out / "2026-11" / "预警名单.csv", {ids["丁"]: ("已处理", None)}, workspace / "反馈.csv")
    feedback([reply], db=db)
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = conn.execute("SELECT DISTINCT feedback_month FROM warnings").fetchall()
    assert stored == [(None,)]
    report(month="2026-11", db=db, out=out, formats=ReportFormat())
    assert _shown(out / "2026-11" / "预警名单.csv")[ids["丁"]][:3] == ("已处理", None, "2026-11")


def _edit(report_csv: Path, changes: dict[str, dict[str, str]], target: Path) -> Path:
    """A township's file: its report as it came, the columns `changes` names set on the rows of
    those 预警编号 (预警编号 → header → value), re-saved by Excel as GBK."""
    frame = pl.read_csv(report_csv, infer_schema=False)
    for header in {h for row in changes.values() for h in row}:
        values = {wid: row[header] for wid, row in changes.items() if header in row}
        frame = frame.with_columns(
            pl.when(pl.col("预警编号").is_in(list(values)))
            .then(pl.col("预警编号").replace_strict(values, default=None))
            .otherwise(pl.col(header))
            .alias(header)
        )
    target.write_bytes(frame.write_csv(None).encode("gbk"))
    return target


def _states(report_csv: Path) -> dict[str, tuple[str | None, ...]]:
    """预警编号 → (处理状态, 风险等级, 核查结果, 反馈月份, 告知日期, 已追回金额) as a report shows them."""
    frame = pl.read_csv(report_csv, infer_schema=False)
    columns = ("处理状态", "风险等级", "核查结果", "反馈月份", "告知日期", "已追回金额")
    return {r[0]: tuple(r[1:]) for r in frame.select("预警编号", *columns).iter_rows()}


def _replied_in_november_then_december(workspace: Path) -> tuple[Path, Path, dict[str, str]]:
    """November matched and answered (甲 handled with a notice and money back, 丙 and 丁 confirmed),
    then December matched: its reports show those November replies."""
    db, out, ids = _november(workspace)
    answers = {
        ids["甲"]: {"核查结果": "已处理", "核查备注": "已停发", "告知日期": "2026-11-05", "已追回金额": "300.50"},
        ids["丙"]: {"核查结果": "属实"},
        ids["丁"]: {"核查结果": "属实", "核查备注": "有车"},
    }
    feedback([_edit(out / "2026-11" / "预警名单_城关镇.csv", answers, workspace / "11月反馈.csv")], db=db)
    _december(workspace, db, out)
    return db, out, ids


def test_a_list_sent_back_unchanged_records_nothing_and_moves_no_state(workspace: Path) -> None:
    db, out, ids = _replied_in_november_then_december(workspace)
    december_csv = out / "2026-12" / "预警名单_城关镇.csv"
    before, filed = _states(december_csv), _filed(db)
    assert before[ids["甲"]] == ("已处理但仍在册", "高", "已处理", "2026-11", "2026-11-05", "300.50")
    assert before[ids["丙"]][:4] == before[ids["丁"]][:4] == ("属实未处理", "高", "属实", "2026-11")
    # Excel's re-save rewrites the date and the amount: the same values all the same.
    text = december_csv.read_text(encoding="utf-8-sig")
    resaved = workspace / "12月反馈.csv"
    resaved.write_bytes(text.replace("2026-11-05", "2026/11/5").replace("300.50", "300.5").encode("gbk"))

    runner = CliRunner()
    result = runner.invoke(app, ["feedback", str(resaved)])
    assert result.exit_code == 0, result.output
    assert "已录入核查结果：未录入任何核查结果；未改动（已记录） 3 个预警编号" in result.stdout
    assert "未录入：" not in result.stdout  # never a problem row
    assert _filed(db) == filed
    assert runner.invoke(app, ["report", "--month", "2026-12"]).exit_code == 0
    assert _states(december_csv) == before
    ledger = runner.invoke(app, ["status"])
    assert "feedback" in ledger.stdout and "未录入任何核查结果；未改动（已记录） 3 个预警编号" in ledger.stdout
    as_is = workspace / "原样交回.csv"  # as hexiao wrote it, but not byte for byte: a file read before is skipped
    as_is.write_bytes(text.encode("gbk"))
    as_json = json.loads(runner.invoke(app, ["feedback", str(as_is), "--json"]).stdout)
    assert (as_json["by_result"], as_json["unchanged"], as_json["problems"]) == ({}, 3, [])


def test_a_changed_row_among_unchanged_ones_is_recorded(workspace: Path) -> None:
    db, out, ids = _replied_in_november_then_december(workspace)
    changes = {ids["甲"]: {"已追回金额": "500"}, ids["丙"]: {"核查结果": "已处理"}}  # 丁 as shown
    reply = _edit(out / "2026-12" / "预警名单_城关镇.csv", changes, workspace / "12月反馈.csv")
    result = feedback([reply], db=db)
    assert (result.by_result, result.unchanged, result.problems) == ({"已处理": 2}, 1, [])
    december = {row for row in _filed(db) if row[1] == "2026-12"}
    assert december == {(ids["甲"], "2026-12", "已处理"), (ids["丙"], "2026-12", "已处理")}
    report(month="2026-12", db=db, out=out, formats=ReportFormat())
    shown = _states(out / "2026-12" / "预警名单_城关镇.csv")
    assert shown[ids["甲"]][2:] == ("已处理", "2026-12", "2026-11-05", "500.00")
    assert shown[ids["丙"]][2:4] == ("已处理", "2026-12")
    assert shown[ids["丁"]][:4] == ("属实未处理", "高", "属实", "2026-11")


def test_a_reply_equal_to_an_older_reply_but_not_the_latest_is_a_new_reply(workspace: Path) -> None:
    db, out, ids = _replied_in_november_then_december(workspace)
    december_csv = out / "2026-12" / "预警名单_城关镇.csv"
    feedback([_edit(december_csv, {ids["丙"]: {"核查结果": "不属实"}}, workspace / "12月反馈.csv")], db=db)
    report(month="2026-12", db=db, out=out, formats=ReportFormat())
    assert _states(december_csv)[ids["丙"]][2:4] == ("不属实", "2026-12")
    # 属实 again: what November's reply said, not the latest: recorded, and the latest once more.
    again = feedback([_edit(december_csv, {ids["丙"]: {"核查结果": "属实"}}, workspace / "更正.csv")], db=db)
    assert (again.by_result, again.unchanged) == ({"属实": 1}, 2)
    report(month="2026-12", db=db, out=out, formats=ReportFormat())
    assert _states(december_csv)[ids["丙"]][2:4] == ("属实", "2026-12")


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("没有这个文件.csv", "没有这个文件.csv: 文件不存在；请检查路径和文件名"),
        ("out", "out: 这是一个文件夹，不是文件；请写出其中要读取的文件，如 out/*.csv"),
    ],
)
def test_a_missing_file_or_a_folder_given_to_feedback_is_named_and_nothing_is_recorded(
    workspace: Path, given: str, says: str
) -> None:
    db, _, _ = _replied_in_november_then_december(workspace)
    filed = _filed(db)
    result = CliRunner().invoke(app, ["feedback", given])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [f"hexiao: error: {says}"]
    assert "Traceback" not in result.output and _filed(db) == filed


def test_status_shows_blank_invalid_and_contradictory_rows_apart(workspace: Path) -> None:
    db, _, ids = _november(workspace)
    rows = [
        (ids["甲"], "属实"),
        (ids["乙"], "不属实"),
        (ids["丙"], "已处理"),
        *((ids[name], "") for name in ("丁", "辰", "巳", "丁", "辰")),  # not answered yet
        (ids["丁"], "核实中"),  # none of the three
        (ids["辰"], "属实"),
        (ids["辰"], "不属实"),  # contradicts the row above: neither is recorded
    ]
    replies = write_text(
        workspace / "城关镇反馈.csv", "预警编号,月份,核查结果\n" + "".join(f"{i},2026-11,{r}\n" for i, r in rows)
    )
    runner = CliRunner()
    assert runner.invoke(app, ["feedback", str(replies)], env={"HEXIAO_DB": str(db)}).exit_code == 0
    ledger = runner.invoke(app, ["status"], env={"HEXIAO_DB": str(db)})
    assert ledger.exit_code == 0, ledger.output
    run = next(line for line in ledger.stdout.splitlines() if " feedback " in line)
    assert run.endswith(
        "属实 1，不属实 1，已处理 1；未填写核查结果 5 行（乡镇尚未答复）；核查结果无效 1 行；内容矛盾 1 个预警编号（均未录入）"
    )
    assert "读取 11 = 录入 3 + 未录入 8" in ledger.stdout
