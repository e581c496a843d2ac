"""OMISSION from medical-insurance settlements, 因病 (domain.md rule 12b; seed 003 item 4: 按月…核实
…医保部门的数据，主动利用，及时排查). A person linked to no member of this month's roll whose 个人自付
over the settlements dated in the 12 months up to this month's end reaches the local threshold. A
settlement loaded twice (monthly exports of a rolling year overlap: same person, day and amounts)
counts once.

The threshold is a local rule: provinces define 因病支出型贫困 by their own figure (often against
the household's income), and no national one exists. Without it this source is off, and the run
says so when settlements are in force: the data were given but not used.
"""

from __future__ import annotations

from datetime import date

from hexiao.kinds import MEDICAL_KIND
from hexiao.roll_gaps import on_missing_roll_sql
from hexiao.rules.base import RuleContext
from hexiao.rules.common import extract_table, in_force, linked
from hexiao.store import fetch_one, source_sql

WINDOW_MONTHS = 12  # the parameter's own name says 12 months: 近12个月个人自付
SHOWN_SETTLEMENTS = 10  # 证据 lists the largest; `hexiao explain` shows every one (`link_detail`)


def window(ctx: RuleContext, months: int) -> tuple[date, date]:
    """The first day of the month `months` − 1 before this one, and this month's last day."""
    start = ctx.month_start
    index = start.year * 12 + start.month - 1 - (months - 1)
    end_index = start.year * 12 + start.month  # the month after this one
    first_next = date(end_index // 12, end_index % 12 + 1, 1)
    return date(index // 12, index % 12 + 1, 1), date.fromordinal(first_next.toordinal() - 1)


def medical_candidates(ctx: RuleContext, threshold: float | None) -> str | None:
    """SQL: one candidate row per person over the threshold (`omission.CANDIDATE_COLUMNS`); None,
    with a note in the run, when the threshold is not set."""
    if threshold is None:
        if fetch_one(
            ctx.conn, f"SELECT count(*) FROM (SELECT 1 FROM {MEDICAL_KIND} WHERE {in_force(ctx, MEDICAL_KIND)} LIMIT 1)"
        )[0]:
            ctx.notes.append(
                "已载入医保结算数据，但 hexiao.toml 未设置 [rules.omission] medical_out_of_pocket_12m"
                "（近12个月个人自付门槛，元，按当地因病支出型困难认定标准填写）：本月未按医疗支出排查疑似漏保"
            )
        return None
    first, last = window(ctx, WINDOW_MONTHS)
    records, links = extract_table(ctx, MEDICAL_KIND), linked(ctx, MEDICAL_KIND)
    period = f"{first:%Y-%m-%d}至{last:%Y-%m-%d}"
    return f"""
        WITH settled AS (
            SELECT e.*, coalesce(e.id_norm, e.name_simp || '@' || coalesce(e.id_raw, '')) AS pkey,
                   strftime(e.settled_on, '%Y-%m-%d') || ' 自付 ' || printf('%.2f', e.out_of_pocket) || ' 元（'
                       || {source_sql("e")} || '）' AS item
            FROM {records} e
            WHERE e.settled_on BETWEEN DATE '{first}' AND DATE '{last}'
            -- A settlement sent again (monthly exports of a rolling year overlap) counts once: the
            -- newest load of each person's day and amounts.
            QUALIFY row_number() OVER (
                PARTITION BY pkey, e.settled_on, e.out_of_pocket, e.total_cost ORDER BY e.month DESC, e.ext_key DESC
            ) = 1
        ),
        on_roll AS (SELECT DISTINCT s.pkey FROM settled s JOIN {links} l USING (ext_key)),
        people AS (
            SELECT pkey, sum(out_of_pocket) AS paid, count(*) AS settlements,
                   arg_max(township, settled_on) FILTER (WHERE township IS NOT NULL) AS township,
                   arg_max(village, settled_on) FILTER (WHERE village IS NOT NULL) AS village,
                   arg_max(name, settled_on) AS name, arg_max(name_simp, settled_on) AS name_simp,
                   arg_max(id_norm, settled_on) AS id_norm, arg_max(id_raw, settled_on) AS id_raw,
                   arg_max({source_sql("settled")}, (out_of_pocket, settled_on)) AS source,
                   list(item ORDER BY out_of_pocket DESC, settled_on, ext_key) AS items,
                   list({{'kind': '{MEDICAL_KIND}', 'ext': ext_key}} ORDER BY settled_on, ext_key) AS links
            FROM settled
            WHERE pkey NOT IN (SELECT pkey FROM on_roll)
            GROUP BY pkey
            HAVING sum(out_of_pocket) >= {float(threshold)}
        )
        SELECT 2 AS priority, p.township, p.village, NULL AS household_id, p.name,
               coalesce(p.id_norm, p.id_raw) AS id_number, p.source,
               '因病：医保结算近12个月（{period}）个人自付合计 ' || printf('%.2f', p.paid) || ' 元，达到门槛 '
                   || printf('%.2f', {float(threshold)}) || ' 元；结算 ' || p.settlements || ' 次：'
                   || array_to_string(list_slice(p.items, 1, {SHOWN_SETTLEMENTS}), '；')
                   || CASE WHEN p.settlements > {SHOWN_SETTLEMENTS}
                           THEN '；另 ' || (p.settlements - {SHOWN_SETTLEMENTS}) || ' 次' ELSE '' END AS evidence,
               p.pkey AS person_key, '因病' AS evidence_key, p.links,
               {on_missing_roll_sql("p")} AS held
        FROM people p
    """
