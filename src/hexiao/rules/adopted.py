"""ADOPTED 被收养: a child of 孤儿 or 事实无人抚养儿童 on the adoption register (domain.md rule 13).

Seed 004: 孤儿和事实无人抚养儿童…被依法收养…的，自次月起，停发基本生活费 (an orphan is by definition
未被依法收养). A 收养登记日期 on or before the end of this month: effective month = the month after
it. The child's own ID equal to the register's → 停发; a weaker link → 入户核查. Overpayment counts
the months paid from the effective month on (`overpayment_ctes`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.matching import methods
from hexiao.rules.base import (
    ACTION_STOP,
    ACTION_VISIT,
    RISK_HIGH,
    RISK_MEDIUM,
    ROLL_PERSON_KEY_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import (
    OVERPAYMENT_SQL,
    ROLL_COLUMNS_SQL,
    contains_any,
    extract_table,
    link_detail_sql,
    link_struct_sql,
    linked,
    match_note_sql,
    overpayment_ctes,
)
from hexiao.store import query, raw_id_sql, source_sql

ADOPTION_KIND = "adoption"
# Seed 004: 孤儿和事实无人抚养儿童…被依法收养…的，自次月起，停发.
ADOPTED_PROGRAMS = ("孤儿", "事实无人抚养儿童")
ADOPTION_STOP_OFFSET_MONTHS = 1

WEAK_LINK = "关联不是身份证号一致，需入户核实是否为同一人"
_DECISIVE = ", ".join(f"'{x}'" for x in methods.DECISIVE)


@dataclass(frozen=True)
class AdoptedParams:
    """ADOPTED 被收养."""

    programs: tuple[str, ...] = ADOPTED_PROGRAMS
    adoption_stop_offset_months: int = ADOPTION_STOP_OFFSET_MONTHS


class AdoptedRule:
    code = "ADOPTED"
    label = "被收养"
    section = "adopted"  # its parameters: [rules.adopted] in hexiao.toml
    params_type = AdoptedParams
    linked_kinds: tuple[str, ...] = (ADOPTION_KIND,)

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, AdoptedParams)
        frame = query(
            ctx.conn,
            f"""
            WITH hits AS (
                SELECT l.*, r.* EXCLUDE (roll_key), e.name AS e_name, {raw_id_sql("e")} AS e_id_raw,
                       e.id_norm AS e_id_norm, e.adopter_name, e.registered_on, {source_sql("e")} AS e_source,
                       l.method IN ({_DECISIVE}) AS decisive,
                       date_trunc('month', e.registered_on) + to_months({int(params.adoption_stop_offset_months)})
                           AS effective
                FROM {linked(ctx, ADOPTION_KIND)} l
                JOIN roll_m r USING (roll_key) JOIN {extract_table(ctx, ADOPTION_KIND)} e USING (ext_key)
                WHERE {contains_any("r.program", params.programs)}
                  AND e.registered_on < ?::DATE + INTERVAL 1 MONTH
                -- one warning per roll row: its strongest link, then its earliest registration
                QUALIFY row_number() OVER (
                    PARTITION BY l.roll_key ORDER BY decisive DESC, l.score DESC, e.registered_on, l.ext_key
                ) = 1
            ),
            {overpayment_ctes("hits")}
            SELECT '{self.code}' AS code, '{self.label}' AS label,
                   CASE WHEN r.decisive THEN '{RISK_HIGH}' ELSE '{RISK_MEDIUM}' END AS risk,
                   {ROLL_COLUMNS_SQL},
                   r.method AS match_method, r.score AS match_score, r.e_source AS source,
                   concat_ws('；',
                       '收养登记：' || coalesce(r.e_name, '（无姓名）') || '，身份证号 ' || coalesce(r.e_id_raw, '（空）')
                           || '，登记日期 ' || strftime(r.registered_on, '%Y-%m-%d')
                           || coalesce('，收养人 ' || r.adopter_name, ''),
                       nullif({match_note_sql("r")}, ''),
                       '花名册：' || {source_sql("r")},
                       CASE WHEN p.months_paid > 0 THEN '收养后已发放 ' || p.months_paid || ' 个月' END,
                       CASE WHEN r.monthly_amount IS NULL THEN '月保障金额未知，应追回金额无法计算' END,
                       CASE WHEN NOT r.decisive THEN '{WEAK_LINK}' END
                   ) AS evidence,
                   CASE WHEN r.decisive THEN '{ACTION_STOP}' ELSE '{ACTION_VISIT}' END AS action,
                   strftime(r.effective, '%Y-%m') AS effective_month,
                   {OVERPAYMENT_SQL} AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key,
                   coalesce(r.e_id_norm, r.e_name) || '@' || strftime(r.registered_on, '%Y-%m-%d') AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links=f"[{link_struct_sql(ADOPTION_KIND, 'r')}]", months="p.paid_months")}
                       AS link_detail
            FROM hits r LEFT JOIN paid p USING (roll_key)
            """,
            [ctx.month_start, ctx.month_start, ctx.month_start],
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
