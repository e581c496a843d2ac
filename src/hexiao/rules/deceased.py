"""DECEASED 死亡: a roll member matched to a cremation record (domain.md rule 1).

Effective month = the month after death (`death_stop_offset_months`). A decisive match (same
normalised ID) recommends 停发 for a one-person household and 减发 otherwise; every weaker match
recommends 入户核查, and so does a death in a household of unknown size (a damaged 户编号 and no
sound head ID: `ingest.households`), whose evidence says why. Overpayment counts the months already paid from the effective month up to
the month before this one, from stored roll snapshots or, for months without a snapshot, from
保障起始年月.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.ingest.households import household_note_sql
from hexiao.kinds import CREMATION_KIND
from hexiao.matching import methods
from hexiao.rules.base import (
    ACTION_REDUCE,
    ACTION_STOP,
    ACTION_VISIT,
    RISK_HIGH,
    ROLL_PERSON_KEY_SQL,
    ROLL_SOURCE_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import (
    OVERPAYMENT_SQL,
    extract_table,
    link_detail_sql,
    link_struct_sql,
    linked,
    overpayment_ctes,
)
from hexiao.store import query, raw_id_sql, source_sql

# 特困人员认定办法: support ends from the month after death (从下月起终止).
DEATH_STOP_OFFSET_MONTHS = 1


@dataclass(frozen=True)
class DeceasedParams:
    """DECEASED 死亡."""

    death_stop_offset_months: int = DEATH_STOP_OFFSET_MONTHS


UNKNOWN_SIZE = "家庭人数无法确定，需入户核实"
_DECISIVE = ", ".join(f"'{x}'" for x in methods.DECISIVE)


class DeceasedRule:
    code = "DECEASED"
    label = "死亡"
    section = "deceased"  # its parameters: [rules.deceased] in hexiao.toml
    params_type = DeceasedParams
    linked_kinds: tuple[str, ...] = (CREMATION_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, DeceasedParams)
        conn = ctx.conn
        records = extract_table(ctx, CREMATION_KIND)
        links = linked(ctx, CREMATION_KIND)
        frame = query(
            conn,
            f"""
            WITH hits AS (
                SELECT l.*, r.* EXCLUDE (roll_key), e.name AS e_name, {raw_id_sql("e")} AS e_id_raw, e.death_date, e.cremation_date,
                       e.funeral_home, coalesce(e.death_date, e.cremation_date) AS died_by,
                       {source_sql("e")} AS e_source,
                       e.id_norm AS e_id_norm,
                       date_trunc('month', coalesce(e.death_date, e.cremation_date)) + to_months(?::INTEGER) AS effective
                FROM {links} l
                JOIN roll_m r USING (roll_key) JOIN {records} e USING (ext_key)
                WHERE coalesce(e.death_date, e.cremation_date) < ?::DATE + INTERVAL 1 MONTH
                -- one warning per roll row: its earliest death record, strongest method first
                QUALIFY row_number() OVER (
                    PARTITION BY l.roll_key ORDER BY l.method IN ({_DECISIVE}) DESC, l.score DESC, died_by, l.ext_key
                ) = 1
            ),
            {overpayment_ctes("hits")}
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_HIGH}' AS risk,
                   r.township, r.village, r.household_id, r.head_name, r.name,
                   coalesce(r.id_norm, r.id_raw) AS id_number, r.program,
                   r.method AS match_method, r.score AS match_score,
                   r.e_source AS source,
                   concat_ws('；',
                       '火化记录：' || coalesce(r.e_name, '（无姓名）') || '，身份证号 ' || coalesce(r.e_id_raw, '（空）'),
                       CASE WHEN r.death_date IS NOT NULL THEN '死亡日期 ' || strftime(r.death_date, '%Y-%m-%d')
                            ELSE '死亡日期未填，按火化日期计' END,
                       CASE WHEN r.cremation_date IS NOT NULL THEN '火化日期 ' || strftime(r.cremation_date, '%Y-%m-%d') END,
                       r.funeral_home,
                       '匹配：' || r.note || '，姓名' || r.name_tier || '（花名册 ' || coalesce(r.name, '') || '）',
                       '花名册：' || {ROLL_SOURCE_SQL},
                       CASE WHEN r.is_head AND r.household_size > 1 THEN '死者为户主，家庭需变更户主并重新登记' END,
                       {household_note_sql("r")},
                       CASE WHEN r.household_size IS NULL THEN '{UNKNOWN_SIZE}'
                            WHEN r.household_size > 1 THEN '家庭在册 ' || r.household_size || ' 人' ELSE '单人户' END,
                       CASE WHEN p.months_paid > 0 THEN '死亡后已发放 ' || p.months_paid || ' 个月'
                            WHEN r.effective >= ?::DATE THEN '本月花名册尚未发放，可直接停止' END,
                       CASE WHEN r.monthly_amount IS NULL THEN '月保障金额未知，应追回金额无法计算' END
                   ) AS evidence,
                   CASE WHEN r.method NOT IN ({_DECISIVE}) OR r.household_size IS NULL THEN '{ACTION_VISIT}'
                        WHEN r.household_size = 1 THEN '{ACTION_STOP}' ELSE '{ACTION_REDUCE}' END AS action,
                   strftime(r.effective, '%Y-%m') AS effective_month,
                   {OVERPAYMENT_SQL} AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key,
                   coalesce(r.e_id_norm, r.e_name) || '@' || strftime(r.died_by, '%Y-%m-%d') AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links=f"[{link_struct_sql(CREMATION_KIND, 'r')}]", months="p.paid_months")}
                       AS link_detail
            FROM hits r LEFT JOIN paid p USING (roll_key)
            """,
            [
                params.death_stop_offset_months,
                ctx.month_start,
                ctx.month_start,
                ctx.month_start,
                ctx.month_start,
            ],
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
