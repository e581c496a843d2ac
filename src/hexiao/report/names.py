"""Every name the masked edition hides inside free text (`masking.mask_names_in_text`)."""

from __future__ import annotations

import duckdb
import polars as pl

from hexiao.kinds import BY_NAME
from hexiao.store import PERSON_TABLES, query


def _name_columns(table: str) -> tuple[str, ...]:
    """Each person's own name (as written, and simplified) and every other name the kind stores
    (`Column.is_name`: the roll's head and a child's parents, an adopter …), so that a kind added
    later has its names hidden without a list here to extend."""
    return ("name", "name_simp", *(column.name for column in BY_NAME[table].columns if column.is_name))


def known_names(conn: duckdb.DuckDBPyConnection, month: str) -> pl.Series:
    """Every distinct name of a person in a roll or an extract stored for `month` or before: the
    names a report of that month can quote (the evidence quotes roll and extract rows as written;
    a township's note may name a household member)."""
    selects = [
        f"SELECT unnest([{', '.join(_name_columns(table))}]) AS name FROM {table} WHERE month <= $1"
        for table in PERSON_TABLES
    ]
    names = query(
        conn,
        f"SELECT DISTINCT name FROM ({' UNION ALL '.join(selects)}) WHERE length(name) >= 2",
        [month],
    )
    return names["name"]
