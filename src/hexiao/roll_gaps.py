"""A roll that did not come: a programme (保障类别) with rows in the previous stored roll month and
none this month is missing this month, and a present programme whose roll lists fewer than half
the persons of the previous month's is shrunk (likely a partial file).

A roll that was not sent says nothing about the people it would list, and a roll cut to less than
half says nothing about the people left out (a programme's roll file forgotten while another file,
such as a 新增保障对象 list, still has a few of its rows, is such a shrink). So hexiao never takes
their absence for a stop: `prepare_gaps` keeps last month's rows of each missing or shrunk
programme in the temp table `roll_gap`, and the cycle (`cycle.roll_changes`,
`cycle.resolved_states`) and OMISSION read it — a person of it not on this month's roll is not
re-checked, and a poverty-monitoring person of it is not taken as on no roll. What this month's
rows do say (a person listed at 0) holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from hexiao.store import PERSONS_SQL, fetch_one, person_rows, query

# township, household_id, id_norm, name, name_simp: last month's rows of missing or shrunk programmes
GAP_TABLE = "roll_gap"


@dataclass(frozen=True)
class RollGaps:
    missing: list[dict[str, Any]]  # program, previous_month, previous_rows
    shrunk: list[dict[str, Any]]  # program, previous_month, previous_persons, persons


def previous_roll_month(conn: duckdb.DuckDBPyConnection, month: str) -> str | None:
    row = fetch_one(conn, "SELECT max(month) FROM roll WHERE month < ?", [month])
    return None if row[0] is None else str(row[0])


def prepare_gaps(conn: duckdb.DuckDBPyConnection, month: str) -> None:
    """Create `roll_gap`: the previous stored roll month's rows of the programmes missing or shrunk
    this month (`survey_gaps`; empty when none is, or there is no earlier month)."""
    gaps = survey_gaps(conn, month)
    programs = [gap["program"] for gap in (*gaps.missing, *gaps.shrunk)]
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {GAP_TABLE} AS
        SELECT township, household_id, id_norm, name, name_simp
        FROM ({person_rows("roll", "month = ?")}) WHERE list_contains(?, program)
        """,
        [previous_roll_month(conn, month) or "", programs],
    )


def survey_gaps(conn: duckdb.DuckDBPyConnection, month: str) -> RollGaps:
    """Each programme of the previous stored roll month, against this month's roll: missing (no
    row) or shrunk (fewer than half its persons), in programme order."""
    previous = previous_roll_month(conn, month)
    if previous is None:
        return RollGaps([], [])
    counts = query(
        conn,
        f"""
        SELECT program, month, count(*) AS rows, {PERSONS_SQL} AS persons
        FROM ({person_rows("roll", "month IN (?, ?)")}) WHERE program IS NOT NULL GROUP BY ALL
        """,
        [previous, month],
    )
    before = counts.filter(counts["month"] == previous).sort("program")
    now = dict(counts.filter(counts["month"] == month).select("program", "persons").iter_rows())
    missing: list[dict[str, Any]] = []
    shrunk: list[dict[str, Any]] = []
    for program, rows, persons in before.select("program", "rows", "persons").iter_rows():
        if program not in now:
            missing.append({"program": program, "previous_month": previous, "previous_rows": rows})
        elif now[program] * 2 < persons:
            shrunk.append(
                {"program": program, "previous_month": previous, "previous_persons": persons, "persons": now[program]}
            )
    return RollGaps(missing, shrunk)


def on_missing_roll_sql(alias: str) -> str:
    """SQL: the person of row `alias` (id_norm, name_simp, township) was on last month's roll of a
    programme whose roll is missing or shrunk this month (`GAP_TABLE`): the roll that would show
    them was not sent. Two equi-joins (hashable), not one on OR; by name and township only where
    the row has no ID."""
    return (
        f"(EXISTS (SELECT 1 FROM {GAP_TABLE} g WHERE g.id_norm = {alias}.id_norm)"
        f" OR {alias}.id_norm IS NULL AND EXISTS (SELECT 1 FROM {GAP_TABLE} g"
        f" WHERE g.name_simp = {alias}.name_simp AND g.township = {alias}.township))"
    )


def gap_summary(gaps: RollGaps, held_back: int) -> dict[str, Any]:
    """summary.json's keys: `missing_programs`, `roll_shrink`, and `omission_held_back` (persons
    OMISSION did not list because they were on last month's roll of a missing or shrunk programme)."""
    return {"missing_programs": gaps.missing, "roll_shrink": gaps.shrunk, "omission_held_back": held_back}


def gap_messages(summary: dict[str, Any]) -> list[str]:
    """One line per missing or shrunk roll in a month's summary, saying what to do, and one per
    check a rule could not make (`rule_notes`: a local standard not set in hexiao.toml)."""
    month = summary["month"]
    again = f"把完整的花名册放入收件目录 inbox/{month}/ 后重新运行 hexiao match --month {month}"
    lines = [
        f"{month} 月没有「{gap['program']}」花名册（{gap['previous_month']} 月有 {gap['previous_rows']} 行）："
        f"该类别人员本月未复核，其预警不会标为已执行、不列为疑似漏保；请{again}"
        for gap in summary.get("missing_programs", [])
    ]
    lines += [
        f"{month} 月「{gap['program']}」花名册只有 {gap['persons']} 人，不到 {gap['previous_month']} 月"
        f" {gap['previous_persons']} 人的一半，可能只放入了部分文件：不在本月花名册上的该类别人员本月未复核；请核对，{again}"
        for gap in summary.get("roll_shrink", [])
    ]
    return lines + list(summary.get("rule_notes", []))
