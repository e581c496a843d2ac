"""`hexiao check`: an applicant workbook checked against every source in force and the rolls."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

import hexiao.intake.sources as sources
from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.errors import ConfigError, StateError
from hexiao.intake import check
from hexiao.intake.report import MANIFEST
from hexiao.load import load
from hexiao.match import match
from hexiao.normalize.ids import check_digit
from hexiao.rules import REGISTRY
from hexiao.rules.base import RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import ROLL_COLUMNS_SQL, extract_table, link_detail_sql, linked
from hexiao.settings import load_config
from hexiao.store import opened, query
from test_render import _pages, _require_programs

runner = CliRunner()
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
TODAY = date(2026, 12, 3)


def pid(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


DEAD = pid("19400101", "011")  # cremated in 2026-09
CAR = pid("19600101", "021")  # owns a car
MOTO = pid("19600202", "031")  # owns only a motorcycle: exempt
HEAD, WIFE = pid("19550303", "041"), pid("19560404", "052")  # one household, a home each
BOSS = pid("19610505", "061")  # 法定代表人 of an active company
CLERK = pid("19620606", "071")  # on the payroll list
SAME = pid("19630707", "081")  # already on the 农村低保 roll, applies for it again
OTHER = pid("19640808", "091")  # on the 城市低保 roll, applies for 农村低保
EARLIER = pid("19650909", "101")  # on the 特困供养 roll loaded for 2026-10 only
NUMERIC = pid("19661010", "111")  # on the roll; the applicant list holds the ID as a number
CLEAR = pid("19700101", "121")  # nothing anywhere

ROLL = [
    f"李集乡,南村,R1,同甲,{SAME},同甲,{SAME},本人,农村低保,A,400,2020-01",
    f"双桥镇,西村,R2,异乙,{OTHER},异乙,{OTHER},本人,城市低保,B,300,2021-01",
    f"双桥镇,西村,R3,数丙,{NUMERIC},数丙,{NUMERIC},本人,城市低保,B,300,2021-01",
]
EARLIER_ROLL = [f"李集乡,北村,T1,早丁,{EARLIER},早丁,{EARLIER},本人,特困供养,,700,2019-01"]
EXTRACTS = {
    "cremation": ["逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆", f"亡者,{DEAD},2026-09-03,2026-09-05,县殡仪馆"],
    "vehicle": [
        "机动车所有人,身份证号码,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期",
        f"车主,{CAR},皖D12345,小型轿车,非营运,正常,2019-05-01",
        f"摩托,{MOTO},皖D2222,普通二轮摩托车,非营运,正常,2018-01-01",
    ],
    "property": [
        "权利人,权利人证件号码,不动产权证号,坐落,建筑面积,规划用途,登记日期",
        f"户主,{HEAD},皖(2020)001,东村1号,90.5,住宅,2020-01-01",
        f"妻子,{WIFE},皖(2021)002,东村2号,60,成套住宅,2021-01-01",
    ],
    "business": [
        "姓名,身份证号,企业名称,统一社会信用代码,人员身份,登记状态",
        f"老板,{BOSS},某某建材有限公司,91340421MA2XXXXX1A,法定代表人,存续",
    ],
    "employee": ["姓名,身份证号,工作单位,人员类别", f"职员,{CLERK},县教育局,事业"],
}
APPLICANT_HEADER = ["村（社区）", "户编号", "户主姓名", "户主身份证号", "姓名", "身份证号", "与户主关系", "保障类别"]
# Each sheet one township's applicants (the township is the sheet's name), under a title row.
APPLICANTS = {
    "城关镇": [
        ["东村", "S1", "亡者", DEAD, "亡者", DEAD, "本人", "农村低保"],
        ["东村", "S2", "车主", CAR, "车主", CAR, "本人", "农村低保"],
        ["东村", "S3", "摩托", MOTO, "摩托", MOTO, "本人", "农村低保"],
        ["东村", "S4", "户主", HEAD, "户主", HEAD, "户主", "农村低保"],
        ["东村", "S4", "户主", HEAD, "妻子", WIFE, "配偶", "农村低保"],
        ["东村", "S5", "", "", "", "", "", "农村低保"],  # no name, no ID: cannot be checked
    ],
    "双桥镇": [
        ["西村", "S6", "老板", BOSS, "老板", BOSS, "本人", "城市低保"],
        ["西村", "S7", "职员", CLERK, "职员", CLERK, "本人", "城市低保"],
        ["西村", "S8", "同甲", SAME, "同甲", SAME, "本人", "农村低保"],
        ["西村", "S9", "异乙", OTHER, "异乙", OTHER, "本人", "农村低保"],
        ["西村", "S10", "早丁", EARLIER, "早丁", EARLIER, "本人", "农村低保"],
        ["西村", "S11", "数丙", NUMERIC, "数丙", NUMERIC, "本人", "农村低保"],
        ["西村", "S12", "清白", CLEAR, "清白", CLEAR, "本人", "农村低保"],
    ],
}


def write_applicants(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("说明").write(0, 0, "每个乡镇一个工作表")
    for township, rows in APPLICANTS.items():
        sheet = book.add_worksheet(township)
        sheet.write(0, 0, f"{township}2026年12月低保申请人名单")
        sheet.write_row(1, 0, APPLICANT_HEADER)
        for index, row in enumerate(rows, start=2):
            for column, value in enumerate(row):
                if value == NUMERIC and column == 5:
                    sheet.write_number(index, column, float(value))  # Excel keeps 15 digits of it
                else:
                    sheet.write_string(index, column, value)
    book.close()
    return path


@dataclass(frozen=True)
class Workspace:
    db: Path
    out: Path
    applicants: Path


@pytest.fixture
def ws(workspace: Path) -> Workspace:
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "低保.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")], month="2026-11", db=db)
    early = write_text(workspace / "特困.csv", "\n".join([ROLL_HEADER, *EARLIER_ROLL]) + "\n")
    load("roll", [early], month="2026-10", db=db)
    for kind, lines in EXTRACTS.items():
        load(kind, [write_text(workspace / f"{kind}.csv", "\n".join(lines) + "\n", "gbk")], month="2026-11", db=db)
    return Workspace(db, workspace / "out", write_applicants(workspace / "申请人.xlsx"))


def by_id(rows: pl.DataFrame) -> dict[str, dict[str, str]]:
    return {str(row["id_number"])[:15]: row for row in rows.iter_rows(named=True)}


def test_each_source_column_for_the_planted_applicants(ws: Workspace) -> None:
    result = check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)
    assert result.month == "2026-11" and result.latest  # the latest month with stored data
    rows = by_id(result.rows)
    assert len(rows) == 12
    assert rows[DEAD[:15]]["火化"].startswith("有：火化记录：亡者") and "2026-09-03" in rows[DEAD[:15]]["火化"]
    assert "来源 cremation.csv 第2行" in rows[DEAD[:15]]["火化"]
    assert rows[CAR[:15]]["车辆"].startswith("有：名下在用车辆 1 辆：号牌 皖D12345")
    assert rows[MOTO[:15]]["车辆"] == "未发现"  # exempt, as in the monthly rule
    for member in (HEAD, WIFE):
        assert rows[member[:15]]["不动产"].startswith("有：家庭共有住宅 2 套")  # the household's units together
    assert "某某建材有限公司" in rows[BOSS[:15]]["工商"]
    assert rows[CLERK[:15]]["财政供养"] == "有：财政供养人员名单：县教育局（事业）；来源 employee.csv 第2行"
    assert rows[SAME[:15]]["在保"].startswith(
        "有：农村低保，李集乡南村，2026-11 月花名册 低保.csv 第2行（与申请的保障类别相同）"
    )
    assert "城市低保" in rows[OTHER[:15]]["在保"] and "（另一保障类别）" in rows[OTHER[:15]]["在保"]
    # A programme whose roll of the month is not loaded: its newest roll before it is in force.
    assert rows[EARLIER[:15]]["在保"].startswith("有：特困供养，李集乡北村，2026-10 月花名册 特困.csv 第2行")
    # A numeric cell kept 15 digits: linked on them and the name, and the report says how.
    assert "匹配：" in rows[NUMERIC[:15]]["在保"] and "城市低保" in rows[NUMERIC[:15]]["在保"]
    assert all(row["收入"] == "未取得数据" for row in rows.values())  # no pension or provident data
    clear = rows[CLEAR[:15]]
    assert clear["核对结论"] == "未发现"
    assert [clear[h] for h in sources.SOURCE_HEADERS[:-1]] == ["未发现"] * 6
    assert {row["核对结论"] for key, row in rows.items() if key != CLEAR[:15] and key != MOTO[:15]} == {"有发现"}
    assert rows[DEAD[:15]]["township"] == "城关镇"  # the sheet's name fills the missing column
    assert result.problems == ["申请人.xlsx 工作表“城关镇” 第8行：姓名和身份证号均为空"]


def test_evidence_leaves_out_what_concerns_payments_on_a_roll(ws: Workspace) -> None:
    dead = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY).rows)[DEAD[:15]]["火化"]
    assert "发放" not in dead and "花名册：" not in dead and "单人户" not in dead
    assert "死亡日期 2026-09-03" in dead


def test_nothing_is_stored_but_the_ledger(ws: Workspace) -> None:
    with duckdb.connect(str(ws.db)) as conn:
        before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("roll", "warnings", "rejected")}
    result = check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)
    with duckdb.connect(str(ws.db)) as conn:
        after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("roll", "warnings", "rejected")}
        batch = conn.execute(
            "SELECT command, month, outcome, detail FROM batches WHERE batch_id = ?", [result.batch_id]
        ).fetchone()
        inputs = conn.execute("SELECT kind, file_name, rows_read, rows_loaded, rows_rejected FROM inputs WHERE batch_id = ?", [result.batch_id]).fetchall()  # fmt: skip
    assert after == before
    assert batch is not None and batch[:3] == ("check", "2026-11", "完成") and "有发现 10 人" in batch[3]
    assert inputs == [("applicant", "申请人.xlsx", 13, 12, 1)]


def test_a_later_match_does_not_list_the_applicant_list_among_its_inputs(ws: Workspace) -> None:
    check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)
    summary = match(month="2026-11", db=ws.db, out=ws.out).summary
    assert "applicant" not in {item["kind"] for item in summary["inputs"]}
    assert {item["kind"] for item in summary["inputs"]} >= {"roll", "cremation", "employee"}


def test_report_file_per_township_owner_only(ws: Workspace) -> None:
    result = check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)
    folder = ws.out / "核对" / "2026-12-03"
    assert result.out_dir == folder
    assert sorted(p.name for p in result.files) == ["核对报告_双桥镇.csv", "核对报告_城关镇.csv"]
    for path in result.files:
        assert path.stat().st_mode & 0o077 == 0
    frame = pl.read_csv(folder / "核对报告_双桥镇.csv", infer_schema=False)
    assert frame.columns == [
        "乡镇（街道）", "村（社区）", "户编号", "户主姓名", "姓名", "身份证号", "保障类别", "核对结论",
        "身份证号核验", "火化", "车辆", "不动产", "工商", "财政供养", "在保", "收入", "申请名单行",
    ]  # fmt: skip
    assert frame.height == 7 and frame["身份证号"][0] == f"\t{BOSS}"  # text in Excel: all 18 digits
    assert frame["申请名单行"][0] == "申请人.xlsx 工作表“双桥镇” 第3行"
    assert not list(ws.out.glob("核对/.*tmp*"))  # the staging folder is gone


def test_xlsx_opens_with_ids_whole_and_header_frozen(ws: Workspace) -> None:
    result = check([ws.applicants], db=ws.db, out=ws.out, excel=True, today=TODAY)
    path = ws.out / "核对" / "2026-12-03" / "核对报告_双桥镇.xlsx"
    assert path in result.files and path.stat().st_mode & 0o077 == 0
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("核对报告").to_python()
    header = rows[0]
    ids = [row[header.index("身份证号")] for row in rows[1:]]
    assert ids[0] == BOSS and all(isinstance(i, str) and len(i) == 18 for i in ids)
    with open(path, "rb") as handle:
        import zipfile

        sheet = zipfile.ZipFile(handle).read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in sheet and 'ySplit="1"' in sheet


def test_a_file_hexiao_did_not_write_is_never_overwritten(ws: Workspace) -> None:
    folder = ws.out / "核对" / "2026-12-03"
    folder.mkdir(parents=True)
    theirs = folder / "核对报告_城关镇.csv"
    theirs.write_text("乡镇干部自己的表\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是 hexiao 写出的文件"):
        check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)
    assert theirs.read_text(encoding="utf-8") == "乡镇干部自己的表\n"
    assert not (folder / "核对报告_双桥镇.csv").exists()  # nothing written at all
    theirs.unlink()
    check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)
    check([ws.applicants], db=ws.db, out=ws.out, today=TODAY)  # its own files it replaces
    assert (folder / MANIFEST).read_text(encoding="utf-8").split() == ["核对报告_双桥镇.csv", "核对报告_城关镇.csv"]
    with duckdb.connect(str(ws.db)) as conn:
        outcomes = conn.execute("SELECT outcome FROM batches WHERE command = 'check' ORDER BY batch_id").fetchall()
    assert outcomes == [("失败",), ("完成",), ("完成",)]


def test_a_source_never_loaded_or_turned_off_says_so(ws: Workspace) -> None:
    config = replace(load_config(None), disabled_rules=("VEHICLE",))
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, config=config, today=TODAY).rows)
    assert rows[CAR[:15]]["车辆"] == "未核对：hexiao.toml 的 disabled_rules 停用了 VEHICLE"
    assert rows[CAR[:15]]["核对结论"] == "未发现"  # nothing else found for him: the rule that would is off


def test_the_month_given_picks_the_records_in_force(ws: Workspace) -> None:
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, month="2026-10", today=TODAY).rows)
    # Only the 特困供养 roll and nothing else was loaded for 2026-10 or before.
    assert rows[EARLIER[:15]]["在保"].startswith("有：特困供养")
    assert rows[SAME[:15]]["在保"] == "未发现"
    assert rows[CAR[:15]]["车辆"] == "未取得数据" and rows[DEAD[:15]]["火化"] == "未取得数据"


def test_no_data_at_all_is_refused(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    applicants = write_applicants(workspace / "申请人.xlsx")
    with pytest.raises(StateError, match="找不到数据库"):
        check([applicants], db=db, out=workspace / "out", today=TODAY)
    assert not db.exists()  # no workspace is created to check against
    with opened(db):
        pass  # a workspace with nothing loaded
    with pytest.raises(StateError, match="还没有花名册或比对数据"):
        check([applicants], db=db, out=workspace / "out", today=TODAY)


class FakeIncome:
    """Stands in for the INCOME rule: a warning for every applicant with a pension record."""

    code = "INCOME"
    label = "收入超标"
    section = "income"
    params_type = object
    linked_kinds: tuple[str, ...] = ("pension",)
    off: str | None = None

    def off_reason(self, ctx: RuleContext) -> str | None:
        return self.off

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        frame = query(
            ctx.conn,
            f"""
            SELECT 'INCOME' AS code, '收入超标' AS label, '中' AS risk, {ROLL_COLUMNS_SQL},
                   '身份证精确' AS match_method, 100.0 AS match_score, 'pension.csv 第2行' AS source,
                   '家庭月收入 3000.00 元；养老金已发放至 2026-11' AS evidence, '停发' AS action,
                   NULL AS effective_month, NULL::DOUBLE AS overpayment, r.id_norm AS person_key,
                   'x' AS evidence_key, {link_detail_sql(roll="[r.roll_key]")} AS link_detail
            FROM {linked(ctx, "pension")} l JOIN roll_m r USING (roll_key) JOIN {extract_table(ctx, "pension")} e USING (ext_key)
            """,
        )
        return frame.select(list(RULE_OUTPUT_SCHEMA))


def test_the_income_rule_plugs_in_by_its_code(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    pension = ["姓名,身份证号,待遇类型,月发放金额,发放年月", f"清白,{CLEAR},城乡居民养老保险,3000,2026-11"]
    load("pension", [write_text(ws.db.parent / "养老金发放.csv", "\n".join(pension) + "\n")], month="2026-11", db=ws.db)
    without = tuple(rule for rule in REGISTRY if rule.code not in ("INCOME", "GRADUAL_EXIT"))
    monkeypatch.setattr(sources, "REGISTRY", without)
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY).rows)
    assert rows[CLEAR[:15]]["收入"] == "未核对：本版本尚无收入核对规则"  # data, but no rule to weigh it
    rule = FakeIncome()
    monkeypatch.setattr(sources, "REGISTRY", (*without, rule))
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY).rows)
    # Its evidence whole: only DECEASED's notes on a roll's payments are left out.
    assert rows[CLEAR[:15]]["收入"] == "有：家庭月收入 3000.00 元；养老金已发放至 2026-11；来源 pension.csv 第2行"
    assert rows[CLEAR[:15]]["核对结论"] == "有发现"
    assert rows[CAR[:15]]["收入"] == "未发现（未取得住房公积金缴存数据）"  # a wage would be in those
    rule.off = "未设定低保标准（[rules.income] standard）"
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY).rows)
    assert rows[CAR[:15]]["收入"] == "未核对：未设定低保标准（[rules.income] standard）"


def test_command_line_masks_ids_and_reports_counts(ws: Workspace) -> None:
    result = runner.invoke(app, ["check", str(ws.applicants), "--format", "xlsx", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["month"] == "2026-11" and summary["month_is_latest"]
    assert summary["applicants"] == 12 and summary["with_findings"] == 10
    assert summary["by_source"]["在保"] == 4 and summary["no_data"] == ["收入"]
    assert len(summary["problems"]) == 1 and "第8行" in summary["problems"][0]
    latest = runner.invoke(app, ["check", str(ws.applicants)])
    assert "按 2026-11 月在用的比对数据，即工作区中有数据的最近月份" in latest.stdout  # says which month it took
    text = runner.invoke(app, ["check", str(ws.applicants), "--month", "2026-11"])
    assert text.exit_code == 0
    assert "核对完成：申请人 12 人，有发现 10 人（按 2026-11 月在用的比对数据）" in text.stdout
    assert "未取得数据，未能核对：收入" in text.stderr
    assert not FULL_ID.search(text.output) and not FULL_ID.search(Path("hexiao.log").read_text(encoding="utf-8"))
    assert runner.invoke(app, ["check", str(ws.applicants), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["check", str(ws.applicants), "--month", "2026-13"]).exit_code == 2
    assert runner.invoke(app, ["check", "nope.xlsx"]).exit_code == 1


def test_the_workbook_prints_every_id_whole_in_libreoffice(ws: Workspace) -> None:
    """Rendered by LibreOffice to PDF (skipped without it, as in `test_render`): each ID whole,
    nothing shown as `###`."""
    _require_programs()
    check([ws.applicants], db=ws.db, out=ws.out, excel=True, today=TODAY)
    workbook = ws.out / "核对" / "2026-12-03" / "核对报告_双桥镇.xlsx"
    workdir = ws.db.parent / "render"
    workdir.mkdir()
    shutil.copy(workbook, workdir / "report.xlsx")
    command = [
        "soffice", f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless",
        "--convert-to", "pdf", "--outdir", str(workdir), str(workdir / "report.xlsx"),
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    text = "".join(_pages(workdir / "report.pdf"))
    assert "###" not in text
    for member in (BOSS, CLERK, SAME, OTHER, EARLIER, CLEAR):
        assert member in text, member


def test_the_income_rule_off_says_why_and_on_finds_income_above_the_line(ws: Workspace) -> None:
    pension = ["姓名,身份证号,待遇类型,月发放金额,发放年月", f"清白,{CLEAR},城乡居民养老保险,3000,2026-11"]
    load("pension", [write_text(ws.db.parent / "养老金发放.csv", "\n".join(pension) + "\n")], month="2026-11", db=ws.db)
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY).rows)
    assert rows[CLEAR[:15]]["收入"].startswith("未核对：hexiao.toml 未设置 [rules.income] standard")
    toml = ws.db.parent / "income.toml"
    toml.write_text('[rules.income]\nstandard = { "城市低保" = 800, "农村低保" = 800 }\n', encoding="utf-8")
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY, config=load_config(toml)).rows)
    assert rows[CLEAR[:15]]["收入"].startswith("有：")


def test_a_column_whose_other_source_was_never_loaded_says_so(ws: Workspace) -> None:
    pension = ["姓名,身份证号,待遇类型,月发放金额,发放年月", f"清白,{CLEAR},城乡居民养老保险,3000,2026-11"]
    load("pension", [write_text(ws.db.parent / "养老金发放.csv", "\n".join(pension) + "\n")], month="2026-11", db=ws.db)
    toml = ws.db.parent / "income.toml"
    toml.write_text('[rules.income]\nstandard = { "城市低保" = 800, "农村低保" = 800 }\n', encoding="utf-8")
    rows = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY, config=load_config(toml)).rows)
    # No 公积金 records: a wage would be there, so 未发现 says what it did not see.
    assert rows[CAR[:15]]["收入"] == "未发现（未取得住房公积金缴存数据）"
    assert rows[CAR[:15]]["车辆"].startswith("有：")  # a column of one source, loaded: unchanged
    assert rows[MOTO[:15]]["车辆"] == "未发现"
    text = runner.invoke(app, ["check", str(ws.applicants), "--config", str(toml), "--json"])
    assert text.exit_code == 0, text.output
    assert json.loads(text.stdout)["partial_data"] == {"收入": ["住房公积金缴存数据"]}
    assert "收入：未取得住房公积金缴存数据" in text.stderr


def test_an_id_a_spreadsheet_damaged_is_flagged_not_read_as_clean(ws: Workspace) -> None:
    damaged = pid("19860101", "901")  # written as a number: Excel keeps 15 digits, then 000
    path = ws.db.parent / "新申请.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("城关镇")
    sheet.write_row(0, 0, APPLICANT_HEADER)
    sheet.write_row(1, 0, ["东村", "N1", "新人", "", "新人", "", "本人", "农村低保"])
    sheet.write_number(1, 5, float(damaged))
    sheet.write_row(2, 0, ["东村", "N2", "清白", CLEAR, "清白", CLEAR, "本人", "农村低保"])
    book.close()
    result = check([path], db=ws.db, out=ws.out, today=TODAY)
    rows = {row["name"]: row for row in result.rows.iter_rows(named=True)}
    assert rows["新人"]["id_number"] == damaged[:15] + "000"
    assert [rows["新人"][h] for h in sources.SOURCE_HEADERS[:-1]] == ["未发现"] * 6  # linked to nothing
    assert rows["新人"]["核对结论"] == "需核实身份证号"
    assert rows["新人"]["身份证号核验"].startswith("身份证号异常（Excel数值损坏）：被 Excel 当作数字保存")
    assert (rows["清白"]["核对结论"], rows["清白"]["身份证号核验"]) == ("未发现", "正常")
    assert len(result.id_problems) == 1 and "新申请.xlsx 工作表“城关镇” 第2行：新人" in result.id_problems[0]
    assert not FULL_ID.search(result.id_problems[0]) and damaged[:15] not in result.id_problems[0]
    # The list's own numeric ID beside a finding: 有发现 stays, the ID column says it is damaged.
    numeric = by_id(check([ws.applicants], db=ws.db, out=ws.out, today=TODAY).rows)[NUMERIC[:15]]
    assert numeric["核对结论"] == "有发现" and numeric["身份证号核验"].startswith("身份证号异常（Excel数值损坏）")
    cli = runner.invoke(app, ["check", str(path), "--json"])
    assert cli.exit_code == 0, cli.output
    summary = json.loads(cli.stdout)
    assert summary["id_to_verify"] == 1 and summary["id_problems"] == result.id_problems
    assert "需核实身份证号：新申请.xlsx" in cli.stderr and damaged[:15] not in cli.output
    text = runner.invoke(app, ["check", str(path)])
    assert "核对完成：申请人 2 人，有发现 0 人，需核实身份证号 1 人" in text.stdout
