"""OMISSION 疑似漏保: a person on the poverty-monitoring list, in a monitored category and with the
risk not cleared, whose ID is on no roll this month (domain.md rule 9). Rows come from the list:
乡镇/村 are the list's.

A person on last month's roll of a programme whose roll is missing or shrunk to less than half this
month (`roll_gaps`) is not listed: the roll that would show them was not sent. They are counted
(`RuleContext.held_back`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import POVERTY_KIND
from hexiao.roll_gaps import GAP_TABLE
from hexiao.rules.base import ACTION_INCLUDE, RISK_MEDIUM, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import contains_any, extract_table, link_detail_sql, linked
from hexiao.store import query, source_sql

# 防返贫监测: the categories that must be checked for 漏保 (seed 000); 风险已消除 = 是 are not.
OMISSION_CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "未脱贫户")
OMISSION_CLEARED_VALUES = ("是",)


@dataclass(frozen=True)
class OmissionParams:
    """OMISSION 疑似漏保."""

    categories: tuple[str, ...] = OMISSION_CATEGORIES
    cleared_values: tuple[str, ...] = OMISSION_CLEARED_VALUES


class OmissionRule:
    code = "OMISSION"
    label = "疑似漏保"
    section = "omission"  # its parameters: [rules.omission] in hexiao.toml
    params_type = OmissionParams
    linked_kinds: tuple[str, ...] = (POVERTY_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, OmissionParams)
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
                   {link_detail_sql(links=f"[{{'kind': '{POVERTY_KIND}', 'ext': e.ext_key}}]")} AS link_detail,
                   -- two equi-joins (hashable), not one on OR
                   EXISTS (SELECT 1 FROM {GAP_TABLE} g WHERE g.id_norm = e.id_norm)
                   OR e.id_norm IS NULL
                      AND EXISTS (SELECT 1 FROM {GAP_TABLE} g WHERE g.name_simp = e.name_simp AND g.township = e.township)
                       AS held
            FROM {records} e
            WHERE {monitored} AND NOT {cleared}
              AND e.ext_key NOT IN (SELECT ext_key FROM {links})
            """,
        )
        ctx.held_back[self.code] = frame.filter(pl.col("held")).height
        return frame.filter(~pl.col("held")).select(conform(RULE_OUTPUT_SCHEMA))
