"""INCOME 收入超标 and GRADUAL_EXIT 渐退: a household's income against the local standard (domain.md rule 11).

The income is what hexiao holds (`household_income`): pensions paid and wages evidenced by
provident-fund contributions, exact-ID links only. Against standard × the household's members on
that programme's roll: above it, 停发 from next month (INCOME) — or 渐退 (GRADUAL_EXIT) when only a
member's new job lifts it above, the 渐退期 counted from the job's first contribution; a job whose
start the register cannot date (its first contribution is the register's first month) → 入户核查.
Below it, where the roll pays the household more than the 补差 (standard × members − income), 减发
to that 补差 — except in programmes paid in fixed classes (分类施保). Income behind weaker links
alone raises 入户核查 (待核实). A source not loaded or without recent months is said in every
warning and in the run's notes, never read as no income. One warning per household, on each member
whose income is counted. Both codes come from one computation, made once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from hexiao.frames import conform
from hexiao.rules.base import (
    ACTION_GRADUAL,
    ACTION_REDUCE,
    ACTION_STOP,
    ACTION_VISIT,
    RISK_LOW,
    RISK_MEDIUM,
    ROLL_PERSON_KEY_SQL,
    RULE_OUTPUT_SCHEMA,
    RuleContext,
)
from hexiao.rules.common import ROLL_COLUMNS_SQL, in_force, link_detail_sql
from hexiao.rules.household_income import ITEMS_TABLE, PENSION_KIND, PROVIDENT_KIND, ItemTerms, build_items
from hexiao.store import fetch_one, query

# Seed 001 (淮南): "低保渐退、就业成本扣减措施"; most provinces grant a 渐退期 of 6 months (some up to
# 12) to a household lifted above the standard by work, and a job counts as new for as long.
GRADUAL_EXIT_MONTHS = 6
NEW_EMPLOYMENT_MONTHS = 6
# Seed 001's 就业成本扣减 has no national figure: 0 until the bureau sets its own (元/月 per employed member).
EMPLOYMENT_COST_DEDUCTION = 0.0
# Not income under the 低保 rules: 优待抚恤金 (民政部《最低生活保障审核确认办法》 leaves them out of
# family income) and the welfare subsidies 高龄津贴 and 残疾人两项补贴 (困难残疾人生活补贴, 重度残疾人
# 护理补贴), which are paid because of age or disability, not as income. A province that also leaves
# out the 城乡居民基本养老保险 基础养老金 adds "基础养老金" here.
EXEMPT_INCOME_TYPES = ("高龄津贴", "残疾人两项补贴", "困难残疾人生活补贴", "重度残疾人护理补贴", "优抚", "抚恤")
# Local rule, no national figure: pensions and contributions reach the bureau one or two months late,
# so a payment of the last 3 months is current; an older one is taken as ended.
RECENT_MONTHS = 3


@dataclass(frozen=True)
class IncomeParams:
    """INCOME 收入超标 and GRADUAL_EXIT 渐退."""

    # 元/人/月 by programme (保障类别 as the roll writes it); no default: the local standard (seed 001:
    # 671 in 淮南 from 2021). A programme without one (特困供养 …) is not tested.
    standard: dict[str, float] = field(default_factory=dict)
    gradual_exit_months: int = GRADUAL_EXIT_MONTHS
    new_employment_months: int = NEW_EMPLOYMENT_MONTHS
    employment_cost_deduction: float = EMPLOYMENT_COST_DEDUCTION
    exempt_income_types: tuple[str, ...] = EXEMPT_INCOME_TYPES
    # Programmes paid in fixed classes (分类施保, a local practice): only the standard is tested, no 减发.
    fixed_class_programs: tuple[str, ...] = ()
    recent_months: int = RECENT_MONTHS

    def validate(self) -> list[tuple[str, str]]:
        """(key, problem) for `hexiao.config`: a standard of 0 would find every earner over it."""
        return [
            (f"standard.{program}", f"应为正数（元/人/月），实际为 {value:g}")
            for program, value in self.standard.items()
            if value <= 0
        ]


TABLE = "income_warnings_m"  # both codes' warnings of the run, made once (`_warnings`)
CODE_INCOME, CODE_GRADUAL = "INCOME", "GRADUAL_EXIT"
OFF_NOTE = (
    "收入核对（INCOME 收入超标、GRADUAL_EXIT 渐退）未运行：hexiao.toml 未设置 [rules.income] standard"
    '（各保障类别的低保标准，元/人/月，如 standard = {{"农村低保" = 750}}）；设置后重新运行 hexiao match --month {month}'
)


def _months_later(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _source_notes(ctx: RuleContext, window_start: date) -> tuple[list[str], date | None]:
    """What each source lacks (未取得 / no recent month), and the provident register's first month."""
    notes: list[str] = []
    register_start: date | None = None
    for kind, label, left_out in ((PENSION_KIND, "养老金发放", "养老金"), (PROVIDENT_KIND, "公积金", "工资")):
        first, last = fetch_one(
            ctx.conn, f"SELECT min(pay_month), max(pay_month) FROM {kind} WHERE {in_force(ctx, kind)}"
        )
        if last is None:
            notes.append(f"未取得{label}数据（收入中未计{left_out}）")
        elif last < window_start:
            notes.append(f"{label}数据最新为 {last:%Y-%m}，近 {window_start:%Y-%m} 起无记录（收入中未计{left_out}）")
        if kind == PROVIDENT_KIND:
            register_start = first
    return notes, register_start


def _warnings(ctx: RuleContext) -> str | None:
    """The table of both codes' warnings, made at the first call of the run; None when the rule is off."""
    if "income:table" in ctx.cache:
        return ctx.cache["income:table"] or None
    params = ctx.config.rule_params("income", IncomeParams)
    unset = _unset_programs(ctx, params)
    if not params.standard:
        ctx.cache["income:table"] = ""
        ctx.notes.append(OFF_NOTE.format(month=ctx.month))
        return None
    if unset:
        ctx.notes.append(
            f"收入核对：{'、'.join(unset)} 未设置低保标准（[rules.income] standard），这些类别的收入未核对"
        )
    month = ctx.month_start
    window_start = _months_later(month, 1 - max(params.recent_months, 1))
    source_notes, register_start = _source_notes(ctx, window_start)
    ctx.notes.extend(f"收入核对：{note}" for note in source_notes)
    terms = ItemTerms(
        window_start,
        _months_later(month, 1 - max(params.new_employment_months, 1)),
        register_start,
        params.employment_cost_deduction,
        params.exempt_income_types,
    )
    programs, standards = list(params.standard), list(params.standard.values())
    ctx.conn.execute(
        "CREATE OR REPLACE TEMP TABLE income_members_m AS "
        "SELECT r.*, s.standard FROM roll_m r JOIN (SELECT unnest(?::VARCHAR[]) AS program, "
        "unnest(?::DOUBLE[]) AS standard) s USING (program) WHERE r.household_key IS NOT NULL",
        [programs, standards],
    )
    build_items(ctx, "SELECT roll_key FROM income_members_m", terms)
    ctx.conn.execute(f"CREATE OR REPLACE TEMP TABLE {TABLE} AS {_judgement_sql(ctx, params, source_notes)}")
    ctx.cache["income:table"] = TABLE
    return TABLE


def _unset_programs(ctx: RuleContext, params: IncomeParams) -> list[str]:
    """The roll's 低保 programmes with no standard set: said, not tested."""
    rows = ctx.conn.execute(
        "SELECT DISTINCT program FROM roll_m WHERE contains(program, '低保') AND NOT list_contains(?, program) "
        "ORDER BY program",
        [list(params.standard)],
    ).fetchall()
    return [str(row[0]) for row in rows]


def _money(expr: str) -> str:
    return f"printf('%.2f', {expr})"


def _judgement_sql(ctx: RuleContext, params: IncomeParams, source_notes: list[str]) -> str:
    month = f"'{ctx.month_start.isoformat()}'::DATE"
    next_month = f"'{_months_later(ctx.month_start, 1):%Y-%m}'"
    gradual = max(params.gradual_exit_months, 0)
    fixed = ", ".join("'" + p.replace("'", "''") + "'" for p in params.fixed_class_programs) or "NULL"
    missing = "；".join(source_notes).replace("'", "''")
    deduction = params.employment_cost_deduction
    # Where a job began matters only for a new one: an older start is said as such, not by the month,
    # which depends on how much history the workspace holds (`hexiao purge` keeps 12 months).
    new_since = _months_later(ctx.month_start, 1 - max(params.new_employment_months, 1))
    item_text = f"""i.name || '：' || CASE WHEN i.kind = '工资' THEN '工资（公积金缴存基数，' || i.item || '）' ELSE '养老金（' || i.item || '）' END
        || ' ' || {_money("i.amount")} || ' 元/月（' || strftime(i.latest, '%Y-%m')
        || CASE WHEN i.first_month IS NULL THEN ''
                WHEN i.new OR i.unsure THEN '，' || strftime(i.first_month, '%Y-%m') || ' 起缴存'
                ELSE '，{new_since:%Y-%m} 前已缴存' END
        || CASE WHEN i.new THEN '，新就业' WHEN i.unsure THEN '，无法判断是否新就业' ELSE '' END
        || CASE WHEN i.kind = '工资' AND {deduction} > 0 THEN '，扣除就业成本 {deduction:.2f} 元' ELSE '' END
        || CASE WHEN NOT i.decisive THEN '，记录姓名 ' || coalesce(i.record_name, '（空）') || '，' || i.method ELSE '' END
        || '，' || i.source || '）'"""
    return f"""
    WITH households AS (
        SELECT household_key, program, any_value(standard) AS standard, count(DISTINCT coalesce(id_norm, name_simp)) AS size,
               sum(monthly_amount) AS paid, count(*) = count(monthly_amount) AS paid_known, list(roll_key) AS roll_keys,
               coalesce(program IN ({fixed}), FALSE) AS fixed
        FROM income_members_m GROUP BY household_key, program
    ),
    items AS (SELECT i.*, m.household_key, m.program, m.name FROM {ITEMS_TABLE} i JOIN income_members_m m USING (roll_key)),
    sums AS (
        SELECT household_key, program,
               coalesce(sum(counted) FILTER (decisive AND NOT new AND NOT unsure), 0) AS base,
               coalesce(sum(counted) FILTER (decisive AND unsure), 0) AS unsure_income,
               coalesce(sum(counted) FILTER (decisive AND new), 0) AS new_income,
               coalesce(sum(counted) FILTER (NOT decisive), 0) AS weak_income,
               min(first_month) FILTER (decisive AND new) AS new_first,
               min(first_month) FILTER (decisive AND unsure) AS unsure_first,
               string_agg({item_text}, '；' ORDER BY i.name, i.kind, i.item) FILTER (decisive AND NOT exempt) AS counted_text,
               string_agg({item_text}, '；' ORDER BY i.name, i.kind, i.item) FILTER (decisive AND exempt) AS exempt_text,
               string_agg({item_text}, '；' ORDER BY i.name, i.kind, i.item) FILTER (NOT decisive) AS weak_text,
               string_agg(i.source, '、' ORDER BY i.source) AS source,
               flatten(list(i.links ORDER BY i.roll_key, i.kind, i.item)) AS links
        FROM items i GROUP BY household_key, program
    ),
    judged AS (
        SELECT h.*, s.* EXCLUDE (household_key, program), h.standard * h.size AS line,
               s.base + s.unsure_income + s.new_income AS income,
               s.new_first + to_months({gradual}) AS gradual_end,
               CASE WHEN s.base > line THEN 'stop'
                    WHEN s.base + s.unsure_income > line THEN 'unsure'
                    WHEN income > line AND gradual_end > {month} THEN 'gradual'
                    WHEN income > line THEN 'stop'
                    WHEN NOT h.fixed AND income > 0 AND h.paid_known AND h.paid > line - income + 0.005 THEN 'reduce'
                    WHEN s.weak_income > 0 AND (income + s.weak_income > line
                         OR NOT h.fixed AND h.paid_known AND h.paid > line - income - s.weak_income + 0.005) THEN 'weak'
               END AS finding
        FROM households h JOIN sums s USING (household_key, program)
    ),
    earners AS (  -- the members whose income the warning rests on
        SELECT household_key, program, i.roll_key AS member, arg_max(i.method, i.score) AS method, max(i.score) AS score
        FROM judged j JOIN items i USING (household_key, program)
        WHERE j.finding IS NOT NULL AND i.counted > 0 AND i.decisive = (j.finding <> 'weak')
        GROUP BY ALL
    )
    SELECT CASE WHEN e.finding = 'gradual' THEN '{CODE_GRADUAL}' ELSE '{CODE_INCOME}' END AS code,
           CASE WHEN e.finding = 'gradual' THEN '渐退' ELSE '收入超标' END AS label,
           CASE WHEN e.finding IN ('stop', 'unsure', 'weak') THEN '{RISK_MEDIUM}' ELSE '{RISK_LOW}' END AS risk,
           {ROLL_COLUMNS_SQL}, x.method AS match_method, x.score AS match_score, e.source,
           concat_ws('；',
               '家庭在册 ' || e.size || ' 人，' || e.program || '标准 ' || {_money("e.standard")} || ' 元/人/月，合计 '
                   || {_money("e.line")} || ' 元/月',
               '计入收入 ' || {_money("e.income")} || ' 元/月：' || e.counted_text,
               '不计入收入（豁免类型）：' || e.exempt_text,
               '待核实（未按身份证号精确匹配，未计入）：' || e.weak_text,
               CASE e.finding
                   WHEN 'stop' THEN '收入超过标准 ' || {_money("e.income - e.line")} || ' 元/月'
                       || CASE WHEN e.new_income > 0 AND e.base <= e.line THEN '（新就业已满渐退期 {gradual} 个月）' ELSE '' END
                   WHEN 'unsure' THEN '收入超过标准；公积金数据自 ' || strftime(e.unsure_first, '%Y-%m')
                       || ' 起，无法判断是否为新就业（可享渐退），需入户核实'
                   WHEN 'gradual' THEN '新就业使收入超过标准 ' || {_money("e.income - e.line")} || ' 元/月：渐退期 {gradual} 个月（'
                       || strftime(e.new_first, '%Y-%m') || ' 起），' || strftime(e.gradual_end, '%Y-%m') || ' 起停发'
                   WHEN 'reduce' THEN '按现有收入应发补差 ' || {_money("e.line - e.income")} || ' 元/月（标准合计 − 收入），花名册现发 '
                       || {_money("e.paid")} || ' 元/月，应减发 ' || {_money("e.paid - (e.line - e.income)")} || ' 元/月'
                   WHEN 'weak' THEN '计入待核实收入后家庭收入将超过标准或低于现发补差，需入户核实'
               END,
               nullif('{missing}', '')
           ) AS evidence,
           CASE e.finding WHEN 'stop' THEN '{ACTION_STOP}' WHEN 'gradual' THEN '{ACTION_GRADUAL}'
                          WHEN 'reduce' THEN '{ACTION_REDUCE}' ELSE '{ACTION_VISIT}' END AS action,
           CASE WHEN e.finding = 'gradual' THEN strftime(e.gradual_end, '%Y-%m') ELSE {next_month} END AS effective_month,
           CASE WHEN e.finding = 'stop' THEN 0.0 END AS overpayment,  -- from next month: nothing paid yet
           {ROLL_PERSON_KEY_SQL} AS person_key,
           e.program || '@' || CASE WHEN e.finding = 'gradual' THEN '渐退' || strftime(e.new_first, '%Y-%m')
                                    ELSE e.finding END AS evidence_key,
           {link_detail_sql(roll="[x.member]", others="list_filter(e.roll_keys, lambda k: k <> x.member)", links="e.links")}
               AS link_detail
    FROM earners x JOIN judged e USING (household_key, program) JOIN roll_m r ON r.roll_key = x.member
    """


def _run(ctx: RuleContext, code: str) -> pl.DataFrame:
    table = _warnings(ctx)
    if table is None:
        return pl.DataFrame(schema=RULE_OUTPUT_SCHEMA)
    return query(ctx.conn, f"SELECT * FROM {table} WHERE code = ?", [code]).select(conform(RULE_OUTPUT_SCHEMA))


class IncomeRule:
    code = CODE_INCOME
    label = "收入超标"
    section = "income"  # its parameters: [rules.income] in hexiao.toml
    params_type = IncomeParams
    linked_kinds: tuple[str, ...] = (PENSION_KIND, PROVIDENT_KIND)

    def off_reason(self, ctx: RuleContext) -> str | None:
        """Why the rule raises nothing whatever the incomes (`hexiao check` says it, not 未发现)."""
        if ctx.config.rule_params(self.section, IncomeParams).standard:
            return None
        return "hexiao.toml 未设置 [rules.income] standard（各保障类别的低保标准）"

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        return _run(ctx, self.code)


class GradualExitRule:
    code = CODE_GRADUAL
    label = "渐退"
    section = "income"  # the same parameters as INCOME: one computation gives both codes
    params_type = IncomeParams
    linked_kinds: tuple[str, ...] = (PENSION_KIND, PROVIDENT_KIND)

    def run(self, ctx: RuleContext) -> pl.DataFrame:
        return _run(ctx, self.code)
