"""OMISSION from the disabled persons' federation's register, 重残 (domain.md rule 12b; seed 003 item
1: 特别是重病、重残家庭…杜绝漏保). A working-age adult with a severe disability, linked to no member of
this month's roll, with no wage and no pension on record in the last 12 months.

Seed 004 lets 成年无业重度残疾人 apply for 低保 as a one-person household (单独立户…可按照单人户) and
defines 重度残疾人 as 一级、二级 and 三级智力、精神 (持有中华人民共和国残疾人证的一级、二级重度残疾人和
三级智力、精神残疾人). Severe disability alone is not poverty: a wage (a provident-fund contribution)
or a pension paid in the window takes the person off the list. Where a register was never loaded
for the window, the person stays on it and 证据 says the source is missing: absence of data is not
absence of income.
"""

from __future__ import annotations

import polars as pl

from hexiao.ingest.disability import LEVELS, level_name
from hexiao.kinds import DISABILITY_KIND
from hexiao.kinds.pension import KIND as PENSION
from hexiao.kinds.provident import KIND as PROVIDENT
from hexiao.roll_gaps import on_missing_roll_sql
from hexiao.rules.base import RuleContext
from hexiao.rules.common import contains_any, extract_table, in_force, linked
from hexiao.rules.omission_medical import window
from hexiao.store import fetch_one, source_sql

# Seed 004: 重度残疾人是指…一级、二级重度残疾人和三级智力、精神残疾人.
SEVERE_DISABILITY_LEVELS = ("一级", "二级")
SEVERE_MENTAL_LEVELS = ("三级",)
MENTAL_CATEGORIES = ("智力", "精神")
# Seed 004: 成年 (18) and, for 无业, the working age; 60 is the national retirement age for men and the
# age from which 城乡居民养老保险 pays, so a person of 60 is looked at by the pension rules instead.
WORKING_AGE_FROM, WORKING_AGE_TO = 18, 59
INCOME_WINDOW_MONTHS = 12  # no provident contribution and no pension paid in the last 12 months


def levels_sql(levels: tuple[str, ...]) -> str:
    """SQL list of the configured levels in the stored spelling (一级…四级): `1`, `1级`, `壹级` too."""
    named = pl.Series(levels, dtype=pl.String).to_frame("level").select(level_name(pl.col("level")))
    known = sorted({level for level in named.to_series().drop_nulls()}, key=LEVELS.index)
    return "[" + ", ".join(f"'{level}'" for level in known) + "]::VARCHAR[]"


def _window_rows(ctx: RuleContext, kind: str, first: str, last: str) -> bool:
    """Whether the register holds any record in force dated in the window."""
    where = f"{in_force(ctx, kind)} AND pay_month BETWEEN DATE '{first}' AND DATE '{last}'"
    return bool(fetch_one(ctx.conn, f"SELECT count(*) FROM (SELECT 1 FROM {kind} WHERE {where} LIMIT 1)")[0])


def disability_candidates(
    ctx: RuleContext,
    severe_levels: tuple[str, ...],
    mental_levels: tuple[str, ...],
    mental_categories: tuple[str, ...],
    ages: tuple[int, int],
) -> str:
    """SQL: one candidate row per person (`omission.CANDIDATE_COLUMNS`)."""
    records, links = extract_table(ctx, DISABILITY_KIND), linked(ctx, DISABILITY_KIND)
    first, last = window(ctx, INCOME_WINDOW_MONTHS)
    month_end = f"DATE '{last}'"
    window_sql = f"BETWEEN DATE '{first}' AND DATE '{ctx.month_start}'"
    category = "coalesce(e.disability_category, '')"
    severe = (
        f"(list_contains({levels_sql(severe_levels)}, e.disability_level)"
        f" OR list_contains({levels_sql(mental_levels)}, e.disability_level)"
        f" AND {contains_any(category, mental_categories)})"
    )
    # Each register read for the window says the person has no record in it; each not read is named
    # with the income it would have shown, and only that one.
    registers = ((PROVIDENT.name, "公积金缴存", "工资"), (PENSION.name, "养老金发放", "养老金"))
    read = {kind: _window_rows(ctx, kind, f"{first}", f"{ctx.month_start}") for kind, _, _ in registers}
    checked = [label for kind, label, _ in registers if read[kind]]
    missing = [(label, income) for kind, label, income in registers if not read[kind]]
    income_note = "；".join(
        [
            *([f"近12个月无{'、无'.join(checked)}记录"] if checked else []),
            *(
                [
                    f"未取得近12个月{'、'.join(label for label, _ in missing)}数据，"
                    f"无法核对有无{'、'.join(income for _, income in missing)}收入"
                ]
                if missing
                else []
            ),
        ]
    )
    return f"""
        WITH listed AS (
            SELECT e.*, date_sub('year', e.id_birth, {month_end}) AS age
            FROM {records} e
            WHERE e.id_norm IS NOT NULL AND e.id_birth IS NOT NULL
        ),
        on_roll AS (SELECT DISTINCT s.id_norm FROM listed s JOIN {links} l USING (ext_key)),
        earning AS (
            SELECT id_norm FROM {extract_table(ctx, PROVIDENT.name)} WHERE pay_month {window_sql}
            UNION SELECT id_norm FROM {extract_table(ctx, PENSION.name)} WHERE pay_month {window_sql}
        ),
        people AS (
            SELECT * FROM listed e
            WHERE {severe} AND e.age BETWEEN {int(ages[0])} AND {int(ages[1])}
              AND e.id_norm NOT IN (SELECT id_norm FROM on_roll)
              AND e.id_norm NOT IN (SELECT id_norm FROM earning WHERE id_norm IS NOT NULL)
            -- one row per person: the most severe level the register gives them
            QUALIFY row_number() OVER (
                PARTITION BY e.id_norm ORDER BY list_position({levels_sql(LEVELS)}, e.disability_level), e.ext_key
            ) = 1
        )
        SELECT 3 AS priority, p.township, p.village, NULL AS household_id, p.name, p.id_norm AS id_number,
               {source_sql("p")} AS source,
               '重残：残疾人名单 残疾类别 ' || coalesce(p.disability_category, '未填') || '，残疾等级 ' || p.disability_level
                   || '，' || p.age || ' 岁（取自身份证号）；{income_note}' AS evidence,
               p.id_norm AS person_key, '重残' AS evidence_key,
               [{{'kind': '{DISABILITY_KIND}', 'ext': p.ext_key}}] AS links,
               {on_missing_roll_sql("p")} AS held
        FROM people p
    """
