"""`--format xlsx`: one workbook per township, which its office can read on screen and print.

Sheet 汇总 first (the township's counts per warning type, then a totals row), then one sheet per
warning type in the rules' order, each with the report's columns (`REPORT_HEADERS`), and last
逾期未反馈: the township's warnings still unanswered past the reply window (empty when none). On every
sheet the header row is frozen, filtered and repeated on each printed page, and the page is A4
landscape, one page wide and as many long as needed. Widths are in characters, sized to the
content within bounds per column; text wraps, so nothing is cut off. ID cells are text cells, so
Excel never shows `3.40421E+17`; amounts are numbers shown as `560.00`, scores whole numbers.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from hexiao.report.columns import REPORT_HEADERS, TEXT_ID_COLUMNS, presented
from hexiao.report.summary import totals_row
from hexiao.report.writer import OVERDUE_STATE
from hexiao.rules import LABELS


@dataclass(frozen=True)
class Width:
    """Bounds of a column's width, in characters (the width of a digit; a Chinese character is two)."""

    least: int
    most: int


# Room for a cell's margins.
PADDING = 1
DEFAULT_WIDTH = Width(5, 16)  # 16: PUBLIC_EMPLOYEE on one line
WIDTHS = {
    REPORT_HEADERS["id_number"]: Width(19, 21),  # all 18 characters on one line
    REPORT_HEADERS["household_id"]: Width(8, 21),
    REPORT_HEADERS["evidence"]: Width(30, 40),  # the reason for the warning: the widest column
    REPORT_HEADERS["source"]: Width(10, 16),
    REPORT_HEADERS["review_result"]: Width(8, 10),  # filled in by hand on the printout
    REPORT_HEADERS["review_note"]: Width(14, 24),
    REPORT_HEADERS["township"]: Width(8, 14),
    REPORT_HEADERS["recovered"]: Width(11, 14),  # filled in by hand; its header on one line
}
SHORT_HEADER = 8  # four Chinese characters
# Wrapped rows are made as tall as their lines; spreadsheet programs do not do it on opening.
# 16 points a line: a Chinese font's line at 11 points, with its leading; and the cell's own margin.
LINE_HEIGHT = 16.0
CELL_MARGIN = 3.0
MAX_LINES = 25  # Excel's limit is 409 points
# Text cells (format `@`), so what the township types there stays text too: Excel would read a
# new ID as a number and `2026-12` as a date.
TEXT_CELLS = [
    REPORT_HEADERS[c]
    for c in ("warning_id", *TEXT_ID_COLUMNS, "month", "effective_month", "first_month", "notice_date")
]
A4 = 9  # xlsxwriter's paper code
# Characters of column width one A4 landscape page holds at about nine points, the least a township
# can read on paper (at 100 % it holds about 150). A warning list of 27 columns is two pages wide;
# fitted on one, its text printed at under 4 points.
PRINTED_WIDTH = 180
TOTALS_NOTE = "合计行的预警户数、预警人数按不重复计：同一户、同一人有多类预警时只计一次。"


def write_township_workbooks(
    staging: Path, month: str, warnings: pl.DataFrame, summary_table: pl.DataFrame, stems: dict[str | None, str]
) -> None:
    """`<stem>.xlsx` for every township in `stems` (the names of its CSV files), `warnings` with
    English column names, `summary_table` as in summary.csv."""
    for township, stem in stems.items():
        path = staging / f"{stem}.xlsx"
        mine = warnings.filter(pl.col("township").eq_missing(township))
        table = _in_rule_order(summary_table.filter(pl.col("乡镇（街道）").eq_missing(township)))
        summary = pl.concat([table, totals_row(township, table, mine)])
        _write_workbook(path, f"{township or '未填乡镇'} {month} 预警名单", summary, mine)
        os.chmod(path, 0o600)


def _write_workbook(path: Path, title: str, summary: pl.DataFrame, warnings: pl.DataFrame) -> None:
    # A value beginning with `=` or `http://` is text from the data, never a formula or a link.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        formats = _Formats(book)
        sheet = _write_table(book, formats, "汇总", title, summary)
        sheet.write_string(summary.height + 2, 0, TOTALS_NOTE)
        by_rule = presented(warnings).with_columns(_rule_rank("code")).sort("_rank", maintain_order=True)
        for (label,), rows in by_rule.group_by("label", maintain_order=True):
            frame = rows.select(pl.col(k).alias(v) for k, v in REPORT_HEADERS.items())
            _write_table(book, formats, str(label), title, frame)
        overdue = by_rule.filter(pl.col("state") == OVERDUE_STATE)
        _write_table(
            book, formats, OVERDUE_STATE, title, overdue.select(pl.col(k).alias(v) for k, v in REPORT_HEADERS.items())
        )


def write_table_workbook(
    path: Path, sheet_name: str, title: str, frame: pl.DataFrame, widths: dict[str, Width] | None = None
) -> None:
    """A workbook of one table laid out as the township lists are (`hexiao check`'s reports);
    `widths` bounds columns `WIDTHS` does not know."""
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        _write_table(book, _Formats(book), sheet_name, title, frame, widths)
    os.chmod(path, 0o600)


def _rule_rank(column: str) -> pl.Expr:
    order = {code: rank for rank, code in enumerate(LABELS)}
    return pl.col(column).replace_strict(order, default=len(order), return_dtype=pl.Int32).alias("_rank")


def _in_rule_order(summary: pl.DataFrame) -> pl.DataFrame:
    return summary.with_columns(_rule_rank("预警代码")).sort("_rank", maintain_order=True).drop("_rank")


class _Formats:
    """One set of cell formats per workbook (xlsxwriter formats belong to their workbook)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        cell: dict[str, Any] = {"border": 1, "valign": "top"}
        self.header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "bg_color": "#DDEBF7",
            }
        )
        self.text_cell = book.add_format({**cell, "num_format": "@"})
        self.text_column = book.add_format({"num_format": "@"})  # without borders below the table
        self.money = book.add_format({**cell, "num_format": "0.00"})
        self.whole = book.add_format({**cell, "num_format": "0"})
        self.wrapped = book.add_format({**cell, "text_wrap": True})

    def of(self, column: str, dtype: pl.DataType) -> Format:
        """Amounts with two decimals, counts and scores whole, IDs and months as text cells, other
        text wrapped."""
        if dtype.is_integer():
            return self.whole
        if dtype.is_decimal() or dtype.is_float():
            return self.money
        return self.text_cell if column in TEXT_CELLS else self.wrapped


def _write_table(
    book: xlsxwriter.Workbook,
    formats: _Formats,
    name: str,
    title: str,
    frame: pl.DataFrame,
    bounds: dict[str, Width] | None = None,
) -> Worksheet:
    sheet = book.add_worksheet(name[:31])
    cell_formats = {column: formats.of(column, dtype) for column, dtype in frame.schema.items()}
    wrapped = [column for column, cell_format in cell_formats.items() if cell_format is formats.wrapped]
    widths = _widths(frame, bounds or {})
    sheet.write_row(0, 0, frame.columns, formats.header)
    sheet.set_row(0, _row_height(max(_lines(_header_width(c), widths[c]) for c in frame.columns)))
    for index, (column, cell_format) in enumerate(cell_formats.items()):
        # An ID typed in below the table stays text too.
        column_format = formats.text_column if cell_format is formats.text_cell else None
        sheet.set_column(index, index, widths[column], column_format)
        sheet.write_column(1, index, frame[column].to_list(), cell_format)
    for row, lines in enumerate(_row_lines(frame, wrapped, widths), start=1):
        if lines > 1:
            sheet.set_row(row, _row_height(lines))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(frame.height, 1), max(frame.width - 1, 0))
    _page_setup(sheet, title, pages_wide=math.ceil(sum(widths.values()) / PRINTED_WIDTH))
    return sheet


def _widths(frame: pl.DataFrame, bounds_of: dict[str, Width]) -> dict[str, float]:
    """Each column's width: its widest value or its header, within the column's bounds
    (`bounds_of`, else `WIDTHS`)."""
    widest = frame.select(_display_width(pl.col(c).cast(pl.String)).max().fill_null(0) for c in frame.columns).row(0)
    widths: dict[str, float] = {}
    for column, content in zip(frame.columns, widest, strict=True):
        bounds = bounds_of.get(column) or WIDTHS.get(column, DEFAULT_WIDTH)
        header = _header_width(column)
        # A header of up to four characters on one line; a longer one may take two.
        needed = max(int(content), header if header <= SHORT_HEADER else math.ceil(header / 2))
        widths[column] = min(max(needed + PADDING, bounds.least), bounds.most)
    return widths


def _header_width(header: str) -> int:
    return 2 * len(header)  # the headers are Chinese


def _row_height(lines: int) -> float:
    return LINE_HEIGHT * lines + CELL_MARGIN


def _lines(width: float, column_width: float) -> int:
    return min(max(math.ceil(width / (column_width - PADDING)), 1), MAX_LINES)


def _row_lines(frame: pl.DataFrame, wrapped: list[str], widths: dict[str, float]) -> list[int]:
    """How many lines each row's wrapped cells take, at most: width over the column's width, plus
    the line breaks in the text."""
    if not wrapped or frame.height == 0:
        return [1] * frame.height
    lines = [
        (_display_width(pl.col(c).fill_null("")) / (widths[c] - PADDING)).ceil() + pl.col(c).str.count_matches("\n")
        for c in wrapped
    ]
    return frame.select(pl.max_horizontal(lines).fill_null(1).clip(1, MAX_LINES).cast(pl.Int32)).to_series().to_list()


def _display_width(text: pl.Expr) -> pl.Expr:
    """Characters as a spreadsheet shows them: a Chinese character (three bytes or more in UTF-8)
    is two digits wide, everything else one."""
    chars = text.str.len_chars()
    return chars + (text.str.len_bytes() - chars) // 2


def _page_setup(sheet: Worksheet, title: str, *, pages_wide: int = 1) -> None:
    """Printed: A4 landscape, as many pages wide as keep the text readable (`PRINTED_WIDTH`), the
    pages of the same rows one after the other, each with the header row and the 预警编号 column
    (so a page of the right-hand columns still says whose rows they are), and where it belongs."""
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(max(pages_wide, 1), 0)
    sheet.print_across()
    sheet.repeat_rows(0)
    if pages_wide > 1:
        sheet.repeat_columns(0)
    sheet.set_margins(left=0.3, right=0.3, top=0.7, bottom=0.7)
    sheet.set_header(f"&L{title.replace('&', '&&')}&R&A")
    sheet.set_footer("&C第 &P 页，共 &N 页")
