"""BAD_HOUSEHOLD 户编号异常: a household number a spreadsheet damaged (contract §2).

A 户编号 stored as a number has lost its digits beyond the 15th, so it is no household key
(`ingest.households`): the household was built from the head's ID instead, or is unknown. One
warning per affected household — the built household, or, where none could be built, the rows of
one township sharing the damaged value under one head (户主姓名 and 户主身份证号 as written: a
damaged number often holds several households, each warned on its own; rows naming no head are one
group) — on its head (else its first row by file, sheet and row), showing the value as written and
how the household was built, so the township corrects the roll.

The warning's person is the household (`grp`: township and head's ID, or township, damaged value
and head), not a row of it: its 预警编号 stays while the household's damage stays, whoever of it
leaves the roll.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.ingest.households import BASIS_HEAD_ID, BASIS_HEAD_ID_DAMAGED
from hexiao.rules.base import (
    ACTION_CORRECT,
    RISK_LOW,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import ROLL_COLUMNS_SQL, link_detail_sql
from hexiao.store import query, source_sql


@dataclass(frozen=True)
class BadHouseholdParams:
    """BAD_HOUSEHOLD 户编号异常: no parameters; listed so the section is known."""


# Rows named in the evidence per sheet; a damaged number shared by a whole township is summed up
# after them.
LISTED_ROWS = 10


# Evidence of a household that could not be built: whose rows these are, and that the same damaged
# value holds other households, each warned on its own.
_UNDER_HEAD = "coalesce('记在户主 ' || r.head_name || ' 名下', '')"
_OTHER_HEADS = "CASE WHEN h.heads > 1 THEN '；同一编号下共有 ' || h.heads || ' 个户主，各户分别提示' ELSE '' END"


class BadHouseholdRule:
    code = "BAD_HOUSEHOLD"
    label = "户编号异常"
    section = "bad_household"  # its parameters: [rules.bad_household] in hexiao.toml
    params_type = BadHouseholdParams
    linked_kinds: tuple[str, ...] = ()

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        frame = query(
            ctx.conn,
            f"""
            WITH damaged AS (
                SELECT roll_key, coalesce(is_head, FALSE) AS is_head, household_basis, household_raw,
                       coalesce(id_norm, name_simp) AS person, source_file, sheet, sheet_no, source_row,
                       -- a built household is one; without one, a township's rows sharing the value and the head
                       coalesce(household_key, concat_ws(chr(31), township, household_basis, household_raw,
                           coalesce(head_name, ''), coalesce(head_id_norm, ''))) AS grp,
                       township || chr(31) || household_basis || chr(31) || household_raw AS shared_value
                FROM roll_m WHERE household_basis IS NOT NULL
            ), per_sheet AS (  -- `花名册.xlsx 工作表“城关镇” 第4、5、6行`: each file and sheet named once
                SELECT grp, min(roll_key) AS first_key, count(*) AS row_count,
                       source_file || coalesce(' 工作表“' || sheet || '”', '') || ' 第'
                           || array_to_string(list(source_row ORDER BY source_row)[1:{LISTED_ROWS}], '、') || '行'
                           || CASE WHEN count(*) > {LISTED_ROWS} THEN ' 等 ' || count(*) || ' 行' ELSE '' END AS rows
                FROM damaged GROUP BY grp, source_file, sheet, sheet_no
            ), households AS (
                SELECT first(roll_key ORDER BY is_head DESC, roll_key) AS roll_key, any_value(household_basis) AS basis,
                       string_agg(DISTINCT '“' || household_raw || '”', '、' ORDER BY '“' || household_raw || '”') AS raws,
                       count(*) AS row_count, count(DISTINCT person) AS persons, grp,
                       any_value(shared_value) AS shared_value
                FROM damaged GROUP BY grp
            ), households_rows AS (
                SELECT h.*, string_agg(s.rows, '；' ORDER BY s.first_key) AS rows
                FROM households h JOIN per_sheet s USING (grp) GROUP BY ALL
            ), sharing AS (  -- unknown households under one damaged value: how many heads share it
                SELECT *, sum(CASE WHEN basis <> '{BASIS_HEAD_ID}' THEN 1 ELSE 0 END) OVER (PARTITION BY shared_value) AS heads
                FROM households_rows
            )
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_LOW}' AS risk, {ROLL_COLUMNS_SQL},
                   NULL AS match_method, NULL::DOUBLE AS match_score, {source_sql("r")} AS source,
                   CASE h.basis
                       WHEN '{BASIS_HEAD_ID_DAMAGED}' THEN '未填户编号，户主身份证号' || h.raws
                           || '被 Excel 损坏，不能用来分户：共 ' || h.row_count || ' 行' || {_UNDER_HEAD} || '（' || h.rows
                           || '）；各成员仍逐人核对，家庭人数无法确定' || {_OTHER_HEADS}
                           || '；请填写户编号或按原始证件更正户主身份证号'
                       ELSE '户编号' || h.raws || '被 Excel 当作数字保存，已丢失位数，不能作为家庭编号；'
                           || CASE h.basis
                               WHEN '{BASIS_HEAD_ID}' THEN '本户按户主身份证号认定：户主 ' || coalesce(r.head_name, r.name)
                                   || '，在册 ' || h.persons || ' 人（' || h.rows || '）'
                               ELSE '且无有效户主身份证号，无法分户：本乡镇该户编号共 ' || h.row_count || ' 行'
                                   || {_UNDER_HEAD} || '（' || h.rows || '）；各成员仍逐人核对，家庭人数无法确定'
                                   || {_OTHER_HEADS}
                               END
                           || '；请将户编号列设为文本格式，按原始档案重新录入'
                   END AS evidence,
                   '{ACTION_CORRECT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   h.grp AS person_key, h.basis || ':' || h.raws AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]")} AS link_detail
            FROM sharing h JOIN roll_m r USING (roll_key)
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))
