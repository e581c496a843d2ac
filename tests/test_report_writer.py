"""The per-township report files, cut from one CSV text, are byte for byte what writing each
township's rows on their own gives — also when a field holds a line break, or in GB18030."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from python_calamine import CalamineWorkbook

import hexiao.report.writer as writer
from hexiao.report.columns import MONEY_COLUMNS, MONEY_TYPE, REJECTED_HEADERS, REPORT_HEADERS, safe_file_part
from hexiao.report.summary import SUMMARY_HEADERS, township_table
from hexiao.report.writer import LINE, stage_reports, to_report, with_csv_lines
from hexiao.rules import LABELS

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
        pl.lit(None, MONEY_TYPE if c in MONEY_COLUMNS else pl.String).alias(c)
        for c in REPORT_HEADERS
        if c not in frame.columns
    ).select(list(REPORT_HEADERS))


def summary_table(townships: list[str]) -> pl.DataFrame:
    """summary.csv's shape, one row per township."""
    rows = {"township": townships, "code": "VEHICLE", "label": "车辆", "overpayment": 0}
    counts = {k: 1 for k in list(SUMMARY_HEADERS)[3:-1]}
    frame = pl.DataFrame(rows | counts).with_columns(pl.col("overpayment").cast(MONEY_TYPE))
    return frame.select(pl.col(k).alias(v) for k, v in SUMMARY_HEADERS.items())


def _stage(tmp_path: Path, warnings: pl.DataFrame, encoding: str) -> Path:
    rejected = pl.DataFrame(schema={k: pl.String for k in REJECTED_HEADERS})
    return stage_reports(
        tmp_path,
        "2026-11",
        warnings,
        rejected,
        {},
        summary_table(TOWNSHIPS),
        [*TOWNSHIPS, "无预警乡"],
        encoding=encoding,
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
    table = summary_table(["甲:乙", "甲/乙"])
    staging = stage_reports(tmp_path, "2026-11", warnings, rejected, {}, table, ["甲/乙", "甲:乙"], excel=True)
    report = to_report(warnings)
    for name, stem in (("甲/乙", "预警名单_甲_乙"), ("甲:乙", "预警名单_甲_乙_2")):
        rows = report.filter(pl.col("乡镇（街道）") == name)
        assert (staging / f"{stem}.csv").read_bytes() == _expected(rows, "utf-8-sig")
        header, *rows_of_sheet = (
            CalamineWorkbook.from_path(str(staging / f"{stem}.xlsx")).get_sheet_by_name("汇总").to_python()
        )
        table_rows = rows_of_sheet[:-2]  # then a blank row and the note on the totals row
        assert [row[header.index("乡镇（街道）")] for row in table_rows] == [name, name]


def test_amounts_are_money_and_scores_integers_in_csv_and_parquet(tmp_path: Path) -> None:
    """`560.00` and `1040.50`, empty where unknown; scores whole (87.5 → 88); Parquet DECIMAL(12,2)
    and an integer type, under the English names."""
    amounts, scores = [560.0, 1040.5, 0.1 + 0.2, None], [87.5, 100.0, 33.3, None]
    warnings = (
        _warnings("证据 39")
        .head(4)
        .with_columns(
            pl.Series("overpayment", amounts), pl.Series("match_score", scores), pl.lit("城关镇").alias("township")
        )
    )
    staging = _stage(tmp_path, warnings, "utf-8-sig")
    written = pl.read_csv(staging / "预警名单_城关镇.csv", infer_schema=False)
    assert written["应追回金额"].to_list() == ["560.00", "1040.50", "0.30", None]
    assert written["匹配得分"].to_list() == ["88", "100", "33", None]
    parquet = pl.read_parquet(staging / "warnings.parquet")
    assert parquet.columns == list(REPORT_HEADERS)
    assert parquet.schema["overpayment"] == pl.Decimal(12, 2)
    assert parquet.schema["match_score"].is_integer()
    assert parquet["match_score"].to_list() == [88, 100, 33, None]


def test_a_township_only_the_monitoring_list_names_has_its_summary_rows() -> None:
    """OMISSION rows carry the poverty list's township, which may be on no roll: summary.csv (and the
    township's 汇总 sheet) still has its rows, nobody checked there, its warnings counted."""
    conn = duckdb.connect()
    conn.execute(
        "CREATE TEMP TABLE roll_m AS SELECT * FROM (VALUES (1, '城关镇', 'H1', '城关镇/H1', '340421195001010134', "
        "NULL, '有效', '张三')) t(roll_key, township, household_id, household_key, id_norm, id_raw, id_status, name_simp)"
    )
    warnings = (
        _warnings("证据 39")
        .head(1)
        .with_columns(
            pl.lit("桂集镇").alias("township"),
            pl.lit("OMISSION").alias("code"),
            pl.lit(None, pl.Float64).alias("overpayment"),
        )
    )
    table = township_table(conn, warnings)
    omission = table.filter((pl.col("乡镇（街道）") == "桂集镇") & (pl.col("预警代码") == "OMISSION")).row(
        0, named=True
    )
    assert (omission["核对人数"], omission["预警人数"], str(omission["应追回金额合计"])) == (0, 1, "0.00")
    assert table.filter(pl.col("乡镇（街道）") == "城关镇").height == len(LABELS)
