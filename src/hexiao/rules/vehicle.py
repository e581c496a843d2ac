"""VEHICLE 车辆: a member owns an active vehicle of a type that is not exempt (domain.md rule 2)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.kinds import VEHICLE_KIND
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

# Vehicles that do not count as assets (domain.md rule 2): disabled people's vehicles
# (功能性补偿代步机动车), motorcycles, three-wheelers, low-speed trucks, tractors — tools of a
# rural livelihood in Anhui practice.
VEHICLE_EXEMPT_TYPES = ("残疾人", "摩托", "三轮汽车", "低速货车", "拖拉机")
VEHICLE_INACTIVE_STATES = ("注销", "报废", "转出")
VEHICLE_LIVELIHOOD_USES = ("营运", "货运", "客运")  # note 可能为谋生工具; 非营运 is excluded


@dataclass(frozen=True)
class VehicleParams:
    """VEHICLE 车辆."""

    exempt_types: tuple[str, ...] = VEHICLE_EXEMPT_TYPES
    inactive_states: tuple[str, ...] = VEHICLE_INACTIVE_STATES
    livelihood_uses: tuple[str, ...] = VEHICLE_LIVELIHOOD_USES


class VehicleRule:
    code = "VEHICLE"
    label = "车辆"
    section = "vehicle"  # its parameters: [rules.vehicle] in hexiao.toml
    params_type = VehicleParams
    linked_kinds: tuple[str, ...] = (VEHICLE_KIND,)  # extracts this rule reads links of

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, VehicleParams)
        records, links = extract_table(ctx, VEHICLE_KIND), linked(ctx, VEHICLE_KIND)
        inactive = contains_any("coalesce(e.vehicle_status, '')", params.inactive_states)
        exempt = contains_any("coalesce(e.vehicle_type, '')", params.exempt_types)
        livelihood = f"({contains_any('e.use_nature', params.livelihood_uses)} AND NOT starts_with(e.use_nature, '非'))"
        frame = query(
            ctx.conn,
            f"""
            WITH owned AS (
                SELECT l.roll_key, l.method, l.score, {match_note_sql()} AS match_note, {link_struct_sql(VEHICLE_KIND)} AS link,
                       {source_sql("e")} AS source, e.source_file AS src_file, e.source_row AS src_row, coalesce(e.sheet_no, 0) AS src_sheet, coalesce(e.plate, '（无号牌）') AS plate,
                       '号牌 ' || coalesce(e.plate, '（无号牌）') || '（' || concat_ws('，', e.vehicle_type, e.use_nature,
                           e.vehicle_status, '初次登记 ' || strftime(e.registered_on, '%Y-%m-%d')) || '）'
                           || CASE WHEN {livelihood} THEN '，可能为谋生工具' ELSE '' END AS item
                FROM {links} l JOIN {records} e USING (ext_key)
                WHERE NOT {inactive} AND NOT {exempt}
            ), per_person AS (
                SELECT roll_key, arg_max(method, score) AS method, max(score) AS score,
                       string_agg(item, '；' ORDER BY plate) AS items, string_agg(source, '、' ORDER BY src_file, src_sheet, src_row) AS source,
                       string_agg(DISTINCT match_note, '；' ORDER BY match_note) AS match_note, count(*) AS vehicles,
                       string_agg(plate, ',' ORDER BY plate) AS plates,
                       list(link ORDER BY src_file, src_sheet, src_row) AS links
                FROM owned GROUP BY roll_key
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_MEDIUM}' AS risk, {ROLL_COLUMNS_SQL},
                   p.method AS match_method, p.score AS match_score, p.source,
                   '名下在用车辆 ' || p.vehicles || ' 辆：' || p.items
                       || coalesce('；' || nullif(p.match_note, ''), '') AS evidence,
                   '{ACTION_VISIT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key, p.plates AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links="p.links")} AS link_detail
            FROM per_person p JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
