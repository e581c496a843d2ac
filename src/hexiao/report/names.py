"""Every name the masked edition hides inside free text (`masking.mask_names_in_text`)."""

from __future__ import annotations

import duckdb
import polars as pl

from hexiao.store import PERSON_TABLES, query

# Besides each person's own name (as written, and simplified), the roll names the head.
_EXTRA_NAME_COLUMNS = {"roll": ("head_name",)}


def known_names(conn: duckdb.DuckDBPyConnection, month: str) -> pl.Series:
    """Every distinct name of a person in a roll or an extract stored for `month` or before: the
    names a report of that month can quote (the evidence quotes roll and extract rows as written;
    a township's note may name a household member)."""
    selects = [
        f"SELECT unnest([{', '.join(('name', 'name_simp', *_EXTRA_NAME_COLUMNS.get(table, ())))}]) AS name "
        f"FROM {table} WHERE month <= $1"
        for table in PERSON_TABLES
    ]
    names = query(
        conn,
        f"SELECT DISTINCT name FROM ({' UNION ALL '.join(selects)}) WHERE length(name) >= 2",
        [month],
    )
    return names["name"]
