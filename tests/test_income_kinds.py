"""Pension and provident-fund exports as 人社 and the 公积金中心 write them: headers, title rows,
amounts and months in their real spellings, and the rows refused with their reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from conftest import write_text
from hexiao.inbox import kind_from_header, kind_from_name
from hexiao.load import read_input
from test_rules import pid

A, B, C, D = pid("19500101", "011"), pid("19520202", "021"), pid("19800303", "031"), pid("19850404", "041")


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("发放明细")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return path


def test_a_pension_export_with_a_title_row_reads_its_amounts_and_months(tmp_path: Path) -> None:
    header: list[object] = ["姓名", "公民身份号码", "险种类型", "待遇项目", "发放金额", "发放年月"]
    serial = (date(2026, 11, 1) - date(1899, 12, 30)).days  # a month typed as a date in Excel
    path = _workbook(
        tmp_path / "养老金发放明细.xlsx",
        [
            ["XX县城乡居民养老保险待遇发放明细（2026年11月）"],
            header,
            ["甲", A, "城乡居民基本养老保险", "基础养老金", "1,200.50", "202611"],
            ["乙", B, "城乡居民基本养老保险", "", "300元", "2026年11月"],
            ["丙", C, "企业职工基本养老保险", "基本养老金", 2100, serial],
            ["丁", D, "企业职工基本养老保险", "基本养老金", "", "202611"],
            ["戊", A, "城乡居民基本养老保险", "基础养老金", "一千", "202611"],
            ["己", B, "城乡居民基本养老保险", "基础养老金", "150", "十一月"],
        ],
    )
    assert kind_from_name(path) == "pension"
    read = read_input(path, "pension")
    rows = read.loaded.sort("source_row").select("benefit_type", "monthly_amount", "pay_month").rows()
    assert [(t, float(a), m) for t, a, m in rows] == [
        ("基础养老金", 1200.50, date(2026, 11, 1)),
        ("城乡居民基本养老保险", 300.0, date(2026, 11, 1)),  # no 待遇项目: the insurance stands in
        ("基本养老金", 2100.0, date(2026, 11, 1)),
    ]
    reasons = read.rejected.sort("source_row")["reason"].to_list()
    assert reasons == ["月发放金额为空", "月发放金额无法识别：一千", "发放年月无法识别：十一月"]


def test_a_social_security_number_is_the_id_of_a_pension_export(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "export.csv", f"姓名,社会保障号码,待遇项目,发放金额,所属期\n甲,{A},基本养老金,800,2026-11\n"
    )
    assert kind_from_header(path) == "pension"
    assert read_input(path, "pension").loaded["id_norm"].to_list() == [A]


def test_a_provident_export_reads_the_base_as_the_wage(tmp_path: Path) -> None:
    header = "职工姓名,证件号码,单位名称,缴存基数,月缴存额,汇缴年月"
    path = write_text(
        tmp_path / "住房公积金缴存明细.csv",
        f"XX县住房公积金中心缴存明细\n{header}\n"
        f'丙,{C},某某建材有限公司,"3,500.00",700元,202610\n'
        f"丁,{D},某某物流公司,,560,202610\n"
        f"戊,{A},某某物流公司,2800,560,2026年13月\n",
        "gb18030",
    )
    assert kind_from_name(path) == "provident" and kind_from_header(path) == "provident"
    read = read_input(path, "provident")
    row = read.loaded.row(0, named=True)
    assert (float(row["wage_base"]), float(row["monthly_contribution"]), row["pay_month"]) == (
        3500.0,
        700.0,
        date(2026, 10, 1),
    )
    assert row["employer"] == "某某建材有限公司" and read.loaded.height == 1
    reasons = read.rejected.sort("source_row")["reason"].to_list()
    assert "缴存基数为空" in reasons[0] and "缴存年月无法识别：2026年13月" in reasons[1]
