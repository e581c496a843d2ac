"""Read any input file into a grid of text cells with the row numbers a spreadsheet shows.

CSV in UTF-8 (with or without BOM), UTF-16 with BOM, GBK or GB18030, detected; XLSX, XLS, XLSB
and ODS through calamine. Every cell is text: an ID must never pass through an integer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl
import python_calamine

from hexiao.errors import InputError
from hexiao.io.transcode import DecodeError, transcode

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
ROW_COLUMN = "_row"  # 1-based row number as the spreadsheet or text editor shows it


@dataclass(frozen=True)
class Sheet:
    """Cells `c0…cN` (text or null) plus `_row`; `name` is empty for a text file. `position` is the
    sheet's place among the workbook's sheets (1 = first tab, empty ones counted), 0 for a text file."""

    name: str
    frame: pl.DataFrame
    position: int = 0


@dataclass(frozen=True)
class Grid:
    path: Path
    sheets: list[Sheet]
    encoding: str


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_grid(path: Path) -> Grid:
    if not path.exists():
        raise InputError(str(path), "文件不存在；请检查路径和文件名")
    if path.is_dir():
        raise InputError(str(path), f"这是一个文件夹，不是文件；请写出其中要读取的文件，如 {path / '*.csv'}")
    if not os.access(path, os.R_OK):
        raise InputError(str(path), "没有读取该文件的权限")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
    if suffix in CSV_SUFFIXES or suffix == "":
        return _read_text(path)
    raise InputError(str(path), f"不支持的文件类型 {suffix}（支持 CSV、XLSX、XLS）")


def _sniff_delimiter(text: str) -> str:
    sample = text[:20000]
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


HEAD_BYTES = 256 * 1024  # enough for the title rows, the header and the first data rows
HEAD_LINES = 60


def _read_text(path: Path) -> Grid:
    """Find delimiter, width and header line from the head of the file, then let Polars read the
    body from disk: the file itself (UTF-8) or a UTF-8 copy (GBK/GB18030, UTF-16). No per-line
    Python, and never the whole file as one Python string."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise InputError(str(path), "文件为空")
    truncated = path.stat().st_size > len(head)
    encoding = _head_encoding(path, head, truncated)
    with tempfile.TemporaryDirectory(prefix="hexiao-") as scratch:
        source = path if encoding in ("UTF-8", "UTF-8-BOM") else _utf8_copy(path, encoding, Path(scratch))
        with source.open("rb") as handle:
            head_text = handle.read(HEAD_BYTES).decode("utf-8", errors="ignore").lstrip("\ufeff")
        lines = head_text.splitlines()[:HEAD_LINES]
        if truncated and len(lines) > 1:
            lines = lines[:-1]  # the last line of the head may be cut
        delimiter = _sniff_delimiter("\n".join(lines))
        if _has_quoted_newline(lines):
            # A quoted cell spanning lines shifts line numbers; count records with the csv module.
            text = source.read_text(encoding="utf-8-sig")
            return Grid(path, [Sheet("", _numbered(_read_text_with_csv_module(text, delimiter)))], encoding)
        counts = [line.count(delimiter) + 1 for line in lines]
        # Title rows above the header have fewer cells; the body is read from the first full line on.
        header_line = counts.index(max(counts))
        try:
            body = _read_body(source, header_line, delimiter)
        except pl.exceptions.ComputeError as exc:
            if "utf-8" not in str(exc).lower() or source != path:
                raise InputError(str(path), f"无法解析为 CSV：{str(exc).splitlines()[0]}") from None
            if encoding == "UTF-8-BOM":
                _utf8_copy(path, encoding, Path(scratch))  # raises, naming the line of the bad byte
            # Valid UTF-8 at the head, GBK further down: transcode the whole file once.
            encoding = "GB18030"
            body = _read_body(_utf8_copy(path, encoding, Path(scratch)), header_line, delimiter)
    columns = [f"c{i}" for i in range(body.width)]
    body = body.rename(dict(zip(body.columns, columns, strict=True)))
    title = pl.DataFrame(
        [
            dict(zip(columns, (line.split(delimiter) + [None] * body.width)[: body.width], strict=True))
            for line in lines[:header_line]
        ],
        schema={c: pl.String for c in columns},
    )
    if title.height == 0:
        return Grid(path, [Sheet("", _numbered(body))], encoding)
    # One chunk: Polars 2.1 panics on some expressions over a two-chunk frame of this shape.
    frame = pl.concat([title, body], how="vertical", rechunk=True)
    return Grid(path, [Sheet("", _numbered(frame))], encoding)


def _read_body(source: Path, header_line: int, delimiter: str) -> pl.DataFrame:
    return pl.read_csv(
        source,
        has_header=False,
        skip_lines=header_line,
        infer_schema=False,
        separator=delimiter,
        truncate_ragged_lines=True,
        quote_char='"',
        raise_if_empty=False,
        glob=False,  # a file name as written: `花名册[副本].csv` is no pattern
    )


_CODECS = {"GB18030": "gb18030", "UTF-16": "utf-16", "UTF-8-BOM": "utf-8-sig"}


def _utf8_copy(path: Path, encoding: str, scratch: Path) -> Path:
    target = scratch / "utf8.csv"
    try:
        transcode(path, _CODECS[encoding], target)
    except OSError as exc:  # the temporary directory is full or not writable
        raise InputError(
            str(path), f"无法写入临时 UTF-8 副本（{scratch}：{exc.strerror}）；可用 TMPDIR 指定空间足够的目录"
        ) from None
    except DecodeError as exc:
        if encoding == "UTF-16":  # newline bytes occur inside its characters: no line count
            raise InputError(str(path), f"声明为 UTF-16 但第 {exc.offset + 1} 个字节起无法解码") from None
        line = _line_at(path, exc.offset)
        if encoding == "UTF-8-BOM":
            raise InputError(str(path), f"声明为 UTF-8 但第 {line} 行有非法字节") from None
        raise InputError(str(path), f"无法识别文件编码（不是 UTF-8、GBK 或 GB18030），第 {line} 行") from None
    return target


def _line_at(path: Path, offset: int) -> int:
    """The 1-based line holding byte `offset`, counted a block at a time."""
    lines, position = 1, 0
    with path.open("rb") as handle:
        while position < offset:
            block = handle.read(min(1 << 20, offset - position))
            if not block:
                break
            lines += block.count(b"\n")
            position += len(block)
    return lines


def _head_encoding(path: Path, head: bytes, truncated: bool) -> str:
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "不是文本表格（含二进制内容）；Excel 文件请保留 .xlsx/.xls 扩展名")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    bom = head.startswith(b"\xef\xbb\xbf")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not (truncated and exc.start >= len(head) - 3):  # a character cut at the end of the head
            return "GB18030"
    return "UTF-8-BOM" if bom else "UTF-8"


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(ROW_COLUMN, offset=1).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))


def _has_quoted_newline(lines: list[str]) -> bool:
    return any(line.count('"') % 2 for line in lines)


def _read_text_with_csv_module(text: str, delimiter: str) -> pl.DataFrame:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    columns = {f"c{i}": [r[i] if i < len(r) and r[i] != "" else None for r in rows] for i in range(width)}
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def _cell_text(value: object) -> str | None:
    """Excel cell → text. Floats keep 15 significant digits, exactly what Excel itself kept."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e15:
            # Scientific notation with every significant digit, trailing zeros too: `normalize.ids`
            # counts them to tell a numeric cell from Excel's shortened display (`3.40421E+17`). A
            # number Excel kept (15 digits) reads back as those 15; one a program wrote whole (an
            # 18-digit ID as a float) as 17, so the first 15 are the ID's own, not rounded up.
            fifteen = f"{value:.14e}"
            return fifteen if float(fifteen) == value else f"{value:.16e}"
        return f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """A merged cell (a township spanning its households' rows) holds its value in the top-left
    cell only; every row of the range belongs to it, so give each the value."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value


def _read_excel(path: Path) -> Grid:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises several private types for broken files
        raise InputError(str(path), _not_a_workbook(path)) from None
    sheets: list[Sheet] = []
    for position, sheet_name in enumerate(workbook.sheet_names, start=1):
        sheet = workbook.get_sheet_by_name(sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
        if not rows:
            continue
        _fill_merged(rows, sheet.merged_cell_ranges or [])
        width = max(len(r) for r in rows)
        columns = {f"c{i}": [_cell_text(r[i]) if i < len(r) else None for r in rows] for i in range(width)}
        frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
        sheets.append(Sheet(sheet_name, _numbered(frame), position))
    if not sheets:
        raise InputError(str(path), "工作簿中没有任何数据")
    return Grid(path, sheets, "Excel")


# A workbook without a cell (Excel's 新建 Microsoft Excel 工作表.xlsx) is a few kilobytes of styles
# and theme; a larger one is taken to hold something and is not opened twice to find out.
BLANK_WORKBOOK_MAX_BYTES = 256 * 1024


def is_blank_workbook(path: Path) -> bool:
    """The file is a workbook that opens and has not one non-blank cell on any sheet."""
    if path.suffix.lower() not in EXCEL_SUFFIXES or path.stat().st_size > BLANK_WORKBOOK_MAX_BYTES:
        return False
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]
    except Exception:  # calamine raises several private types: not a workbook, which the load says
        return False
    return all(cell is None or str(cell).strip() == "" for rows in sheets for row in rows for cell in row)


SNIFF_BYTES = 2048
SAVE_AS_XLSX = "请在 Excel/WPS 中打开，另存为 .xlsx 后放回"


def _not_a_workbook(path: Path) -> str:
    """What a file with a workbook's extension that calamine cannot open really is, from its first
    bytes: many systems "export to Excel" by writing a web page or text under a .xls name."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        return "文件为空"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<table" in text or b"<html" in text:
        return f"这是网页(HTML)文件，不是 Excel 工作簿；{SAVE_AS_XLSX}"
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return f"这是 Excel 2003 XML 表格，不是 Excel 工作簿；{SAVE_AS_XLSX}"
    if b"\x00" not in head:
        return f"这是文本文件，不是 Excel 工作簿；若是 CSV 请把扩展名改为 .csv，否则{SAVE_AS_XLSX}"
    return f"不是可读取的 Excel 工作簿（文件损坏、加了密码或不是表格）；{SAVE_AS_XLSX}"
