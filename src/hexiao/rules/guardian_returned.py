"""GUARDIAN_RETURNED 监护恢复: a child's parent can care for the child again (domain.md rule 12).

Seed 004 (安徽 孤儿和事实无人抚养儿童基本生活保障): 服刑、被强制戒毒和被执行其他限制人身自由的人员子女，
自…解除刑期、解除强制和限制人身自由的，自次月起，停发基本生活费; 父母被宣告失踪、死亡或失联，但又
查找到下落的，自查找到下落次月起，停发.

- Released: a parent in custody or treatment (`custody_words` in 父亲情况/母亲情况, or in 困境类型 where
  those are blank: `rules.parents`) is on a release list (`release`) with a 解除日期 on or before the
  end of this month and not before the child's 保障起始年月 (an older release ended an earlier
  custody, not the one the child was recognised for). Effective month = the month after 解除日期.
  The parent's own ID equal to the list's (a sound ID) → 停发; a weaker link (name and the first 15
  digits, a damaged ID …) → 入户核查. Either way the township verifies that the parent really cares
  for the child again before anything is stopped, and the evidence says so.
- Found: a parent recorded missing (`missing_words`) whose own ID appears in a record dated after
  the recognition month — a pension paid, a provident-fund contribution, a vehicle registered — is
  a lead only (an account may be paid into while its owner stays missing) → 入户核查, effective
  from the month after that record. A roll row without 保障起始年月 has no "after" and is passed
  over. The business register holds no registration date and does not take part.
Overpayment counts the months paid from the effective month on (`overpayment_ctes`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.matching import methods
from hexiao.normalize import ids
from hexiao.normalize.names import TIER_DIFFERENT, TIER_IDENTICAL
from hexiao.rules.base import (
    ACTION_STOP,
    ACTION_VISIT,
    RISK_HIGH,
    RISK_MEDIUM,
    ROLL_PERSON_KEY_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
    empty_output,
)
from hexiao.rules.common import (
    OVERPAYMENT_SQL,
    ROLL_COLUMNS_SQL,
    contains_any,
    extract_table,
    link_detail_sql,
    match_note_sql,
    overpayment_ctes,
)
from hexiao.rules.parents import FROM_HARDSHIP, link_parents, parent_rows, store_parents
from hexiao.store import query, raw_id_sql, source_sql, temp_table

RELEASE_KIND = "release"
# Seed 004's situations of a parent whose release ends the child's support: 服刑在押、强制隔离戒毒、
# 被执行其他限制人身自由的措施. 羁押 is how public security writes 在押; 社区戒毒 is not custody.
CUSTODY_WORDS = ("服刑", "在押", "羁押", "强制戒毒", "隔离戒毒", "限制人身自由")
# Seed 004: 父母被宣告失踪、死亡或失联，但又查找到下落的 … 停发.
MISSING_WORDS = ("失联", "失踪", "下落不明", "宣告死亡")
# Seed 004 names release for the children of people in custody: 事实无人抚养儿童 (an orphan's
# parents are dead or not found, none in custody).
RELEASE_PROGRAMS = ("事实无人抚养儿童",)
# A parent found again ends either programme (孤儿: 查找不到生父母; 事实无人抚养儿童: 失联, 失踪).
FOUND_PROGRAMS = ("孤儿", "事实无人抚养儿童")
# Seed 004: 自次月起，停发.
RELEASE_STOP_OFFSET_MONTHS = 1

VERIFY_FIRST = "停发前由乡镇核实父母已实际履行监护抚养责任"
WEAK_LINK = "关联不是身份证号一致，需入户核实是否为同一人"
UNSOUND_ID = "花名册父母身份证号无效，需入户核实是否为同一人"
FOUND_LEAD = "父母失联期间本人有新的记录，需入户核实是否已查找到下落"
_DECISIVE = ", ".join(f"'{x}'" for x in methods.DECISIVE)
# The roll's situation as written: 困境类型 whole (`父亲强制戒毒、母亲重残`), not the part of it that
# decided for this parent (`rules.parents`), so the township reads the cell it knows.
_AS_WRITTEN = f"CASE WHEN r.situation_from = '{FROM_HARDSHIP}' THEN trim(r.hardship_type) ELSE r.situation END"


@dataclass(frozen=True)
class GuardianReturnedParams:
    """GUARDIAN_RETURNED 监护恢复."""

    custody_words: tuple[str, ...] = CUSTODY_WORDS
    missing_words: tuple[str, ...] = MISSING_WORDS
    release_programs: tuple[str, ...] = RELEASE_PROGRAMS
    found_programs: tuple[str, ...] = FOUND_PROGRAMS
    release_stop_offset_months: int = RELEASE_STOP_OFFSET_MONTHS


# A missing parent's own later records: (kind, date column, what the record is, SQL detail of `e` with its date).
_FOUND_SOURCES = (
    ("pension", "pay_month", "养老金发放", "coalesce(e.benefit_type, '') || ' 月发放 ' || e.monthly_amount || ' 元，发放年月 ' || strftime(e.pay_month, '%Y-%m')"),
    ("provident", "pay_month", "公积金缴存", "coalesce(e.employer, '') || ' 月缴存 ' || coalesce(e.monthly_contribution::VARCHAR, '?') || ' 元，缴存年月 ' || strftime(e.pay_month, '%Y-%m')"),
    ("vehicle", "registered_on", "车辆登记", "coalesce(e.plate, '') || ' ' || coalesce(e.vehicle_type, '') || '，初次登记 ' || strftime(e.registered_on, '%Y-%m-%d')"),
)  # fmt: skip


class GuardianReturnedRule:
    code = "GUARDIAN_RETURNED"
    label = "监护恢复"
    section = "guardian_returned"  # its parameters: [rules.guardian_returned] in hexiao.toml
    params_type = GuardianReturnedParams
    # Parents are linked here (`rules.parents`), not the roll's members: no member links to read.
    linked_kinds: tuple[str, ...] = ()

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        params = ctx.config.rule_params(self.section, GuardianReturnedParams)
        programs = tuple(dict.fromkeys((*params.release_programs, *params.found_programs)))
        parents = parent_rows(ctx, programs)
        if parents.is_empty():
            return empty_output()
        table = store_parents(ctx, parents)
        released = self._released(ctx, params, table)
        found = self._found(ctx, params, table)
        return pl.concat([released, found], how="vertical_relaxed").select(conform(RULE_OUTPUT_SCHEMA))

    def _released(self, ctx: RuleContext, params: GuardianReturnedParams, parents: str) -> pl.DataFrame:
        custody = contains_any("p.situation", params.custody_words)
        programs = contains_any("r.program", params.release_programs)
        temp_table(ctx.conn, "parent_release_links", link_parents(ctx, parents, RELEASE_KIND))
        hits = f"""
            SELECT r.*, p.parent, p.situation, p.situation_from, p.name AS p_name, p.id_status AS p_id_status,
                   e.name AS e_name, {raw_id_sql("e")} AS e_id_raw, e.id_norm AS e_id_norm, e.category AS record_type,
                   e.release_date AS on_date, {source_sql("e")} AS e_source, l.ext_key, l.method, l.score,
                   l.name_tier, l.note,
                   l.method IN ({_DECISIVE}) AND p.id_status = '{ids.VALID}' AS decisive,
                   date_trunc('month', e.release_date) + to_months({int(params.release_stop_offset_months)}) AS effective
            FROM parent_release_links l
            JOIN {parents} p USING (parent_key) JOIN roll_m r ON r.roll_key = p.roll_key
            JOIN {extract_table(ctx, RELEASE_KIND)} e USING (ext_key)
            WHERE {custody} AND {programs}
              AND e.release_date < ?::DATE + INTERVAL 1 MONTH
              AND (r.start_month IS NULL OR e.release_date >= r.start_month)
            -- one warning per child: its strongest link, then its earliest release
            QUALIFY row_number() OVER (
                PARTITION BY r.roll_key ORDER BY decisive DESC, l.score DESC, e.release_date, l.ext_key
            ) = 1
        """
        record = (
            "'解除名单：' || coalesce(r.e_name, '（无姓名）') || '，身份证号 ' || coalesce(r.e_id_raw, '（空）') "
            "|| coalesce('，' || r.record_type, '') || '，解除日期 ' || strftime(r.on_date, '%Y-%m-%d') || '（' || r.e_source || '）'"
        )
        return self._warnings(ctx, hits, record, f"'{RELEASE_KIND}'")

    def _found(self, ctx: RuleContext, params: GuardianReturnedParams, parents: str) -> pl.DataFrame:
        missing = contains_any("p.situation", params.missing_words)
        programs = contains_any("r.program", params.found_programs)
        records = " UNION ALL ".join(
            f"""SELECT '{kind}' AS kind, e.ext_key, e.id_key, e.name AS e_name, {raw_id_sql("e")} AS e_id_raw,
                       e.id_norm AS e_id_norm, e.{column}::DATE AS on_date, '{what}' AS record_type,
                       '{what}：' || {detail} AS detail, {source_sql("e")} AS e_source
                FROM {extract_table(ctx, kind)} e
                WHERE e.{column} < ?::DATE + INTERVAL 1 MONTH AND e.id_status = '{ids.VALID}'"""
            for kind, column, what, detail in _FOUND_SOURCES
        )
        hits = f"""
            SELECT r.*, p.parent, p.situation, p.situation_from, p.name AS p_name, p.id_status AS p_id_status,
                   e.e_name, e.e_id_raw, e.e_id_norm, e.record_type, e.detail, e.on_date, e.e_source, e.ext_key, e.kind,
                   '{methods.EXACT_ID}' AS method,
                   CASE WHEN e.e_name = p.name THEN 100.0 ELSE 0.0 END AS score,
                   CASE WHEN e.e_name = p.name THEN '{TIER_IDENTICAL}' ELSE '{TIER_DIFFERENT}' END AS name_tier,
                   '身份证号一致' AS note, FALSE AS decisive,
                   date_trunc('month', e.on_date) + to_months({int(params.release_stop_offset_months)}) AS effective
            FROM {parents} p JOIN roll_m r ON r.roll_key = p.roll_key
            JOIN ({records}) e ON e.id_key = p.id_key
            WHERE {missing} AND {programs} AND p.id_status = '{ids.VALID}'
              AND r.start_month IS NOT NULL AND e.on_date >= r.start_month + INTERVAL 1 MONTH
            -- one warning per child: the parent's earliest record after the recognition month
            QUALIFY row_number() OVER (PARTITION BY r.roll_key ORDER BY e.on_date, e.kind, e.ext_key) = 1
        """
        record = "r.detail || '，身份证号 ' || coalesce(r.e_id_raw, '（空）') || '（' || r.e_source || '）'"
        return self._warnings(ctx, hits, record, "r.kind", params_count=len(_FOUND_SOURCES))

    def _warnings(self, ctx: RuleContext, hits: str, record: str, kind: str, params_count: int = 1) -> pl.DataFrame:
        """The warnings of one SELECT of hits (roll row, parent, record and its link, `effective`);
        `kind` is SQL giving the record's kind, `params_count` the hits' parameters (this month)."""
        # The record and how it was tied to the parent, as `link_struct_sql` spells it for `explain`,
        # with the parent (父亲/母亲) it was compared with: `explain` sets it beside the roll's
        # 父亲/母亲 name and ID, not the child's.
        struct = (
            f"{{'kind': {kind}, 'ext': r.ext_key, 'method': r.method, 'score': r.score, "
            "'name_tier': r.name_tier, 'note': r.note, 'parent': r.parent}"
        )
        found = kind != f"'{RELEASE_KIND}'"
        return query(
            ctx.conn,
            f"""
            WITH hits AS ({hits}),
            {overpayment_ctes("hits")}
            SELECT '{self.code}' AS code, '{self.label}' AS label,
                   CASE WHEN r.decisive THEN '{RISK_HIGH}' ELSE '{RISK_MEDIUM}' END AS risk,
                   {ROLL_COLUMNS_SQL},
                   r.method AS match_method, r.score AS match_score, r.e_source AS source,
                   concat_ws('；',
                       {record},
                       r.parent || ' ' || coalesce(r.p_name, '（姓名未填）') || '，花名册' || r.situation_from || '：' || {_AS_WRITTEN},
                       nullif({match_note_sql("r")}, ''),
                       '花名册：' || {source_sql("r")},
                       CASE WHEN r.start_month IS NOT NULL THEN '保障起始年月 ' || strftime(r.start_month, '%Y-%m') END,
                       CASE WHEN p.months_paid > 0 THEN '此后已发放 ' || p.months_paid || ' 个月' END,
                       CASE WHEN r.monthly_amount IS NULL THEN '月保障金额未知，应追回金额无法计算' END,
                       CASE WHEN {"TRUE" if found else "FALSE"} THEN '{FOUND_LEAD}'
                            WHEN r.method NOT IN ({_DECISIVE}) THEN '{WEAK_LINK}'
                            WHEN NOT r.decisive THEN '{UNSOUND_ID}' END,
                       '{VERIFY_FIRST}'
                   ) AS evidence,
                   CASE WHEN r.decisive THEN '{ACTION_STOP}' ELSE '{ACTION_VISIT}' END AS action,
                   strftime(r.effective, '%Y-%m') AS effective_month,
                   {OVERPAYMENT_SQL} AS overpayment,
                   {ROLL_PERSON_KEY_SQL} AS person_key,
                   r.parent || '@' || coalesce(r.e_id_norm, r.e_name) || '@' || strftime(r.on_date, '%Y-%m-%d') AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]", links=f"[{struct}]", months="p.paid_months")} AS link_detail
            FROM hits r LEFT JOIN paid p USING (roll_key)
            """,
            [*([ctx.month_start] * params_count), ctx.month_start, ctx.month_start],
        )
