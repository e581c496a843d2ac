"""A township's workbook comes back: `hexiao feedback` finds the replies typed into its sheets
(the 汇总 sheet, with no 预警编号, is passed over)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.feedback import feedback
from hexiao.load import load
from hexiao.match import match
from hexiao.report.columns import REPORT_HEADERS

CLERK = "340421195001010134"
ROLL = [ROLL_HEADER, f"城关镇,东村,H1,张三,{CLERK},张三,{CLERK},本人,农村低保,A,560,2020-01"]
EMPLOYEES = ["姓名,身份证号,工作单位,人员类别", f"张三,{CLERK},县教育局,事业"]


runner = CliRunner()


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _type_reply(book: Path, sheet: str, row: int, header: str, text: str, saved: Path) -> Path:
    """What the township does in Excel: types `text` into a blank cell of the table, saves."""
    cell = f"{_column_letter(list(REPORT_HEADERS.values()).index(header) + 1)}{row}"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet:
                xml, count = re.subn(
                    rf'<c r="{cell}" s="(\d+)"/>',
                    rf'<c r="{cell}" s="\1" t="inlineStr"><is><t>{text}</t></is></c>',
                    data.decode(),
                )
                assert count == 1, f"no blank cell {cell} in {sheet}"
                data = xml.encode()
            target.writestr(item, data)
    return saved


def test_a_reply_typed_into_the_township_workbook_is_recorded(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    load("roll", [write_text(workspace / "11月花名册.csv", "\n".join(ROLL) + "\n")], month="2026-11", db=db)
    load("employee", [write_text(workspace / "财政供养.csv", "\n".join(EMPLOYEES) + "\n")], month="2026-11", db=db)
    warnings = match(month="2026-11", db=db, out=workspace / "out", excel=True).warnings
    assert warnings["code"].to_list() == ["PUBLIC_EMPLOYEE"]
    book = workspace / "out" / "2026-11" / "预警名单_城关镇.xlsx"
    # Sheet 1 is 汇总, sheet 2 the one warning type; its first warning is on row 2.
    reply = _type_reply(book, "xl/worksheets/sheet2.xml", 2, "核查结果", "属实", workspace / "城关镇_反馈.xlsx")
    recorded = feedback([reply], db=db)
    assert recorded.by_result == {"属实": 1}
    assert not recorded.problems
    # The reply's provenance is its file, sheet and row, as the township's workbook shows them.
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = conn.execute("SELECT source_file, sheet, source_row FROM feedback").fetchall()
    assert [(Path(f).name, s, r) for f, s, r in stored] == [("城关镇_反馈.xlsx", "财政供养", 2)]
    story = runner.invoke(app, ["explain", warnings["warning_id"][0], "--db", str(db)])
    assert "城关镇_反馈.xlsx 工作表“财政供养” 第2行" in story.stdout
