"""INCOME 收入超标 and GRADUAL_EXIT 渐退 on hand-written rolls, pensions and contributions: every
finding, exemption and negative case (domain.md rule 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.config import Config
from hexiao.load import load
from hexiao.match import match
from hexiao.settings import load_config
from test_cycle import MONTH, _state
from test_rules import pid

STOP_A, STOP_B = pid("19500101", "011"), pid("19900101", "021")  # pension + an old job: above the line
NEW_A, NEW_B = pid("19510202", "031"), pid("19910202", "041")  # pension + a job begun 2026-09
LOW_A, LOW_B = pid("19520303", "051"), pid("19920303", "061")  # below the line, paid more than the 补差
BELOW = pid("19530404", "071")  # below the line, paid no more than the 补差
ELDER = pid("19300505", "081")  # 高龄津贴 only: exempt
DESTITUTE = pid("19400606", "091")  # 特困: no standard
CITY = pid("19540707", "101")  # 城市低保, paid more than the 补差
WORKER = pid("19880808", "111")  # an old job only, just above the line

ROLL = [
    f"城关镇,东村,H1,甲一,{STOP_A},甲一,{STOP_A},户主,农村低保,A,300,2020-01",
    f"城关镇,东村,H1,甲一,{STOP_A},甲二,{STOP_B},子女,农村低保,A,300,2020-01",
    f"城关镇,东村,H2,乙一,{NEW_A},乙一,{NEW_A},户主,农村低保,A,300,2020-01",
    f"城关镇,东村,H2,乙一,{NEW_A},乙二,{NEW_B},子女,农村低保,A,300,2020-01",
    f"城关镇,东村,H3,丙一,{LOW_A},丙一,{LOW_A},户主,农村低保,A,400,2020-01",
    f"城关镇,东村,H3,丙一,{LOW_A},丙二,{LOW_B},配偶,农村低保,A,400,2020-01",
    f"城关镇,东村,H4,丁一,{BELOW},丁一,{BELOW},本人,农村低保,A,300,2020-01",
    f"城关镇,东村,H5,戊一,{ELDER},戊一,{ELDER},本人,农村低保,A,300,2020-01",
    f"城关镇,东村,T1,己一,{DESTITUTE},己一,{DESTITUTE},本人,特困供养,,700,2020-01",
    f"双桥镇,西村,H6,庚一,{CITY},庚一,{CITY},本人,城市低保,B,500,2020-01",
    f"双桥镇,西村,H7,辛一,{WORKER},辛一,{WORKER},本人,城市低保,B,100,2020-01",
]
PENSIONS = [
    "姓名,公民身份号码,险种类型,待遇项目,发放金额,发放年月",
    f"甲一,{STOP_A},企业职工基本养老保险,基本养老金,1000,202611",
    f"甲一,{STOP_A},企业职工基本养老保险,基本养老金,990,202610",
    f"乙一,{NEW_A},城乡居民基本养老保险,基础养老金,600,202611",
    f"丙一,{LOW_A},企业职工基本养老保险,基本养老金,900,202610",
    f"丁一,{BELOW},城乡居民基本养老保险,基础养老金,400,202611",
    f"丁一,{BELOW},企业职工基本养老保险,基本养老金,3000,202607",  # outside the recent window
    f"戊一,{ELDER},,高龄津贴,2000,202611",
    f"己一,{DESTITUTE},企业职工基本养老保险,基本养老金,3000,202611",
    f"庚一,{CITY},城乡居民基本养老保险,基础养老金,700,202611",
]
CONTRIBUTIONS = [
    "职工姓名,证件号码,单位名称,缴存基数,月缴存额,汇缴年月",
    *(f"甲二,{STOP_B},某某建材有限公司,800,160,2026{m:02d}" for m in range(1, 12)),
    f"乙二,{NEW_B},某某物流公司,1200,240,202609",
    f"乙二,{NEW_B},某某物流公司,1200,240,202610",
    *(f"辛一,{WORKER},某某商贸公司,900,180,2026{m:02d}" for m in range(3, 11)),
]
STANDARD = '[rules.income]\nstandard = { "农村低保" = 750, "城市低保" = 850 }\n'


def _setup(workspace: Path, pensions: bool = True, provident: bool = True) -> Path:
    db = workspace / "hexiao.duckdb"
    files = {"roll": [ROLL_HEADER, *ROLL]}
    if pensions:
        files["pension"] = PENSIONS
    if provident:
        files["provident"] = CONTRIBUTIONS
    for kind, lines in files.items():
        load(kind, [write_text(workspace / f"{kind}.csv", "\n".join(lines) + "\n")], month="2026-11", db=db)
    return db


def _config(workspace: Path, extra: str = "") -> Config:
    path = workspace / "hexiao.toml"
    path.write_text(STANDARD + extra, encoding="utf-8")
    return load_config(path)


def _run(workspace: Path, extra: str = "", **sources: bool) -> pl.DataFrame:
    db = _setup(workspace, **sources)
    found = match(month="2026-11", db=db, out=workspace / "out", config=_config(workspace, extra)).warnings
    return found.filter(pl.col("code").is_in(["INCOME", "GRADUAL_EXIT"]))


def _by_id(found: pl.DataFrame) -> dict[str, tuple[str, str, str]]:
    return {r["id_number"]: (r["code"], r["action"], r["effective_month"]) for r in found.iter_rows(named=True)}


@pytest.fixture
def found(workspace: Path) -> pl.DataFrame:
    return _run(workspace)


def test_every_finding_lands_on_each_earning_member(found: pl.DataFrame) -> None:
    assert _by_id(found) == {
        STOP_A: ("INCOME", "停发", "2026-12"),  # 1000 + 800 > 750 × 2
        STOP_B: ("INCOME", "停发", "2026-12"),
        NEW_A: ("GRADUAL_EXIT", "渐退", "2027-03"),  # 600 ≤ 1500 < 600 + 1200 (job since 2026-09)
        NEW_B: ("GRADUAL_EXIT", "渐退", "2027-03"),
        LOW_A: ("INCOME", "减发", "2026-12"),  # 补差 1500 − 900 = 600 < 800 paid
        CITY: ("INCOME", "减发", "2026-12"),  # 补差 850 − 700 = 150 < 500 paid
        WORKER: ("INCOME", "停发", "2026-12"),  # 900 > 850
    }


def test_the_evidence_lists_every_item_with_its_row(found: pl.DataFrame) -> None:
    stop = found.filter(pl.col("id_number") == STOP_A)["evidence"][0]
    assert "家庭在册 2 人，农村低保标准 750.00 元/人/月，合计 1500.00 元/月" in stop
    assert "甲一：养老金（基本养老金） 1000.00 元/月（2026-11，pension.csv 第2行）" in stop
    assert (
        "甲二：工资（公积金缴存基数，某某建材有限公司） 800.00 元/月（2026-11，2026-06 前已缴存，provident.csv 第12行）"
        in stop
    )
    assert "收入超过标准 300.00 元/月" in stop
    reduce = found.filter(pl.col("id_number") == LOW_A)["evidence"][0]
    assert "按现有收入应发补差 600.00 元/月（标准合计 − 收入），花名册现发 800.00 元/月，应减发 200.00 元/月" in reduce
    gradual = found.filter(pl.col("id_number") == NEW_B)["evidence"][0]
    assert "渐退期 6 个月（2026-09 起），2027-03 起停发" in gradual and "，新就业，" in gradual


def test_one_warning_per_household_on_its_earners_only(found: pl.DataFrame) -> None:
    # 丙二 (no income of their own) carries no row; 丙一's row names 丙二's roll row as the household's.
    assert LOW_B not in found["id_number"].to_list()
    assert found.filter(pl.col("household_id") == "H3").height == 1


def test_a_destitute_person_is_not_tested(found: pl.DataFrame) -> None:
    assert DESTITUTE not in found["id_number"].to_list()


def test_exempt_income_is_left_out(found: pl.DataFrame) -> None:
    assert ELDER not in found["id_number"].to_list()


def test_exempt_income_counts_once_the_type_is_not_exempt(workspace: Path) -> None:
    found = _run(workspace, "exempt_income_types = []\n")
    assert _by_id(found)[ELDER] == ("INCOME", "停发", "2026-12")


def test_income_below_the_line_within_the_roll_amount_raises_nothing(found: pl.DataFrame) -> None:
    # 丁一: 400 (a 3000 paid in 2026-07 is outside the window) → 补差 350 ≥ 300 paid.
    assert BELOW not in found["id_number"].to_list()


def test_a_fixed_class_programme_is_tested_against_the_standard_only(workspace: Path) -> None:
    found = _run(workspace, 'fixed_class_programs = ["城市低保"]\n')
    assert CITY not in found["id_number"].to_list()
    assert _by_id(found)[WORKER] == ("INCOME", "停发", "2026-12")  # the standard still holds


def test_the_employment_cost_deduction_is_applied(workspace: Path) -> None:
    found = _run(workspace, "employment_cost_deduction = 200\n")
    assert WORKER not in found["id_number"].to_list()  # 900 − 200 = 700: 补差 150 ≥ 100 paid
    assert "扣除就业成本 200.00 元" in found.filter(pl.col("id_number") == STOP_B)["evidence"][0]


def test_an_old_job_is_not_new_employment(workspace: Path) -> None:
    # 乙二's job, begun 2026-09, is not within 2 months of 2026-11: 停发, no 渐退.
    found = _run(workspace, "new_employment_months = 2\n")
    assert _by_id(found)[NEW_B] == ("INCOME", "停发", "2026-12")


def test_a_missing_source_is_said_never_read_as_no_income(workspace: Path) -> None:
    found = _run(workspace, provident=False)
    assert _by_id(found)[STOP_A] == ("INCOME", "减发", "2026-12")  # the pension alone: 补差 500 < 600
    assert "未取得公积金数据（收入中未计工资）" in found.filter(pl.col("id_number") == STOP_A)["evidence"][0]


def test_a_job_the_register_cannot_date_is_visited(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "roll.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")], month="2026-11", db=db)
    lines = [CONTRIBUTIONS[0], f"辛一,{WORKER},某某商贸公司,900,180,202610"]  # the register's first month
    load("provident", [write_text(workspace / "p.csv", "\n".join(lines) + "\n")], month="2026-11", db=db)
    found = match(month="2026-11", db=db, out=workspace / "out", config=_config(workspace)).warnings
    row = found.filter(pl.col("id_number") == WORKER).row(0, named=True)
    assert (row["code"], row["action"]) == ("INCOME", "入户核查")
    assert "公积金数据自 2026-10 起，无法判断是否为新就业" in row["evidence"]


def test_without_a_standard_the_rule_is_off_and_says_so(workspace: Path) -> None:
    db = _setup(workspace)
    result = CliRunner().invoke(app, ["match", "--month", "2026-11", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "收入核对（INCOME 收入超标、GRADUAL_EXIT 渐退）未运行" in result.output
    summary = match(month="2026-11", db=db, out=workspace / "out").summary
    assert summary["by_code"]["INCOME"] == 0 and summary["by_code"]["GRADUAL_EXIT"] == 0
    assert any("未设置 [rules.income] standard" in note for note in summary["rule_notes"])


def test_income_behind_a_weaker_link_is_not_counted_but_visited(workspace: Path) -> None:
    db = _setup(workspace)
    # 丁一's ID under another name: linked (身份证一致姓名不符), not decisively.
    lines = [PENSIONS[0], f"王五,{BELOW},企业职工基本养老保险,基本养老金,3000,202611"]
    load("pension", [write_text(workspace / "p2.csv", "\n".join(lines) + "\n")], month="2026-11", db=db)
    found = match(month="2026-11", db=db, out=workspace / "out", config=_config(workspace)).warnings
    row = found.filter((pl.col("id_number") == BELOW) & (pl.col("code") == "INCOME")).row(0, named=True)
    assert (
        row["action"] == "入户核查"
        and "待核实（未按身份证号精确匹配，未计入）：丁一：养老金（基本养老金） 3000.00" in row["evidence"]
    )
    assert "记录姓名 王五，身份证一致姓名不符" in row["evidence"]


def test_a_gradual_exit_is_not_escalated_before_its_end_month() -> None:
    earlier: dict[str, Any] = {
        "action": "渐退",
        "code": "GRADUAL_EXIT",
        "feedback_month": "2026-10",
        "first_month": "2026-10",
    }
    assert _state(review_result="属实", effective_month="2027-03", **earlier) == ("已核实属实", False)
    assert _state(review_result="已处理", effective_month="2027-03", **earlier) == ("已处理", False)
    assert _state(review_result="属实", effective_month="2026-11", **earlier) == ("属实未处理", True)
    assert _state(effective_month="2027-03", changed=True, **earlier | {"first_month": MONTH}) == ("已执行", False)


def test_explain_names_the_household_members_the_reduction_rests_on(workspace: Path, found: pl.DataFrame) -> None:
    warning_id = found.filter(pl.col("id_number") == LOW_A)["warning_id"][0]
    shown = CliRunner().invoke(app, ["explain", warning_id, "--db", str(workspace / "hexiao.duckdb")])
    assert shown.exit_code == 0, shown.output
    assert "同户另一花名册行 roll.csv 第7行" in shown.output and "pension.csv 第5行" in shown.output
