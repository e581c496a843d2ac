"""`hexiao check`: an applicant list checked against everything the workspace holds.

The list is read like a roll (every sheet, title rows, numeric IDs, GBK …) and checked, but never
stored: it stands in a temporary table for the run, so neither the rolls nor the monthly warnings
change. The ledger keeps the run (a batch of command `check`) and each file read (an `inputs` row
of kind `applicant`: name, SHA-256, rows read, checked and rejected), not the applicants' rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from hexiao import ledger
from hexiao.config import Config
from hexiao.errors import ConfigError, StateError
from hexiao.ingest.values import month_start
from hexiao.intake.report import (
    CHECK_DIR,
    CHECK_ID,
    FOUND_ANY,
    FOUND_NONE,
    ID_CHECK,
    ID_SOUND,
    ROW_HEADER,
    VERDICT,
    day_dir,
    file_names,
    refuse_foreign_files,
    write_reports,
)
from hexiao.intake.sources import FOUND, SOURCE_HEADERS, findings, partial_sources
from hexiao.kinds import PERSON_KINDS, ROLL_KIND
from hexiao.load import InputSummary, PlannedFile, ReadInput, new_input_id, read_files, record_input
from hexiao.log import get_logger
from hexiao.masking import mask_id_value
from hexiao.match import MONTH_PATTERN, check_out_dir, create_roll_m
from hexiao.normalize import ids
from hexiao.rules.bad_id import ID_HINTS
from hexiao.rules.base import RuleContext
from hexiao.rules.common import ROLL_COLUMNS_SQL
from hexiao.settings import default_config
from hexiao.store import (
    compact_persons,
    fetch_one,
    insert_frame,
    opened,
    person_rows,
    query,
    require_workspace,
    source_sql,
    workspace_lock,
)

log = get_logger()
APPLICANT_KIND = "applicant"  # the ledger's `inputs.kind` of an applicant list
APPLICANTS = "applicants"  # the run's temporary table of applicant rows, in the roll's columns


@dataclass
class CheckResult:
    batch_id: int
    month: str  # the month whose records in force were checked against
    latest: bool  # the month was not given: the latest month with stored data
    out_dir: Path  # `<out>/核对/<YYYY-MM-DD>`
    files: list[Path]
    inputs: list[InputSummary]
    rows: pl.DataFrame  # one per applicant: English applicant columns, 核对结论, a column per source
    problems: list[str] = field(default_factory=list)  # rows that could not be checked: file, sheet, row, why
    # Applicants whose ID is not sound (`ID_CHECK`): file, sheet, row, the ID masked, what to do.
    id_problems: list[str] = field(default_factory=list)
    # Columns some of whose sources were never loaded: header → what is missing (`partial_sources`).
    partial: dict[str, tuple[str, ...]] = field(default_factory=dict)


def check(
    paths: list[Path],
    *,
    db: Path,
    out: Path,
    month: str | None = None,
    excel: bool = False,
    config: Config | None = None,
    today: date | None = None,
) -> CheckResult:
    """Check the applicants in `paths` against the records in force for `month` (default: the
    latest month with stored data) and the rolls, and write the day's reports."""
    config = config or default_config()
    if month is not None and not MONTH_PATTERN.fullmatch(month):
        raise ConfigError(f"月份应为 YYYY-MM，收到 {month!r}")
    target = day_dir(out, (today or date.today()).isoformat())
    check_out_dir(out / CHECK_DIR, target.name)
    require_workspace(db)  # nothing to check against without one: never create an empty one
    with workspace_lock(db), opened(db) as conn:
        chosen = month or latest_month(conn)
        # The lists read and the reports written are one batch: a report that cannot be written
        # leaves the ledger saying 失败 and no input recorded.
        with ledger.batch(
            conn, "check", chosen, config_hash=config.digest(), config_text=config.settings_text()
        ) as run:
            planned = [PlannedFile(path, ROLL_KIND) for path in paths]
            result = _check_in_batch(conn, run.batch_id, planned, chosen, config, target, excel)
            result.latest = month is None
            found = result.rows.filter(pl.col(VERDICT) == FOUND_ANY).height
            run.detail = f"申请人 {result.rows.height} 人，有发现 {found} 人；报告 {target}"
    log.info("核对申请人 %d 人：有发现 %d 人；比对数据截至 %s；报告写入 %s", result.rows.height, found, chosen, target)
    return result


def latest_month(conn: duckdb.DuckDBPyConnection) -> str:
    kinds = ", ".join(f"'{kind}'" for kind in PERSON_KINDS)
    latest = fetch_one(conn, f"SELECT max(month) FROM inputs WHERE kind IN ({kinds})")[0]
    if latest is None:
        raise StateError("工作区中还没有花名册或比对数据，无从核对：先用 hexiao load 或 hexiao match 载入")
    return str(latest)


def _check_in_batch(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    planned: list[PlannedFile],
    month: str,
    config: Config,
    target: Path,
    excel: bool,
) -> CheckResult:
    reads, inputs = read_files(conn, planned, replace=True, headers=config.headers)
    problems = [line for read in reads for line in _problems(read)]
    townships = [t for read in reads for t in read.loaded["township"].unique().to_list()]
    names = file_names(townships, excel)
    refuse_foreign_files(target, list(names.values()))  # before any work
    _hold_applicants(conn, batch_id, month, reads)
    create_roll_m(conn, person_rows(APPLICANTS))
    ctx = RuleContext(conn=conn, month=month, month_start=month_start(month), config=config)
    rows = _applicant_rows(conn).join(findings(ctx), on="roll_key", how="left", maintain_order="left")
    found = pl.any_horizontal(pl.col(h).str.starts_with(FOUND) for h in SOURCE_HEADERS)
    sound = pl.col("id_status") == ids.VALID
    rows = rows.with_columns(
        pl.when(found)
        .then(pl.lit(FOUND_ANY))
        .when(sound)
        .then(pl.lit(FOUND_NONE))
        .otherwise(pl.lit(CHECK_ID))
        .alias(VERDICT),
        pl.when(sound).then(pl.lit(ID_SOUND)).otherwise(_id_problem(pl.col("id_status"))).alias(ID_CHECK),
    )
    id_problems = [
        f"{where}：{name or '（无姓名）'}，身份证号“{mask_id_value(number)}”，{problem}"
        for where, name, number, problem in rows.filter(~sound).select(ROW_HEADER, "name", "id_number", ID_CHECK).rows()
    ]
    rows = rows.drop("roll_key", "id_status")
    title = f"核对报告 {target.name}（比对数据截至 {month}）"
    files = write_reports(target, rows, names, excel=excel, title=title)
    return CheckResult(batch_id, month, False, target, files, inputs, rows, problems, id_problems, partial_sources(ctx))


def _id_problem(status: pl.Expr) -> pl.Expr:
    """身份证号异常（<状态>）：<what it means and what to do>, as BAD_ID says it of a roll row."""
    hints = {**ID_HINTS, ids.BAD_CHECK: "校验位不对，请核对原始证件"}
    return pl.concat_str(
        pl.lit("身份证号异常（"),
        status.fill_null(ids.EMPTY),
        pl.lit("）："),
        status.fill_null(ids.EMPTY).replace_strict(hints, default="请核对原始证件"),
    )


def _hold_applicants(conn: duckdb.DuckDBPyConnection, batch_id: int, month: str, reads: list[ReadInput]) -> None:
    """The applicants in a temporary table shaped like the roll, each file under an input ID of
    its own (so row keys are unique against every stored row), and each file in the ledger."""
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {APPLICANTS} AS SELECT * FROM roll LIMIT 0")
    for read in reads:
        input_id = new_input_id(conn)
        name = Path(read.summary.file).name
        rows = compact_persons(read.loaded).with_columns(
            pl.lit(month).alias("month"),
            pl.lit(input_id, pl.Int64).alias("input_id"),
            pl.lit(name).alias("source_file"),
        )
        insert_frame(conn, APPLICANTS, rows)
        record_input(conn, input_id, batch_id, APPLICANT_KIND, month, read.summary, None)


def _applicant_rows(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each applicant as the list gave them, in the list's order, with the row they came from."""
    return query(
        conn,
        f"""SELECT r.roll_key, {ROLL_COLUMNS_SQL}, {source_sql("r")} AS "{ROW_HEADER}", r.id_status
            FROM roll_m r ORDER BY r.input_id, r.sheet_no, r.source_row""",
    )


def _problems(read: ReadInput) -> list[str]:
    """Each rejected row: `file 工作表“S” 第N行：reason` (the reason names the column)."""
    name = Path(read.summary.file).name
    rows = read.rejected.sort("sheet", "source_row", maintain_order=True)
    return [
        f"{name} {f'工作表“{sheet}” ' if sheet else ''}第{row}行：{reason}"
        for sheet, row, reason in rows.select("sheet", "source_row", "reason").iter_rows()
    ]
