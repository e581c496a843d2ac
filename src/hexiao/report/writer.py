"""Write a month's reports into `<out>/<YYYY-MM>/`, all at once or not at all.

Files go to a staging directory beside the target (`stage_reports`), which replaces the old
directory by rename (`publish_reports`) once the run's transaction has committed: a township never
receives half a month, and a failed or killed run leaves last run's reports in place.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from hexiao.masking import mask_frame, mask_summary
from hexiao.report.columns import REJECTED_HEADERS, REPORT_HEADERS, TEXT_ID_COLUMNS, presented, township_file_stems

EXIT_ACTIONS = ("停发", "减发")
OVERDUE_STATE = "逾期未反馈"  # `cycle.OVERDUE`, as the 处理状态 column shows it
OMISSION_CODE = "OMISSION"  # rows from the poverty-monitoring list, also in 疑似漏保.csv
CSV_ENCODINGS = {"utf-8-sig": "UTF-8 with BOM", "gb18030": "GB18030"}
MASKED_DIR = "脱敏"  # the masked edition, inside the month's directory


def excel_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix ID columns with a tab: Excel/WPS then keep all 18 digits as text."""
    return frame.with_columns((pl.lit("\t") + pl.col(c)).alias(c) for c in TEXT_ID_COLUMNS if c in frame.columns)


def to_report(frame: pl.DataFrame) -> pl.DataFrame:
    """English store columns → the contract's Chinese headers, IDs made Excel-safe, amounts as
    money (`560.00`) and scores as integers."""
    return excel_safe(presented(frame)).select([pl.col(k).alias(v) for k, v in REPORT_HEADERS.items()])


def write_csv(content: pl.DataFrame | str, path: Path, encoding: str) -> None:
    """A frame, or CSV text already made (`csv_content`), as a file in `encoding`."""
    if isinstance(content, pl.DataFrame) and encoding == "utf-8-sig":
        # Polars writes the file itself, without holding the GIL.
        content.write_csv(path, include_bom=True, float_precision=None, null_value="")
        os.chmod(path, 0o600)
        return
    text = content if isinstance(content, str) else content.write_csv(None, float_precision=None, null_value="")
    with open(path, "w", encoding=encoding, newline="", opener=_private) as handle:
        handle.write(text)


def write_csvs(files: list[tuple[pl.DataFrame | str, Path]], encoding: str) -> None:
    """Write the files on two threads."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in pool.map(lambda file: write_csv(file[0], file[1], encoding), files):
            pass  # raises the first error


LINE = "_line"
# Up to this many warnings the lines pay: county (6,700 rows, 250 files) 0.30 -> 0.15 s; at city
# (67,000 rows) Polars writing each file on its own, in parallel, is faster (0.5 s against 0.7 s).
LINES_MAX_ROWS = 10_000


def with_csv_lines(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with column `_line`: each row as Polars writes it in a CSV file, without the line
    end — one serialisation for every report file, where writing each file costs Polars a
    millisecond however small, and a month has two per township. Unchanged for a frame of more
    than `LINES_MAX_ROWS`, or when a field holds a line break (the text then has more lines than
    rows): each file is then written whole."""
    if frame.height > LINES_MAX_ROWS:
        return frame
    text = frame.write_csv(None, include_header=False, float_precision=None, null_value="")
    if text.count("\n") != frame.height:
        return frame
    return frame.with_columns(pl.Series(LINE, text.split("\n")[:-1], dtype=pl.String))


def csv_content(frame: pl.DataFrame) -> pl.DataFrame | str:
    """What `write_csv` writes for these rows: their lines joined under the header, or the frame."""
    if LINE not in frame.columns:
        return frame
    header = _csv_header(frame)
    return header + frame[LINE].str.join("\n").item() + "\n" if frame.height else header


def _csv_header(frame: pl.DataFrame) -> str:
    return _header_line(tuple(c for c in frame.columns if c != LINE))


@cache
def _header_line(columns: tuple[str, ...]) -> str:
    return pl.DataFrame(schema=dict.fromkeys(columns, pl.String)).write_csv(None)


def csv_parts(frame: pl.DataFrame, column: str) -> dict[str | None, pl.DataFrame | str]:
    """`csv_content` of each value's rows, in their order."""
    if LINE not in frame.columns:
        return {key[0]: part for key, part in frame.group_by(column, maintain_order=True)}
    header = _csv_header(frame)
    joined = frame.group_by(column, maintain_order=True).agg(pl.col(LINE).str.join("\n"))
    return {value: f"{header}{text}\n" for value, text in joined.iter_rows()}


def _in_file_order(townships: Iterable[str | None]) -> list[str | None]:
    """Each township once, sorted, a missing one (null) last: the order in which colliding file
    names are numbered (`township_file_stems`), the same for CSV files and workbooks."""
    distinct = set(townships)
    return [*sorted(t for t in distinct if t is not None), *([None] if None in distinct else [])]


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def stage_reports(
    out: Path,
    month: str,
    warnings: pl.DataFrame,
    rejected: pl.DataFrame,
    summary: dict[str, Any],
    summary_table: pl.DataFrame,
    townships: list[str],
    *,
    encoding: str = "utf-8-sig",
    excel: bool = False,
    masked_names: pl.Series | None = None,
) -> Path:
    """Every report file of the month in a staging directory under `out`; returns that directory.
    With `masked_names` (`report.names.known_names`) also the masked edition, in `MASKED_DIR`."""
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".{month}.tmp-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(mode=0o700)
    try:
        _write_all(staging, month, warnings, rejected, summary, summary_table, townships, encoding, excel)
        if masked_names is not None:
            # The same writer over masked warnings: every list and sheet it makes from them is
            # masked, one added later too.
            masked = staging / MASKED_DIR
            masked.mkdir(mode=0o700)
            masked_summary = mask_summary(summary, masked_names)
            masked_warnings = mask_frame(warnings, masked_names)
            _write_all(masked, month, masked_warnings, None, masked_summary, summary_table, townships, encoding, excel)
    except BaseException:
        discard_reports(staging)  # a half-written month is never left behind
        raise
    return staging


def _write_all(
    staging: Path,
    month: str,
    warnings: pl.DataFrame,
    rejected: pl.DataFrame | None,
    summary: dict[str, Any],
    summary_table: pl.DataFrame,
    townships: list[str],
    encoding: str,
    excel: bool,
) -> None:
    """The month's files in `staging`. `rejected` None: the masked edition, which has no rejected
    rows (they are raw input) and no Parquet (it is for further processing, not for circulation)."""
    report = with_csv_lines(to_report(warnings))
    files: list[tuple[pl.DataFrame | str, Path]] = [(csv_content(report), staging / "预警名单.csv")]
    # Every township on the roll gets its file, empty or not: a missing file reads as a failure.
    by_township = csv_parts(report, "乡镇（街道）")
    empty = csv_content(report.clear())
    stems = township_file_stems("预警名单", _in_file_order([*townships, *by_township]))
    for township, stem in stems.items():
        files.append((by_township.get(township, empty), staging / f"{stem}.csv"))
    files.append((csv_content(report.filter(pl.col("建议措施").is_in(EXIT_ACTIONS))), staging / "退出建议.csv"))
    files.append((csv_content(report.filter(pl.col("处理状态") == OVERDUE_STATE)), staging / "逾期未反馈.csv"))
    omissions = report.filter(pl.col("预警代码") == OMISSION_CODE)
    files.append((csv_content(omissions), staging / "疑似漏保.csv"))
    by_township = csv_parts(omissions, "乡镇（街道）")
    for township, stem in township_file_stems("疑似漏保", _in_file_order(by_township)).items():
        files.append((by_township[township], staging / f"{stem}.csv"))
    if rejected is not None:
        rejected_report = rejected.select([pl.col(k).alias(v) for k, v in REJECTED_HEADERS.items()])
        files.append((rejected_report, staging / "rejected_rows.csv"))
    files.append((summary_table, staging / "summary.csv"))
    write_csvs(files, encoding)
    with open(staging / "summary.json", "w", encoding="utf-8", opener=_private) as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=2, default=str)
    if excel:
        from hexiao.report.excel import write_township_workbooks  # xlsxwriter only when asked for

        write_township_workbooks(staging, month, warnings, summary_table, stems)  # each beside its CSV file
    if rejected is not None:
        presented(warnings).select(list(REPORT_HEADERS)).write_parquet(staging / "warnings.parquet")
        os.chmod(staging / "warnings.parquet", 0o600)


def publish_reports(staging: Path, month: str) -> Path:
    """Put staged reports in place of `<out>/<month>/` by rename; returns the month's directory.

    If that fails, last month's reports are put back and the staged ones removed; should putting
    them back fail too, both directories are left where they are and the error names them.
    """
    target = staging.parent / month
    old = old_reports_dir(staging)
    try:
        if target.exists():
            target.rename(old)
        staging.rename(target)
    except OSError as exc:
        try:
            if old.exists():
                old.rename(target)
        except OSError:
            raise OSError(exc.errno, f"{exc.strerror}；新报告在 {staging}，上月报告在 {old}") from exc
        discard_reports(staging)
        raise
    shutil.rmtree(old, ignore_errors=True)  # the new reports are in place whatever happens here
    return target


def old_reports_dir(staging: Path) -> Path:
    """Where publishing `staging` parks the month's previous reports until the new ones are in."""
    return staging.with_name(staging.name.replace(".tmp-", ".old-", 1))


def discard_reports(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
