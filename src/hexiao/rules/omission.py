"""OMISSION 疑似漏保: a person linked to no member of this month's roll whom another department's
data show may be eligible (domain.md rules 9 and 12b), from three sources, each a module:

- `omission_poverty`: the poverty-monitoring list, a monitored category whose risk is not cleared;
- `omission_medical`: medical-insurance settlements, 个人自付 over 12 months at the local threshold (因病);
- `omission_disability`: the disabled persons' register, a severe disability, working age, no wage
  and no pension (重残).

One warning per person, whichever sources name them: 证据 lists every reason (the poverty list's
first, then 因病, then 重残), 乡镇/村 are the first source's that has them, and 预警编号 rests on the
reasons (a person the poverty list alone names keeps the number they always had; a new reason is a
new warning to check).

A person on last month's roll of a programme whose roll is missing or shrunk to less than half this
month (`roll_gaps`) is not listed: the roll that would show them was not sent. They are counted
(`RuleContext.held_back`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import DISABILITY_KIND, MEDICAL_KIND, POVERTY_KIND
from hexiao.rules.base import ACTION_INCLUDE, RISK_MEDIUM, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import link_detail_sql
from hexiao.rules.omission_disability import (
    MENTAL_CATEGORIES,
    SEVERE_DISABILITY_LEVELS,
    SEVERE_MENTAL_LEVELS,
    WORKING_AGE_FROM,
    WORKING_AGE_TO,
    disability_candidates,
)
from hexiao.rules.omission_medical import medical_candidates
from hexiao.rules.omission_poverty import OMISSION_CATEGORIES, OMISSION_CLEARED_VALUES, poverty_candidates
from hexiao.store import query


@dataclass(frozen=True)
class OmissionParams:
    """OMISSION 疑似漏保: each default's source is given where it is defined."""

    categories: tuple[str, ...] = OMISSION_CATEGORIES
    cleared_values: tuple[str, ...] = OMISSION_CLEARED_VALUES
    # 元 of 个人自付 in the 12 months to this month's end: a local standard, no default (off until set).
    medical_out_of_pocket_12m: float | None = None
    severe_disability_levels: tuple[str, ...] = SEVERE_DISABILITY_LEVELS
    # Levels severe only for the categories of `severe_mental_categories` (三级智力、精神, seed 004).
    severe_mental_levels: tuple[str, ...] = SEVERE_MENTAL_LEVELS
    severe_mental_categories: tuple[str, ...] = MENTAL_CATEGORIES
    working_age_from: int = WORKING_AGE_FROM
    working_age_to: int = WORKING_AGE_TO

    def validate(self) -> list[tuple[str, str]]:
        """(key, problem) for `hexiao.config`: an empty working-age span would pass everyone over."""
        if self.working_age_from > self.working_age_to:
            return [
                (
                    "working_age_from",
                    f"不能大于 working_age_to（劳动年龄从 {self.working_age_from} 岁到 {self.working_age_to} 岁）",
                )
            ]
        return []


class OmissionRule:
    code = "OMISSION"
    label = "疑似漏保"
    section = "omission"  # its parameters: [rules.omission] in hexiao.toml
    params_type = OmissionParams
    linked_kinds: tuple[str, ...] = (POVERTY_KIND, MEDICAL_KIND, DISABILITY_KIND)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, OmissionParams)
        sources = [
            poverty_candidates(ctx, params.categories, params.cleared_values),
            medical_candidates(ctx, params.medical_out_of_pocket_12m),
            disability_candidates(
                ctx,
                params.severe_disability_levels,
                params.severe_mental_levels,
                params.severe_mental_categories,
                (params.working_age_from, params.working_age_to),
            ),
        ]
        candidates = " UNION ALL BY NAME ".join(f"({sql})" for sql in sources if sql is not None)
        frame = query(
            ctx.conn,
            f"""
            WITH candidates AS ({candidates}),
            people AS (
                SELECT person_key,
                       arg_min(township, priority) FILTER (WHERE township IS NOT NULL) AS township,
                       arg_min(village, priority) FILTER (WHERE village IS NOT NULL) AS village,
                       arg_min(household_id, priority) FILTER (WHERE household_id IS NOT NULL) AS household_id,
                       arg_min(name, priority) AS name, arg_min(id_number, priority) AS id_number,
                       string_agg(source, '；' ORDER BY priority, source) AS source,
                       string_agg(evidence, '；' ORDER BY priority, evidence) AS evidence,
                       string_agg(evidence_key, '|' ORDER BY priority, evidence_key) AS evidence_key,
                       flatten(list(links ORDER BY priority, evidence)) AS links,
                       bool_or(held) AS held
                FROM candidates GROUP BY person_key
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_MEDIUM}' AS risk,
                   township, village, household_id, NULL AS head_name, name, id_number, NULL AS program,
                   NULL AS match_method, NULL::DOUBLE AS match_score, source,
                   evidence || '；本月各保障花名册均未找到此人' AS evidence,
                   '{ACTION_INCLUDE}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   person_key, evidence_key, {link_detail_sql(links="links")} AS link_detail, held
            FROM people
            """,
        )
        ctx.held_back[self.code] = frame.filter(pl.col("held")).height
        return frame.filter(~pl.col("held")).select(conform(RULE_OUTPUT_SCHEMA))
