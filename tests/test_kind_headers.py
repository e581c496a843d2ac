"""Headers and file names of real exports: a 人社 export's two numbers, the justice lists' dates, a
children's roll, and a header placed only by the `[headers.<kind>]` mappings of hexiao.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.inbox import kind_from_header, kind_from_name, survey_inbox
from hexiao.load import read_input
from test_deceased import HEAD, ROLL
from test_rules import pid

runner = CliRunner()
A = pid("19500101", "011")
SSN = "3404211950010101X"  # a 社会保障号码 that is not the holder's ID: never read as one


def test_a_pension_export_with_both_numbers_takes_the_citizen_id(tmp_path: Path) -> None:
    header = "姓名,公民身份号码,社会保障号码,待遇项目,发放金额,发放年月"
    path = write_text(tmp_path / "养老金发放.csv", f"{header}\n甲,{A},{SSN},基本养老金,800,202611\n")
    assert kind_from_header(path) == "pension"
    read = read_input(path, "pension")
    assert read.loaded["id_norm"].to_list() == [A]
    assert "social_security_number" not in read.loaded.columns  # read, not stored


def test_a_medical_export_with_both_numbers_takes_the_citizen_id(tmp_path: Path) -> None:
    header = "参保人姓名,社会保障号码,身份证号码,结算时间,医疗总费用,个人自付"
    path = write_text(tmp_path / "医保结算.csv", f"{header}\n甲,{SSN},{A},2026-10-05,5000,1200\n")
    assert kind_from_header(path) == "medical"
    assert read_input(path, "medical").loaded["id_norm"].to_list() == [A]


def test_a_social_security_number_alone_is_the_id(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "export.csv", f"姓名,社会保障号码,待遇项目,发放金额,所属期\n甲,{A},基本养老金,800,2026-11\n"
    )
    assert read_input(path, "pension").loaded["id_norm"].to_list() == [A]


@pytest.mark.parametrize(
    "header",
    ["刑满日期", "实际释放日期", "释放时间", "刑满释放日期", "解教日期", "解除强制隔离戒毒日期", "实际释放时间"],
)
def test_a_release_list_is_dated_by_any_of_its_export_headers(tmp_path: Path, header: str) -> None:
    path = write_text(tmp_path / "刑满释放人员名单.csv", f"姓名,身份证号码,类别,{header}\n甲,{A},刑满释放,2026-10-08\n")
    assert kind_from_header(path) == "release"
    assert str(read_input(path, "release").loaded["release_date"].to_list()[0]) == "2026-10-08"


def test_a_childrens_roll_is_told_by_its_name_and_its_header(tmp_path: Path) -> None:
    header = "乡镇（街道）,村（社区）,户编号,儿童姓名,儿童身份证号,保障类别,月保障金额"
    path = write_text(
        tmp_path / "事实无人抚养儿童基本生活费发放名册.csv", f"{header}\n城关镇,东村,H1,甲,{A},事实无人抚养儿童,1200\n"
    )
    assert kind_from_name(path) == "roll"
    assert kind_from_header(path) == "roll"
    assert read_input(path, "roll", program=None).loaded["id_norm"].to_list() == [A]
    orphans = tmp_path / "孤儿基本生活费.csv"
    write_text(orphans, f"乡镇,村,户号,孤儿姓名,孤儿身份证号码,保障类别\n城关镇,东村,H2,乙,{HEAD},孤儿\n")
    assert kind_from_header(orphans) == "roll"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("事实无人抚养儿童父母刑满释放人员名单.xlsx", "release"),
        ("事实无人抚养儿童医保结算明细.xlsx", "medical"),
        ("孤儿收养登记信息.xlsx", "adoption"),
        ("基本生活费对象养老金发放明细.xlsx", "pension"),
        ("事实无人抚养儿童残联残疾人名单.xlsx", "disability"),
    ],
)
def test_the_childrens_roll_words_do_not_take_other_kinds_files(name: str, kind: str) -> None:
    assert kind_from_name(Path(name)) == kind


def test_an_inbox_header_placed_only_by_a_mapping_is_read_as_that_kind(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # 申请对象 is no known header of a name: only [headers.roll] makes this a roll.
    write_text(inbox / "export_1.csv", ROLL_HEADER.replace(",姓名,", ",申请对象,") + "\n" + "\n".join(ROLL) + "\n")
    assert [p.kind for p in survey_inbox(inbox, {"roll": {"申请对象": "name"}}).files] == ["roll"]
    config = write_text(tmp_path / "hexiao.toml", '[headers.roll]\n"申请对象" = "name"\n', "utf-8")
    db = tmp_path / "hexiao.duckdb"
    args = ["match", "--month", "2026-11", "--inbox", str(inbox), "--db", str(db), "--out", str(tmp_path / "out")]
    refused = runner.invoke(app, args)
    assert refused.exit_code != 0 and "无法判断“export_1.csv”是哪类数据" in refused.stderr
    placed = runner.invoke(app, [*args, "--config", str(config)])
    assert placed.exit_code == 0, placed.stderr
