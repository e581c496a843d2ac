"""Which household a roll row belongs to, and whether the roll's own household number can say.

The household key is (乡镇, 户编号): counties number households per township. A 户编号 that a
spreadsheet stored as a number has lost every digit beyond the 15th (`3.41222E+15` in a CSV Excel
saved, or an XLSX numeric cell, which `io.grid` writes in that form from 1e15 on), so different
households share it and one household may be split: it is no key. The household is then built from
the head's ID where that is sound; where it is not, the household is unknown — each member is still
checked, but nothing is sized or merged from the damaged value (`household_basis`).
"""

from __future__ import annotations

import polars as pl

from hexiao.ingest.values import blank_to_null
from hexiao.normalize import ids

# What the household of a row with a damaged number was built from (`household_basis`; null: a
# sound 户编号, or the head's ID where the roll has no 户编号 — as before).
BASIS_HEAD_ID = "户主身份证号"  # 户编号 damaged: the household is the head's ID within the township
BASIS_NONE = "户编号损坏"  # 户编号 damaged, no sound head ID: household unknown
BASIS_HEAD_ID_DAMAGED = "户主身份证号损坏"  # no 户编号, and the head's ID is damaged: household unknown
UNKNOWN_BASES = (BASIS_NONE, BASIS_HEAD_ID_DAMAGED)

# A number a spreadsheet wrote: scientific notation (`3.41222E+15`, `3.41222012345678e+15`), or a
# decimal point among 16 or more digits (a float printed in full: the digits past the 15th are
# noise). Plain digits are text and kept as written.
_SCIENTIFIC = r"^[0-9]+(\.[0-9]*)?[eE][+]?[0-9]+$"
_LONG_DECIMAL = r"^[0-9]+\.[0-9]+$"
LONG_DECIMAL_DIGITS = 16


def damaged_number(text: pl.Expr) -> pl.Expr:
    """The cell holds a long number a spreadsheet has cut to 15 significant digits (null: blank)."""
    stripped = text.str.strip_chars()
    return stripped.str.contains(_SCIENTIFIC) | (
        stripped.str.contains(_LONG_DECIMAL) & (stripped.str.count_matches(r"[0-9]") >= LONG_DECIMAL_DIGITS)
    )


def household_columns() -> list[pl.Expr]:
    """`household_id`, `household_raw` and `household_basis` of prepared roll rows (columns
    `household_id` and `head_id` as written, `head_id_norm`, `head_status`, `id_norm`, `name_norm`).

    `household_id` is the 户编号 as written; without one, the head's ID, else the person's own ID or
    name (contract §2: the default is the head's ID). Where the 户编号 is damaged and the head's ID
    is sound, it is the head's ID, so that the household is one again; `household_raw` then keeps
    the 户编号 as written, for the BAD_HOUSEHOLD warning.
    """
    written = blank_to_null(pl.col("household_id"))
    head_written = blank_to_null(pl.col("head_id"))
    damaged = damaged_number(written).fill_null(False)
    # A head's ID from a numeric cell is damaged whatever its check digit says.
    head_numeric = damaged_number(head_written).fill_null(False)
    head_sound = (pl.col("head_status") == ids.VALID) & ~head_numeric
    head_excel = pl.col("head_status").is_in([ids.EXCEL_NUMERIC, ids.EXCEL_SCIENTIFIC]) | head_numeric
    head_damaged = written.is_null() & pl.col("head_id_norm").is_not_null() & head_excel
    basis = (
        pl.when(damaged & head_sound)
        .then(pl.lit(BASIS_HEAD_ID))
        .when(damaged)
        .then(pl.lit(BASIS_NONE))
        .when(head_damaged)
        .then(pl.lit(BASIS_HEAD_ID_DAMAGED))
    )
    return [
        pl.when(damaged & head_sound)
        .then(pl.col("head_id_norm"))
        .otherwise(pl.coalesce(written, pl.col("head_id_norm"), pl.col("id_norm"), pl.col("name_norm")))
        .alias("household_id"),
        pl.when(damaged).then(written).when(head_damaged).then(head_written).alias("household_raw"),
        basis.alias("household_basis"),
    ]


def household_key_sql(alias: str = "") -> str:
    """SQL: the household a stored roll row belongs to — its township and `household_id` — or null
    where the household is unknown (`UNKNOWN_BASES`). `chr(31)`, the unit separator, is a character
    no cell holds, so two different pairs never give one key."""
    a = f"{alias}." if alias else ""
    unknown = ", ".join(f"'{b}'" for b in UNKNOWN_BASES)
    return (
        f"CASE WHEN {a}household_basis IS NULL OR {a}household_basis NOT IN ({unknown}) "
        f"THEN {a}township || chr(31) || {a}household_id END"
    )


def household_note_sql(alias: str) -> str:
    """SQL: what is wrong with the row's household number and what the household was built from
    instead, for evidence; null for a sound one."""
    a = alias
    damaged = f"'户编号“' || {a}.household_raw || '”被 Excel 当作数字保存，已丢失位数'"
    return (
        f"CASE {a}.household_basis WHEN '{BASIS_HEAD_ID}' THEN {damaged} || '，本户按户主身份证号认定' "
        f"WHEN '{BASIS_NONE}' THEN {damaged} || '，且无有效户主身份证号' "
        f"WHEN '{BASIS_HEAD_ID_DAMAGED}' THEN '未填户编号，户主身份证号“' || {a}.household_raw "
        "|| '”被 Excel 损坏，不能用来分户' END"
    )
