"""What each source says about each applicant: the intake rules run on the applicant list.

The applicants stand in `roll_m` (`match.create_roll_m`), so the monthly rules that apply at intake
run on them unchanged, each against its extract in force for the month (`rules.common.in_force`),
linked by the same linker. A rule's warnings become `有：<证据>；来源 <rows>`, less what DECEASED says
of a roll's payments (`Source.roll_notes`): an applicant has been paid nothing yet.
在保 is the applicants linked to the rolls in force: each programme's newest roll up to the month.

Each column reads `有：…`, `未发现`, `未取得数据` where no record of its kinds is in force,
`未发现（未取得<kind>）` where some of its kinds have none (a 收入 from pensions alone: a wage
would be in the 公积金 records never loaded), or
`未核对：<why>` where its rule cannot run (turned off in hexiao.toml, not in this version, or
off for want of a local standard: `off_reason`). Never `未发现` for a check that did not run.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import (
    BUSINESS_KIND,
    CREMATION_KIND,
    EMPLOYEE_KIND,
    KIND_LABELS,
    PROPERTY_KIND,
    ROLL_KIND,
    VEHICLE_KIND,
)
from hexiao.matching.linker import link
from hexiao.rules import REGISTRY, Rule
from hexiao.rules.base import RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import in_force, link_extracts, match_note_sql
from hexiao.store import LINKED_PERSON_COLUMNS, ROW_KEY_SQL, fetch_one, query, source_sql, temp_table

FOUND, NOT_FOUND, NO_DATA, NOT_CHECKED = "有：", "未发现", "未取得数据", "未核对："
ON_ROLL = "在保"


@dataclass(frozen=True)
class Source:
    """One column of the report: the registers it reads and the rule that reads them."""

    header: str
    kinds: tuple[str, ...]  # 未取得数据 unless one of them has a record in force
    rule_code: str | None  # None: 在保, checked here against the rolls
    missing_rule: str = ""  # said where this version has no such rule
    roll_notes: tuple[str, ...] = ()  # parts of the rule's evidence about a roll's payments: left out
    also_codes: tuple[str, ...] = ()  # rules whose findings the column shows too


SOURCES: tuple[Source, ...] = (
    # DECEASED speaks of the roll row and of months paid since the death: an applicant's own row
    # is the report's row, and nothing has been paid on an application.
    Source(
        "火化",
        (CREMATION_KIND,),
        "DECEASED",
        roll_notes=("花名册：", "已发放", "尚未发放", "月保障金额", "家庭在册", "单人户"),
    ),
    Source("车辆", (VEHICLE_KIND,), "VEHICLE"),
    Source("不动产", (PROPERTY_KIND,), "PROPERTY"),
    Source("工商", (BUSINESS_KIND,), "BUSINESS"),
    Source("财政供养", (EMPLOYEE_KIND,), "PUBLIC_EMPLOYEE"),
    Source(ON_ROLL, (ROLL_KIND,), None),
    # Pensions paid and provident-fund contributions; the INCOME rule weighs them (domain.md rule 13).
    # An applicant above the line through a new job is above it: 渐退 is for a household already paid.
    Source(
        "收入", ("pension", "provident"), "INCOME", missing_rule="本版本尚无收入核对规则", also_codes=("GRADUAL_EXIT",)
    ),
)
SOURCE_HEADERS = tuple(source.header for source in SOURCES)


def findings(ctx: RuleContext) -> pl.DataFrame:
    """One row per applicant (`roll_key` of `roll_m`) with a column per source (`SOURCE_HEADERS`)."""
    runnable: list[tuple[Source, Rule]] = []
    fixed: dict[str, str] = {}  # a column that reads the same for every applicant
    by_code = {rule.code: rule for rule in REGISTRY}
    partial = partial_sources(ctx)
    for source in SOURCES:
        rule = by_code.get(source.rule_code) if source.rule_code else None
        if not any(_has_records(ctx, kind) for kind in source.kinds):
            fixed[source.header] = NO_DATA
        elif source.rule_code is None:
            continue
        elif rule is None:
            fixed[source.header] = NOT_CHECKED + (source.missing_rule or f"本版本没有 {source.rule_code} 规则")
        elif rule.code in ctx.config.disabled_rules:
            fixed[source.header] = f"{NOT_CHECKED}hexiao.toml 的 disabled_rules 停用了 {rule.code}"
        elif reason := _off_reason(rule, ctx):
            fixed[source.header] = NOT_CHECKED + reason
        else:
            runnable.append((source, rule))
    link_extracts(ctx, [kind for _, rule in runnable for kind in rule.linked_kinds])
    found = [
        _rule_findings(ctx, source, each)
        for source, rule in runnable
        for each in (rule, *(by_code[code] for code in source.also_codes if code in by_code))
    ]
    if ON_ROLL not in fixed:
        found.append(on_roll(ctx))  # after the rules' links: the linker's work tables are made anew
    applicants = query(ctx.conn, "SELECT roll_key FROM roll_m")
    long = pl.concat([_empty_findings(), *found], how="vertical_relaxed")
    wide = (
        long.group_by("roll_key", "header")
        .agg(pl.col("text").sort().str.join("；"))
        .pivot(on="header", index="roll_key", values="text")
    )
    table = applicants.join(wide, on="roll_key", how="left")
    return table.select(
        "roll_key", *(_column(header, fixed, table.columns, partial.get(header, ())) for header in SOURCE_HEADERS)
    )


def partial_sources(ctx: RuleContext) -> dict[str, tuple[str, ...]]:
    """Each column some of whose kinds have no record in force, and not all: header → the labels
    of those missing (`收入` → 住房公积金缴存数据 where only pensions are loaded)."""
    partial: dict[str, tuple[str, ...]] = {}
    for source in SOURCES:
        missing = tuple(kind for kind in source.kinds if not _has_records(ctx, kind))
        if missing and len(missing) < len(source.kinds):
            partial[source.header] = tuple(KIND_LABELS[kind] for kind in missing)
    return partial


def _column(header: str, fixed: dict[str, str], found: list[str], missing: tuple[str, ...]) -> pl.Expr:
    """A source's column: what it reads for everyone, else 有：… where it found something, and a
    未发现 that says which of its sources were never loaded: never read as nothing there."""
    if header in fixed:
        return pl.lit(fixed[header]).alias(header)
    not_found = NOT_FOUND + (f"（未取得{'、'.join(missing)}）" if missing else "")
    if header not in found:
        return pl.lit(not_found).alias(header)
    return (pl.lit(FOUND) + pl.col(header)).fill_null(not_found).alias(header)


def _empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema={"roll_key": pl.Int64, "header": pl.String, "text": pl.String})


def _has_records(ctx: RuleContext, kind: str) -> bool:
    key = f"has_records:{kind}"  # asked for the column and for `partial_sources`: once
    if key not in ctx.cache:
        where = _rolls_in_force(ctx) if kind == ROLL_KIND else in_force(ctx, kind)
        query_sql = f"SELECT count(*) FROM (SELECT 1 FROM {kind} WHERE {where} LIMIT 1)"
        ctx.cache[key] = "1" if fetch_one(ctx.conn, query_sql)[0] else ""
    return bool(ctx.cache[key])


def _off_reason(rule: Rule, ctx: RuleContext) -> str | None:
    """Why a rule that is on raises nothing this run (a rule whose local standard is not set says
    so through an `off_reason(ctx)` method): its column then says why, not 未发现."""
    method = getattr(rule, "off_reason", None)
    reason = method(ctx) if callable(method) else None
    return str(reason) if reason else None


def _rule_findings(ctx: RuleContext, source: Source, rule: Rule) -> pl.DataFrame:
    """The rule's warnings on the applicants as (roll_key, header, text): the evidence, less the
    source's `roll_notes` (parts separated by `；`), then the rows it rests on."""
    warnings = rule.run(ctx).select(conform(RULE_OUTPUT_SCHEMA))
    evidence = pl.col("evidence").fill_null("")
    if source.roll_notes:
        kept = pl.element().str.contains_any(list(source.roll_notes)).not_()
        evidence = evidence.str.split("；").list.eval(pl.element().filter(kept)).list.join("；")
    return warnings.select(
        pl.col("link_detail").str.json_path_match("$.roll[0]").cast(pl.Int64).alias("roll_key"),
        pl.lit(source.header).alias("header"),
        pl.concat_str(evidence, pl.lit("；来源 ") + pl.col("source").fill_null("（未记录）")).alias("text"),
    )


def _rolls_in_force(ctx: RuleContext) -> str:
    """SQL condition on roll rows: each programme's newest roll up to the month (a programme whose
    roll of this month is not loaded yet still has its people on the earlier one). Asked once and
    written in as literals, like `in_force`."""
    key = "roll:in_force"
    if key not in ctx.cache:
        newest = ctx.conn.execute(
            "SELECT program, max(month) FROM roll WHERE month <= ? AND program IS NOT NULL GROUP BY program ORDER BY 1",
            [ctx.month],
        ).fetchall()
        terms = [f"(program = {_literal(program)} AND month = {_literal(month)})" for program, month in newest]
        ctx.cache[key] = f"({' OR '.join(terms) or 'FALSE'})"
    return ctx.cache[key]


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def on_roll(ctx: RuleContext) -> pl.DataFrame:
    """在保: each applicant's links to the rolls in force, naming the programme, township and row."""
    rolls = f"SELECT {ROW_KEY_SQL} AS ext_key, * FROM roll WHERE {_rolls_in_force(ctx)}"
    ctx.conn.execute(
        f"CREATE OR REPLACE TEMP VIEW rolls_now AS SELECT '{ROLL_KIND}' AS kind, {ROW_KEY_SQL} AS ext_key, "
        f"{LINKED_PERSON_COLUMNS} FROM roll WHERE {_rolls_in_force(ctx)}"
    )
    temp_table(ctx.conn, "roll_links", link(ctx.conn, "roll_m", "rolls_now"))
    return query(
        ctx.conn,
        f"""
        SELECT l.roll_key, '{ON_ROLL}' AS header,
               string_agg(
                   e.program || '，' || concat_ws('', e.township, e.village) || '，' || e.month || ' 月花名册 '
                   || {source_sql("e")}
                   || CASE WHEN e.program = a.program THEN '（与申请的保障类别相同）' ELSE '（另一保障类别）' END
                   || coalesce('，' || nullif({match_note_sql()}, ''), ''),
                   '；' ORDER BY e.ext_key
               ) AS text
        FROM roll_links l JOIN ({rolls}) e USING (ext_key) JOIN roll_m a USING (roll_key)
        GROUP BY l.roll_key
        """,
    )
