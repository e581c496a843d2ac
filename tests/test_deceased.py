"""DECEASED on small hand-written tables: every match method, action, and the negatives."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from conftest import ROLL_HEADER, write_text
from hexiao.load import load
from hexiao.match import match
from hexiao.normalize.ids import check_digit


def make_id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    return body + check_digit(body)


SOLO = make_id("340421", "19400312", "021")  # one-person household
HEAD = make_id("340421", "19500101", "013")  # head of a two-person household
WIFE = make_id("340421", "19520202", "024")
TYPO = make_id("340421", "19380505", "031")
NEAR = make_id("340421", "19450707", "042")
COMMON = make_id("340421", "19600606", "051")  # 王伟, a common name
NUMERIC = make_id("340421", "19330303", "061")
SCI = make_id("340421", "19310101", "072")
LATE = make_id("340421", "19290909", "081")
NOW = make_id("340421", "19280808", "091")
RENAMED = make_id("340421", "19270707", "102")

ROLL = [
    f"城关镇,东村,H1,孙大山,{SOLO},孙大山,{SOLO},本人,特困供养,,600,2020-01",
    f"城关镇,东村,H2,张三,{HEAD},张三,{HEAD},户主,农村低保,A,400,2021-06",
    f"城关镇,东村,H2,张三,{HEAD},李梅,{WIFE},配偶,农村低保,A,400,2021-06",
    f"双桥镇,西村,H3,周小红,{TYPO},周小红,{TYPO},本人,特困供养,,700,2018-01",
    f"双桥镇,西村,H4,钱多多,{NEAR},钱多多,{NEAR},本人,城市低保,B,300,2022-01",
    f"双桥镇,西村,H5,王伟,{COMMON},王伟,{COMMON},本人,城市低保,B,300,2022-01",
    f"双桥镇,西村,H6,郑国庆,{NUMERIC},郑国庆,{NUMERIC},本人,特困供养,,650,2015-01",
    f"李集乡,南村,H7,欧阳娜娜,{SCI},欧阳娜娜,{SCI},本人,特困供养,,650,2015-01",
    f"李集乡,南村,H8,冯晚,{LATE},冯晚,{LATE},本人,特困供养,,650,2015-01",
    f"李集乡,南村,H9,陈今,{NOW},陈今,{NOW},本人,特困供养,,650,2015-01",
    f"李集乡,南村,H10,吴改名,{RENAMED},吴改名,{RENAMED},本人,特困供养,,650,2015-01",
]

TYPO_SWAPPED = TYPO[:10] + TYPO[11] + TYPO[10] + TYPO[12:]
NEAR_DIGIT = NEAR[:15] + str((int(NEAR[15]) + 1) % 10) + NEAR[16:]
SOLO_15 = SOLO[:6] + SOLO[8:17]

CREMATION = [
    "逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆",
    f"孙大山,{SOLO_15},2026-07-14,2026-07-16,县殡仪馆",  # 15-digit ID of the same person
    f"張三,{HEAD.lower()},2026/9/3,,县殡仪馆",  # traditional name, lower-case x
    f"周小红,{TYPO_SWAPPED},2026-08-01,,",  # adjacent swap, same name
    f"钱二多,{NEAR_DIGIT},2026-08-01,,",  # one digit apart, another name: not a match
    f"王伟,{make_id('340421', '19710303', '015')},2026-08-01,,",  # same common name, other person
    f"郑国庆,{NUMERIC[:15]}000,2026-06-30,,",  # Excel numeric cell
    "欧阳娜娜,3.40421E+17,2026-05-20,,",  # scientific notation, name unique in the county
    f"冯晚,{LATE},2026-12-02,,",  # death after the month: not this month
    f"陈今,{NOW},,2026-11-05,",  # died this month: stop from next month, nothing to recover
    f"吴某某,{RENAMED},2026-10-01,,",  # same ID, different name
]


@pytest.fixture
def warnings(workspace: Path) -> pl.DataFrame:
    roll = write_text(workspace / "花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    cremation = write_text(workspace / "火化.csv", "\n".join(CREMATION) + "\n", "gb18030")
    db = workspace / "hexiao.duckdb"
    load("roll", [roll], month="2026-11", db=db)
    load("cremation", [cremation], month="2026-11", db=db)
    result = match(month="2026-11", db=db, out=workspace / "out")
    return result.warnings.filter(pl.col("code") == "DECEASED")


def _row(warnings: pl.DataFrame, name: str) -> dict[str, object]:
    rows = warnings.filter(pl.col("name") == name).to_dicts()
    assert len(rows) == 1, f"{name}: {len(rows)} warnings"
    return rows[0]


def test_fifteen_digit_id_one_person_household_stops(warnings: pl.DataFrame) -> None:
    row = _row(warnings, "孙大山")
    assert (row["match_method"], row["action"], row["effective_month"]) == ("身份证精确", "停发", "2026-08")
    assert row["overpayment"] == 600 * 3  # August, September, October; November not yet paid
    assert row["risk"] == "高"


def test_head_of_larger_household_reduces_and_says_so(warnings: pl.DataFrame) -> None:
    row = _row(warnings, "张三")
    assert (row["match_method"], row["action"], row["effective_month"]) == ("身份证精确", "减发", "2026-10")
    assert row["overpayment"] == 400
    assert "户主" in str(row["evidence"]) and "火化.csv 第3行" == row["source"]


def test_adjacent_swap_is_corrected_but_only_visited(warnings: pl.DataFrame) -> None:
    row = _row(warnings, "周小红")
    assert (row["match_method"], row["action"]) == ("身份证纠错", "入户核查")


def test_excel_damage_matches_on_what_survives(warnings: pl.DataFrame) -> None:
    assert (_row(warnings, "郑国庆")["match_method"], _row(warnings, "郑国庆")["action"]) == (
        "姓名+出生日期",
        "入户核查",
    )
    sci = _row(warnings, "欧阳娜娜")
    assert (sci["match_method"], sci["action"]) == ("姓名+地区码", "入户核查")
    assert float(sci["match_score"]) <= 60  # type: ignore[arg-type]


def test_same_id_other_name_is_reported_with_lower_confidence(warnings: pl.DataFrame) -> None:
    row = _row(warnings, "吴改名")
    assert (row["match_method"], row["action"]) == ("身份证一致姓名不符", "入户核查")
    assert float(row["match_score"]) < 80  # type: ignore[arg-type]


def test_death_this_month_stops_next_month_with_nothing_to_recover(warnings: pl.DataFrame) -> None:
    row = _row(warnings, "陈今")
    assert (row["action"], row["effective_month"], row["overpayment"]) == ("停发", "2026-12", 0.0)
    assert "按火化日期" in str(row["evidence"])


@pytest.mark.parametrize("name", ["钱多多", "王伟", "冯晚", "李梅"])
def test_negatives(warnings: pl.DataFrame, name: str) -> None:
    assert warnings.filter(pl.col("name") == name).height == 0


def test_overpayment_counts_only_months_a_stored_snapshot_paid(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    person = ROLL[0]
    october = write_text(workspace / "10月花名册.csv", f"{ROLL_HEADER}\n{ROLL[1]}\n")  # 孙大山 not paid in October
    november = write_text(workspace / "11月花名册.csv", f"{ROLL_HEADER}\n{person}\n")
    cremation = write_text(workspace / "火化.csv", f"{CREMATION[0]}\n{CREMATION[1]}\n")
    load("roll", [october], month="2026-10", db=db)
    load("roll", [november], month="2026-11", db=db)
    load("cremation", [cremation], month="2026-11", db=db)
    row = (
        match(month="2026-11", db=db, out=workspace / "out")
        .warnings.filter(pl.col("code") == "DECEASED")
        .row(0, named=True)
    )
    # August and September have no snapshot: counted from 保障起始年月; October's snapshot lacks him.
    assert row["overpayment"] == 600 * 2
