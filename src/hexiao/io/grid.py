"""Read any input file into a grid of text cells with the row numbers a spreadsheet shows.

CSV in UTF-8 (with or without BOM), UTF-16 with BOM, GBK or GB18030, detected; XLSX, XLS, XLSB
and ODS through calamine. Every cell is text: an ID must never pass through an integer.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import python_calamine

from hexiao.errors import InputError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
ROW_COLUMN = "_row"  # 1-based row number as the spreadsheet or text editor shows it


@dataclass(frozen=True)
class Sheet:
    """Cells `c0…cN` (text or null) plus `_row`; `name` is empty for a text file."""

    name: str
    frame: pl.DataFrame


@dataclass(frozen=True)
class Grid:
    path: Path
    sheets: list[Sheet]
    encoding: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_grid(path: Path) -> Grid:
    if not path.exists():
        raise InputError(str(path), "文件不存在")
    if path.is_dir():
        raise InputError(str(path), "这是一个目录，不是文件")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
    if suffix in CSV_SUFFIXES or suffix == "":
        return _read_text(path)
    raise InputError(str(path), f"不支持的文件类型 {suffix}（支持 CSV、XLSX、XLS）")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "不是文本表格（含二进制内容）；Excel 文件请保留 .xlsx/.xls 扩展名")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8-BOM"
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"声明为 UTF-8 但第 {_line_of(data, exc.start)} 行有非法字节") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path), f"无法识别文件编码（不是 UTF-8、GBK 或 GB18030），第 {_line_of(data, exc.start)} 行"
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _sniff_delimiter(text: str) -> str:
    sample = text[:20000]
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_text(path: Path) -> Grid:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), "文件为空")
    text, encoding = _decode(path, data)
    delimiter = _sniff_delimiter(text)
    encoded = text.encode("utf-8")
    # A title row above the header has fewer cells than the table; name every column up front so
    # no row is cut to the width of the first line.
    width = _max_fields(encoded, delimiter)
    synthetic_header = delimiter.join(f"c{i}" for i in range(width)).encode() + b"\n"
    frame = pl.read_csv(
        synthetic_header + encoded,
        has_header=True,
        infer_schema=False,
        separator=delimiter,
        truncate_ragged_lines=True,
        quote_char='"',
        raise_if_empty=False,
    )
    if _has_quoted_newline(text, delimiter):
        # A quoted cell spanning lines shifts line numbers; count rows as records instead.
        frame = _read_text_with_csv_module(text, delimiter)
    return Grid(path, [Sheet("", _numbered(frame))], encoding)


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(ROW_COLUMN, offset=1).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))


def _max_fields(data: bytes, delimiter: str) -> int:
    """The most cells on any line (quoted delimiters may overcount: extra columns stay empty)."""
    lines = pl.read_csv(
        data, has_header=False, separator="\x1f", quote_char=None, infer_schema=False, raise_if_empty=False
    )
    if lines.width == 0 or lines.height == 0:
        return 1
    counts = lines.to_series(0).str.count_matches(delimiter, literal=True).fill_null(0)
    widest = counts.max()
    return int(widest) + 1 if isinstance(widest, int) else 1


def _has_quoted_newline(text: str, delimiter: str) -> bool:
    return '"' in text and any(line.count('"') % 2 for line in text[:200000].splitlines())


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
        return f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_excel(path: Path) -> Grid:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several private types for broken files
        raise InputError(str(path), f"无法作为 Excel 文件打开（{type(exc).__name__}）") from None
    sheets: list[Sheet] = []
    for sheet_name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        if not rows:
            continue
        width = max(len(r) for r in rows)
        columns = {f"c{i}": [_cell_text(r[i]) if i < len(r) else None for r in rows] for i in range(width)}
        frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
        sheets.append(Sheet(sheet_name, _numbered(frame)))
    if not sheets:
        raise InputError(str(path), "工作簿中没有任何数据")
    return Grid(path, sheets, "Excel")
