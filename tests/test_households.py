"""Households: (乡镇, 户编号) is the key; a 户编号 a spreadsheet stored as a number is no key — the
household is built from the head's ID, or left unknown — and BAD_HOUSEHOLD says so once per household."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from conftest import ROLL_HEADER, write_text
from hexiao.ingest.households import damaged_number
from hexiao.load import load
from hexiao.match import match
from hexiao.normalize.ids import check_digit
from hexiao.overview.data import gather
from hexiao.store import opened


def make_id(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


ALONE = make_id("19400312", "021")  # a one-person household whose number Excel merged with the next
HEAD_B, WIFE_B, SON_B = make_id("19500101", "013"), make_id("19520202", "024"), make_id("19800303", "035")
HEAD_C, WIFE_C = make_id("19450707", "042"), make_id("19470808", "053")  # one household Excel split in two
HEAD_D, WIFE_D = make_id("19330303", "061"), make_id("19350505", "072")  # damaged number, no head ID
TOWN_X, TOWN_Y = make_id("19280808", "091"), make_id("19270707", "102")  # H1 in two townships

# Numbers as Excel stores them in a numeric cell: 15 significant digits, the rest zeros. Two
# households typed as 3412220123456781 and 3412220123456782 are both 3412220123456780.
MERGED_A = MERGED_B = 3412220123456780  # "3.41222012345678e+15"
SPLIT_C = 3412220123456790  # "3.41222012345679e+15" on the head's row; "3.41222E+15" on the wife's
UNKNOWN_D = 3412220123456800


def write_roll(path: Path) -> Path:
    """The 城关镇 sheet: 户编号 typed as numbers, IDs as text."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("城关镇")
    text = book.add_format({"num_format": "@"})
    sheet.merge_range(0, 0, 0, 11, "城关镇2026年11月农村低保花名册")
    sheet.write_row(1, 0, ROLL_HEADER.split(","))
    rows: list[tuple[int | str, str, str, str, str, str]] = [
        (MERGED_A, "孙大山", ALONE, "孙大山", ALONE, "本人"),
        (MERGED_B, "张三", HEAD_B, "张三", HEAD_B, "户主"),
        (MERGED_B, "张三", HEAD_B, "李梅", WIFE_B, "配偶"),
        (MERGED_B, "张三", HEAD_B, "张小兵", SON_B, "子"),
        (SPLIT_C, "周大海", HEAD_C, "周大海", HEAD_C, "户主"),
        ("3.41222E+15", "周大海", HEAD_C, "吴兰", WIFE_C, "配偶"),
        (UNKNOWN_D, "郑国庆", "", "钱秀英", WIFE_D, "配偶"),
        (UNKNOWN_D, "郑国庆", "", "郑国庆", HEAD_D, "户主"),
    ]
    for index, (household, head_name, head_id, name, person_id, relation) in enumerate(rows, start=2):
        sheet.write_string(index, 0, "城关镇", text)
        sheet.write_string(index, 1, "东村", text)
        if isinstance(household, int):
            sheet.write_number(index, 2, household)  # a numeric cell
        else:
            sheet.write_string(index, 2, household, text)  # a CSV Excel re-saved, read back as text
        for column, value in ((3, head_name), (4, head_id), (5, name), (6, person_id), (7, relation)):
            if value:
                sheet.write_string(index, column, value, text)
        sheet.write_row(index, 8, ["农村低保", "A", "400", "2021-06"])
    book.close()
    return path


# Two townships each number a household H1: two households of one person each.
TOWNSHIP_ROLL = [
    ROLL_HEADER,
    f"城关镇,东村,H1,冯晚,{TOWN_X},冯晚,{TOWN_X},本人,特困供养,,650,2015-01",
    f"李集乡,南村,H1,陈今,{TOWN_Y},陈今,{TOWN_Y},本人,特困供养,,650,2015-01",
]

CREMATION = [
    "逝者姓名,逝者身份证号,死亡日期",
    f"孙大山,{ALONE},2026-10-05",
    f"周大海,{HEAD_C},2026-10-06",
    f"钱秀英,{WIFE_D},2026-10-07",
    f"冯晚,{TOWN_X},2026-10-08",
]


def _load_month(workspace: Path, month: str) -> pl.DataFrame:
    db = workspace / "hexiao.duckdb"
    roll = write_roll(workspace / "农村低保花名册.xlsx")
    townships = write_text(workspace / "特困供养花名册.csv", "\n".join(TOWNSHIP_ROLL) + "\n")
    load("roll", [roll, townships], month=month, db=db)
    return match(month=month, db=db, out=workspace / "out").warnings


@pytest.fixture
def warnings(workspace: Path) -> pl.DataFrame:
    write_text(workspace / "火化数据.csv", "\n".join(CREMATION) + "\n")
    load("cremation", [workspace / "火化数据.csv"], month="2026-11", db=workspace / "hexiao.duckdb")
    return _load_month(workspace, "2026-11")


def _one(warnings: pl.DataFrame, code: str, name: str) -> dict[str, str]:
    rows = warnings.filter((pl.col("code") == code) & (pl.col("name") == name)).to_dicts()
    assert len(rows) == 1, f"{code} {name}: {len(rows)} warnings"
    return rows[0]


def test_a_one_person_household_merged_by_excel_is_stopped_as_one(warnings: pl.DataFrame) -> None:
    row = _one(warnings, "DECEASED", "孙大山")
    assert row["action"] == "停发"
    assert "单人户" in row["evidence"]
    assert "户编号“3.41222012345678e+15”被 Excel 当作数字保存，已丢失位数，本户按户主身份证号认定" in row["evidence"]


def test_a_head_whose_household_excel_split_is_reduced_not_stopped(warnings: pl.DataFrame) -> None:
    row = _one(warnings, "DECEASED", "周大海")
    assert row["action"] == "减发"
    assert "死者为户主" in row["evidence"] and "家庭在册 2 人" in row["evidence"]


def test_without_a_sound_key_a_death_is_visited_and_the_evidence_says_why(warnings: pl.DataFrame) -> None:
    row = _one(warnings, "DECEASED", "钱秀英")
    assert row["action"] == "入户核查" and row["match_method"] == "身份证精确"
    assert "户编号“3.41222012345680e+15”被 Excel 当作数字保存，已丢失位数，且无有效户主身份证号" in row["evidence"]
    assert "家庭人数无法确定，需入户核实" in row["evidence"] and "单人户" not in row["evidence"]


def test_the_household_key_is_per_township(warnings: pl.DataFrame) -> None:
    assert _one(warnings, "DECEASED", "冯晚")["action"] == "停发"  # not 减发 for 李集乡's H1


def test_bad_household_once_per_household_on_its_head(warnings: pl.DataFrame) -> None:
    bad = warnings.filter(pl.col("code") == "BAD_HOUSEHOLD").sort("name")
    assert sorted(bad["name"].to_list()) == sorted(["孙大山", "张三", "周大海", "郑国庆"])
    assert set(bad["action"]) == {"数据更正"} and set(bad["risk"]) == {"低"}
    merged = _one(warnings, "BAD_HOUSEHOLD", "张三")["evidence"]
    assert "户编号“3.41222012345678e+15”被 Excel 当作数字保存" in merged
    assert "本户按户主身份证号认定：户主 张三，在册 3 人（农村低保花名册.xlsx 工作表“城关镇” 第4、5、6行）" in merged
    split = _one(warnings, "BAD_HOUSEHOLD", "周大海")["evidence"]
    assert "“3.41222012345679e+15”、“3.41222E+15”" in split and "在册 2 人" in split
    unknown = _one(warnings, "BAD_HOUSEHOLD", "郑国庆")
    assert "且无有效户主身份证号，无法分户：本乡镇该户编号共 2 行" in unknown["evidence"]
    assert unknown["source"] == "农村低保花名册.xlsx 工作表“城关镇” 第10行"  # the head, not the first row


def test_household_counts_use_the_built_households(workspace: Path, warnings: pl.DataFrame) -> None:
    summary = pl.read_csv(workspace / "out" / "2026-11" / "summary.csv").filter(pl.col("预警代码") == "DECEASED")
    checked = dict(zip(summary["乡镇（街道）"], summary["核对户数"], strict=True))
    # 城关镇: A, B, C, the two members of D (unknown: one each), and H1 of the CSV.
    assert checked == {"城关镇": 6, "李集乡": 1}


def test_bad_household_keeps_its_number_next_month(workspace: Path, warnings: pl.DataFrame) -> None:
    later = _load_month(workspace, "2026-12").filter(pl.col("code") == "BAD_HOUSEHOLD")
    first = warnings.filter(pl.col("code") == "BAD_HOUSEHOLD")
    assert sorted(later["warning_id"]) == sorted(first["warning_id"])
    assert set(later["status"]) == {"持续"}


@pytest.mark.parametrize(
    ("written", "damaged"),
    [
        ("3.41222E+15", True),  # a CSV Excel saved
        ("3.41222012345678e+15", True),  # an XLSX numeric cell as `io.grid` writes it
        ("3412220123456781.0", True),  # a float printed in full: 16 digits and a decimal point
        ("3412220123456781", False),  # plain digits are text
        ("1203.5", False),  # a short decimal is no cut number
        ("H20", False),
    ],
)
def test_a_spreadsheet_number_is_recognised(written: str, damaged: bool) -> None:
    frame = pl.DataFrame({"household_id": [written]})
    assert frame.select(damaged_number(pl.col("household_id"))).item() is damaged


# No 户编号 column: households are the heads' IDs — here two heads' IDs Excel cut to one number,
# which passes the check digit by chance.
CUT_HEAD = "3.40421199001017e+17"
HEAD_P, HEAD_Q, CHILD_Q = make_id("19900101", "701"), make_id("19900101", "712"), make_id("20150101", "723")
NO_NUMBER_ROLL = [
    "乡镇（街道）,村（社区）,户主姓名,户主身份证号,姓名,身份证号,与户主关系,保障类别,月保障金额",
    f"城关镇,东村,甲,{CUT_HEAD},甲,{HEAD_P},户主,农村低保,400",
    f"城关镇,东村,乙,{CUT_HEAD},乙,{HEAD_Q},户主,农村低保,400",
    f"城关镇,东村,乙,{CUT_HEAD},丙,{CHILD_Q},子女,农村低保,400",
]


def test_a_head_id_excel_damaged_is_no_household_key(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "花名册.csv", "\n".join(NO_NUMBER_ROLL) + "\n")], month="2026-11", db=db)
    cremation = write_text(workspace / "火化.csv", f"逝者姓名,逝者身份证号,死亡日期\n甲,{HEAD_P},2026-10-05\n")
    load("cremation", [cremation], month="2026-11", db=db)
    warnings = match(month="2026-11", db=db, out=workspace / "out").warnings
    death = _one(warnings, "DECEASED", "甲")
    assert death["action"] == "入户核查"  # not 减发 for a "household" of three strangers
    assert f"未填户编号，户主身份证号“{CUT_HEAD}”被 Excel 损坏，不能用来分户" in death["evidence"]
    # Two heads under the one damaged head ID: two households, each warned on its head.
    bad = _one(warnings, "BAD_HOUSEHOLD", "甲")
    assert f"户主身份证号“{CUT_HEAD}”被 Excel 损坏，不能用来分户：共 1 行记在户主 甲 名下" in bad["evidence"]
    other = _one(warnings, "BAD_HOUSEHOLD", "乙")["evidence"]
    assert "共 2 行记在户主 乙 名下（花名册.csv 第3、4行）" in other and "同一编号下共有 2 个户主" in other


def test_property_counts_units_per_built_household(workspace: Path) -> None:
    """One flat each: 冯晚 and 陈今 (H1 of two townships) and the two members of D (household
    unknown) are four households of one flat, not two of two."""
    rows = ["权利人,权利人证件号码,不动产权证号,坐落,建筑面积,规划用途,登记日期"]
    for index, person in enumerate((TOWN_X, TOWN_Y, HEAD_D, WIFE_D), start=1):
        rows.append(f"某人,{person},皖(2020)第{index}号,城关镇幸福路{index}号,80,住宅,2020-01-01")
    load(
        "property",
        [write_text(workspace / "不动产.csv", "\n".join(rows) + "\n")],
        month="2026-11",
        db=workspace / "hexiao.duckdb",
    )
    warnings = _load_month(workspace, "2026-11")
    assert warnings.filter(pl.col("code") == "PROPERTY").height == 0


def test_a_person_twice_where_the_household_is_unknown_is_a_duplicate(workspace: Path) -> None:
    """Two rows of one person under a damaged 户编号 without a head's ID may be two households: a
    warning naming the other row (the two rows share person, number and programme, so one 预警编号).
    Twice in one sound household (a repeated row) is not DUPLICATE's business."""
    roll = [
        ROLL_HEADER,
        f"城关镇,东村,3.41222E+15,,,钱秀英,{WIFE_D},配偶,农村低保,A,400,2021-06",
        f"城关镇,东村,3.41222E+15,,,钱秀英,{WIFE_D},户主,农村低保,A,400,2021-06",
        f"城关镇,东村,H9,冯晚,{TOWN_X},冯晚,{TOWN_X},户主,农村低保,A,400,2021-06",
        f"城关镇,东村,H9,冯晚,{TOWN_X},冯晚,{TOWN_X},户主,农村低保,A,400,2021-06",
    ]
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "花名册.csv", "\n".join(roll) + "\n")], month="2026-11", db=db)
    duplicates = match(month="2026-11", db=db, out=workspace / "out").warnings.filter(pl.col("code") == "DUPLICATE")
    assert duplicates["name"].to_list() == ["钱秀英"]
    evidence = duplicates["evidence"][0]
    assert "户编号损坏，无法确定是否同一家庭" in evidence and "花名册.csv 第" in evidence


# Two people whose IDs Excel saved as numbers: both keep the same first 15 digits, then zeros.
ZEROED_P, ZEROED_Q = make_id("19900101", "712"), make_id("19900101", "718")
HUA, HUA_WIFE = make_id("19600202", "111"), make_id("19620303", "112")
DAMAGED_ROLL = [
    ROLL_HEADER,
    f"东城街道,东风社区,3.40421E+15,华明,,华明,{HUA},户主,城市低保,A,400,2023-01",
    f"东城街道,东风社区,3.40421E+15,华明,,华妻,{HUA_WIFE},配偶,城市低保,A,400,2023-01",
    f"东城街道,东风社区,3.40421E+15,蒋立,,蒋立,{float(ZEROED_P):.14e},户主,城市低保,A,500,2023-01",
    f"东城街道,东风社区,3.40421E+15,韩梅,,韩梅,{float(ZEROED_Q)!r},户主,城市低保,A,500,2023-01",
]


def test_people_with_damaged_ids_count_as_people(workspace: Path) -> None:
    """A damaged ID names no one person: 蒋立 and 韩梅 are two people on the roll and among those
    warned, in summary.json, summary.csv and the workbook's 合计; with the households unknown,
    each person is a household of their own (never more households than people)."""
    assert ZEROED_P[:15] == ZEROED_Q[:15] and ZEROED_P != ZEROED_Q
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "城市低保.csv", "\n".join(DAMAGED_ROLL) + "\n")], month="2026-11", db=db)
    result = match(month="2026-11", db=db, out=workspace / "out", excel=True)
    summary = result.summary
    assert (summary["persons_checked"], summary["households_checked"], summary["households_unknown"]) == (4, 4, 4)
    assert sorted(result.warnings.filter(pl.col("code") == "BAD_ID")["name"]) == ["蒋立", "韩梅"]
    assert summary["by_code"]["BAD_ID"] == 2
    warned = {n for n in result.warnings.filter(pl.col("code") != "OMISSION")["name"]}
    assert summary["persons_warned"] == summary["households_warned"] == len(warned)
    table = pl.read_csv(workspace / "out" / "2026-11" / "summary.csv").filter(pl.col("预警代码") == "BAD_ID")
    assert table.select("核对户数", "核对人数", "预警户数", "预警人数").row(0) == (4, 4, 2, 2)
    book = CalamineWorkbook.from_path(str(workspace / "out" / "2026-11" / "预警名单_东城街道.xlsx"))
    rows = book.get_sheet_by_name("汇总").to_python()
    header = next(row for row in rows if "预警人数" in row)
    totals = next(row for row in rows if "合计" in row)
    assert totals[header.index("预警人数")] == len(warned) and totals[header.index("核对人数")] == 4
    # The overview page counts them as two too.
    with opened(db, read_only=True) as conn:
        by_action = gather(conn, "2026-11", 1).by_action
    corrections = result.warnings.filter(pl.col("action") == "数据更正")
    assert corrections["id_number"].n_unique() < corrections["name"].n_unique()  # the zeroed IDs agree
    assert by_action.filter(pl.col("action") == "数据更正")["persons"].item() == corrections["name"].n_unique()


# One damaged 户编号 and no head's ID for three households of 东城街道: 陈十's, 华明's (two rows) and
# 韩父's, whose head is not on the roll (two children).
CHEN, HAN_A, HAN_B = make_id("19420101", "101"), make_id("20100101", "121"), make_id("20120101", "132")
SHARED_NUMBER_ROLL = [
    ROLL_HEADER,
    f"东城街道,东风社区,3.40421E+15,陈十,,陈十,{CHEN},户主,城市低保,A,600,2023-01",
    f"东城街道,东风社区,3.40421E+15,韩父,,韩甲,{HAN_A},子女,城市低保,A,300,2023-01",
    f"东城街道,东风社区,3.40421E+15,华明,,华明,{HUA},户主,城市低保,A,400,2023-01",
    f"东城街道,东风社区,3.40421E+15,华明,,华妻,{HUA_WIFE},配偶,城市低保,A,400,2023-01",
    f"东城街道,东风社区,3.40421E+15,韩父,,韩乙,{HAN_B},子女,城市低保,A,300,2023-01",
]


def test_households_sharing_a_damaged_number_are_warned_each_and_keep_their_numbers(workspace: Path) -> None:
    """Each head under the damaged number gets a warning on their household; the warning is the
    household's, so it keeps its 预警编号 when a row of it (its first, or another household's) leaves."""
    db = workspace / "hexiao.duckdb"
    roll = write_text(workspace / "城市低保11月.csv", "\n".join(SHARED_NUMBER_ROLL) + "\n")
    load("roll", [roll], month="2026-11", db=db)
    november = match(month="2026-11", db=db, out=workspace / "out").warnings.filter(pl.col("code") == "BAD_HOUSEHOLD")
    assert sorted(november["name"]) == ["华明", "陈十", "韩甲"]
    assert "共 2 行记在户主 华明 名下" in _one(november, "BAD_HOUSEHOLD", "华明")["evidence"]
    assert "同一编号下共有 3 个户主，各户分别提示" in _one(november, "BAD_HOUSEHOLD", "陈十")["evidence"]
    ids = dict(zip(november["name"], november["warning_id"], strict=True))
    gone = [SHARED_NUMBER_ROLL[0], *SHARED_NUMBER_ROLL[3:]]  # 陈十 and 韩甲 have left
    load("roll", [write_text(workspace / "城市低保12月.csv", "\n".join(gone) + "\n")], month="2026-12", db=db)
    december = match(month="2026-12", db=db, out=workspace / "out").warnings.filter(pl.col("code") == "BAD_HOUSEHOLD")
    assert dict(zip(december["name"], december["warning_id"], strict=True)) == {
        "华明": ids["华明"],
        "韩乙": ids["韩甲"],
    }
    assert set(december["status"]) == {"持续"}
