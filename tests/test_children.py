"""GUARDIAN_RETURNED and ADOPTED on small hand-written tables: each action, and every exemption and
negative case (each fails when its safeguard is taken out of the rule)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from conftest import write_text
from hexiao.cli.app import app
from hexiao.load import load
from hexiao.match import match
from hexiao.normalize.ids import check_digit


def make_id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    return body + check_digit(body)


MONTH = "2026-11"
HEADER = (
    "乡镇（街道）,村（社区）,户编号,姓名,身份证号,与户主关系,保障类别,月保障金额,保障起始年月,"
    "困境类型,父亲姓名,父亲身份证号,父亲情况,母亲姓名,母亲身份证号,母亲情况"
)
_seq = iter(range(100, 999, 7))


def child_id() -> str:
    return make_id("340421", "20150101", f"{next(_seq):03d}")


def adult_id() -> str:
    return make_id("340421", "19850202", f"{next(_seq):03d}")


# name -> (programme, 困境类型, father (name, ID, 情况), mother (name, ID, 情况), 保障起始年月)
Parent = tuple[str, str, str]
NONE: Parent = ("", "", "")
CHILDREN: dict[str, tuple[str, str, Parent, Parent, str]] = {}
IDS: dict[str, str] = {}
PARENT_IDS: dict[str, str] = {}


def child(name: str, program: str, hardship: str, father: Parent, mother: Parent, start: str = "2024-01") -> None:
    IDS[name] = child_id()
    CHILDREN[name] = (program, hardship, father, mother, start)


def parent(key: str, name: str, situation: str) -> Parent:
    PARENT_IDS[key] = adult_id()
    return (name, PARENT_IDS[key], situation)


UNSUPPORTED, ORPHAN = "事实无人抚养儿童", "孤儿"
child("刘一", UNSUPPORTED, "", parent("刘一父", "刘大", "服刑"), NONE)
child("陈二", UNSUPPORTED, "父母服刑", ("陈大", "", ""), parent("陈二母", "王芳", ""))
child("杨三", UNSUPPORTED, "父亲服刑、母亲死亡", parent("杨三父", "杨大", ""), parent("杨三母", "李娟", ""))
child("黄四", UNSUPPORTED, "", parent("黄四父", "黄大", "重病"), NONE)
child("赵五", UNSUPPORTED, "", parent("赵五父", "赵大", "强制戒毒"), NONE)
child("吴六", ORPHAN, "", parent("吴六父", "吴大", "服刑"), NONE)
child("周七", UNSUPPORTED, "", parent("周七父", "周大", "服刑"), NONE)
child("郑八", UNSUPPORTED, "", parent("郑八父", "郑大", "服刑"), NONE)
child("孙九", UNSUPPORTED, "", NONE, parent("孙九母", "孙芳", "失联"))
child("钱十", UNSUPPORTED, "", NONE, parent("钱十母", "钱芳", "失联"))
child("冯十一", ORPHAN, "", parent("冯十一父", "冯大", "失踪"), NONE)
child("蒋十二", ORPHAN, "", NONE, NONE)
child("沈十三", UNSUPPORTED, "", NONE, NONE)
child("韩十五", ORPHAN, "", NONE, NONE)
child("朱十六", UNSUPPORTED, "父母服刑", ("朱大", "", ""), ("", "", ""))
PARENT_IDS["朱十六父"] = adult_id()  # the roll wrote the father's ID as a numeric cell (Excel)
CHILDREN["朱十六"] = (UNSUPPORTED, "父母服刑", ("朱大", PARENT_IDS["朱十六父"][:15] + "000", ""), NONE, "2024-01")
# The father's ID has a wrong check digit, written so on the roll and on the list alike.
PARENT_IDS["何十七父"] = adult_id()[:17] + "0"
if PARENT_IDS["何十七父"] == make_id("340421", "19850202", PARENT_IDS["何十七父"][14:17]):
    PARENT_IDS["何十七父"] = PARENT_IDS["何十七父"][:17] + "1"
child("何十七", UNSUPPORTED, "", ("何大", PARENT_IDS["何十七父"], "服刑"), NONE)
child("卫十八", UNSUPPORTED, "父亲强制戒毒、母亲重残", parent("卫十八父", "卫大", ""), parent("卫十八母", "卫芳", ""))
ADULT = make_id("340421", "19700303", "555")  # a 低保 member on the adoption register

RELEASE = [
    "服刑人员姓名,身份证号码,释放类别,释放日期",
    f"刘大,{PARENT_IDS['刘一父']},刑满释放,2026-09-15",  # decisive: 停发 from 2026-10
    f"王芳,{PARENT_IDS['陈二母']},刑满释放,2026-08-03",  # 困境类型 父母服刑 speaks for the mother
    f"李娟,{PARENT_IDS['杨三母']},刑满释放,2026-08-03",  # 困境类型: the mother died, the father is in prison
    f"黄大,{PARENT_IDS['黄四父']},刑满释放,2026-08-03",  # the father is ill, not in custody
    f"赵大,{PARENT_IDS['赵五父']},解除强制隔离戒毒,2026-12-05",  # a release still ahead
    f"吴大,{PARENT_IDS['吴六父']},刑满释放,2026-08-03",  # an orphan: not a release programme
    f"周大,{PARENT_IDS['周七父'][:15]}000,刑满释放,2026-07-20",  # the list's ID is a numeric cell: weak link
    f"郑大,{PARENT_IDS['郑八父']},刑满释放,2023-05-01",  # released before the child was recognised
    f"朱大,{PARENT_IDS['朱十六父']},刑满释放,2026-06-10",  # the roll's ID is damaged: weak link
    f"何大,{PARENT_IDS['何十七父']},刑满释放,2026-06-10",  # the same unsound ID on both: weak link
    f"卫大,{PARENT_IDS['卫十八父']},解除强制隔离戒毒,2026-08-01",  # 困境类型 names each parent's situation
]
PENSION = [
    "姓名,身份证号,待遇类型,月发放金额,发放年月",
    f"孙芳,{PARENT_IDS['孙九母']},城乡居民养老保险,180,2026-03",  # after the recognition month
    f"钱芳,{PARENT_IDS['钱十母']},城乡居民养老保险,180,2023-06",  # before it
    f"黄大,{PARENT_IDS['黄四父']},城乡居民养老保险,180,2026-05",  # a parent who is ill, not missing
]
VEHICLE = [
    "所有人,身份证号,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期",
    f"冯大,{PARENT_IDS['冯十一父']},皖A12345,小型轿车,非营运,正常,2025-05-20",
]
ADOPTION = [
    "被收养人姓名,被收养人身份证号,收养人姓名,收养登记日期",
    f"蒋十二,{IDS['蒋十二']},蒋父,2026-10-08",  # decisive: 停发 from 2026-11
    f"沈十三,{IDS['沈十三'][:17]}{'0' if IDS['沈十三'][17] != '0' else '1'},沈父,2026-09-01",  # typo in check digit
    f"张成人,{ADULT},张父,2026-09-01",  # not a child of either programme
    f"韩十五,{IDS['韩十五']},韩父,2026-12-01",  # registered after this month
]


def _roll_lines() -> list[str]:
    lines = [HEADER]
    for i, (name, (program, hardship, father, mother, start)) in enumerate(CHILDREN.items()):
        lines.append(
            f"城关镇,东村,C{i},{name},{IDS[name]},本人,{program},1000,{start},{hardship},{','.join(father)},{','.join(mother)}"
        )
    lines.append(f"城关镇,东村,D1,张成人,{ADULT},户主,农村低保,400,2024-01,,,,,,,")
    return lines


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, Path]:
    work = tmp_path_factory.mktemp("children")
    db = work / "hexiao.duckdb"
    files = {
        "roll": write_text(work / "孤儿和事实无人抚养儿童花名册.csv", "\n".join(_roll_lines()) + "\n"),
        "release": write_text(work / "刑满释放人员名单.csv", "\n".join(RELEASE) + "\n"),
        "pension": write_text(work / "养老金发放.csv", "\n".join(PENSION) + "\n"),
        "vehicle": write_text(work / "车辆.csv", "\n".join(VEHICLE) + "\n"),
        "adoption": write_text(work / "收养登记.csv", "\n".join(ADOPTION) + "\n"),
    }
    for kind, path in files.items():
        load(kind, [path], month=MONTH, db=db)
    result = match(month=MONTH, db=db, out=work / "out")
    return result.warnings.filter(pl.col("code").is_in(["GUARDIAN_RETURNED", "ADOPTED"])), db


def _warned(run: tuple[pl.DataFrame, Path], code: str) -> dict[str, dict[str, object]]:
    rows = run[0].filter(pl.col("code") == code).to_dicts()
    by_name = {str(r["name"]): r for r in rows}
    assert len(by_name) == len(rows), "one warning per child"
    return by_name


def test_a_parent_released_by_id_stops_the_child_from_the_month_after(run: tuple[pl.DataFrame, Path]) -> None:
    w = _warned(run, "GUARDIAN_RETURNED")["刘一"]
    assert (w["action"], w["risk"], w["effective_month"], w["overpayment"]) == ("停发", "高", "2026-10", 1000.0)
    assert "解除日期 2026-09-15" in str(w["evidence"]) and "父亲" in str(w["evidence"])
    assert "停发前由乡镇核实" in str(w["evidence"])


def test_the_hardship_stands_in_for_a_blank_situation_parent_by_parent(run: tuple[pl.DataFrame, Path]) -> None:
    warned = _warned(run, "GUARDIAN_RETURNED")
    assert warned["陈二"]["action"] == "停发"  # 父母服刑: the mother too
    assert "困境类型：父母服刑" in str(warned["陈二"]["evidence"])
    assert "杨三" not in warned  # 父亲服刑、母亲死亡: the released mother was not in custody
    # The father's part of 困境类型 decided; the evidence quotes the roll's value whole, as written.
    assert warned["卫十八"]["action"] == "停发"
    assert "父亲 卫大，花名册困境类型：父亲强制戒毒、母亲重残；" in str(warned["卫十八"]["evidence"])


def test_no_warning_for_a_parent_not_in_custody_a_release_ahead_or_another_programme(
    run: tuple[pl.DataFrame, Path],
) -> None:
    warned = _warned(run, "GUARDIAN_RETURNED")
    assert "黄四" not in warned  # 重病
    assert "赵五" not in warned  # released next month
    assert "吴六" not in warned  # 孤儿
    assert "郑八" not in warned  # released before 保障起始年月


def test_a_weak_link_to_a_release_asks_for_a_visit(run: tuple[pl.DataFrame, Path]) -> None:
    warned = _warned(run, "GUARDIAN_RETURNED")
    for name in ("周七", "朱十六", "何十七"):
        assert (warned[name]["action"], warned[name]["risk"]) == ("入户核查", "中"), name
        assert "需入户核实是否为同一人" in str(warned[name]["evidence"])
    assert warned["周七"]["effective_month"] == "2026-08"


def test_a_missing_parent_with_a_later_record_of_their_own_asks_for_a_visit(run: tuple[pl.DataFrame, Path]) -> None:
    warned = _warned(run, "GUARDIAN_RETURNED")
    assert (warned["孙九"]["action"], warned["孙九"]["effective_month"]) == ("入户核查", "2026-04")
    assert "养老金发放" in str(warned["孙九"]["evidence"])
    assert "钱十" not in warned  # the pension was paid before the child's 保障起始年月
    assert "黄四" not in warned  # the father is ill, not missing
    assert (warned["冯十一"]["action"], warned["冯十一"]["effective_month"]) == ("入户核查", "2025-06")
    assert "车辆登记" in str(warned["冯十一"]["evidence"])


def test_an_adopted_child_stops_from_the_month_after_registration(run: tuple[pl.DataFrame, Path]) -> None:
    warned = _warned(run, "ADOPTED")
    w = warned["蒋十二"]
    assert (w["action"], w["risk"], w["effective_month"], w["overpayment"]) == ("停发", "高", "2026-11", 0.0)
    assert "收养人 蒋父" in str(w["evidence"])
    assert (warned["沈十三"]["action"], warned["沈十三"]["effective_month"]) == ("入户核查", "2026-10")
    assert warned["沈十三"]["overpayment"] == 1000.0


def test_no_adoption_warning_for_another_programme_or_a_later_registration(run: tuple[pl.DataFrame, Path]) -> None:
    warned = _warned(run, "ADOPTED")
    assert "张成人" not in warned
    assert "韩十五" not in warned
    assert set(warned) == {"蒋十二", "沈十三"}


def test_explain_names_the_release_record_and_the_roll_row(run: tuple[pl.DataFrame, Path]) -> None:
    db = run[1]
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute(
            "SELECT code, name, warning_id FROM warnings WHERE code IN ('GUARDIAN_RETURNED', 'ADOPTED') "
            "AND name IN ('刘一', '孙九', '蒋十二')"
        ).fetchall()
    assert len(rows) == 3
    for code, name, warning_id in rows:
        done = CliRunner().invoke(app, ["explain", warning_id, "--json", "--db", str(db)])
        assert done.exit_code == 0, done.output
        text = json.dumps(json.loads(done.stdout), ensure_ascii=False)
        assert "孤儿和事实无人抚养儿童花名册.csv" in text, (code, name)
        expected = {"刘一": "刑满释放人员名单.csv", "孙九": "养老金发放.csv", "蒋十二": "收养登记.csv"}[name]
        assert expected in text, (code, name)


def test_parent_columns_load_from_a_workbook_under_their_synonyms(workspace: Path) -> None:
    path = workspace / "孤儿和事实无人抚养儿童花名册.xlsx"
    father, mother, kid = adult_id(), adult_id(), child_id()
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("城关镇")
    header = ["乡镇", "户编号", "姓名", "身份证号码", "救助类别", "月救助金额", "困境情形", "父姓名",
              "父亲身份证号码", "父亲状况", "母姓名", "母亲公民身份号码", "母亲状况"]  # fmt: skip
    sheet.write_row(0, 0, header)
    sheet.write_row(1, 0, ["城关镇", "C1", "小明", kid, UNSUPPORTED, "1000", "父母服刑", "大明", f" {father.lower()} ",
                           "服刑", "小红", mother, "强制戒毒"])  # fmt: skip
    book.close()
    db = workspace / "hexiao.duckdb"
    load("roll", [path], month=MONTH, db=db)
    with duckdb.connect(str(db), read_only=True) as conn:
        row = conn.execute(
            "SELECT hardship_type, father_name, father_id_norm, father_id_status, father_status, mother_name, "
            "mother_id_norm, mother_status FROM roll"
        ).fetchone()
    assert row == ("父母服刑", "大明", father, "有效", "服刑", "小红", mother, "强制戒毒")
