"""PROPERTY 房产: the household holds more residential units than allowed, or any non-residential
unit (domain.md rule 3). Units are counted once per household (township and 户编号) even when
several members are registered on the same certificate; one warning for each member who holds a
unit, listing all. A unit without certificate or location is told apart by file, sheet and row."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import PROPERTY_KIND
from hexiao.rules.base import ACTION_VISIT, RISK_MEDIUM, ROLL_PERSON_KEY_SQL, RULE_OUTPUT_SCHEMA, RuleContext
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

# Anhui 低保 property rules: one home is allowed; shops, offices, garages, parking and industrial
# property are not.
MAX_RESIDENTIAL_UNITS = 1
NON_RESIDENTIAL_ALLOWED = False
NON_RESIDENTIAL_USES = ("商业", "商服", "办公", "车库", "车位", "工业")


@dataclass(frozen=True)
class PropertyParams:
    """PROPERTY 房产."""

    max_residential_units: int = MAX_RESIDENTIAL_UNITS
    non_residential_allowed: bool = NON_RESIDENTIAL_ALLOWED
    non_residential_uses: tuple[str, ...] = NON_RESIDENTIAL_USES


# A member whose household is unknown (a damaged 户编号, no sound head ID) counts as a household of
# their own: only their own units, never merged with strangers who share the damaged number.
_HOUSEHOLD = "coalesce(r.household_key, 'row:' || r.roll_key)"
UNKNOWN_HOUSEHOLD_NOTE = "户编号损坏且无有效户主身份证号，家庭成员无法确定，仅计本人名下房产"


class PropertyRule:
    code = "PROPERTY"
    label = "房产"
    section = "property"  # its parameters: [rules.property] in hexiao.toml
    params_type = PropertyParams
    linked_kinds: tuple[str, ...] = (PROPERTY_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, PropertyParams)
        records, links = extract_table(ctx, PROPERTY_KIND), linked(ctx, PROPERTY_KIND)
        non_residential = contains_any("coalesce(e.planned_use, '')", params.non_residential_uses)
        frame = query(
            ctx.conn,
            f"""
            WITH holdings AS (
                SELECT l.roll_key, {_HOUSEHOLD} AS household, r.name AS holder, l.method, l.score,
                       {link_struct_sql(PROPERTY_KIND)} AS link,
                       {match_note_sql()} AS match_note,
                       {source_sql("e")} AS source, e.source_file AS src_file, e.source_row AS src_row, coalesce(e.sheet_no, 0) AS src_sheet,
                       coalesce(e.certificate, e.location, e.source_file || '#'
                           || CASE WHEN e.sheet_no > 1 THEN e.sheet || '#' ELSE '' END || e.source_row) AS unit_key,
                       e.location, e.floor_area, e.planned_use, e.certificate, {non_residential} AS non_residential
                FROM {links} l JOIN {records} e USING (ext_key) JOIN roll_m r USING (roll_key)
            ), units AS (
                SELECT household, unit_key, bool_or(non_residential) AS non_residential,
                       '坐落 ' || coalesce(first(location ORDER BY src_file, src_sheet, src_row), '（未填）') || '（'
                       || concat_ws('，', first(planned_use ORDER BY src_file, src_sheet, src_row),
                                    '建筑面积 ' || CAST(round(first(floor_area ORDER BY src_file, src_sheet, src_row), 2) AS VARCHAR) || '㎡',
                                    '权证号 ' || first(certificate ORDER BY src_file, src_sheet, src_row),
                                    '权利人 ' || string_agg(DISTINCT holder, '、' ORDER BY holder)) || '）' AS item
                FROM holdings GROUP BY household, unit_key
            ), households AS (
                SELECT household,
                       count(*) FILTER (WHERE NOT non_residential) AS residential,
                       count(*) FILTER (WHERE non_residential) AS non_residential,
                       string_agg(item, '；' ORDER BY unit_key) AS items,
                       string_agg(unit_key, ',' ORDER BY unit_key) AS unit_keys
                FROM units GROUP BY household
                HAVING count(*) FILTER (WHERE NOT non_residential) > {int(params.max_residential_units)}
                    OR (count(*) FILTER (WHERE non_residential) > 0 AND NOT {str(params.non_residential_allowed).upper()})
            ), holders AS (
                SELECT roll_key, any_value(household) AS household, arg_max(method, score) AS method,
                       max(score) AS score, string_agg(source, '、' ORDER BY src_file, src_sheet, src_row) AS source,
                       string_agg(DISTINCT match_note, '；' ORDER BY match_note) AS match_note,
                       list(link ORDER BY src_file, src_sheet, src_row) AS links
                FROM holdings GROUP BY roll_key
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_MEDIUM}' AS risk, {ROLL_COLUMNS_SQL},
                   p.method AS match_method, p.score AS match_score, p.source,
                   '家庭共有住宅 ' || h.residential || ' 套、非住宅 ' || h.non_residential || ' 套'
                       || '（允许住宅 {int(params.max_residential_units)} 套'
                       || '{"，允许非住宅" if params.non_residential_allowed else "，不允许非住宅"}）：' || h.items
                       || coalesce('；' || nullif(p.match_note, ''), '')
                       || CASE WHEN r.household_key IS NULL THEN '；{UNKNOWN_HOUSEHOLD_NOTE}' ELSE '' END AS evidence,
                   '{ACTION_VISIT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key, h.unit_keys AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links="p.links")} AS link_detail
            FROM holders p JOIN households h USING (household) JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
