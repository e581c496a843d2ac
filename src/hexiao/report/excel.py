"""`--format xlsx`: one workbook per township — a summary sheet, then one sheet per warning type.

ID cells are text cells (format `@`), so Excel never shows `3.40421E+17`; header row frozen,
filters on, widths set for Chinese text.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import xlsxwriter

from hexiao.report.columns import REPORT_HEADERS, township_file_stems

_TEXT_COLUMNS = ("预警编号", "户编号", "身份证号", "月份", "建议生效月份", "首次预警月份")
_WIDTHS = {"证据": 80, "比对来源": 28, "身份证号": 21, "户编号": 20, "乡镇（街道）": 12, "村（社区）": 12}


def _sheet_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.col(k).alias(v) for k, v in REPORT_HEADERS.items()])


def _write_sheet(book: xlsxwriter.Workbook, name: str, frame: pl.DataFrame) -> None:
    frame.write_excel(
        book,
        worksheet=name[:31],
        column_formats={c: "@" for c in _TEXT_COLUMNS if c in frame.columns},
        column_widths={c: _WIDTHS.get(c, 10) for c in frame.columns},
        autofilter=True,
        freeze_panes=(1, 0),
        table_style=None,
        float_precision=2,
    )


def write_township_workbooks(staging: Path, warnings: pl.DataFrame, summary_table: pl.DataFrame) -> None:
    """`预警名单_<乡镇>.xlsx` for every township in `summary_table`."""
    # Sorted as the CSV files are, so a township's workbook and CSV file share a name.
    townships = summary_table["乡镇（街道）"].unique().sort(nulls_last=True).to_list()
    for township, stem in township_file_stems("预警名单", townships).items():
        path = staging / f"{stem}.xlsx"
        book = xlsxwriter.Workbook(str(path))
        mine = warnings.filter(pl.col("township") == township)
        summary = summary_table.filter(pl.col("乡镇（街道）") == township)
        summary.write_excel(book, worksheet="汇总", autofilter=False, table_style=None, column_widths=14)
        for (label,), group in mine.sort("code").group_by("label", maintain_order=True):
            _write_sheet(book, str(label), _sheet_frame(group))
        book.close()
        os.chmod(path, 0o600)
