"""`hexiao.match`: the monthly job — match this month's roll, run every rule, store, report."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from hexiao import ledger
from hexiao.config import Config, FeedbackParams
from hexiao.cycle import advance
from hexiao.errors import ConfigError, StateError
from hexiao.frames import conform
from hexiao.history import WARNING_COLUMNS, finalise, in_report_order
from hexiao.inbox import InboxPlan, survey_inbox
from hexiao.ingest.households import household_key_sql
from hexiao.ingest.values import month_start
from hexiao.load import InputSummary, load_planned, reading_ahead
from hexiao.log import get_logger
from hexiao.replies import with_replies
from hexiao.report.money import cycle_summary, recovery_by_warning
from hexiao.report.names import known_names
from hexiao.report.settle import mark_pending, settle_pending
from hexiao.report.summary import build_summary, roll_identities, township_table, with_identities
from hexiao.report.writer import discard_reports, publish_reports, stage_reports
from hexiao.roll_gaps import gap_messages, gap_summary, prepare_gaps, survey_gaps
from hexiao.rules import REGISTRY
from hexiao.rules.base import RULE_OUTPUT_SCHEMA, RuleContext, empty_output
from hexiao.rules.common import link_extracts
from hexiao.rules.omission import OmissionRule
from hexiao.settings import default_config
from hexiao.store import (
    ROW_KEY_SQL,
    fetch_one,
    insert_frame,
    opened,
    person_rows,
    query,
    require_workspace,
    workspace_lock,
)
from hexiao.timing import timed

log = get_logger()


@dataclass
class MatchResult:
    month: str
    batch_id: int
    out_dir: Path
    warnings: pl.DataFrame  # English column names, contract order
    summary: dict[str, Any]
    loaded: list[InputSummary] = field(default_factory=list)  # files loaded from the inbox
    ignored: list[str] = field(default_factory=list)  # the inbox's litter, passed over (`kinds.is_litter`)


def prepare_month(conn: duckdb.DuckDBPyConnection, month: str) -> int:
    """Create `roll_m` (and `roll_gaps.GAP_TABLE`): this month's roll (`create_roll_m`)."""
    create_roll_m(conn, person_rows("roll", "month = ?"), [month])
    count = int(fetch_one(conn, "SELECT count(*) FROM roll_m")[0])
    if count == 0:
        raise StateError(f"没有 {month} 月的花名册：先运行 hexiao load roll 文件 --month {month}")
    prepare_gaps(conn, month)
    return count


def create_roll_m(conn: duckdb.DuckDBPyConnection, rows: str, params: list[object] | None = None) -> None:
    """Create `roll_m`, the table the rules read, from `rows` (SQL of roll rows as `person_rows`
    gives them): each row with its row key, its household (`household_key`: township and 户编号,
    null where the household is unknown) and the household's size (null where unknown: a
    household is never sized from a damaged 户编号). The month's roll, or an applicant list
    (`hexiao.intake`)."""
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE roll_m AS
        WITH roll_month AS (SELECT *, {household_key_sql()} AS household_key FROM ({rows})),
        sizes AS (
            SELECT household_key, count(DISTINCT coalesce(id_norm, name_simp)) AS household_size
            FROM roll_month WHERE household_key IS NOT NULL GROUP BY household_key
        )
        SELECT {ROW_KEY_SQL} AS roll_key, r.*, s.household_size
        FROM roll_month r LEFT JOIN sizes s USING (household_key)
        """,
        params or [],
    )


def run_rules(ctx: RuleContext) -> pl.DataFrame:
    frames = [empty_output()]
    rules = [rule for rule in REGISTRY if rule.code not in ctx.config.disabled_rules]
    link_extracts(ctx, [kind for rule in rules for kind in rule.linked_kinds])
    for rule in rules:
        with timed(f"rule {rule.code}") as step:
            frame = rule.run(ctx).select(conform(RULE_OUTPUT_SCHEMA))
            step.rows += frame.height
        frames.append(frame)
    return pl.concat(frames, how="vertical_relaxed")


DEFAULT_INBOX = Path("inbox")
MONTH_PATTERN = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class ReportFormat:
    encoding: str = "utf-8-sig"  # CSV encoding: UTF-8 with BOM, or gb18030
    excel: bool = False  # also one workbook per township
    masked: bool = False  # also the masked edition, in `<out>/<month>/脱敏/`

    @classmethod
    def recorded(cls, summary: dict[str, Any]) -> ReportFormat:
        """The formats the month's reports were last written in (`FORMATS_KEY` of its summary)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (summary.get(FORMATS_KEY) or {}).items() if k in known})


# summary.json: the formats a month's reports were written in, so that `report` writes them again
# the same way unless told otherwise (a rewrite replaces the month's folder as a whole).
FORMATS_KEY = "report_formats"


def stage_month(
    conn: duckdb.DuckDBPyConnection,
    out: Path,
    month: str,
    warnings: pl.DataFrame,
    summary: dict[str, Any],
    formats: ReportFormat,
) -> Path:
    """All report files of a month, from its warnings and the month's roll in `roll_m`, in a
    staging directory for `publish_reports`."""
    rejected = query(
        conn,
        "SELECT r.file, r.sheet, r.source_row, r.kind, r.reason, r.raw FROM rejected r "
        "JOIN inputs i USING (input_id) WHERE i.month = ? AND r.kind <> 'feedback' "
        "ORDER BY r.file, r.sheet, r.source_row",
        [month],
    )
    # Persons and households told apart once, for summary.csv and each workbook's 合计 alike.
    warnings = with_identities(warnings, roll_identities(conn))
    table = township_table(conn, warnings, recovery_by_warning(conn, month, warnings))
    townships = table["乡镇（街道）"].unique().to_list()
    names = known_names(conn, month) if formats.masked else None
    return stage_reports(
        out,
        month,
        warnings,
        rejected,
        summary,
        table,
        townships,
        encoding=formats.encoding,
        excel=formats.excel,
        masked_names=names,
    )


def check_out_dir(out: Path, month: str) -> None:
    """Refuse, before any work, a place the reports cannot go: `out` or its month's folder an
    existing file (publishing would replace it), or a folder hexiao may not write in. The reports
    are staged in `out` and renamed into place there, so `out`, or the folder it will be made in,
    must be writable."""
    for path in (*reversed(out.parents), out, out / month):
        if path.exists() and not path.is_dir():
            raise ConfigError(
                f"报告目录 {out} 无法使用：{path} 是文件，不是目录；请用 --out 指定一个目录（不存在时自动建立）"
            )
    writable = next((path for path in (out, *out.parents) if path.exists()), Path.cwd())
    if not os.access(writable, os.W_OK | os.X_OK):
        raise ConfigError(f"报告目录 {out} 无法使用：没有写入 {writable} 的权限；请用 --out 指定可写入的目录")


def reported_now(
    conn: duckdb.DuckDBPyConnection, month: str, params: FeedbackParams, *, warning_id: str | None = None
) -> pl.DataFrame:
    """Month `month`'s stored warnings (or the one `warning_id`) as its reports written now show
    them: as the match wrote them, however the rows were stored, with the replies recorded since
    (`replies.with_replies`) and the 处理状态 those and the month's roll give (`cycle.advance`; the
    risk as the match raised it). Creates `roll_m` (`prepare_month`); writes nothing to the workspace."""
    prepare_month(conn, month)
    stored = query(
        conn,
        f"SELECT {', '.join(WARNING_COLUMNS)} FROM warnings WHERE month = ? AND warning_id = coalesce(?, warning_id)",
        [month, warning_id],
    )
    return in_report_order(advance(conn, month, with_replies(conn, month, stored), params, raise_risk=False))


def _summary_text(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, default=str)


def report(
    *,
    month: str,
    db: Path,
    out: Path,
    formats: ReportFormat | None = None,
    config: Config | None = None,
    **changes: Any,
) -> Path:
    """Write a month's reports again from what the last match stored, without matching again; each
    warning shows its latest reply (`replies.with_replies`), recorded since or not, and the
    处理状态 those replies and the rolls give (`cycle.advance`: the same as the match's from the
    same inputs; the risk stays as the match raised it). In `formats`, or else in the formats the
    month was last written in with `changes` (fields of `ReportFormat`) applied: the month's folder
    is replaced whole, so workbooks and the masked edition are written again unless turned off."""
    check_out_dir(out, month)
    require_workspace(db)
    with workspace_lock(db), opened(db) as conn:
        settle_pending(conn, out, os.getpid())
        rows = conn.execute("SELECT summary FROM month_summaries WHERE month = ?", [month]).fetchall()
        if not rows:
            raise StateError(f"{month} 月还没有比对结果：先运行 hexiao match --month {month}")
        warnings = reported_now(conn, month, (config or Config()).feedback)
        stored = json.loads(rows[0][0])
        formats = formats or replace(ReportFormat.recorded(stored), **changes)
        summary = stored | cycle_summary(conn, month, warnings) | {FORMATS_KEY: asdict(formats)}
        # Stored back, so what the workspace holds (`hexiao overview` reads it) is what was written.
        conn.execute("UPDATE month_summaries SET summary = ? WHERE month = ?", [_summary_text(summary), month])
        staging = stage_month(conn, out, month, warnings, summary, formats)
        return publish_reports(staging, month)


def match(
    *,
    month: str,
    db: Path,
    out: Path,
    config: Config | None = None,
    encoding: str = "utf-8-sig",
    inbox: Path | None = None,
    excel: bool = False,
    masked: bool = False,
) -> MatchResult:
    """Load new inbox files, match `month`, store its warnings and write its reports.

    Everything after the lock is one transaction: a failure (or a kill) at any point leaves the
    database and the previous reports as they were. The reports are written inside it and put in
    place by one rename after the commit. `inbox` defaults to `inbox/<month>/` when that directory
    exists. `masked` also writes the masked edition (`ReportFormat.masked`).
    """
    config = config or default_config()
    if not MONTH_PATTERN.fullmatch(month):
        raise ConfigError(f"月份应为 YYYY-MM，收到 {month!r}")
    check_out_dir(out, month)
    started = time.perf_counter()
    default_inbox = DEFAULT_INBOX / month
    inbox_dir = inbox if inbox is not None else (default_inbox if default_inbox.is_dir() else None)
    plan = survey_inbox(inbox_dir, config.headers) if inbox_dir is not None else None
    planned = plan.files if plan is not None else []
    if plan is not None and plan.ignored:
        log.info("收件目录 %s 已忽略（不是数据）：%s", plan.directory, "、".join(plan.ignored))
    if not planned and not db.exists():  # nothing to load and no workspace: nothing is made
        with workspace_lock(db, create=False):  # unless a run making the workspace holds it: 3, not 1
            raise StateError(_nothing_to_match(plan, month))
    with workspace_lock(db), reading_ahead(planned, config.headers) as reading, opened(db) as conn:
        settle_pending(conn, out, os.getpid())
        staging: Path | None = None
        try:
            with ledger.batch(
                conn, "match", month, config_hash=config.digest(), config_text=config.settings_text()
            ) as run:
                loaded = load_planned(conn, run.batch_id, month, reading)
                _check_something_to_match(conn, plan, month)
                result, staging = _match_in_batch(
                    conn, run.batch_id, month, out, config, ReportFormat(encoding, excel, masked), started
                )
                mark_pending(run, staging)  # a kill after the commit: the next run publishes
        except BaseException:
            if staging is not None:
                discard_reports(staging)
            raise
        result.loaded = loaded
        result.ignored = plan.ignored if plan is not None else []
        try:
            publish_reports(staging, month)
        except OSError as exc:  # committed: the warnings are stored, the files are not in place
            ledger.end_batch(conn, run.batch_id, ledger.DONE, "报告未能放入输出目录")
            raise StateError(
                f"比对结果已保存，但报告无法放入 {out / month}（{exc.strerror}）；"
                f"处理后运行 hexiao report --month {month} 重新写出报告"
            ) from None
        ledger.end_batch(conn, run.batch_id, ledger.DONE, f"{result.warnings.height} 条预警")
    return result


def _check_something_to_match(conn: duckdb.DuckDBPyConnection, plan: InboxPlan | None, month: str) -> None:
    """No data file in the inbox (or no inbox) and no roll of the month stored before: say which,
    and where the month's files go."""
    if plan is not None and plan.files:
        return
    if fetch_one(conn, "SELECT count(*) FROM (SELECT 1 FROM roll WHERE month = ? LIMIT 1)", [month])[0]:
        return
    raise StateError(_nothing_to_match(plan, month))


def _nothing_to_match(plan: InboxPlan | None, month: str) -> str:
    if plan is not None:
        return plan.empty_message(month)
    return (
        f"没有 {month} 月的花名册，也没有收件目录 {DEFAULT_INBOX / month}：把本月花名册和比对数据放进该目录后"
        f"运行 hexiao match --month {month}，或先运行 hexiao load roll 文件 --month {month}"
    )


def _match_in_batch(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    month: str,
    out: Path,
    config: Config,
    formats: ReportFormat,
    started: float,
) -> tuple[MatchResult, Path]:
    """Rules, warnings and the reports' staging directory; the caller holds the transaction."""
    with timed("prepare roll"):
        prepare_month(conn, month)
    ctx = RuleContext(conn=conn, month=month, month_start=month_start(month), config=config)
    raw = run_rules(ctx)
    with timed("finalise", raw.height):
        month_warnings = finalise(conn, month, raw, config.feedback)
    warnings = month_warnings.warnings
    conn.execute("DELETE FROM warnings WHERE month = ?", [month])
    stored = warnings.join(month_warnings.details, on="warning_id", how="left", maintain_order="left")
    insert_frame(conn, "warnings", stored.with_columns(pl.lit(batch_id).alias("batch_id")))
    summary = build_summary(conn, month, warnings)
    summary["suppressed"] = month_warnings.suppressed.height
    summary["suppressed_warnings"] = month_warnings.suppressed.to_dicts()
    summary["resolved"] = month_warnings.resolved.height
    summary["resolved_warnings"] = month_warnings.resolved.to_dicts()
    summary["not_rechecked"] = month_warnings.not_rechecked.height
    summary["not_rechecked_warnings"] = month_warnings.not_rechecked.to_dicts()
    summary |= gap_summary(survey_gaps(conn, month), ctx.held_back.get(OmissionRule.code, 0))
    summary["rule_notes"] = list(ctx.notes)  # a rule off for want of a setting, a source not loaded
    for line in gap_messages(summary):
        log.warning(line)
    summary[FORMATS_KEY] = asdict(formats)
    summary["elapsed_s"] = round(time.perf_counter() - started, 2)
    conn.execute("DELETE FROM month_summaries WHERE month = ?", [month])
    conn.execute(
        "INSERT INTO month_summaries VALUES (?, ?, ?)",
        [month, batch_id, _summary_text(summary)],
    )
    # Written inside the transaction: if writing fails, the warnings roll back too.
    with timed("report", warnings.height):
        staging = stage_month(conn, out, month, warnings, summary, formats)
    log.info("比对 %s：%d 条预警，%d 人；报告写入 %s", month, warnings.height, summary["persons_warned"], out / month)
    return MatchResult(month, batch_id, out / month, warnings, summary), staging
