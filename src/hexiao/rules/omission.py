"""OMISSION 疑似漏保: a person on the poverty-monitoring list, in a monitored category and with the
risk not cleared, whose ID is on no roll this month (domain.md rule 9). Rows come from the list:
乡镇/村 are the list's."""

from __future__ import annotations

import polars as pl

from hexiao.config import OmissionParams
from hexiao.frames import conform
from hexiao.io.fields import POVERTY_KIND
from hexiao.rules.base import ACTION_INCLUDE, RISK_MEDIUM, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import contains_any, extract_table, linked
from hexiao.store import query, source_sql


class OmissionRule:
    code = "OMISSION"
    label = "疑似漏保"
    linked_kinds: tuple[str, ...] = (POVERTY_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params: OmissionParams = ctx.config.rules.omission
        records, links = extract_table(ctx, POVERTY_KIND), linked(ctx, POVERTY_KIND)
        monitored = contains_any("coalesce(e.monitor_category, '')", params.categories)
        cleared = contains_any("coalesce(e.risk_cleared, '')", params.cleared_values)
        frame = query(
            ctx.conn,
            f"""
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_MEDIUM}' AS risk,
                   e.township, e.village, e.head_id_norm AS household_id, NULL AS head_name, e.name,
                   coalesce(e.id_norm, e.id_raw) AS id_number, NULL AS program,
                   NULL AS match_method, NULL::DOUBLE AS match_score,
                   {source_sql("e")} AS source,
                   '防返贫监测对象：' || concat_ws('，', e.monitor_category, '风险是否消除 ' || coalesce(e.risk_cleared, '未填'))
                       || '；本月各保障花名册均未找到此人' AS evidence,
                   '{ACTION_INCLUDE}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   coalesce(e.id_norm, e.name_simp || '@' || e.township) AS person_key,
                   coalesce(e.monitor_category, '') AS evidence_key,
                   [e.ext_key] AS source_keys
            FROM {records} e
            WHERE {monitored} AND NOT {cleared}
              AND e.ext_key NOT IN (SELECT ext_key FROM {links})
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
