"""BUSINESS 工商: a member holds a role in an active enterprise (risk 中) or runs an active
个体工商户 (risk 低) (domain.md rule 4). 注销/吊销 and other inactive states raise nothing."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import BUSINESS_KIND
from hexiao.rules.base import (
    ACTION_VISIT,
    RISK_LOW,
    RISK_MEDIUM,
    ROLL_PERSON_KEY_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import (
    ROLL_COLUMNS_SQL,
    contains_any,
    extract_table,
    link_detail_sql,
    link_struct_sql,
    linked,
    match_note_sql,
)
from hexiao.store import query, source_sql

BUSINESS_ACTIVE_STATES = ("存续", "在业", "开业")
BUSINESS_ENTERPRISE_ROLES = ("法定代表人", "股东", "投资人", "高管", "董事", "监事", "经理")
BUSINESS_SOLE_TRADER_ROLES = ("经营者",)


@dataclass(frozen=True)
class BusinessParams:
    """BUSINESS 工商."""

    active_states: tuple[str, ...] = BUSINESS_ACTIVE_STATES
    enterprise_roles: tuple[str, ...] = BUSINESS_ENTERPRISE_ROLES
    sole_trader_roles: tuple[str, ...] = BUSINESS_SOLE_TRADER_ROLES


# 个体工商户 carry a unified social credit code starting 92 (GB 32100-2015: 9 = 工商, 2 = 个体).
SOLE_TRADER_CODE_PREFIX = "92"


class BusinessRule:
    code = "BUSINESS"
    label = "工商"
    section = "business"  # its parameters: [rules.business] in hexiao.toml
    params_type = BusinessParams
    linked_kinds: tuple[str, ...] = (BUSINESS_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, BusinessParams)
        records, links = extract_table(ctx, BUSINESS_KIND), linked(ctx, BUSINESS_KIND)
        active = contains_any("coalesce(e.business_status, '')", params.active_states)
        sole_role = contains_any("coalesce(e.role, '')", params.sole_trader_roles)
        enterprise_role = contains_any("coalesce(e.role, '')", params.enterprise_roles)
        sole_code = f"starts_with(coalesce(e.credit_code, ''), '{SOLE_TRADER_CODE_PREFIX}')"
        frame = query(
            ctx.conn,
            f"""
            WITH roles AS (
                SELECT l.roll_key, l.method, l.score, {match_note_sql()} AS match_note, {link_struct_sql(BUSINESS_KIND)} AS link,
                       {source_sql("e")} AS source, e.source_file AS src_file, e.source_row AS src_row, coalesce(e.sheet_no, 0) AS src_sheet,
                       CASE WHEN {enterprise_role} AND NOT {sole_code} THEN 2
                            WHEN {sole_role} OR {sole_code} THEN 1 ELSE 0 END AS weight,
                       coalesce(e.enterprise, '（未填名称）') || '（' || concat_ws('，',
                           '统一社会信用代码 ' || e.credit_code, e.role, e.business_status) || '）' AS item,
                       coalesce(e.credit_code, e.enterprise) || ':' || coalesce(e.role, '') AS item_key
                FROM {links} l JOIN {records} e USING (ext_key)
                WHERE {active}
            ), per_person AS (
                SELECT roll_key, max(weight) AS weight, arg_max(method, score) AS method, max(score) AS score,
                       string_agg(item, '；' ORDER BY item_key) AS items, string_agg(source, '、' ORDER BY src_file, src_sheet, src_row) AS source,
                       string_agg(DISTINCT match_note, '；' ORDER BY match_note) AS match_note,
                       string_agg(item_key, ',' ORDER BY item_key) AS item_keys,
                       list(link ORDER BY src_file, src_sheet, src_row) AS links
                FROM roles WHERE weight > 0 GROUP BY roll_key
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label,
                   CASE WHEN p.weight = 2 THEN '{RISK_MEDIUM}' ELSE '{RISK_LOW}' END AS risk, {ROLL_COLUMNS_SQL},
                   p.method AS match_method, p.score AS match_score, p.source,
                   CASE WHEN p.weight = 2 THEN '在经营企业任职或出资：' ELSE '经营个体工商户：' END || p.items
                       || coalesce('；' || nullif(p.match_note, ''), '') AS evidence,
                   '{ACTION_VISIT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key, p.item_keys AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links="p.links")} AS link_detail
            FROM per_person p JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
