"""`hexiao match --inbox`: kinds from names or headers, SHA-256 skips, unplaceable files."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.errors import InputError
from hexiao.inbox import plan_inbox, survey_inbox
from hexiao.store import opened, transaction
from test_deceased import CREMATION, HEAD, ROLL

runner = CliRunner()


@pytest.fixture
def inbox(workspace: Path) -> Path:
    folder = workspace / "inbox" / "2026-11"
    folder.mkdir(parents=True)
    write_text(folder / "城关镇花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    write_text(folder / "export_0931.csv", "\n".join(CREMATION) + "\n", "gb18030")  # told by its header
    return folder


def test_plan_tells_kinds_from_names_and_headers(inbox: Path) -> None:
    kinds = {p.path.name: p.kind for p in plan_inbox(inbox)}
    assert kinds == {"城关镇花名册.csv": "roll", "export_0931.csv": "cremation"}


def test_default_inbox_is_loaded_once(inbox: Path) -> None:
    first = runner.invoke(app, ["match", "--month", "2026-11"])
    assert first.exit_code == 0, first.output
    assert "载入 保障对象花名册 城关镇花名册.csv" in first.stderr
    second = runner.invoke(app, ["match", "--month", "2026-11"])
    assert second.exit_code == 0
    assert "跳过 城关镇花名册.csv" in second.stderr and "跳过 export_0931.csv" in second.stderr


def test_unplaceable_file_stops_before_anything_is_loaded(inbox: Path) -> None:
    write_text(inbox / "notes.csv", "项目,说明\n甲,乙\n")
    with pytest.raises(InputError, match="notes.csv"):
        plan_inbox(inbox)
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 1
    assert "notes.csv" in result.stderr
    assert not Path("hexiao.duckdb").exists()  # nothing loaded: not even a workspace was made


def test_explicit_inbox_and_xlsx_reports(workspace: Path, inbox: Path) -> None:
    moved = workspace / "elsewhere"
    inbox.rename(moved)
    result = runner.invoke(app, ["match", "--month", "2026-11", "--inbox", str(moved), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path("out/2026-11/预警名单_城关镇.xlsx")
    assert book.sheet_names[0] == "汇总" and "死亡" in book.sheet_names
    rows = book.get_sheet_by_name("死亡").to_python()
    id_column = rows[0].index("身份证号")
    assert all(isinstance(row[id_column], str) and len(row[id_column]) == 18 for row in rows[1:])


def test_report_rewrites_without_matching(workspace: Path, inbox: Path) -> None:
    assert runner.invoke(app, ["report", "--month", "2026-11"]).exit_code == 1  # nothing matched yet
    assert runner.invoke(app, ["match", "--month", "2026-11"]).exit_code == 0
    before = Path("out/2026-11/预警名单.csv").read_text(encoding="utf-8-sig")
    result = runner.invoke(app, ["report", "--month", "2026-11", "--encoding", "gb18030"])
    assert result.exit_code == 0, result.output
    assert Path("out/2026-11/预警名单.csv").read_text(encoding="gb18030") == before


def test_report_writes_the_matchs_order_however_the_warnings_are_stored(workspace: Path, inbox: Path) -> None:
    assert runner.invoke(app, ["match", "--month", "2026-11"]).exit_code == 0
    before = Path("out/2026-11/预警名单.csv").read_text(encoding="utf-8-sig")
    # A month of 100,000 warnings or more is stored in no set order (`store.insert_frame`).
    with opened(workspace / "hexiao.duckdb") as conn, transaction(conn):
        conn.execute("CREATE TEMP TABLE shuffled AS SELECT * FROM warnings ORDER BY md5(warning_id || 'x')")
        conn.execute("DELETE FROM warnings")
        conn.execute("INSERT INTO warnings SELECT * FROM shuffled")
        stored = [row[0] for row in conn.execute("SELECT name FROM warnings").fetchall()]
    assert len(stored) > 2 and stored != sorted(stored)
    assert runner.invoke(app, ["report", "--month", "2026-11"]).exit_code == 0
    assert Path("out/2026-11/预警名单.csv").read_text(encoding="utf-8-sig") == before


def test_litter_is_ignored_and_listed_while_the_real_files_load(inbox: Path) -> None:
    for name in ("Thumbs.db", "desktop.ini", ".DS_Store", "~$城关镇花名册.xlsx", ".hidden.csv"):
        (inbox / name).write_bytes(b"\x00\x01 not data")
    (inbox / "火化数据（待补）.csv").write_bytes(b"")  # an empty file, even with a kind's name
    plan = survey_inbox(inbox)
    assert [p.path.name for p in plan.files] == ["export_0931.csv", "城关镇花名册.csv"]
    assert plan.ignored == [
        ".DS_Store",
        ".hidden.csv",
        "Thumbs.db",
        "desktop.ini",
        "~$城关镇花名册.xlsx",
        "火化数据（待补）.csv",
    ]
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert "已忽略：.DS_Store、.hidden.csv、Thumbs.db、desktop.ini" in result.stderr
    assert "载入 火化/殡葬数据 export_0931.csv" in result.stderr
    assert "已忽略（不是数据）：.DS_Store" in Path("hexiao.log").read_text(encoding="utf-8")  # cron reads the log
    as_json = runner.invoke(app, ["match", "--month", "2026-11", "--json"])
    assert '"ignored_files": [' in as_json.stdout and '"Thumbs.db"' in as_json.stdout


def test_a_workbook_without_a_cell_is_litter_in_the_inbox_and_an_error_when_named(inbox: Path) -> None:
    blank = inbox / "新建 Microsoft Excel 工作表.xlsx"  # what Windows' right-click 新建 makes
    with xlsxwriter.Workbook(str(blank)) as book:
        book.add_worksheet("Sheet1")
    with xlsxwriter.Workbook(str(inbox / "火化数据.xlsx")) as book:  # a kind's name, sheets left blank
        book.add_worksheet("Sheet1").write_blank(0, 0, None, book.add_format({"bold": True}))
        book.add_worksheet("Sheet2")
    plan = survey_inbox(inbox)
    assert plan.ignored == ["新建 Microsoft Excel 工作表.xlsx", "火化数据.xlsx"]
    assert [p.path.name for p in plan.files] == ["export_0931.csv", "城关镇花名册.csv"]
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert "已忽略：新建 Microsoft Excel 工作表.xlsx、火化数据.xlsx" in result.stderr
    named = runner.invoke(app, ["load", "cremation", str(inbox / "火化数据.xlsx"), "--month", "2026-11"])
    assert named.exit_code == 1 and "工作簿中没有任何数据" in named.stderr


def test_an_empty_file_named_on_the_command_line_is_an_error(workspace: Path) -> None:
    empty = workspace / "火化数据.csv"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["load", "cremation", str(empty), "--month", "2026-11"])
    assert result.exit_code == 1
    assert "火化数据.csv" in result.stderr and "文件为空" in result.stderr


def test_a_police_export_in_the_inbox_is_known_by_name_and_by_header(inbox: Path) -> None:
    header = "机动车所有人,身份证明名称,身份证明号码,号牌种类,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期"
    row = f"张三,居民身份证,{HEAD},小型汽车,皖D12345,小型轿车,非营运,正常,2020-05-01"
    write_text(inbox / "机动车登记信息.csv", f"{header}\n{row}\n")
    write_text(inbox / "jdc_export.csv", f"{header}\n{row.replace('皖D12345', '皖D54321')}\n")
    kinds = {p.path.name: p.kind for p in plan_inbox(inbox)}
    assert kinds["机动车登记信息.csv"] == "vehicle" and kinds["jdc_export.csv"] == "vehicle"
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    warned = Path("out/2026-11/预警名单.csv").read_text(encoding="utf-8-sig")
    assert "皖D12345" in warned


def test_an_empty_inbox_is_called_empty(workspace: Path) -> None:
    folder = workspace / "inbox" / "2026-11"
    folder.mkdir(parents=True)
    (folder / "Thumbs.db").write_bytes(b"\x00")
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "收件目录" in line and "是空的" in line and "Thumbs.db" in line
    assert "hexiao load roll" in line and "放进该目录" in line


def test_no_inbox_and_no_roll_says_where_the_files_go(workspace: Path) -> None:
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 1
    assert "也没有收件目录 inbox/2026-11" in result.stderr and "放进该目录" in result.stderr


def test_settings_beside_the_files_are_not_data(inbox: Path) -> None:
    (inbox / "hexiao.toml").write_text("[rules.vehicle]\nexempt_types = []\n", encoding="utf-8")
    plan = survey_inbox(inbox)
    assert [p.path.name for p in plan.files] == ["export_0931.csv", "城关镇花名册.csv"]
    assert plan.ignored == []  # hexiao's own, not litter: nothing to list
