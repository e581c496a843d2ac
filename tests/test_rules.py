"""Rules 2–9 on small hand-written tables: hits, exemptions, negatives, and configuration."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from conftest import ROLL_HEADER, write_text
from hexiao.config import Config
from hexiao.ingest.values import month_start
from hexiao.kinds import VEHICLE_KIND
from hexiao.load import load
from hexiao.match import match, prepare_month
from hexiao.normalize.ids import check_digit
from hexiao.rules.base import RuleContext
from hexiao.rules.common import link_extracts
from hexiao.rules.property import PropertyRule
from hexiao.rules.vehicle import VehicleRule
from hexiao.settings import load_config
from hexiao.store import opened


def pid(birth: str, seq: str, area: str = "340421") -> str:
    body = area + birth + seq
    return body + check_digit(body)


CAR = pid("19600101", "011")  # owns a car
MOTO = pid("19600202", "021")  # owns only a motorcycle (exempt)
SCRAPPED = pid("19600303", "031")  # car 报废
HOME_A, HOME_B = pid("19550404", "041"), pid("19560505", "052")  # one household, two homes
COUPLE_A, COUPLE_B = pid("19570606", "061"), pid("19580707", "072")  # co-own one home
SHOP = pid("19590808", "081")  # one home + a shop
BOSS = pid("19611111", "091")  # 法定代表人 of an active company
TRADER = pid("19621212", "102")  # 经营者 of an active 个体工商户
CLOSED = pid("19630101", "112")  # shareholder of a 注销 company
CLERK = pid("19640202", "121")  # on the payroll list
TWICE = pid("19650303", "131")  # in 低保 and 特困 at once
ORPHAN_OLD = pid("20080505", "141")  # 18 on 2026-05-05: stop from 2026-06
ORPHAN_SOON = pid("20090115", "152")  # 18 on 2027-01-15: stop from 2027-02, notice
ORPHAN_YOUNG = pid("20150101", "161")
ELDER_OK, ELDER_YOUNG = pid("19400101", "171"), pid("19500101", "182")
POOR_LEFT_OUT, POOR_COVERED, POOR_CLEARED = pid("19700101", "191"), CAR, pid("19710101", "201")

ROLL = [
    f"城关镇,东村,H1,甲,{CAR},甲,{CAR},本人,农村低保,A,400,2020-01",
    f"城关镇,东村,H2,乙,{MOTO},乙,{MOTO},本人,农村低保,A,400,2020-01",
    f"城关镇,东村,H3,丙,{SCRAPPED},丙,{SCRAPPED},本人,农村低保,A,400,2020-01",
    f"城关镇,东村,H4,丁,{HOME_A},丁,{HOME_A},户主,农村低保,A,400,2020-01",
    f"城关镇,东村,H4,丁,{HOME_A},戊,{HOME_B},配偶,农村低保,A,400,2020-01",
    f"城关镇,东村,H5,己,{COUPLE_A},己,{COUPLE_A},户主,农村低保,A,400,2020-01",
    f"城关镇,东村,H5,己,{COUPLE_A},庚,{COUPLE_B},配偶,农村低保,A,400,2020-01",
    f"双桥镇,西村,H6,辛,{SHOP},辛,{SHOP},本人,城市低保,B,300,2020-01",
    f"双桥镇,西村,H7,壬,{BOSS},壬,{BOSS},本人,城市低保,B,300,2020-01",
    f"双桥镇,西村,H8,癸,{TRADER},癸,{TRADER},本人,城市低保,B,300,2020-01",
    f"双桥镇,西村,H9,子,{CLOSED},子,{CLOSED},本人,城市低保,B,300,2020-01",
    f"双桥镇,西村,H10,丑,{CLERK},丑,{CLERK},本人,城市低保,B,300,2020-01",
    f"双桥镇,西村,H11,寅,{TWICE},寅,{TWICE},本人,城市低保,B,300,2020-01",
    f"李集乡,南村,T1,寅,{TWICE},寅,{TWICE},本人,特困供养,,700,2020-01",
    f"李集乡,南村,G1,卯,{ORPHAN_OLD},卯,{ORPHAN_OLD},本人,孤儿,,1200,2015-01",
    f"李集乡,南村,G2,辰,{ORPHAN_SOON},辰,{ORPHAN_SOON},本人,事实无人抚养儿童,,1200,2015-01",
    f"李集乡,南村,G3,巳,{ORPHAN_YOUNG},巳,{ORPHAN_YOUNG},本人,孤儿,,1200,2016-01",
    f"李集乡,南村,E1,午,{ELDER_OK},午,{ELDER_OK},本人,高龄津贴,,100,2021-01",
    f"李集乡,南村,E2,未,{ELDER_YOUNG},未,{ELDER_YOUNG},本人,高龄津贴,,100,2021-01",
]

VEHICLES = [
    "机动车所有人,身份证号码,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期",
    f"甲,{CAR},皖D12345,小型轿车,非营运,正常,2019-05-01",
    f"乙,{MOTO},皖D2222,普通二轮摩托车,非营运,正常,2018-01-01",
    f"丙,{SCRAPPED},皖D33333,小型普通客车,非营运,报废,2010-01-01",
]
PROPERTY = [
    "权利人,权利人证件号码,不动产权证号,坐落,建筑面积,规划用途,登记日期",
    f"丁,{HOME_A},皖(2020)001,东村1号,90.5,住宅,2020-01-01",
    f"戊,{HOME_B},皖(2021)002,东村2号,60,成套住宅,2021-01-01",
    f"己,{COUPLE_A},皖(2019)003,东村3号,80,住宅,2019-01-01",
    f"庚,{COUPLE_B},皖(2019)003,东村3号,80,住宅,2019-01-01",
    f"辛,{SHOP},皖(2018)004,西村4号,70,住宅,2018-01-01",
    f"辛,{SHOP},皖(2018)005,西街商铺5号,30,商业,2018-01-01",
]
BUSINESS = [
    "姓名,身份证号,企业名称,统一社会信用代码,人员身份,登记状态",
    f"壬,{BOSS},某某建材有限公司,91340421MA2XXXXX1A,法定代表人,存续",
    f"癸,{TRADER},某某便利店,92340421MA2XXXXX2B,经营者,开业",
    f"子,{CLOSED},某某贸易有限公司,91340421MA2XXXXX3C,股东,注销",
]
EMPLOYEES = ["姓名,身份证号,工作单位,人员类别", f"丑,{CLERK},县教育局,事业"]
POVERTY = [
    "乡镇（街道）,村（社区）,户主身份证号,姓名,身份证号,监测对象类别,风险是否消除",
    f"城关镇,北村,{POOR_LEFT_OUT},申,{POOR_LEFT_OUT},边缘易致贫户,否",
    f"城关镇,东村,{CAR},甲,{POOR_COVERED},脱贫不稳定户,否",
    f"城关镇,北村,{POOR_CLEARED},酉,{POOR_CLEARED},突发严重困难户,是",
]


def run(workspace: Path, config: Config | None = None) -> pl.DataFrame:
    db = workspace / "hexiao.duckdb"
    files = {
        "roll": [ROLL_HEADER, *ROLL],
        "vehicle": VEHICLES,
        "property": PROPERTY,
        "business": BUSINESS,
        "employee": EMPLOYEES,
        "poverty": POVERTY,
    }
    for kind, lines in files.items():
        path = write_text(workspace / f"{kind}.csv", "\n".join(lines) + "\n", "gb18030")
        load(kind, [path], month="2026-11", db=db)
    return match(month="2026-11", db=db, out=workspace / "out", config=config).warnings


@pytest.fixture
def warnings(workspace: Path) -> pl.DataFrame:
    return run(workspace)


def ids_of(warnings: pl.DataFrame, code: str) -> set[str]:
    return set(warnings.filter(pl.col("code") == code)["id_number"].to_list())


def test_vehicle(warnings: pl.DataFrame) -> None:
    assert ids_of(warnings, "VEHICLE") == {CAR}
    row = warnings.filter(pl.col("code") == "VEHICLE").row(0, named=True)
    assert "皖D12345" in row["evidence"] and "小型轿车" in row["evidence"]
    assert (row["risk"], row["action"]) == ("中", "入户核查")


def test_property_counts_units_per_household(warnings: pl.DataFrame) -> None:
    assert ids_of(warnings, "PROPERTY") == {HOME_A, HOME_B, SHOP}
    row = warnings.filter((pl.col("code") == "PROPERTY") & (pl.col("id_number") == HOME_A)).row(0, named=True)
    assert "东村1号" in row["evidence"] and "东村2号" in row["evidence"] and "90.5㎡" in row["evidence"]


def test_business_roles_and_states(warnings: pl.DataFrame) -> None:
    rows = {r["id_number"]: r for r in warnings.filter(pl.col("code") == "BUSINESS").to_dicts()}
    assert set(rows) == {BOSS, TRADER}
    assert rows[BOSS]["risk"] == "中" and "91340421MA2XXXXX1A" in rows[BOSS]["evidence"]
    assert rows[TRADER]["risk"] == "低"


def test_public_employee(warnings: pl.DataFrame) -> None:
    assert ids_of(warnings, "PUBLIC_EMPLOYEE") == {CLERK}
    assert warnings.filter(pl.col("code") == "PUBLIC_EMPLOYEE")["risk"].to_list() == ["高"]


def test_duplicate_warns_both_rows(warnings: pl.DataFrame) -> None:
    rows = warnings.filter(pl.col("code") == "DUPLICATE")
    assert rows["id_number"].to_list() == [TWICE, TWICE]
    assert sorted(rows["program"].to_list()) == ["城市低保", "特困供养"]
    assert all("互斥项目" in e and "不同乡镇" in e for e in rows["evidence"].to_list())


def test_age_out(warnings: pl.DataFrame) -> None:
    rows = {r["id_number"]: r for r in warnings.filter(pl.col("code") == "AGE_OUT").to_dicts()}
    assert set(rows) == {ORPHAN_OLD, ORPHAN_SOON}
    assert (rows[ORPHAN_OLD]["action"], rows[ORPHAN_OLD]["effective_month"]) == ("停发", "2026-06")
    assert rows[ORPHAN_OLD]["overpayment"] == 1200 * 5  # June to October
    assert (rows[ORPHAN_SOON]["action"], rows[ORPHAN_SOON]["effective_month"]) == ("提前告知", "2027-02")


def test_age_invalid(warnings: pl.DataFrame) -> None:
    assert ids_of(warnings, "AGE_INVALID") == {ELDER_YOUNG}


def test_omission_rows_come_from_the_list(warnings: pl.DataFrame) -> None:
    rows = warnings.filter(pl.col("code") == "OMISSION")
    assert rows["id_number"].to_list() == [POOR_LEFT_OUT]
    assert rows.row(0, named=True)["village"] == "北村"
    assert Path("out/2026-11/疑似漏保.csv").exists()


def test_config_changes_the_result(workspace: Path) -> None:
    config_file = workspace / "hexiao.toml"
    config_file.write_text(
        "[rules.vehicle]\nexempt_types = []\n\n[rules.property]\nmax_residential_units = 2\n", encoding="utf-8"
    )
    warnings = run(workspace, load_config(config_file))
    assert ids_of(warnings, "VEHICLE") == {CAR, MOTO}  # motorcycles no longer exempt
    assert ids_of(warnings, "PROPERTY") == {SHOP}  # two homes allowed; the shop still counts


def test_the_newest_extract_up_to_the_month_is_the_one_in_force(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    roll = write_text(workspace / "roll.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    for month in ("2026-10", "2026-11", "2026-12"):
        load("roll", [roll], month=month, db=db)
    # October's extract lists the car; November's, which replaces it, no longer does. December's
    # lists it again but is not yet in force for November.
    with_car = write_text(workspace / "vehicle-10.csv", "\n".join(VEHICLES) + "\n")
    without_car = write_text(workspace / "vehicle-11.csv", "\n".join(VEHICLES[:1] + VEHICLES[2:]) + "\n")
    again = write_text(workspace / "vehicle-12.csv", "\n".join(VEHICLES) + "\n\n")  # other bytes, same rows
    load("vehicle", [with_car], month="2026-10", db=db)
    load("vehicle", [without_car], month="2026-11", db=db)
    load("vehicle", [again], month="2026-12", db=db)

    def vehicle_ids(month: str) -> set[str]:
        return ids_of(match(month=month, db=db, out=workspace / "out").warnings, "VEHICLE")

    assert vehicle_ids("2026-10") == {CAR}
    assert vehicle_ids("2026-11") == set()
    assert vehicle_ids("2026-12") == {CAR}


def test_a_rule_linking_its_own_extract_later_sees_the_same_links(workspace: Path) -> None:
    """A rule whose extract was not linked with the others (`linked` after `link_extracts`) adds
    that extract's links to the run's table and leaves the others' there: every rule then reads
    what one pass would give."""
    expected = run(workspace)
    with opened(workspace / "hexiao.duckdb") as conn:
        conn.execute("BEGIN TRANSACTION")
        prepare_month(conn, "2026-11")
        ctx = RuleContext(conn=conn, month="2026-11", month_start=month_start("2026-11"), config=Config())
        link_extracts(ctx, [VEHICLE_KIND])
        property_rows = PropertyRule().run(ctx)  # links the property extract now
        vehicle_rows = VehicleRule().run(ctx)  # the vehicle links must still be there
        conn.execute("ROLLBACK")
    for code, rows in (("VEHICLE", vehicle_rows), ("PROPERTY", property_rows)):
        shared = [column for column in rows.columns if column in expected.columns]  # the rule's own columns
        one_pass = expected.filter(pl.col("code") == code).select(shared).sort("id_number")
        assert rows.select(shared).sort("id_number").equals(one_pass), code
