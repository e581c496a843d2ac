"""A county roll workbook with one sheet per township: rows are told apart by sheet, provenance names
the sheet, a sheet's name fills the township or programme column it lacks, a note sheet is skipped."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter

from conftest import ROLL_HEADER, write_text
from hexiao import load as load_module
from hexiao.errors import InputError
from hexiao.load import load, read_input
from hexiao.match import match
from hexiao.normalize.ids import check_digit
from hexiao.store import ADDED_COLUMNS, opened


def make_id(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


LIVING = make_id("19400312", "021")  # 城关镇, sheet 2 row 3: alive
DEAD = make_id("19380505", "031")  # 李集乡, sheet 3 row 3: cremated
NEIGHBOUR = make_id("19500101", "013")
STRANGER = make_id("19600606", "051")  # cremated, on no roll

# No 乡镇（街道） column: each sheet is one township's roll, named after it.
HEADER = [
    "村（社区）",
    "户编号",
    "户主姓名",
    "户主身份证号",
    "姓名",
    "身份证号",
    "与户主关系",
    "保障类别",
    "月保障金额",
]


def _sheet(book: xlsxwriter.Workbook, name: str, rows: list[list[str]]) -> None:
    sheet = book.add_worksheet(name)
    text = book.add_format({"num_format": "@"})
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, f"{name}2026年11月农村低保花名册")  # merged title row
    sheet.write_row(1, 0, HEADER)
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row):
            sheet.write_string(index, column, value, text)


def write_roll_workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("说明")
    notes.write(0, 0, "填报要求：每个乡镇一个工作表，身份证号设为文本格式")
    notes.write(1, 0, "联系人：民政局社会救助股")
    _sheet(
        book,
        "城关镇",
        [[ "东村", "H1", "孙大山", LIVING, "孙大山", LIVING, "本人", "农村低保", "600"],
         [ "东村", "H2", "张三", NEIGHBOUR, "张三", NEIGHBOUR, "本人", "农村低保", "400"]],
    )  # fmt: skip
    _sheet(book, "李集乡", [["南村", "H1", "周小红", DEAD, "周小红", DEAD, "本人", "农村低保", "700"]])
    book.close()
    return path


CREMATION = [
    "逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆",
    f"周小红,{DEAD},2026-10-05,2026-10-07,县殡仪馆",
]


@pytest.fixture
def result(workspace: Path) -> tuple[pl.DataFrame, list[str]]:
    db = workspace / "hexiao.duckdb"
    roll = load("roll", [write_roll_workbook(workspace / "农村低保花名册.xlsx")], month="2026-11", db=db)
    cremation = write_text(workspace / "火化数据.csv", "\n".join(CREMATION) + "\n")
    load("cremation", [cremation], month="2026-11", db=db)
    return match(month="2026-11", db=db, out=workspace / "out").warnings, roll.inputs[0].notes


def test_the_dead_person_on_the_second_sheet_is_warned_and_the_living_one_at_that_row_is_not(
    result: tuple[pl.DataFrame, list[str]],
) -> None:
    warnings, _ = result
    deceased = warnings.filter(pl.col("code") == "DECEASED")
    assert deceased["id_number"].to_list() == [DEAD]  # not 孙大山, row 3 of the sheet before
    row = deceased.row(0, named=True)
    assert row["township"] == "李集乡" and row["action"] == "停发"
    assert row["source"] == "火化数据.csv 第2行"  # a CSV has no sheet
    assert "花名册：农村低保花名册.xlsx 工作表“李集乡” 第3行" in row["evidence"]


def test_the_sheet_name_fills_the_township_and_the_notes_say_so(
    workspace: Path, result: tuple[pl.DataFrame, list[str]]
) -> None:
    _, notes = result
    assert "工作表“说明”没有可识别的表头，已跳过" in notes
    assert "工作表“城关镇”没有“乡镇（街道）”列，按工作表名填为“城关镇”" in notes
    conn = duckdb.connect(str(workspace / "hexiao.duckdb"), read_only=True)
    rows = conn.execute("SELECT sheet, sheet_no, source_row, township, name FROM roll ORDER BY sheet_no, source_row")
    assert rows.fetchall() == [
        ("城关镇", 2, 3, "城关镇", "孙大山"),
        ("城关镇", 2, 4, "城关镇", "张三"),
        ("李集乡", 3, 3, "李集乡", "周小红"),
    ]


def _cremation_workbook(path: Path) -> Path:
    """Two sheets of cremation records, row 2 of each a different person."""
    book = xlsxwriter.Workbook(str(path))
    for name, person, death in (("9月", ("王某", STRANGER), "2026-09-01"), ("10月", ("周小红", DEAD), "2026-10-05")):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["逝者姓名", "逝者身份证号", "死亡日期"])
        sheet.write_row(1, 0, [person[0], person[1], death])
    book.close()
    return path


def test_an_extract_row_is_told_apart_by_its_sheet(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    load("roll", [write_roll_workbook(workspace / "农村低保花名册.xlsx")], month="2026-11", db=db)
    load("cremation", [_cremation_workbook(workspace / "火化数据.xlsx")], month="2026-11", db=db)
    warnings = match(month="2026-11", db=db, out=workspace / "out").warnings.filter(pl.col("code") == "DECEASED")
    assert warnings["id_number"].to_list() == [DEAD]
    row = warnings.row(0, named=True)
    assert row["source"] == "火化数据.xlsx 工作表“10月” 第2行"
    assert "火化记录：周小红" in row["evidence"] and "死亡日期 2026-10-05" in row["evidence"]


def test_a_sheet_named_after_a_programme_fills_the_programme(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "花名册.xlsx"))
    sheet = book.add_worksheet("城市低保")
    sheet.write_row(0, 0, ["乡镇（街道）", "户编号", "姓名", "身份证号"])
    sheet.write_row(1, 0, ["城关镇", "H1", "孙大山", LIVING])
    book.close()
    read = read_input(tmp_path / "花名册.xlsx", "roll")
    assert read.loaded["program"].to_list() == ["城市低保"]
    assert read.loaded.select("sheet", "sheet_no").row(0) == ("城市低保", 1)
    assert "工作表“城市低保”没有“保障类别”列，按工作表名填为“城市低保”" in read.summary.notes
    # --program is for the whole file; the sheet's name says more.
    assert read_input(tmp_path / "花名册.xlsx", "roll", program="特困供养").loaded["program"].to_list() == ["城市低保"]


def test_a_summary_sheet_that_lists_nobody_is_skipped_and_said(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "花名册.xlsx"))
    totals = book.add_worksheet("汇总")
    totals.write_row(0, 0, ["乡镇（街道）", "保障类别", "户数", "人数"])
    totals.write_row(1, 0, ["城关镇", "农村低保", "2", "2"])
    _sheet(book, "城关镇", [["东村", "H1", "孙大山", LIVING, "孙大山", LIVING, "本人", "农村低保", "600"]])
    book.close()
    read = read_input(tmp_path / "花名册.xlsx", "roll")
    assert read.loaded["name"].to_list() == ["孙大山"]
    assert "工作表“汇总”不是人员名单（表头没有姓名和身份证号），已跳过" in read.summary.notes


OLD_ROLL = [
    ROLL_HEADER,
    f"城关镇,东村,H1,孙大山,{LIVING},孙大山,{LIVING},本人,特困供养,,600,2020-01",
    f"城关镇,东村,H2,张三,{NEIGHBOUR},张三,{NEIGHBOUR},户主,农村低保,A,400,2021-06",
    f"城关镇,东村,H2,张三,{NEIGHBOUR},李梅,{DEAD},配偶,农村低保,A,400,2021-06",
    f"城关镇,东村,H3,王某,{STRANGER},王某,{STRANGER},本人,农村低保,A,400,2021-06",
    f"李集乡,南村,H3,王某,{STRANGER},王某,{STRANGER},本人,特困供养,,600,2020-01",
    "李集乡,南村,H4,赵某,,赵某,3.40421E+17,本人,特困供养,,600,2020-01",
]
OLD_CREMATION = ["逝者姓名,逝者身份证号,死亡日期", f"孙大山,{LIVING},2026-09-01", f"李梅,{DEAD},2026-10-05"]


def test_a_workspace_from_before_sheets_keeps_its_warnings(workspace: Path) -> None:
    """Rows stored before the sheet and household columns existed read as a CSV's rows with a
    sound 户编号: same 预警编号, same provenance."""
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "花名册.csv", "\n".join(OLD_ROLL) + "\n")], month="2026-11", db=db)
    load("cremation", [write_text(workspace / "火化.csv", "\n".join(OLD_CREMATION) + "\n")], month="2026-11", db=db)
    columns = ["code", "name", "warning_id", "source", "evidence", "action", "household_id"]
    before = match(month="2026-11", db=db, out=workspace / "out").warnings.select(columns)
    with opened(db) as conn:  # as the previous schema version wrote it
        for table, column, _ in ADDED_COLUMNS:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    after = match(month="2026-11", db=db, out=workspace / "out").warnings.select(columns)
    assert sorted(before["code"]) == ["BAD_ID", "DECEASED", "DECEASED", "DUPLICATE", "DUPLICATE"]
    assert after.equals(before)
    died = after.filter((pl.col("code") == "DECEASED") & (pl.col("name") == "李梅")).row(0, named=True)
    assert died["source"] == "火化.csv 第3行" and "花名册：花名册.csv 第4行" in died["evidence"]


def test_a_workbook_with_more_sheets_than_the_row_key_holds_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_module, "SHEETS_PER_FILE", 3)  # the real bound, 1000 tabs, scaled down
    book = xlsxwriter.Workbook(str(tmp_path / "花名册.xlsx"))
    for name in ("城关镇", "李集乡", "双桥镇"):
        _sheet(book, name, [["东村", "H1", "孙大山", LIVING, "孙大山", LIVING, "本人", "农村低保", "600"]])
    book.close()
    with pytest.raises(InputError, match="工作表“双桥镇”是第 3 个工作表；最多读取前 2 个，请拆分工作簿"):
        read_input(tmp_path / "花名册.xlsx", "roll")


def test_the_load_line_names_each_sheets_header_row(tmp_path: Path) -> None:
    from hexiao.cli.common import describe_inputs

    book = xlsxwriter.Workbook(str(tmp_path / "花名册.xlsx"))
    _sheet(book, "城关镇", [["东村", "H1", "孙大山", LIVING, "孙大山", LIVING, "本人", "农村低保", "600"]])
    plain = book.add_worksheet("李集乡")  # no title row: header on row 1
    plain.write_row(0, 0, HEADER)
    plain.write_row(1, 0, ["南村", "H2", "张三", NEIGHBOUR, "张三", NEIGHBOUR, "本人", "农村低保", "400"])
    book.close()
    read = read_input(tmp_path / "花名册.xlsx", "roll")
    assert read.summary.header_rows == [2, 1]
    assert "（Excel，各工作表表头在第 1–2 行）" in describe_inputs([read.summary])[0]
