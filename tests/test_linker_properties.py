"""Properties of the linker on small generated months: what holds whatever the data.

A roll of people whose names and IDs collide often, and an extract of their records written the
ways offices write them (exact, 15-digit, numeric cell, zeroed text, scientific notation, a typo,
another name); the links must not depend on row order, scores stay in 0–100, and an ID from a
numeric cell never makes a 身份证精确 link.
"""

from __future__ import annotations

import duckdb
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from hexiao.ingest.prepare import add_person_columns
from hexiao.io.grid import _cell_text
from hexiao.matching import methods as m
from hexiao.matching.linker import link
from hexiao.normalize import ids
from hexiao.normalize.ids import check_digit
from hexiao.store import temp_table

NAMES = ["王芳", "王方", "李明", "張偉", "张伟", "欧阳娜娜"]
# Births and sequence numbers from short lists, so that first 15 digits and birth dates are shared.
BIRTHS = ["19500207", "19600606", "19310101"]
# 19500207 + 100 is 340421195002071000, a real ID ending in 000 that numeric cells of 104 and 123
# read back as.
SEQUENCES = ["100", "104", "123", "560"]


def _person_id(birth: str, sequence: str) -> str:
    body = "340421" + birth + sequence[:2]
    check = check_digit(body + sequence[2])
    return body + sequence[2] + check


def _written(real: str, form: str) -> str:
    """The ID as a record of `form` writes it."""
    if form == "numeric":  # a check character X cannot be typed into a number: Excel keeps the rest
        return str(_cell_text(float(real[:17] + "0")))
    if form == "zeroed":
        return real[:15] + "000"
    if form == "scientific":
        return f"{real[0]}.{real[1:6]}E+17"
    if form == "typo":
        return real[:10] + real[11] + real[10] + real[12:]
    if form == "fifteen":
        return real[:6] + real[8:17]
    return real


Person = tuple[str, str, str]  # name, birth date, sequence number
Record = tuple[Person, str, str]  # whose record, how its ID is written, the name it gives
Month = tuple[list[Person], list[Record]]

people = st.tuples(st.sampled_from(NAMES), st.sampled_from(BIRTHS), st.sampled_from(SEQUENCES))
records = st.tuples(
    people, st.sampled_from(["exact", "numeric", "zeroed", "scientific", "typo", "fifteen"]), st.sampled_from(NAMES)
)
months = st.tuples(st.lists(people, min_size=1, max_size=8), st.lists(records, min_size=1, max_size=8))


def _persons(rows: list[tuple[str, str]], key: str) -> pl.DataFrame:
    frame = pl.DataFrame(
        {"name": [r[0] for r in rows], "id_number": [r[1] for r in rows]},
        schema=dict.fromkeys(("name", "id_number"), pl.String),
    )
    frame = add_person_columns(frame).with_row_index(key).with_columns(pl.col(key).cast(pl.Int64))
    return frame.select(
        key,
        "name",
        "name_simp",
        "id_norm",
        pl.col("id_norm").alias("id_text"),
        "id_key",
        "id_status",
        "id_birth",
        "id_county",
        "id_from15",
    )


def _link(roll: pl.DataFrame, extract: pl.DataFrame) -> pl.DataFrame:
    conn = duckdb.connect()
    temp_table(conn, "roll_t", roll)
    temp_table(conn, "ext_t", extract.with_columns(pl.lit("cremation").alias("kind")))
    return link(conn, "roll_t", "ext_t").select("roll_key", "ext_key", "method", "score", "name_tier", "note")


def _month(month: Month) -> tuple[pl.DataFrame, pl.DataFrame]:
    roll_people, extract_records = month
    roll = _persons([(name, _person_id(birth, seq)) for name, birth, seq in roll_people], "roll_key")
    extract = _persons(
        [(name, _written(_person_id(birth, seq), form)) for (_, birth, seq), form, name in extract_records], "ext_key"
    )
    return roll, extract


@given(months)
@settings(max_examples=20)
def test_links_do_not_depend_on_row_order(month: Month) -> None:
    roll, extract = _month(month)
    forward = _link(roll, extract)
    backward = _link(roll.reverse(), extract.reverse())
    assert forward.sort("roll_key", "ext_key").equals(backward.sort("roll_key", "ext_key"))


@given(months)
@settings(max_examples=20)
def test_scores_are_whole_points_in_range_and_numeric_cells_never_exact(month: Month) -> None:
    roll, extract = _month(month)
    links = _link(roll, extract).join(extract.select("ext_key", "id_status"), on="ext_key")
    assert links["score"].is_between(0, 100).all()
    assert (links["score"] == links["score"].round(0)).all()
    assert links.filter((pl.col("method") == m.EXACT_ID) & (pl.col("id_status") == ids.EXCEL_NUMERIC)).is_empty()
