"""The per-township report files, cut from one CSV text, are byte for byte what writing each
township's rows on their own gives — also when a field holds a line break, or in GB18030."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

import hexiao.report.writer as writer
from hexiao.report.columns import REJECTED_HEADERS, REPORT_HEADERS, safe_file_part
from hexiao.report.writer import LINE, stage_reports, to_report, with_csv_lines

TOWNSHIPS = ["城关镇", "河口乡", "东风街道"]


def _warnings(evidence_of_last: str) -> pl.DataFrame:
    rows = [
        {
            "warning_id": f"VE{i:010d}",
            "month": "2026-11",
            "code": "OMISSION" if i % 3 == 0 else "VEHICLE",
            "township": [*TOWNSHIPS, None][i % 4],
            "name": f"张{i}",
            "id_number": f"3403021955082840{i % 10}X",
            "household_id": f"H{i}",
            "match_score": 98.0 if i % 2 else None,
            "overpayment": 1040.5 if i % 5 == 0 else None,
            "evidence": f'证据 {i}, 含逗号和“引号”"' if i % 2 else f"证据 {i}",
            "action": "停发" if i % 4 == 1 else "入户核查",
        }
        for i in range(40)
    ]
    rows[-1]["evidence"] = evidence_of_last
    frame = pl.DataFrame(rows)
    return frame.with_columns(
        pl.lit(None, pl.String).alias(c) for c in REPORT_HEADERS if c not in frame.columns
    ).select(list(REPORT_HEADERS))


def _stage(tmp_path: Path, warnings: pl.DataFrame, encoding: str) -> Path:
    rejected = pl.DataFrame(schema={k: pl.String for k in REJECTED_HEADERS})
    summary_table = pl.DataFrame({"乡镇（街道）": TOWNSHIPS})
    return stage_reports(
        tmp_path, "2026-11", warnings, rejected, {}, summary_table, [*TOWNSHIPS, "无预警乡"], encoding=encoding
    )


def _expected(rows: pl.DataFrame, encoding: str) -> bytes:
    return rows.write_csv(None, float_precision=None, null_value="").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
@pytest.mark.parametrize(
    "last_evidence", ["证据 39", "第一行\n第二行", "回车\r在中间"], ids=["one-line", "line-break", "carriage-return"]
)
def test_township_files_are_each_townships_rows(tmp_path: Path, encoding: str, last_evidence: str) -> None:
    warnings = _warnings(last_evidence)
    lines = with_csv_lines(to_report(warnings))
    assert (LINE in lines.columns) != ("\n" in last_evidence)  # a line break: each file written whole
    staging = _stage(tmp_path, warnings, encoding)
    report = to_report(warnings)
    township = pl.col("乡镇（街道）")
    for name in [*TOWNSHIPS, "无预警乡", None]:
        rows = report.filter(township.is_null() if name is None else township == name)
        written = (staging / f"预警名单_{safe_file_part(name)}.csv").read_bytes()
        assert written == _expected(rows, encoding), name
        omissions = rows.filter(pl.col("预警代码") == "OMISSION")
        omission_file = staging / f"疑似漏保_{safe_file_part(name)}.csv"
        assert omission_file.exists() == (omissions.height > 0)
        if omissions.height:
            assert omission_file.read_bytes() == _expected(omissions, encoding), name
    assert (staging / "预警名单.csv").read_bytes() == _expected(report, encoding)
    assert last_evidence in (staging / "预警名单_未填乡镇.csv").read_bytes().decode(encoding)


def test_a_month_of_many_warnings_is_written_file_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "LINES_MAX_ROWS", 10)
    warnings = _warnings("证据 39")
    assert LINE not in with_csv_lines(to_report(warnings)).columns
    staging = _stage(tmp_path, warnings, "utf-8-sig")
    rows = to_report(warnings).filter(pl.col("乡镇（街道）") == "河口乡")
    assert (staging / "预警名单_河口乡.csv").read_bytes() == _expected(rows, "utf-8-sig")


def test_townships_whose_names_make_the_same_file_name_each_get_a_file(tmp_path: Path) -> None:
    warnings = _warnings("证据 39").with_columns(
        pl.when(pl.col("township") == "城关镇").then(pl.lit("甲/乙")).otherwise(pl.lit("甲:乙")).alias("township")
    )
    rejected = pl.DataFrame(schema={k: pl.String for k in REJECTED_HEADERS})
    summary_table = pl.DataFrame({"乡镇（街道）": ["甲:乙", "甲/乙"]})
    staging = stage_reports(tmp_path, "2026-11", warnings, rejected, {}, summary_table, ["甲/乙", "甲:乙"], excel=True)
    report = to_report(warnings)
    for name, stem in (("甲/乙", "预警名单_甲_乙"), ("甲:乙", "预警名单_甲_乙_2")):
        rows = report.filter(pl.col("乡镇（街道）") == name)
        assert (staging / f"{stem}.csv").read_bytes() == _expected(rows, "utf-8-sig")
        header, *rows_of_sheet = (
            CalamineWorkbook.from_path(str(staging / f"{stem}.xlsx")).get_sheet_by_name("汇总").to_python()
        )
        assert [row[header.index("乡镇（街道）")] for row in rows_of_sheet] == [name]
