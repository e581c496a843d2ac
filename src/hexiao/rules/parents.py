"""A child's parents on a children's roll (孤儿 / 事实无人抚养儿童): who they are, in which situation,
and the records of another register that are theirs.

父亲情况/母亲情况 say which parent is in which situation (服刑, 强制戒毒, 失联 …); where a parent's is
blank, 困境类型 stands in: a text naming both parents (父母服刑, 父母双方失联) or neither (服刑在押)
speaks for each parent, one naming a parent (父亲服刑、母亲死亡) for that parent, up to the other's.
"""

from __future__ import annotations

import polars as pl

from hexiao.matching.linker import link
from hexiao.normalize import ids
from hexiao.normalize.ids import add_id_columns
from hexiao.normalize.names import normalize_names, to_simplified
from hexiao.rules.base import RuleContext
from hexiao.rules.common import contains_any, in_force
from hexiao.store import LINKED_PERSON_COLUMNS, ROW_KEY_SQL, query, temp_table

PARENTS_TABLE = "roll_parents"
FATHER, MOTHER = "父亲", "母亲"
FROM_STATUS, FROM_HARDSHIP = "情况", "困境类型"
# 困境类型 that speaks of both parents at once.
_BOTH = ("父母", "双方")


def _situation(hardship: pl.Expr, own: str, other: str) -> pl.Expr:
    """What 困境类型 says of the parent whose word starts with `own` (父 / 母)."""
    return (
        pl.when(hardship.str.contains("|".join(_BOTH)))
        .then(hardship)
        .when(hardship.str.contains(own))
        .then(hardship.str.extract(f"{own}亲?([^{other}]*)", 1))
        .when(hardship.str.contains(other))
        .then(pl.lit(None, pl.String))
        .otherwise(hardship)
    )


def parent_rows(ctx: RuleContext, programs: tuple[str, ...]) -> pl.DataFrame:
    """One row per parent of a child of `programs` on this month's roll: `parent_key` (the child's
    `roll_key` × 2, + 1 for the mother), `roll_key`, `parent` (父亲/母亲), the name and ID columns
    the linker reads (`store.LINKED_PERSON_COLUMNS`), `situation` and `situation_from` (情况 or
    困境类型)."""
    roll = query(
        ctx.conn,
        f"""
        SELECT roll_key, hardship_type, father_name, father_id_norm, father_id_status, father_status,
               mother_name, mother_id_norm, mother_id_status, mother_status
        FROM roll_m r WHERE {contains_any("r.program", programs)}
        """,
    )
    hardship = pl.col("hardship_type").str.strip_chars()
    sides = []
    for offset, (parent, prefix, own, other) in enumerate(
        ((FATHER, "father", "父", "母"), (MOTHER, "mother", "母", "父"))
    ):
        status = pl.col(f"{prefix}_status").str.strip_chars()
        status = pl.when(status == "").then(None).otherwise(status)
        sides.append(
            roll.select(
                (pl.col("roll_key") * 2 + offset).alias("parent_key"),
                pl.col("roll_key"),
                pl.lit(parent).alias("parent"),
                pl.col(f"{prefix}_name").str.strip_chars().alias("name"),
                pl.col(f"{prefix}_id_norm").alias("id_norm"),
                pl.col(f"{prefix}_id_status").alias("stored_status"),
                pl.coalesce(status, _situation(hardship, own, other)).alias("situation"),
                pl.when(status.is_not_null())
                .then(pl.lit(parent + FROM_STATUS))
                .otherwise(pl.lit(FROM_HARDSHIP))
                .alias("situation_from"),
            )
        )
    parents = pl.concat(sides).filter(pl.col("situation").is_not_null() & (pl.col("situation") != ""))
    # The linker reads a parent's ID like a member's: key, birth date and county from the stored
    # normalised ID; the status as loaded (a numeric cell's zeros may pass the check digit by chance).
    parents = add_id_columns(parents, "id_norm", "p").with_columns(
        pl.coalesce("stored_status", "p_status").fill_null(ids.EMPTY).alias("id_status")
    )
    names = normalize_names(parents["name"])
    return parents.select(
        "parent_key",
        "roll_key",
        "parent",
        "situation",
        "situation_from",
        pl.col("name"),
        to_simplified(names).alias("name_simp"),
        pl.col("id_norm"),
        pl.col("id_norm").alias("id_text"),
        pl.col("p_key").alias("id_key"),
        "id_status",
        pl.col("p_birth").alias("id_birth"),
        pl.col("p_county").alias("id_county"),
        pl.col("p_from15").alias("id_from15"),
    )


def store_parents(ctx: RuleContext, parents: pl.DataFrame) -> str:
    """The parents as a temp table the linker and the rules read: its name."""
    temp_table(ctx.conn, PARENTS_TABLE, parents)
    return PARENTS_TABLE


def link_parents(ctx: RuleContext, parents: str, kind: str) -> pl.DataFrame:
    """The links (parent_key, ext_key, method, score, name_tier, note) of the parents to the records
    of `kind` in force: the linker's methods, the parent taking the place of a roll member."""
    ctx.conn.execute(
        f"CREATE OR REPLACE TEMP VIEW parent_extract AS SELECT '{kind}' AS kind, {ROW_KEY_SQL} AS ext_key, "
        f"{LINKED_PERSON_COLUMNS} FROM {kind} WHERE {in_force(ctx, kind)}"
    )
    ctx.conn.execute(
        f"CREATE OR REPLACE TEMP VIEW parent_persons AS SELECT parent_key AS roll_key, name, name_simp, id_norm, "
        f"id_text, id_key, id_status, id_birth, id_county, id_from15 FROM {parents}"
    )
    return link(ctx.conn, "parent_persons", "parent_extract").rename({"roll_key": "parent_key"})
