"""Plumbing shared by the rules: extracts in force, cached links, overpayment, SQL snippets."""

from __future__ import annotations

from collections.abc import Iterable

from hexiao.kinds import ACCUMULATE, BY_NAME
from hexiao.matching.linker import link
from hexiao.rules.base import RuleContext
from hexiao.store import LINKED_PERSON_COLUMNS, ROW_KEY_SQL, fetch_one, insert_frame, person_rows, temp_table
from hexiao.timing import timed


def extract_table(ctx: RuleContext, kind: str) -> str:
    """The records in force for the month (`in_force`) with `ext_key`: SQL to read in a FROM clause.

    A subquery, not a copy: a register of millions of rows is read where it lies, only the columns a
    rule needs. Nor a view, which would cost a statement to create and be bound again at every read.
    """
    return f"(SELECT {ROW_KEY_SQL} AS ext_key, * FROM ({person_rows(kind, in_force(ctx, kind))}))"


def in_force(ctx: RuleContext, kind: str) -> str:
    """SQL condition on a register's rows: the records in force for the month.

    An accumulating register (cremation, pensions …: `kinds.base.Kind.in_force`) has every record
    loaded for a month ≤ M in force; in a snapshot the newest extract loaded for a month ≤ M
    replaces the older ones. Its month is
    asked once and written in, not a subquery: every scan would run it again, and a literal lets
    DuckDB skip the row groups of other months.
    """
    key = f"{kind}:in_force"
    if key not in ctx.cache:
        if BY_NAME[kind].in_force == ACCUMULATE:
            where = f"month <= '{ctx.month}'"  # YYYY-MM, validated by match(): views take no parameters
        else:
            newest = fetch_one(ctx.conn, f"SELECT max(month) FROM {kind} WHERE month <= ?", [ctx.month])[0]
            where = "FALSE" if newest is None else f"month = '{str(newest).replace(chr(39), chr(39) * 2)}'"
        ctx.cache[key] = where
    return ctx.cache[key]


_LINK_COLUMNS = "roll_key, ext_key, method, score, name_tier, note"
LINKS_TABLE = "extract_links"  # every kind's links, one temp table per run


def linked(ctx: RuleContext, kind: str) -> str:
    """The links of one extract (roll_key, ext_key, method, score, name_tier, note), computed once per
    run and shared by every rule that reads this kind: SQL to read in a FROM clause."""
    link_extracts(ctx, [kind])
    return f"(SELECT {_LINK_COLUMNS} FROM {LINKS_TABLE} WHERE kind = '{kind}')"


def link_extracts(ctx: RuleContext, kinds: Iterable[str]) -> None:
    """Link the month's roll to every extract of `kinds` not linked yet, all in one linker pass:
    its fixed cost (a dozen queries) is paid once per run, not once per extract."""
    todo = [kind for kind in dict.fromkeys(kinds) if f"{kind}:linked" not in ctx.cache]
    if not todo:
        return
    # Only the person columns the linker reads, of the records in force.
    extracts = " UNION ALL ".join(
        f"SELECT '{kind}' AS kind, {ROW_KEY_SQL} AS ext_key, {LINKED_PERSON_COLUMNS} FROM {kind} "
        f"WHERE {in_force(ctx, kind)}"
        for kind in todo
    )
    ctx.conn.execute(f"CREATE OR REPLACE TEMP VIEW extracts_m AS {extracts}")
    with timed("link") as step:
        links = link(ctx.conn, "roll_m", "extracts_m")
        step.rows += links.height
    # One temp table for every kind: creating a table costs a statement, reading a kind's rows a filter.
    if LINKS_TABLE in ctx.cache:
        insert_frame(ctx.conn, LINKS_TABLE, links)
    else:
        temp_table(ctx.conn, LINKS_TABLE, links)
        ctx.cache[LINKS_TABLE] = LINKS_TABLE
    for kind in todo:
        ctx.cache[f"{kind}:linked"] = LINKS_TABLE


# 应追回金额 of a hit `r` with its months paid `p` (`overpayment_ctes`): none where the roll gives
# no amount (nothing can be counted), else the sum, 0 when no month was paid.
OVERPAYMENT_SQL = "CASE WHEN r.monthly_amount IS NULL THEN NULL ELSE round(coalesce(p.overpayment, 0), 2) END"


def overpayment_ctes(hits: str) -> str:
    """CTEs computing `paid(roll_key, overpayment, months_paid, paid_months)` for a CTE `hits` with
    roll_key, effective (first month no longer due), id_norm, program, monthly_amount and start_month.

    A month m from `effective` to the month before this one counts as paid when the stored roll
    snapshot of m lists the person in the same programme. A month without a snapshot counts from
    保障起始年月 on, at the person's amount in the earliest stored snapshot after m (before this
    month) that lists them: what was paid then, not this month's 月保障金额, which a later edit of
    the roll may have changed (a raise, a 减发 to 0); this month's amount only when no such snapshot
    is stored (contract.md §4, 应追回金额). Parameter: this month's first day, twice.
    """
    return f"""
    months AS (
        SELECT roll_key, strftime(this_month, '%Y-%m') AS this_month,
               unnest(generate_series(effective, this_month - INTERVAL 1 MONTH, INTERVAL 1 MONTH)) AS m
        FROM (SELECT roll_key, effective, ?::DATE AS this_month FROM {hits}) WHERE effective < ?::DATE
    ),
    snapshots AS (SELECT DISTINCT month FROM roll),
    paid_in_snapshots AS (  -- of the hit persons only: a province's snapshots hold millions of rows
        SELECT month, id_norm, program, sum(monthly_amount) AS amount
        FROM ({person_rows("roll", f"id_key IN (SELECT id_key FROM {hits}) OR id_norm IN (SELECT id_norm FROM {hits})")})
        GROUP BY ALL  -- the filter reads the stored columns (id_norm only where id_key cannot give it
                      -- back), so only the rows kept have their ID spelled
    ),
    month_rows AS (
        SELECT mo.roll_key, mo.m, strftime(mo.m, '%Y-%m') AS month, mo.this_month,
               h.id_norm, h.program, h.monthly_amount, h.start_month
        FROM months mo JOIN {hits} h USING (roll_key)
    ),
    month_sources AS (  -- each month's own snapshot, and the nearest later one with the person's amount
        SELECT mr.*, s.month AS snapshot, p.amount AS snapshot_amount,
               CASE WHEN later.month < mr.this_month THEN later.month END AS later_month,
               CASE WHEN later.month < mr.this_month THEN later.amount END AS later_amount
        FROM month_rows mr
        LEFT JOIN snapshots s ON s.month = mr.month
        LEFT JOIN paid_in_snapshots p ON p.month = mr.month AND p.id_norm = mr.id_norm AND p.program = mr.program
        ASOF LEFT JOIN (SELECT * FROM paid_in_snapshots WHERE amount IS NOT NULL) later
               ON later.id_norm = mr.id_norm AND later.program = mr.program AND later.month > mr.month
    ),
    paid_months AS (
        SELECT roll_key, m, snapshot,
               (start_month IS NULL OR m >= start_month) AS since_start,
               CASE WHEN snapshot IS NULL AND since_start THEN later_month END AS valued_from,
               CASE WHEN snapshot IS NOT NULL THEN coalesce(snapshot_amount, 0)
                    WHEN NOT since_start THEN 0
                    WHEN later_month IS NOT NULL THEN later_amount
                    ELSE monthly_amount END AS amount,
               (snapshot IS NOT NULL AND snapshot_amount IS NOT NULL) OR (snapshot IS NULL AND since_start) AS was_paid
        FROM month_sources
    ),
    paid AS (  -- `paid_months` is what `hexiao explain` lists month by month (`link_detail_sql`)
        SELECT roll_key, sum(amount) AS overpayment, count(*) FILTER (WHERE was_paid) AS months_paid,
               list({{'month': strftime(m, '%Y-%m'), 'amount': amount, 'snapshot': snapshot,
                      'valued_from': valued_from}} ORDER BY m) AS paid_months
        FROM paid_months GROUP BY roll_key
    )"""


def link_struct_sql(kind: str, links: str = "l") -> str:
    """SQL: a source record of `kind` a warning rests on (`ext_key`, the row key of `store.ROW_KEY_SQL`)
    and how the linker tied it to the roll row: method, score, name tier and the linker's note."""
    return (
        f"{{'kind': '{kind}', 'ext': {links}.ext_key, 'method': {links}.method, 'score': {links}.score, "
        f"'name_tier': {links}.name_tier, 'note': {links}.note}}"
    )


def link_detail_sql(*, roll: str = "[]", links: str = "[]", months: str = "NULL", others: str = "[]") -> str:
    """SQL: the warnings column `link_detail`, JSON of what a warning rests on as the match found
    it — its roll rows (`roll`, a list of row keys), the other roll rows it names (`others`), the
    source records and their links (`links`, of `link_struct_sql`) and the months paid since the
    effective month (`months`, `paid_months` of `overpayment_ctes`) — for `hexiao explain`. Row
    keys, not rows: a few numbers per warning, and they still name file, sheet and row after the
    row itself has been purged."""
    return f"to_json({{'roll': {roll}, 'others': {others}, 'links': {links}, 'months': {months}}})::VARCHAR"


def rests_on_sql(column: str = "link_detail") -> str:
    """SQL: the row keys (`store.ROW_KEY_SQL`) of every stored row a warning rests on, from its
    `link_detail` — its roll rows, the other roll rows it names and its source records — so that
    `hexiao purge` keeps them."""
    return (
        f"list_concat(json_extract({column}, '$.roll')::BIGINT[], json_extract({column}, '$.others')::BIGINT[], "
        f"json_extract({column}, '$.links[*].ext')::BIGINT[])"
    )


def contains_any(column: str, words: tuple[str, ...] | list[str]) -> str:
    """SQL: the column contains one of the words (false for an empty list or a null column)."""
    if not words:
        return "FALSE"
    terms = " OR ".join(f"contains({column}, '{w.replace(chr(39), chr(39) * 2)}')" for w in words)
    return f"coalesce(({terms}), FALSE)"


# Columns every roll-based warning takes from the roll row `r`.
ROLL_COLUMNS_SQL = """r.township, r.village, r.household_id, r.head_name, r.name,
    coalesce(r.id_norm, r.id_raw) AS id_number, r.program"""


def match_note_sql(alias: str = "l") -> str:
    """How a weaker link was made (method, note, name tier); empty for a clean exact ID match."""
    return (
        f"CASE WHEN {alias}.method = '身份证精确' AND {alias}.name_tier IN ('相同', '规范化后相同') THEN '' "
        f"ELSE '匹配：' || {alias}.method || '（' || {alias}.note || '，姓名' || {alias}.name_tier || '）' END"
    )
