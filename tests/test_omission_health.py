"""OMISSION from medical settlements (因病) and the disabled persons' register (重残), on small
hand-written files: who is listed, every exemption, and what the run says when it cannot check."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from conftest import ROLL_HEADER, write_text
from hexiao.config import Config
from hexiao.load import load
from hexiao.match import match
from hexiao.normalize.ids import check_digit
from hexiao.roll_gaps import gap_messages
from hexiao.settings import load_config

MONTH = "2026-11"  # window: settlements, contributions and pensions from 2025-12-01 to 2026-11-30


def pid(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


# On the roll: never listed, whatever the extracts say.
ROLL_SICK, ROLL_DISABLED, ROLL_TYPO = pid("19700101", "011"), pid("19800101", "021"), pid("19750505", "031")
ROLL = [
    f"城关镇,东村,H1,王大病,{ROLL_SICK},王大病,{ROLL_SICK},本人,农村低保,A,400,2021-06",
    f"城关镇,东村,H2,李重残,{ROLL_DISABLED},李重残,{ROLL_DISABLED},本人,农村低保,A,400,2021-06",
    f"城关镇,东村,H3,周错号,{ROLL_TYPO},周错号,{ROLL_TYPO},本人,特困供养,,700,2018-01",
]
# The roll member's ID with two digits swapped, as another department typed it: still linked.
TYPO_SWAPPED = ROLL_TYPO[:10] + ROLL_TYPO[11] + ROLL_TYPO[10] + ROLL_TYPO[12:]

SICK, EXACT, UNDER, OLD, FUTURE = (pid("19750303", s) for s in ("101", "111", "121", "131", "141"))
MEDICAL_HEADER = "所属乡镇,村（社区）,人员姓名,证件号码,结算时间,医疗费总额,个人负担总金额,个人现金支出"
MEDICAL = [
    MEDICAL_HEADER,
    f"双桥镇,西村,赵因病,{SICK},2026-03-05 14:22:11,30000,6000.00,5000.00",
    f"双桥镇,西村,赵因病,{SICK},2026-10-20 09:01:00,12000,4500.00,4500.00",
    f"双桥镇,西村,钱刚好,{EXACT},2026-06-01,20000,10000,",
    f"双桥镇,西村,孙不够,{UNDER},2026-06-01,20000,9999.99,",
    f"双桥镇,西村,吴太早,{OLD},2025-11-30,40000,8000,",  # the day before the window
    f"双桥镇,西村,吴太早,{OLD},2026-01-10,9000,3000,",
    f"双桥镇,西村,郑未来,{FUTURE},2026-12-02,50000,12000,",  # after the month's end
    f"城关镇,东村,王大病,{ROLL_SICK},2026-05-05,80000,20000,",
    f"城关镇,东村,周错号,{TYPO_SWAPPED},2026-05-05,80000,20000,",
]

SEVERE, AGE18, AGE17, AGE59, AGE60 = (
    pid("19860404", "201"),
    pid("20081130", "211"),  # 18 on 2026-11-30, the month's last day
    pid("20081201", "221"),  # 18 only on 2026-12-01
    pid("19661201", "231"),  # 59 on 2026-11-30
    pid("19661130", "241"),  # 60 on 2026-11-30
)
LIMB3, MENTAL3, WAGE, OLD_WAGE, PENSIONED = (pid("19900101", s) for s in ("251", "261", "271", "281", "291"))
CERTIFICATE_ONLY = pid("19910101", "301")
DISABILITY_HEADER = "乡镇,村,姓名,身份证号,残疾人证号,残疾类别,残疾等级"
DISABILITY = [
    DISABILITY_HEADER,
    f"李集乡,南村,冯一级,{SEVERE},,肢体残疾,一级",
    f"李集乡,南村,陈十八,{AGE18},,视力残疾,1级",
    f"李集乡,南村,褚十七,{AGE17},,视力残疾,1",
    f"李集乡,南村,卫五九,{AGE59},,听力残疾,壹级",
    f"李集乡,南村,蒋六十,{AGE60},,听力残疾,二级",
    f"李集乡,南村,沈肢三,{LIMB3},,肢体残疾,三级",
    f"李集乡,南村,韩精三,{MENTAL3},,精神残疾,三级",
    f"李集乡,南村,杨有薪,{WAGE},,肢体残疾,二级",
    f"李集乡,南村,朱旧薪,{OLD_WAGE},,肢体残疾,二级",
    f"李集乡,南村,秦养老,{PENSIONED},,肢体残疾,二级",
    f"李集乡,南村,尤证号,,{CERTIFICATE_ONLY}52,,",  # the certificate gives ID, 智力, 二级
    f"城关镇,东村,李重残,{ROLL_DISABLED},,肢体残疾,一级",
    f"双桥镇,西村,赵因病,{SICK},,肢体残疾,二级",  # also 因病: one warning with both reasons
]
PROVIDENT = [
    "姓名,身份证号,单位名称,缴存基数,月缴存额,缴存年月",
    f"杨有薪,{WAGE},某福利厂,2500,300,2026-05",
    f"朱旧薪,{OLD_WAGE},某福利厂,2500,300,2025-11",  # the month before the window
]
PENSION = ["姓名,身份证号,待遇类型,月发放金额,发放年月", f"秦养老,{PENSIONED},企业职工基本养老保险,1800,2026-10"]


def _run(workspace: Path, config: Config | None, incomes: tuple[str, ...] = ("provident", "pension")) -> pl.DataFrame:
    db = workspace / "hexiao.duckdb"
    files = {"roll": [ROLL_HEADER, *ROLL], "medical": MEDICAL, "disability": DISABILITY}
    files |= {kind: lines for kind, lines in (("provident", PROVIDENT), ("pension", PENSION)) if kind in incomes}
    for kind, lines in files.items():
        load(kind, [write_text(workspace / f"{kind}.csv", "\n".join(lines) + "\n")], month=MONTH, db=db)
    # Last month's export of a rolling year held one of this month's settlements already: it counts once.
    again = write_text(workspace / "medical-10.csv", "\n".join(MEDICAL[:2]) + "\n")
    load("medical", [again], month="2026-10", db=db)
    result = match(month=MONTH, db=db, out=workspace / "out", config=config)
    return result.warnings.filter(pl.col("code") == "OMISSION")


def _config(workspace: Path, text: str = "[rules.omission]\nmedical_out_of_pocket_12m = 10000\n") -> Config:
    path = workspace / "hexiao.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def listed(workspace: Path) -> dict[str, dict[str, object]]:
    rows = _run(workspace, _config(workspace)).to_dicts()
    by_id = {str(row["id_number"]): row for row in rows}
    assert len(by_id) == len(rows), "one warning per person"
    return by_id


def test_medical_costs_at_the_threshold_over_12_months_are_listed_with_their_rows(listed: dict) -> None:
    row = listed[EXACT]
    assert row["action"] == "纳入排查" and row["label"] == "疑似漏保"
    assert "近12个月（2025-12-01至2026-11-30）个人自付合计 10000.00 元" in str(row["evidence"])
    sick = str(listed[SICK]["evidence"])
    # 个人负担总金额, not 个人现金支出, where a file has both; a settlement sent twice once; each with its row
    assert "个人自付合计 10500.00 元" in sick and "2026-03-05 自付 6000.00 元（medical.csv 第2行）" in sick
    assert (listed[SICK]["township"], listed[SICK]["village"]) == ("双桥镇", "西村")


def test_medical_exemptions(listed: dict) -> None:
    assert UNDER not in listed  # 9999.99 < 10000
    assert OLD not in listed  # 8000 of it settled before the 12 months
    assert FUTURE not in listed  # settled after the month's end
    assert ROLL_SICK not in listed and TYPO_SWAPPED not in listed  # on a roll, by ID or by a fuzzy link


def test_severe_disability_of_working_age_without_income_is_listed(listed: dict) -> None:
    evidence = str(listed[SEVERE]["evidence"])
    assert "残疾类别 肢体，残疾等级 一级" in evidence and "40 岁" in evidence
    assert "近12个月无公积金缴存、无养老金发放记录" in evidence
    assert listed[SEVERE]["township"] == "李集乡"
    assert {AGE18, AGE59, OLD_WAGE} <= set(listed)  # 1级 / 壹级 read; a wage before the window is none
    assert "残疾类别 智力，残疾等级 二级" in str(listed[CERTIFICATE_ONLY]["evidence"])  # from the certificate


def test_disability_exemptions(listed: dict) -> None:
    assert AGE17 not in listed and AGE60 not in listed  # outside 18–59 at the month's end
    assert LIMB3 not in listed  # 三级 is severe only for 智力 and 精神 (seed 004)
    assert MENTAL3 in listed
    assert WAGE not in listed and PENSIONED not in listed  # a wage or a pension in the window
    assert ROLL_DISABLED not in listed


def test_one_warning_names_every_reason(listed: dict) -> None:
    evidence = str(listed[SICK]["evidence"])
    assert evidence.index("因病：") < evidence.index("重残：") and evidence.endswith("本月各保障花名册均未找到此人")
    detail = json.loads(
        duckdb.connect("hexiao.duckdb", read_only=True)
        .execute("SELECT link_detail FROM warnings WHERE id_number = ?", [SICK])
        .fetchone()[0]
    )
    assert sorted(link["kind"] for link in detail["links"]) == ["disability", "medical", "medical"]


def test_without_income_registers_the_evidence_says_so(workspace: Path) -> None:
    rows = {str(r["id_number"]): r for r in _run(workspace, _config(workspace), incomes=()).to_dicts()}
    assert WAGE in rows and PENSIONED in rows  # not known to earn: listed, and the gap said
    assert "未取得近12个月公积金缴存、养老金发放数据，无法核对有无工资、养老金收入" in str(rows[SEVERE]["evidence"])


def test_with_one_income_register_the_evidence_names_only_the_missing_one(workspace: Path) -> None:
    rows = {str(r["id_number"]): r for r in _run(workspace, _config(workspace), incomes=("pension",)).to_dicts()}
    assert WAGE in rows and PENSIONED not in rows  # the pension was read: 秦养老 earns
    evidence = str(rows[SEVERE]["evidence"])
    assert "近12个月无养老金发放记录；未取得近12个月公积金缴存数据，无法核对有无工资收入" in evidence
    assert "养老金收入" not in evidence and "养老金发放数据" not in evidence


def test_without_a_threshold_the_medical_source_is_off_and_the_run_says_so(workspace: Path) -> None:
    rows = _run(workspace, None)
    assert EXACT not in rows["id_number"].to_list() and SEVERE in rows["id_number"].to_list()
    summary = json.loads((workspace / "out" / MONTH / "summary.json").read_text(encoding="utf-8"))
    notes = [line for line in gap_messages(summary) if "medical_out_of_pocket_12m" in line]
    assert len(notes) == 1 and "未按医疗支出排查疑似漏保" in notes[0]


def test_configured_levels_may_be_written_as_numbers(workspace: Path) -> None:
    text = '[rules.omission]\nsevere_disability_levels = ["1"]\nsevere_mental_levels = []\n'
    rows = set(_run(workspace, _config(workspace, text))["id_number"].to_list())
    assert SEVERE in rows and OLD_WAGE not in rows and MENTAL3 not in rows


def _rejects(db: Path, kind: str) -> list[tuple[int, str]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        query = "SELECT source_row, reason FROM rejected WHERE kind = ? ORDER BY source_row"
        return [(int(r), str(m)) for r, m in conn.execute(query, [kind]).fetchall()]


def test_medical_rows_are_refused_with_reasons(workspace: Path) -> None:
    lines = [
        "参保人姓名,公民身份号码,结算日期,医疗总费用,个人现金支付",
        f"赵因病,{SICK},2026-03-05,300,120",
        f"赵因病,{SICK},,300,120",
        f"赵因病,{SICK},去年,300,120",
        f"赵因病,{SICK},2026-03-06,300,",
        f"赵因病,{SICK},2026-03-07,300,一百",
    ]
    db = workspace / "hexiao.duckdb"
    result = load("medical", [write_text(workspace / "医保.csv", "\n".join(lines) + "\n")], month=MONTH, db=db)
    assert (result.inputs[0].rows_loaded, result.inputs[0].rows_rejected) == (1, 4)
    assert _rejects(db, "medical") == [
        (3, "结算日期为空"),
        (4, "结算日期无法识别：去年"),
        (5, "个人自付为空"),
        (6, "个人自付无法识别：一百"),
    ]


def test_disability_rows_are_refused_with_reasons(workspace: Path) -> None:
    lines = [
        "姓名,身份证号,残疾类别,残疾等级",
        f"冯一级,{SEVERE},肢体,一级",
        f"冯一级,{SEVERE},肢体,",
        f"冯一级,{SEVERE},肢体,五级",
    ]
    db = workspace / "hexiao.duckdb"
    result = load("disability", [write_text(workspace / "残联.csv", "\n".join(lines) + "\n")], month=MONTH, db=db)
    assert (result.inputs[0].rows_loaded, result.inputs[0].rows_rejected) == (1, 2)
    assert _rejects(db, "disability") == [
        (3, "残疾等级为空（也没有可读出等级的残疾人证号）"),
        (4, "残疾等级无法识别：五级（应为一级至四级）"),
    ]


@pytest.mark.parametrize(
    ("written", "level"),
    [("一级", "一级"), ("1级", "一级"), ("1", "一级"), ("壹级", "一级"), ("Ⅰ级", "一级"), ("二级（重度）", "二级"),
     ("肢体二级", "二级"), (" 3 ", "三级"), ("IV级", "四级"), ("5级", None), ("重度", None)],
)  # fmt: skip
def test_a_level_is_read_however_it_is_written(written: str, level: str | None) -> None:
    from hexiao.ingest.disability import level_name

    assert pl.select(level_name(pl.lit(written))).item() == level
