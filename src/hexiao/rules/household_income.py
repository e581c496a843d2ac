"""A household's monthly income from the sources hexiao holds, item by item (domain.md rule 11).

Each roll member of a tested programme (one with a standard) gets its income items: every pension
benefit paid within the recent window (the latest month's amount of each benefit) and the wage its
provident-fund contributions evidence (the 缴存基数 of its latest month in the window, summed over
employers, less the deduction per employed member). An item is `decisive` when its link is an exact
ID match; weaker links are kept apart (待核实), never counted. A wage is `new` when the person's first
contribution falls within `new_since` and the register goes back before it (a contribution in its
first month may be a job of long standing: `unsure`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hexiao.kinds.pension import KIND as PENSION
from hexiao.kinds.provident import KIND as PROVIDENT
from hexiao.matching import methods
from hexiao.rules.base import RuleContext
from hexiao.rules.common import contains_any, extract_table, link_struct_sql, linked
from hexiao.store import source_sql

ITEMS_TABLE = "income_items_m"  # roll_key, decisive, kind, item, counted, …: one row per income item
PENSION_KIND, PROVIDENT_KIND = PENSION.name, PROVIDENT.name
_DECISIVE = ", ".join(f"'{x}'" for x in methods.DECISIVE)


@dataclass(frozen=True)
class ItemTerms:
    """What `build_items` reads of the rule's parameters, as dates and numbers."""

    window_start: date  # the first month of the recent window
    new_since: date  # a first contribution from this month on is new employment
    register_start: date | None  # the provident register's first month in force
    deduction: float  # 就业成本扣减 per employed member
    exempt_types: tuple[str, ...]


def build_items(ctx: RuleContext, tested: str, terms: ItemTerms) -> None:
    """Create `ITEMS_TABLE` for the roll rows of `tested` (SQL of roll_keys): pensions and wages."""
    month = f"'{ctx.month_start.isoformat()}'::DATE"
    window = f"'{terms.window_start.isoformat()}'::DATE"
    new_since = f"'{terms.new_since.isoformat()}'::DATE"
    register_start = "NULL::DATE" if terms.register_start is None else f"'{terms.register_start.isoformat()}'::DATE"
    exempt = contains_any("coalesce(e.benefit_type, '')", terms.exempt_types)
    ctx.conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {ITEMS_TABLE} AS
        WITH pensions AS (
            SELECT l.roll_key, l.method IN ({_DECISIVE}) AS decisive, l.method, l.score,
                   '养老金' AS kind, coalesce(e.benefit_type, '养老金') AS item, e.name AS record_name, e.monthly_amount::DOUBLE AS amount,
                   {exempt} AS exempt, e.pay_month AS latest, NULL::DATE AS first_month,
                   {source_sql("e")} AS source, [{link_struct_sql(PENSION_KIND)}] AS links
            FROM {linked(ctx, PENSION_KIND)} l JOIN {extract_table(ctx, PENSION_KIND)} e USING (ext_key)
            WHERE l.roll_key IN ({tested}) AND e.pay_month BETWEEN {window} AND {month}
            QUALIFY row_number() OVER (  -- the latest month of each benefit
                PARTITION BY l.roll_key, decisive, coalesce(e.benefit_type, '') ORDER BY e.pay_month DESC, e.ext_key
            ) = 1
        ),
        contributions AS (
            SELECT l.roll_key, l.method IN ({_DECISIVE}) AS decisive, l.method, l.score, e.*,
                   {link_struct_sql(PROVIDENT_KIND)} AS link
            FROM {linked(ctx, PROVIDENT_KIND)} l JOIN {extract_table(ctx, PROVIDENT_KIND)} e USING (ext_key)
            WHERE l.roll_key IN ({tested}) AND e.pay_month <= {month}
        ),
        started AS (SELECT roll_key, decisive, min(pay_month) AS first_month FROM contributions GROUP BY ALL),
        latest AS (  -- the latest month in the window, every employer of it
            SELECT * FROM contributions WHERE pay_month >= {window}
            QUALIFY pay_month = max(pay_month) OVER (PARTITION BY roll_key, decisive)
        ),
        wages AS (
            SELECT roll_key, decisive, arg_max(method, score) AS method, max(score) AS score, '工资' AS kind,
                   string_agg(DISTINCT coalesce(employer, '（单位未填）'), '、') AS item, any_value(name) AS record_name,
                   sum(wage_base)::DOUBLE AS amount, FALSE AS exempt, max(pay_month) AS latest,
                   string_agg({source_sql("latest")}, '、' ORDER BY source_file, sheet_no, source_row) AS source,
                   list(link ORDER BY ext_key) AS links
            FROM latest GROUP BY roll_key, decisive
        )
        SELECT *, CASE WHEN exempt THEN 0 ELSE amount END AS counted, FALSE AS new, FALSE AS unsure FROM pensions
        UNION ALL BY NAME
        SELECT w.*, s.first_month, greatest(w.amount - {terms.deduction}, 0) AS counted,
               s.first_month >= {new_since} AND s.first_month > coalesce({register_start}, s.first_month) AS new,
               s.first_month >= {new_since} AND s.first_month <= coalesce({register_start}, s.first_month) AS unsure
        FROM wages w JOIN started s USING (roll_key, decisive)
        """
    )
