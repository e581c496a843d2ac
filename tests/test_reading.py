"""Reading real exports: encodings, title rows, synonyms, junk rows, Excel, and bad files."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import xlsxwriter

from conftest import ROLL_HEADER, write_text
from hexiao.errors import InputError
from hexiao.io import grid, transcode
from hexiao.load import read_input
from hexiao.normalize import ids

ROWS = [
    "城关镇,东村,H1,张三,11010519491231002X,张三,11010519491231002X,户主,农村低保,A,500,2020-01",
    "城关镇,东村,H1,张三,11010519491231002X,李梅,440524188001010014,配偶,农村低保,A,500.00,202001",
    "双桥镇,西村,H2,王志刚,,王志刚,150102880730303,本人,特困供养,,800,2019年3月",
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_text(tmp_path / "花名册.csv", "\n".join([ROLL_HEADER, *ROWS]) + "\n", encoding)
    item = read_input(path, "roll")
    assert item.summary.rows_read == 3
    assert item.summary.rows_loaded == 3
    assert item.loaded["name"].to_list() == ["张三", "李梅", "王志刚"]


def test_title_row_synonyms_and_junk_rows(tmp_path: Path) -> None:
    header = (
        "乡镇(街道),村,家庭编号,户主,户主身份证号码,成员姓名,身 份 证 号,关系,救助类别,类别(A/B/C),保障金额,起始年月"
    )
    text = "\n".join(
        [
            "XX镇2026年11月农村低保花名册,,,,,,,,,,,",
            header,
            ROWS[0],
            ",,,,,,,,,,,",
            header,
            ROWS[1],
            "合计,,,,,,,,,,1000,",
        ]
    )
    item = read_input(write_text(tmp_path / "roll.csv", text + "\n", "gb18030"), "roll")
    s = item.summary
    assert s.header_row == 2
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (5, 2, 3)
    reasons = dict(zip(item.rejected["source_row"].to_list(), item.rejected["reason"].to_list(), strict=True))
    assert reasons == {4: "空行", 5: "重复的表头行", 7: "合计/小计行"}
    assert item.loaded["source_row"].to_list() == [3, 6]


def test_rows_without_name_and_id_or_township_are_rejected(tmp_path: Path) -> None:
    text = "\n".join(
        [ROLL_HEADER, ROWS[0], "城关镇,东村,H9,,,,,,农村低保,,,", ",东村,H9,,,赵六,110105194912310021,,农村低保,,300,"]
    )
    item = read_input(write_text(tmp_path / "r.csv", text), "roll")
    assert item.rejected["reason"].to_list() == ["姓名和身份证号均为空", "乡镇（街道）为空"]
    assert item.summary.rows_read == item.summary.rows_loaded + item.summary.rows_rejected


def test_program_from_option(tmp_path: Path) -> None:
    header = ROLL_HEADER.replace(",保障类别", "")
    row = ROWS[0].replace(",农村低保", "")
    item = read_input(write_text(tmp_path / "r.csv", f"{header}\n{row}\n"), "roll", program="城市低保")
    assert item.loaded["program"].to_list() == ["城市低保"]


def test_xlsx_with_title_row_and_numeric_id(tmp_path: Path) -> None:
    path = tmp_path / "农村低保花名册.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("花名册")
    sheet.merge_range(0, 0, 0, 11, "XX县2026年11月农村低保花名册")
    sheet.write_row(1, 0, ROLL_HEADER.split(","))
    sheet.write_row(2, 0, ROWS[0].split(","))
    sheet.write_row(3, 0, ROWS[1].split(","))
    sheet.write_number(3, 6, 340421195803222013)  # Excel keeps 15 significant digits
    sheet.write_number(3, 10, 500)
    book.close()
    item = read_input(path, "roll")
    assert item.summary.header_row == 2
    assert item.loaded["source_row"].to_list() == [3, 4]
    assert item.loaded["id_status"].to_list() == [ids.VALID, ids.EXCEL_NUMERIC]
    assert item.loaded["monthly_amount"].to_list() == [500.0, 500.0]


def test_cremation_dates(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆",
            "张三,11010519491231002X,2026/10/3,,县殡仪馆",
            "李四,110105194912310021,,20261005,",
            "王五,110105194912310021,46000,,",
            "赵六,110105194912310021,不详,昨天,",
        ]
    )
    item = read_input(write_text(tmp_path / "火化.csv", text), "cremation")
    assert [str(d) for d in item.loaded["death_date"].to_list()] == ["2026-10-03", "None", "2025-12-09"]
    assert item.rejected["reason"].to_list() == ["死亡日期/火化日期无法识别：不详 / 昨天"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件为空"),
        ("姓名,年龄\n张三,3\n".encode(), "找不到保障对象花名册的表头"),
        ("乡镇,姓名,身份证号\n城关镇,张三,11010519491231002X\n".encode(), "缺少必需的列“保障类别”"),
        (b"\x00\x01\x02binary", "不是文本表格"),
        ("乡镇,姓名,身份证号,保障类别,户编号\n".encode(), "表头下没有数据行"),
        ("乡镇,姓名,成员姓名,身份证号,保障类别,户编号\n城关镇,张三,张三,1,低保,H1\n".encode(), "(C列)都对应“姓名”"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_input(path, "roll")
    assert message in str(caught.value)
    assert "bad.csv" in str(caught.value)


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes("乡镇,姓名\n".encode() + b"\x81\x30\xff\xfe\n")
    with pytest.raises(InputError, match="无法识别文件编码"):
        read_input(path, "roll")


def test_merged_township_cells_belong_to_every_row(tmp_path: Path) -> None:
    path = tmp_path / "花名册.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ROLL_HEADER.split(","))
    for index, row in enumerate(ROWS[:2], start=1):
        sheet.write_row(index, 1, row.split(",")[1:])
    sheet.merge_range(1, 0, 2, 0, "城关镇")
    book.close()
    item = read_input(path, "roll")
    assert item.loaded["township"].to_list() == ["城关镇", "城关镇"]


def test_a_large_gb18030_file_is_transcoded_in_parallel_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcode, "PARALLEL_FROM", 0)  # every file counts as large
    monkeypatch.setattr(transcode, "usable_cores", lambda: 3)
    rows = [f"城关镇,东村,H{i},张三{i},,龙飞凤舞{i},,户主,农村低保,A,500,2020-01" for i in range(3000)]
    path = write_text(tmp_path / "花名册.csv", "\n".join([ROLL_HEADER, *rows]) + "\n", "gb18030")
    item = read_input(path, "roll")
    assert item.summary.encoding == "GB18030"
    assert item.loaded["name"].to_list() == [f"龙飞凤舞{i}" for i in range(3000)]


def test_a_bad_byte_in_a_later_part_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcode, "PARALLEL_FROM", 0)
    monkeypatch.setattr(transcode, "usable_cores", lambda: 2)
    lines = [ROLL_HEADER.encode("gb18030")] + [
        f"城关镇,东村,H{i},张三,,李四,,户主,农村低保,A,500,2020-01".encode("gb18030") for i in range(2000)
    ]
    lines[1500] = lines[1500] + b"\x81\x30\xff\xfe"
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(InputError, match="第 1501 行"):
        read_input(path, "roll")


def test_a_full_temporary_directory_is_named_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grid, "transcode", no_space)
    path = write_text(tmp_path / "花名册.csv", "\n".join([ROLL_HEADER, *ROWS]) + "\n", "gb18030")
    with pytest.raises(InputError, match="No space left on device.*TMPDIR"):
        read_input(path, "roll")


def test_parallel_transcoding_that_cannot_start_falls_back_to_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[BaseException | None]:
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(transcode, "PARALLEL_FROM", 0)
    monkeypatch.setattr(transcode, "usable_cores", lambda: 2)
    monkeypatch.setattr(transcode, "_in_processes", broken)
    path = write_text(tmp_path / "花名册.csv", "\n".join([ROLL_HEADER, *ROWS]) + "\n", "gb18030")
    assert read_input(path, "roll").loaded["name"].to_list() == ["张三", "李梅", "王志刚"]
    assert [p.name for p in tmp_path.iterdir()] == ["花名册.csv"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # Past the head that decides the encoding; the utf-8-sig decoder counts from after the BOM.
        (
            b"\xef\xbb\xbf" + "乡镇,姓名\n".encode() + "城关镇,张三\n".encode() * 30000 + b"\xff\xfe\n",
            "声明为 UTF-8 但第 30002 行有非法字节",
        ),
        ("乡镇,姓名\n上海\n".encode("utf-16") + b"\x00\xd8\x41\x00", "声明为 UTF-16"),
    ],
)
def test_undecodable_bytes_in_declared_encodings(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_input(path, "roll")
