"""AGE_OUT 年龄到期: 孤儿/事实无人抚养儿童 are paid until 18; payment stops from the month after the
18th birthday (domain.md rule 7). Stop month reached → 停发 (在校可继续享受，需核实); within the
notice window → 提前告知. 特困 members who joined as minors are re-assessed as adults at 18: for
them a reached stop month (within `minor_review_months`) asks for 入户核查, not 停发."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.rules.base import (
    ACTION_NOTIFY,
    ACTION_STOP,
    ACTION_VISIT,
    RISK_LOW,
    RISK_MEDIUM,
    ROLL_PERSON_KEY_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import ROLL_COLUMNS_SQL, contains_any, link_detail_sql, overpayment_ctes
from hexiao.store import query, source_sql

# 孤儿/事实无人抚养儿童 are paid until 18 and stop from the month after (seed 004: 年满18周岁的，自次月起，停发);
# 提前三个月书面告知 (seed 000).
AGE_OUT_PROGRAMS = ("孤儿", "事实无人抚养儿童")
# 特困 members who joined as minors: at 18 they are re-assessed as adults (they may stay), so the
# rule asks for a visit, and only for stop months in the last year — older cases were reviewed.
AGE_OUT_MINOR_PROGRAMS = ("特困",)
AGE_OUT_MINOR_REVIEW_MONTHS = 12
AGE_OUT_AGE = 18
AGE_OUT_NOTICE_MONTHS = 3


@dataclass(frozen=True)
class AgeOutParams:
    """AGE_OUT 年龄到期."""

    programs: tuple[str, ...] = AGE_OUT_PROGRAMS
    minor_programs: tuple[str, ...] = AGE_OUT_MINOR_PROGRAMS
    minor_review_months: int = AGE_OUT_MINOR_REVIEW_MONTHS
    age: int = AGE_OUT_AGE
    age_out_notice_months: int = AGE_OUT_NOTICE_MONTHS


class AgeOutRule:
    code = "AGE_OUT"
    label = "年龄到期"
    section = "age_out"  # its parameters: [rules.age_out] in hexiao.toml
    params_type = AgeOutParams
    linked_kinds: tuple[str, ...] = ()

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, AgeOutParams)
        age = int(params.age)
        adult_month = f"date_trunc('month', r.id_birth + INTERVAL {age} YEAR)"
        stop = f"({adult_month} + INTERVAL 1 MONTH)"
        orphan = contains_any("r.program", params.programs)
        minor = (
            f"(NOT {orphan} AND {contains_any('r.program', params.minor_programs)} AND r.start_month IS NOT NULL"
            f" AND r.start_month <= {adult_month}"
            f" AND {stop} > ?::DATE - to_months({int(params.minor_review_months)}))"
        )
        frame = query(
            ctx.conn,
            f"""
            WITH hits AS (
                SELECT r.*, {stop} AS effective, r.id_birth + INTERVAL {age} YEAR AS adult_on, {minor} AS minor
                FROM roll_m r
                WHERE r.id_birth IS NOT NULL AND ({orphan} OR {minor})
                  AND {stop} <= ?::DATE + to_months({int(params.age_out_notice_months)})
            ),
            {overpayment_ctes("hits")}
            SELECT '{self.code}' AS code, '{self.label}' AS label,
                   CASE WHEN r.effective <= ?::DATE THEN '{RISK_MEDIUM}' ELSE '{RISK_LOW}' END AS risk,
                   {ROLL_COLUMNS_SQL}, NULL AS match_method, NULL::DOUBLE AS match_score,
                   {source_sql("r")} AS source,
                   concat_ws('；',
                       '出生日期 ' || strftime(r.id_birth, '%Y-%m-%d') || '（取自身份证号），'
                           || strftime(r.adult_on, '%Y-%m-%d') || ' 年满 {age} 周岁',
                       '自 ' || strftime(r.effective, '%Y-%m') || ' 起停发',
                       CASE WHEN r.effective <= ?::DATE AND r.minor THEN '未成年时纳入特困供养，成年后需按成年人条件重新认定'
                            WHEN r.effective <= ?::DATE THEN '在校可继续享受，需核实'
                            ELSE '应提前书面告知（{int(params.age_out_notice_months)} 个月内到期）' END,
                       CASE WHEN p.months_paid > 0 THEN '到期后已发放 ' || p.months_paid || ' 个月' END
                   ) AS evidence,
                   CASE WHEN r.effective > ?::DATE THEN '{ACTION_NOTIFY}' WHEN r.minor THEN '{ACTION_VISIT}'
                        ELSE '{ACTION_STOP}' END AS action,
                   strftime(r.effective, '%Y-%m') AS effective_month,
                   CASE WHEN r.effective > ?::DATE OR r.monthly_amount IS NULL THEN NULL
                        ELSE round(coalesce(p.overpayment, 0), 2) END AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key, strftime(r.effective, '%Y-%m') AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", months="p.paid_months")} AS link_detail
            FROM hits r LEFT JOIN paid p USING (roll_key)
            """,
            [ctx.month_start] * 10,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
