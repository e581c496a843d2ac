"""The township cycle over two monthly runs: 告知日期 and 已追回金额 read from replies, 可执行 and
已执行 from the dates and the rolls, overdue replies listed, and the money summed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from conftest import ROLL_HEADER, write_text
from hexiao.feedback import feedback
from hexiao.load import load
from hexiao.match import ReportFormat, match, report
from hexiao.normalize.ids import check_digit


def _pid(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


SOLO, HEAD, WIFE, LONE = (
    _pid("19400312", "021"),
    _pid("19500101", "013"),
    _pid("19520202", "024"),
    _pid("19410101", "035"),
)
CREMATION = [
    "逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆",
    f"孙大山,{SOLO},2026-09-14,2026-09-16,县殡仪馆",
    f"张三,{HEAD},2026-09-03,,县殡仪馆",
    f"赵四,{LONE},2026-09-20,,县殡仪馆",
]
REPLY_HEADER = "预警编号,月份,核查结果,核查备注,告知日期,已追回金额"


def _roll(solo: int, head: int, wife: int, solo_household: str = "H1") -> list[str]:
    return [
        ROLL_HEADER,
        f"城关镇,东村,{solo_household},孙大山,{SOLO},孙大山,{SOLO},本人,特困供养,,{solo},2020-01",
        f"城关镇,东村,H2,张三,{HEAD},张三,{HEAD},户主,农村低保,A,{head},2021-06",
        f"城关镇,东村,H2,张三,{HEAD},李梅,{WIFE},配偶,农村低保,A,{wife},2021-06",
        f"双桥镇,西村,H3,赵四,{LONE},赵四,{LONE},本人,特困供养,,500,2019-01",
    ]


def _november(workspace: Path) -> tuple[Path, Path, dict[str, str]]:
    db, out = workspace / "hexiao.duckdb", workspace / "out"
    load("roll", [write_text(workspace / "11月.csv", "\n".join(_roll(600, 400, 400)) + "\n")], month="2026-11", db=db)
    load("cremation", [write_text(workspace / "火化.csv", "\n".join(CREMATION) + "\n")], month="2026-11", db=db)
    warnings = match(month="2026-11", db=db, out=out).warnings
    ids = dict(zip(warnings["name"], warnings["warning_id"], strict=True))
    assert warnings.select("name", "action", "state").sort("name").rows() == [
        ("孙大山", "停发", "待核查"),
        ("张三", "减发", "待核查"),
        ("赵四", "停发", "待核查"),
    ]
    return db, out, ids


def _reply(workspace: Path, name: str, rows: list[str]) -> Path:
    return write_text(workspace / name, "\n".join([REPLY_HEADER, *rows]) + "\n", encoding="gbk")


def _december(workspace: Path, db: Path, out: Path, *roll: int) -> pl.DataFrame:
    # 孙大山's household renumbered: only his own amount can tell whether he is still paid.
    december = _roll(*roll, solo_household="H1A")
    load("roll", [write_text(workspace / "12月.csv", "\n".join(december) + "\n")], month="2026-12", db=db)
    return match(month="2026-12", db=db, out=out).warnings


def _column(csv_file: Path, *columns: str) -> dict[str, tuple[str | None, ...]]:
    frame = pl.read_csv(csv_file, infer_schema=False)
    return {row[0]: tuple(row[1:]) for row in frame.select("预警编号", *columns).iter_rows()}


def test_notice_dates_in_every_saved_form_are_stored_as_dates_and_set_the_state(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    serial = (date(2026, 11, 16) - date(1899, 12, 30)).days  # a date cell as a number
    rows = [
        f"{ids['孙大山']},2026-11,属实,已书面告知,2026/11/15,300",
        f"{ids['张三']},2026-11,属实,,{serial},",
        f"{ids['赵四']},2026-11,属实,,2026年11月5日,1，000.50 元",
    ]
    result = feedback([_reply(workspace, "反馈.csv", rows)], db=db)
    assert result.problems == [] and result.by_result == {"属实": 3}
    report(month="2026-11", db=db, out=out, formats=ReportFormat())
    shown = _column(out / "2026-11" / "预警名单.csv", "处理状态", "告知日期", "已追回金额")
    assert shown[ids["孙大山"]] == ("可执行", "2026-11-15", "300.00")  # 11-15 + 15 days = 11-30, the last day
    assert shown[ids["张三"]] == ("已告知", "2026-11-16", None)  # + 15 days = 12-01
    assert shown[ids["赵四"]] == ("可执行", "2026-11-05", "1000.50")
    # 退出建议.csv tells the confirmed from the open at a glance.
    assert set(_column(out / "2026-11" / "退出建议.csv", "处理状态").values()) == {("可执行",), ("已告知",)}
    parquet = pl.read_parquet(out / "2026-11" / "warnings.parquet")
    assert parquet.schema["recovered"] == pl.Decimal(12, 2) and parquet.schema["notice_date"] == pl.String
    # Matching November again gives the same states: they do not depend on the day of the run.
    again = match(month="2026-11", db=db, out=out).warnings
    assert dict(zip(again["warning_id"], again["state"], strict=True)) == {k: v[0] for k, v in shown.items()}


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("下周", "告知日期无法识别：下周（应为日期，如 2026-03-05）"),
        ("2026-13-01", "告知日期无法识别：2026-13-01（应为日期，如 2026-03-05）"),
    ],
)
def test_a_bad_notice_date_is_refused_naming_file_row_and_column(workspace: Path, written: str, reason: str) -> None:
    db, _, ids = _november(workspace)
    rows = [
        f"{ids['孙大山']},2026-11,属实,,{written},",
        f"{ids['张三']},2026-11,属实,,,-5",
        f"{ids['赵四']},2026-11,属实,,2026-11-05,",
    ]
    result = feedback([_reply(workspace, "反馈.csv", rows)], db=db)
    assert result.by_result == {"属实": 1}
    assert result.problems == [f"反馈.csv 第2行：{reason}", "反馈.csv 第3行：已追回金额不能为负数：-5"]
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT warning_id, notice_date FROM feedback").fetchall() == [(ids["赵四"], "2026-11-05")]


def test_a_later_roll_executes_overdue_ones_are_listed_and_the_latest_figure_stands(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    rows = [f"{ids['孙大山']},2026-11,属实,,2026-11-02,300", f"{ids['张三']},2026-11,属实,,2026-11-02,99999"]
    feedback([_reply(workspace, "11月反馈.csv", rows)], db=db)

    # December: 孙大山 listed at 0 (stopped), 张三's household paid 700 instead of 800 (reduced),
    # 赵四 never answered and still paid.
    december = _december(workspace, db, out, 0, 400, 300)
    state = dict(zip(december["name"], december.select("state", "risk").rows(), strict=True))
    assert state == {"孙大山": ("已执行", "高"), "张三": ("已执行", "高"), "赵四": ("逾期未反馈", "高")}
    overdue = pl.read_csv(out / "2026-12" / "逾期未反馈.csv", infer_schema=False)
    assert overdue["预警编号"].to_list() == [ids["赵四"]] and overdue.columns[-4:] == [
        "反馈月份",
        "处理状态",
        "告知日期",
        "已追回金额",
    ]

    rows = [f"{ids['孙大山']},2026-12,已处理,已停发,,500"]  # the total so far: 500, not 300 + 500
    feedback([_reply(workspace, "12月反馈.csv", rows)], db=db)
    report(month="2026-12", db=db, out=out, formats=ReportFormat(excel=True))
    summary = json.loads((out / "2026-12" / "summary.json").read_text(encoding="utf-8"))
    owed = pl.read_parquet(out / "2026-12" / "warnings.parquet")
    solo_owed = float(owed.filter(pl.col("name") == "孙大山")["overpayment"].item())
    assert solo_owed > 500
    # 张三's figure is above what hexiao counted: nothing outstanding for it, never a negative amount.
    assert (summary["recovered_total"], summary["outstanding_total"]) == (100499.0, round(solo_owed - 500, 2))
    assert (summary["overdue"], summary["overdue_by_township"]) == (1, {"双桥镇": 1})
    table = pl.read_csv(out / "2026-12" / "summary.csv", infer_schema=False).filter(pl.col("预警代码") == "DECEASED")
    by_township = {r[0]: r[1:] for r in table.select("乡镇（街道）", "已追回金额", "未追回金额").iter_rows()}
    assert by_township["城关镇"] == ("100499.00", f"{solo_owed - 500:.2f}")
    assert by_township["双桥镇"] == ("0.00", "0.00")


def test_a_stopped_person_off_the_next_roll_is_executed_among_the_resolved(workspace: Path) -> None:
    db, out, ids = _november(workspace)
    roll = [line for line in _roll(600, 400, 400) if "孙大山" not in line]
    load("roll", [write_text(workspace / "12月.csv", "\n".join(roll) + "\n")], month="2026-12", db=db)
    result = match(month="2026-12", db=db, out=out)
    assert [(r["warning_id"], r["state"]) for r in result.summary["resolved_warnings"]] == [(ids["孙大山"], "已执行")]
