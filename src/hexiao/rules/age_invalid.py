"""AGE_INVALID 年龄不符: a member outside the age condition of the programme (domain.md rule 8),
e.g. 高龄津贴 under 80. Age is taken at the end of the month, birth date from the ID."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from hexiao.frames import conform
from hexiao.rules.base import ACTION_CORRECT, RISK_MEDIUM, ROLL_PERSON_KEY_SQL, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import ROLL_COLUMNS_SQL, contains_any, link_detail_sql
from hexiao.store import query, source_sql

# 高龄津贴 is for people aged 80 and over.
MINIMUM_AGES = {"高龄津贴": 80}


@dataclass(frozen=True)
class AgeInvalidParams:
    """AGE_INVALID 年龄不符."""

    minimum_ages: dict[str, int] = field(default_factory=lambda: dict(MINIMUM_AGES))
    maximum_ages: dict[str, int] = field(default_factory=dict)


def _conditions(params: AgeInvalidParams) -> str:
    """SQL: a CASE giving the broken condition's text, or NULL."""
    cases = [
        f"WHEN {contains_any('r.program', [program])} AND age < {int(minimum)} THEN '{program}要求年满 {int(minimum)} 周岁'"
        for program, minimum in params.minimum_ages.items()
    ] + [
        f"WHEN {contains_any('r.program', [program])} AND age >= {int(maximum)} THEN '{program}要求未满 {int(maximum)} 周岁'"
        for program, maximum in params.maximum_ages.items()
    ]
    return f"CASE {' '.join(cases)} END" if cases else "NULL"


class AgeInvalidRule:
    code = "AGE_INVALID"
    label = "年龄不符"
    section = "age_invalid"  # its parameters: [rules.age_invalid] in hexiao.toml
    params_type = AgeInvalidParams
    linked_kinds: tuple[str, ...] = ()

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, AgeInvalidParams)
        frame = query(
            ctx.conn,
            f"""
            WITH aged AS (
                SELECT r.*, date_diff('year', r.id_birth, ?::DATE + INTERVAL 1 MONTH - INTERVAL 1 DAY)
                    - CASE WHEN strftime(r.id_birth, '%m%d') > strftime(?::DATE + INTERVAL 1 MONTH - INTERVAL 1 DAY, '%m%d')
                           THEN 1 ELSE 0 END AS age
                FROM roll_m r WHERE r.id_birth IS NOT NULL
            ), hits AS (SELECT r.*, {_conditions(params)} AS broken FROM aged r)
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_MEDIUM}' AS risk, {ROLL_COLUMNS_SQL},
                   NULL AS match_method, NULL::DOUBLE AS match_score,
                   {source_sql("r")} AS source,
                   '出生日期 ' || strftime(r.id_birth, '%Y-%m-%d') || '（取自身份证号），本月末 ' || r.age || ' 周岁；'
                       || r.broken AS evidence,
                   '{ACTION_CORRECT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   {ROLL_PERSON_KEY_SQL} || '/' || r.program AS person_key, r.broken AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]")} AS link_detail
            FROM hits r WHERE r.broken IS NOT NULL
            """,
            [ctx.month_start, ctx.month_start],
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
