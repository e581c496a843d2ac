"""`<out>/核对/<YYYY-MM-DD>/核对报告_<乡镇>.csv|xlsx`: one file per township of the applicants.

A day's folder collects the day's checks, so a file is replaced only if hexiao wrote it (its name
is in the folder's `MANIFEST`): a file of the same name put there by someone else is never
overwritten: the run stops before it checks anyone, naming the file. Files are written to a staging folder
beside the day's folder, with owner-only permissions, and renamed into place once all are written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl

from hexiao.errors import ConfigError
from hexiao.intake.sources import SOURCE_HEADERS
from hexiao.report.columns import REPORT_HEADERS, township_file_stems
from hexiao.report.excel import Width
from hexiao.report.writer import excel_safe, write_csv

CHECK_DIR = "核对"
FILE_PREFIX = "核对报告"
# The names of the files hexiao wrote in a day's folder, one a line.
MANIFEST = ".hexiao-written"
VERDICT = "核对结论"
ROW_HEADER = "申请名单行"  # where the applicant is in the list they came in
# The applicant's ID as the list gave it: 正常, or 身份证号异常（<状态>）：<what to do>. An ID a
# spreadsheet damaged links to nothing by it, so its 未发现 would read as clean: 需核实身份证号.
ID_CHECK = "身份证号核验"
ID_SOUND = "正常"
FOUND_ANY, FOUND_NONE, CHECK_ID = "有发现", "未发现", "需核实身份证号"
# English columns of the applicant rows shown, as the monthly lists head them.
APPLICANT_COLUMNS = ("township", "village", "household_id", "head_name", "name", "id_number", "program")
HEADERS = (*(REPORT_HEADERS[c] for c in APPLICANT_COLUMNS), VERDICT, ID_CHECK, *SOURCE_HEADERS, ROW_HEADER)
# A source's column holds evidence: as wide as the monthly lists' 证据.
SOURCE_WIDTH = Width(12, 40)


def day_dir(out: Path, day: str) -> Path:
    return out / CHECK_DIR / day


def file_names(townships: list[str | None], excel: bool) -> dict[str | None, str]:
    """Each township's report file name (`核对报告_<乡镇>.csv`, two names that clash told apart)."""
    suffix = ".xlsx" if excel else ".csv"
    ordered = [*sorted(t for t in set(townships) if t is not None), *([None] if None in townships else [])]
    return {township: stem + suffix for township, stem in township_file_stems(FILE_PREFIX, ordered).items()}


def refuse_foreign_files(target: Path, names: list[str]) -> None:
    """Stop where a file to be written is there and hexiao did not write it."""
    ours = _written(target)
    foreign = [name for name in names if (target / name).exists() and name not in ours]
    if foreign:
        raise ConfigError(
            [
                f"{target / name} 已存在且不是 hexiao 写出的文件，不会覆盖；请移走或改名后重新运行，或用 --out 指定别的目录"
                for name in foreign
            ]
        )


def _written(target: Path) -> set[str]:
    manifest = target / MANIFEST
    return set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()


def write_reports(
    target: Path, rows: pl.DataFrame, names: dict[str | None, str], *, excel: bool, title: str
) -> list[Path]:
    """The reports of `rows` (English applicant columns, verdict and source columns), one file per
    township, put in `target`; returns their paths."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    try:
        for township, name in names.items():
            mine = rows.filter(pl.col("township").eq_missing(township))
            _write_one(staging / name, mine, excel, f"{township or '未填乡镇'} {title}")
        target.mkdir(mode=0o700, exist_ok=True)
        # The names first: a run stopped between the two leaves files hexiao may replace, never
        # a file of hexiao's that it would then refuse to replace.
        _record_written(target, list(names.values()))
        for name in names.values():
            os.replace(staging / name, target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in names.values()]


def _record_written(target: Path, names: list[str]) -> None:
    manifest = target / MANIFEST
    staged = manifest.with_name(f"{MANIFEST}.tmp-{os.getpid()}")
    with open(staged, "w", encoding="utf-8", opener=lambda p, f: os.open(p, f, 0o600)) as handle:
        handle.write("".join(f"{name}\n" for name in sorted(_written(target) | set(names))))
    os.replace(staged, manifest)


def _write_one(path: Path, rows: pl.DataFrame, excel: bool, title: str) -> None:
    headed = {c: REPORT_HEADERS[c] for c in APPLICANT_COLUMNS}
    if excel:
        from hexiao.report.excel import write_table_workbook  # xlsxwriter only when asked for

        frame = rows.rename(headed).select(HEADERS)
        write_table_workbook(path, FILE_PREFIX, title, frame, dict.fromkeys(SOURCE_HEADERS, SOURCE_WIDTH))
        return
    write_csv(excel_safe(rows).rename(headed).select(HEADERS), path, "utf-8-sig")
