"""BAD_ID 身份证号异常: a roll row whose ID is invalid (domain.md rule 10).

The row still takes part in fuzzy matching; this warning asks the township to correct it.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hexiao.frames import conform
from hexiao.normalize import ids
from hexiao.rules.base import (
    ACTION_CORRECT,
    RISK_LOW,
    ROLL_SOURCE_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import link_detail_sql
from hexiao.store import query, raw_id_sql, temp_table


@dataclass(frozen=True)
class BadIdParams:
    """BAD_ID 身份证号异常: no parameters; listed so the section is known."""


# What each kind of invalid ID means and what to do (also the `hexiao check` report's 身份证号核验).
ID_HINTS = {
    ids.EMPTY: "身份证号为空",
    ids.EXCEL_SCIENTIFIC: "被 Excel 转成科学计数法，只剩地区码，请按原始档案重新录入",
    ids.EXCEL_NUMERIC: "被 Excel 当作数字保存，后三位已丢失，请按原始档案重新录入",
    ids.BAD_LENGTH: "位数或字符不对（应为18位，末位可为X）",
    ids.BAD_REGION: "前两位不是有效的省级代码",
    ids.BAD_DATE: "出生日期不存在",
}


class BadIdRule:
    code = "BAD_ID"
    label = "身份证号异常"
    section = "bad_id"  # its parameters: [rules.bad_id] in hexiao.toml
    params_type = BadIdParams
    linked_kinds: tuple[str, ...] = ()

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        hints = pl.DataFrame({"id_status": list(ID_HINTS), "hint": list(ID_HINTS.values())})
        temp_table(ctx.conn, "bad_id_hints", hints)
        frame = query(
            ctx.conn,
            f"""
            SELECT '{self.code}' AS code, '{self.label}' AS label, '{RISK_LOW}' AS risk,
                   r.township, r.village, r.household_id, r.head_name, r.name,
                   coalesce(r.id_norm, r.raw_id) AS id_number, r.program,
                   NULL AS match_method, NULL::DOUBLE AS match_score,
                   {ROLL_SOURCE_SQL} AS source,
                   CASE WHEN r.id_status = '{ids.BAD_CHECK}'
                        THEN '身份证号“' || r.raw_id || '”校验位错误（按前17位计算应为 '
                             || check_char || '），请核对原始证件'
                        ELSE '身份证号“' || coalesce(r.raw_id, '') || '”' || h.hint END AS evidence,
                   '{ACTION_CORRECT}' AS action, NULL AS effective_month, NULL::DOUBLE AS overpayment,
                   coalesce(r.name_simp, '') || '@' || coalesce(r.raw_id, '') AS person_key, r.id_status || ':' || coalesce(r.raw_id, '') AS evidence_key,
                   {link_detail_sql(roll="[r.roll_key]")} AS link_detail
            FROM (SELECT *, {_check_char_sql("id_norm")} AS check_char, {raw_id_sql("roll_m")} AS raw_id FROM roll_m) r
            LEFT JOIN bad_id_hints h USING (id_status)
            WHERE r.id_status <> '{ids.VALID}'
            """,
        )
        return frame.select(conform(RULE_OUTPUT_SCHEMA))


def _check_char_sql(column: str) -> str:
    """The MOD 11-2 check character of the first 17 digits, in SQL."""
    terms = " + ".join(f"TRY_CAST(substr({column}, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(ids.WEIGHTS))
    return f"substr('{ids.CHECK_CHARS}', (({terms}) % 11)::INTEGER + 1, 1)"
