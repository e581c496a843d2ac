"""DUPLICATE 重复享受: the same person on two roll rows of the month — in two households, two
townships, or two programmes that exclude each other (domain.md rule 6). Both rows are warned,
each naming the other. A household is its township and 户编号; where a damaged 户编号 leaves one
side's household unknown, two rows of one programme in one township are warned as such."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.normalize import ids
from hexiao.rules.base import ACTION_VISIT, RISK_HIGH, ROLL_PERSON_KEY_SQL, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import ROLL_COLUMNS_SQL, contains_any, link_detail_sql
from hexiao.store import query, source_sql

# Programmes one person may not draw together (national rules; 低保 covers 城市低保 and 农村低保).
EXCLUSIVE_PROGRAMS = (("低保", "特困"), ("孤儿", "特困"), ("事实无人抚养儿童", "特困"), ("孤儿", "事实无人抚养儿童"))


@dataclass(frozen=True)
class DuplicateParams:
    """DUPLICATE 重复享受."""

    exclusive_programs: tuple[tuple[str, ...], ...] = EXCLUSIVE_PROGRAMS


# IDs that identify one person: an Excel numeric cell (…000) may be shared by two people.


def exclusive_sql(params: DuplicateParams) -> str:
    """SQL: programmes a.program and b.program exclude each other (either order)."""
    terms = []
    for group in params.exclusive_programs:
        if len(group) != 2:
            continue
        x, y = group
        ax, ay = contains_any("a.program", [x]), contains_any("a.program", [y])
        bx, by = contains_any("b.program", [x]), contains_any("b.program", [y])
        terms.append(f"(({ax} AND {by}) OR ({ay} AND {bx}))")
    return " OR ".join(terms) or "FALSE"


class DuplicateRule:
    code = "DUPLICATE"
    label = "重复享受"
    section = "duplicate"  # its parameters: [rules.duplicate] in hexiao.toml
    params_type = DuplicateParams
    linked_kinds: tuple[str, ...] = ()

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, DuplicateParams)
        frame = query(
            ctx.conn,
            f"""
            WITH people AS (SELECT * FROM roll_m WHERE id_status IN ({ids.IDENTIFYING_SQL}) AND id_norm IS NOT NULL),
            pairs AS (
                SELECT a.roll_key, b.roll_key AS other_key,
                       concat_ws('、',
                           CASE WHEN a.household_key <> b.household_key THEN '不同家庭'
                                WHEN (a.household_key IS NULL OR b.household_key IS NULL) AND a.township = b.township
                                     AND a.program = b.program THEN '户编号损坏，无法确定是否同一家庭' END,
                           CASE WHEN a.township <> b.township THEN '不同乡镇' END,
                           CASE WHEN {exclusive_sql(params)} THEN '互斥项目 ' || a.program || '×' || b.program END
                       ) AS why,
                       {source_sql("b")} || '（' || concat_ws('，', b.township, b.village,
                           '户编号 ' || b.household_id, b.program, b.name) || '）' AS other,
                       b.household_id || '/' || b.program AS other_key_text, b.roll_key AS other_roll_key
                FROM people a JOIN people b ON a.id_norm = b.id_norm AND a.roll_key <> b.roll_key
            ), per_row AS (
                SELECT roll_key, string_agg(other || '：' || why, '；' ORDER BY other) AS others,
                       string_agg(other_key_text, ',' ORDER BY other_key_text) AS other_keys,
                       list(other_roll_key ORDER BY other) AS other_rows
                FROM pairs WHERE why <> '' GROUP BY roll_key
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_HIGH}' AS risk, {ROLL_COLUMNS_SQL},
                   '身份证精确' AS match_method, 100.0 AS match_score,
                   {source_sql("r")} AS source,
                   '同一身份证号本月另见于 ' || p.others AS evidence,
                   '{ACTION_VISIT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   {ROLL_PERSON_KEY_SQL} || '/' || r.household_id || '/' || r.program AS person_key,
                   p.other_keys AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", others="p.other_rows")} AS link_detail
            FROM per_row p JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
