"""PUBLIC_EMPLOYEE 财政供养: a member is on the public-payroll list (domain.md rule 5)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import EMPLOYEE_KIND
from hexiao.rules.base import ACTION_VISIT, RISK_HIGH, ROLL_PERSON_KEY_SQL, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import (
    ROLL_COLUMNS_SQL,
    extract_table,
    link_detail_sql,
    link_struct_sql,
    linked,
    match_note_sql,
)
from hexiao.store import query, source_sql


@dataclass(frozen=True)
class PublicEmployeeParams:
    """PUBLIC_EMPLOYEE 财政供养: anyone on the payroll list."""


class PublicEmployeeRule:
    code = "PUBLIC_EMPLOYEE"
    label = "财政供养"
    section = "public_employee"  # its parameters: [rules.public_employee] in hexiao.toml
    params_type = PublicEmployeeParams
    linked_kinds: tuple[str, ...] = (EMPLOYEE_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        records, links = extract_table(ctx, EMPLOYEE_KIND), linked(ctx, EMPLOYEE_KIND)
        frame = query(
            ctx.conn,
            f"""
            WITH listed AS (
                SELECT l.roll_key, arg_max(l.method, l.score) AS method, max(l.score) AS score,
                       string_agg({source_sql("e")}, '、' ORDER BY e.source_file, e.sheet_no, e.source_row) AS source,
                       string_agg(DISTINCT coalesce(e.employer, '（未填单位）') || coalesce('（' || e.staff_category || '）', ''), '；'
                                  ORDER BY coalesce(e.employer, '（未填单位）') || coalesce('（' || e.staff_category || '）', ''))
                           AS items,
                       string_agg(DISTINCT {match_note_sql()}, '；' ORDER BY {match_note_sql()}) AS match_note,
                       string_agg(DISTINCT coalesce(e.employer, ''), ',' ORDER BY coalesce(e.employer, '')) AS employers,
                       list({link_struct_sql(EMPLOYEE_KIND)} ORDER BY e.source_file, e.sheet_no, e.source_row) AS links
                FROM {links} l JOIN {records} e USING (ext_key)
                GROUP BY l.roll_key
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_HIGH}' AS risk, {ROLL_COLUMNS_SQL},
                   p.method AS match_method, p.score AS match_score, p.source,
                   '财政供养人员名单：' || p.items || coalesce('；' || nullif(p.match_note, ''), '') AS evidence,
                   '{ACTION_VISIT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key, p.employers AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links="p.links")} AS link_detail
            FROM listed p JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
