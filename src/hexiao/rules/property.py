"""PROPERTY 房产: the household holds more residential units than allowed, or any non-residential
unit (domain.md rule 3). Units are counted once per household (township and 户编号) even when
several members are registered on the same certificate; one warning for each member who holds a
unit, listing all. A unit without certificate or location is told apart by file, sheet and row."""

from __future__ import annotations

import polars as pl

from hexiao.config import PropertyParams
from hexiao.frames import conform
from hexiao.io.fields import PROPERTY_KIND
from hexiao.rules.base import ACTION_VISIT, RISK_MEDIUM, ROLL_PERSON_KEY_SQL, RULE_OUTPUT_SCHEMA, RuleContext
from hexiao.rules.common import ROLL_COLUMNS_SQL, contains_any, extract_table, linked, match_note_sql
from hexiao.store import query, source_sql

# A member whose household is unknown (a damaged 户编号, no sound head ID) counts as a household of
# their own: only their own units, never merged with strangers who share the damaged number.
_HOUSEHOLD = "coalesce(r.household_key, 'row:' || r.roll_key)"
UNKNOWN_HOUSEHOLD_NOTE = "户编号损坏且无有效户主身份证号，家庭成员无法确定，仅计本人名下房产"


class PropertyRule:
    code = "PROPERTY"
    label = "房产"
    linked_kinds: tuple[str, ...] = (PROPERTY_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params: PropertyParams = ctx.config.rules.property
        records, links = extract_table(ctx, PROPERTY_KIND), linked(ctx, PROPERTY_KIND)
        non_residential = contains_any("coalesce(e.planned_use, '')", params.non_residential_uses)
        frame = query(
            ctx.conn,
            f"""
            WITH holdings AS (
                SELECT l.roll_key, l.ext_key, {_HOUSEHOLD} AS household, r.name AS holder, l.method, l.score,
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
                                    '权利人 ' || string_agg(DISTINCT holder, '、' ORDER BY holder)) || '）' AS item,
                       list(ext_key ORDER BY ext_key) AS ext_keys
                FROM holdings GROUP BY household, unit_key
            ), households AS (
                SELECT household,
                       count(*) FILTER (WHERE NOT non_residential) AS residential,
                       count(*) FILTER (WHERE non_residential) AS non_residential,
                       string_agg(item, '；' ORDER BY unit_key) AS items,
                       string_agg(unit_key, ',' ORDER BY unit_key) AS unit_keys,
                       flatten(list(ext_keys ORDER BY unit_key)) AS ext_keys
                FROM units GROUP BY household
                HAVING count(*) FILTER (WHERE NOT non_residential) > {int(params.max_residential_units)}
                    OR (count(*) FILTER (WHERE non_residential) > 0 AND NOT {str(params.non_residential_allowed).upper()})
            ), holders AS (
                SELECT roll_key, any_value(household) AS household, arg_max(method, score) AS method,
                       max(score) AS score, string_agg(source, '、' ORDER BY src_file, src_sheet, src_row) AS source,
                       string_agg(DISTINCT match_note, '；' ORDER BY match_note) AS match_note
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
                   list_prepend(r.roll_key, h.ext_keys) AS source_keys
            FROM holders p JOIN households h USING (household) JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
