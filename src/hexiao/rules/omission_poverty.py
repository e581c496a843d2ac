"""OMISSION's first source: the poverty-monitoring list (domain.md rule 9). A person in a monitored
category, the risk not cleared, linked to no member of this month's roll. 乡镇/村 are the list's."""

from __future__ import annotations

from hexiao.kinds import POVERTY_KIND
from hexiao.roll_gaps import on_missing_roll_sql
from hexiao.rules.base import RuleContext
from hexiao.rules.common import contains_any, extract_table, linked
from hexiao.store import source_sql

# 防返贫监测: the categories that must be checked for 漏保 (seed 000); 风险已消除 = 是 are not.
OMISSION_CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "未脱贫户")
OMISSION_CLEARED_VALUES = ("是",)


def poverty_candidates(ctx: RuleContext, categories: tuple[str, ...], cleared_values: tuple[str, ...]) -> str:
    """SQL: one candidate row per listed person (`omission.CANDIDATE_COLUMNS`)."""
    records, links = extract_table(ctx, POVERTY_KIND), linked(ctx, POVERTY_KIND)
    monitored = contains_any("coalesce(e.monitor_category, '')", categories)
    cleared = contains_any("coalesce(e.risk_cleared, '')", cleared_values)
    return f"""
        SELECT 1 AS priority, e.township, e.village, e.head_id_norm AS household_id, e.name,
               coalesce(e.id_norm, e.id_raw) AS id_number, {source_sql("e")} AS source,
               '防返贫监测对象：' || concat_ws('，', e.monitor_category, '风险是否消除 ' || coalesce(e.risk_cleared, '未填'))
                   AS evidence,
               coalesce(e.id_norm, e.name_simp || '@' || e.township) AS person_key,
               coalesce(e.monitor_category, '') AS evidence_key,
               [{{'kind': '{POVERTY_KIND}', 'ext': e.ext_key}}] AS links,
               {on_missing_roll_sql("e")} AS held
        FROM {records} e
        WHERE {monitored} AND NOT {cleared}
          AND e.ext_key NOT IN (SELECT ext_key FROM {links})
    """
