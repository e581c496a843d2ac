"""Counts per township × warning type, and the run's summary.json."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from hexiao.rules import LABELS
from hexiao.store import fetch_one, query

# A household is its township and 户编号 (`match.prepare_month`'s `household_key`); a member whose
# household a damaged 户编号 left unknown counts as one of their own, never merged with others.
_HOUSEHOLD = "coalesce(household_key, 'row:' || roll_key)"
_WARNED_HOUSEHOLD = pl.struct("township", "household_id")


def build_summary(conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame) -> dict[str, Any]:
    """The content of summary.json (contract.md §4)."""
    inputs = query(
        conn,
        """
        SELECT file_name AS file, kind, sha256, rows_read, rows_loaded, rows_rejected, month
        FROM inputs WHERE (kind = 'roll' AND month = ?) OR (kind NOT IN ('roll', 'feedback') AND month <= ?)
        ORDER BY input_id
        """,
        [month, month],
    )
    roll_inputs = inputs.filter(pl.col("kind") == "roll")
    checked = fetch_one(
        conn,
        f"SELECT count(DISTINCT {_HOUSEHOLD}), count(DISTINCT coalesce(id_norm, name_simp || household_id)) FROM roll_m",
    )
    warned = warnings.with_columns(pl.coalesce("id_number", "name").alias("_person"))
    # OMISSION rows are people on no roll: counted apart, not among the roll's warned persons.
    on_roll = warned.filter(pl.col("code") != "OMISSION")
    persons = pl.col("_person").n_unique().alias("persons")
    counted = dict(warned.group_by("code").agg(persons).iter_rows())
    by_code = {code: int(counted.get(code, 0)) for code in LABELS}
    by_township: dict[str, dict[str, int]] = {}
    for township, code, count in warned.group_by("township", "code", maintain_order=True).agg(persons).iter_rows():
        by_township.setdefault(str(township), {})[str(code)] = int(count)
    return {
        "month": month,
        "roll_rows_read": int(roll_inputs["rows_read"].sum()),
        "roll_rows_loaded": int(roll_inputs["rows_loaded"].sum()),
        "roll_rows_rejected": int(roll_inputs["rows_rejected"].sum()),
        "households_checked": int(checked[0]),
        "persons_checked": int(checked[1]),
        "households_warned": on_roll.select(_WARNED_HOUSEHOLD.n_unique()).item() if on_roll.height else 0,
        "persons_warned": on_roll["_person"].n_unique() if on_roll.height else 0,
        "omissions": warned.height - on_roll.height,
        "warnings": warned.height,
        "by_code": by_code,
        "by_township": dict(sorted(by_township.items())),
        "overpayment_total": round(float(warned["overpayment"].fill_null(0).sum()), 2),
        "suppressed": 0,
        "inputs": inputs.drop("month").to_dicts(),
    }


def township_table(conn: duckdb.DuckDBPyConnection, warnings: pl.DataFrame) -> pl.DataFrame:
    """summary.csv: per township × warning type, households/persons checked and warned, sums."""
    checked = query(
        conn,
        f"""
        SELECT township, count(DISTINCT {_HOUSEHOLD}) AS households_checked, count(DISTINCT coalesce(id_norm, name_simp || household_id)) AS persons_checked
        FROM roll_m GROUP BY township
        """,
    )
    codes = pl.DataFrame({"code": list(LABELS), "label": list(LABELS.values())})
    grid = checked.join(codes, how="cross")
    warned = (
        warnings.with_columns(pl.coalesce("id_number", "name").alias("_person"))
        .group_by("township", "code")
        .agg(
            _WARNED_HOUSEHOLD.n_unique().alias("households_warned"),
            pl.col("_person").n_unique().alias("persons_warned"),
            pl.len().alias("warnings"),
            pl.col("overpayment").fill_null(0).sum().round(2).alias("overpayment"),
        )
    )
    table = grid.join(warned, on=["township", "code"], how="left").with_columns(
        pl.col("households_warned", "persons_warned", "warnings").fill_null(0),
        pl.col("overpayment").fill_null(0.0),
    )
    return table.sort("township", "code").select(
        pl.col("township").alias("乡镇（街道）"),
        pl.col("code").alias("预警代码"),
        pl.col("label").alias("预警类型"),
        pl.col("households_checked").alias("核对户数"),
        pl.col("persons_checked").alias("核对人数"),
        pl.col("households_warned").alias("预警户数"),
        pl.col("persons_warned").alias("预警人数"),
        pl.col("warnings").alias("预警条数"),
        pl.col("overpayment").alias("应追回金额合计"),
    )
