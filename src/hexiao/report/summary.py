"""Counts per township × warning type, and the run's summary.json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from hexiao.kinds import EXTRACT_KINDS
from hexiao.normalize import ids
from hexiao.report.columns import money
from hexiao.report.money import MONEY_COLUMNS, cycle_summary
from hexiao.rules import LABELS
from hexiao.store import fetch_one, query

# A roll row's person is its ID where the ID names one person (`ids.IDENTIFYING`), else the row:
# two people whose IDs Excel cut to the same first 15 digits are two people.
_PERSON = (
    f"CASE WHEN id_norm IS NOT NULL AND id_status IN ({ids.IDENTIFYING_SQL}) THEN id_norm ELSE 'row:' || roll_key END"
)
# A household is its township and 户编号 (`match.prepare_month`'s `household_key`); a member whose
# household a damaged 户编号 left unknown is a household of their own, never merged with others,
# so that 户 ≤ 人 holds but for one person in several households (重复享受).
_HOUSEHOLD = f"coalesce(household_key, 'person:' || {_PERSON})"
_PERSONS_CHECKED = f"count(DISTINCT {_PERSON})"
_HOUSEHOLDS_CHECKED = f"count(DISTINCT {_HOUSEHOLD})"
_UNKNOWN_HOUSEHOLDS = f"count(DISTINCT {_PERSON}) FILTER (WHERE household_key IS NULL)"

# Warnings carry no roll row, only what the reports show: columns (hashes, so masking leaves them
# alone) telling their persons and households apart as `_PERSON` and `_HOUSEHOLD` do.
PERSON, HOUSEHOLD = "_person", "_household"


@dataclass(frozen=True)
class RollIdentities:
    """What a warning's columns cannot tell: which of the month's roll IDs name nobody in
    particular, and which (乡镇, 户编号) are no household."""

    unsound_ids: pl.Series  # `id_number` of roll rows whose ID is not `ids.IDENTIFYING`
    unknown_households: pl.DataFrame  # township, household_id of rows whose household is unknown


NO_ROLL = RollIdentities(
    pl.Series([], dtype=pl.String), pl.DataFrame(schema={"township": pl.String, "household_id": pl.String})
)


def roll_identities(conn: duckdb.DuckDBPyConnection) -> RollIdentities:
    """The month's `RollIdentities`, from `roll_m`."""
    unsound = query(
        conn,
        f"""SELECT DISTINCT coalesce(id_norm, id_raw) AS id_number FROM roll_m
            WHERE coalesce(id_norm, id_raw) IS NOT NULL AND (id_norm IS NULL OR id_status NOT IN ({ids.IDENTIFYING_SQL}))""",
    )
    unknown = query(conn, "SELECT DISTINCT township, household_id FROM roll_m WHERE household_key IS NULL")
    return RollIdentities(unsound["id_number"], unknown)


def with_identities(warnings: pl.DataFrame, roll: RollIdentities) -> pl.DataFrame:
    """`warnings` with `PERSON` and `HOUSEHOLD`: a person is their ID where it names one person,
    else their row (township, 户编号, name); a household is (乡镇, 户编号), else the person's own."""
    text = [pl.col(c).fill_null("") for c in ("township", "household_id", "name", "id_number")]
    sound = pl.col("id_number").is_not_null() & ~pl.col("id_number").is_in(roll.unsound_ids.implode())
    person = pl.when(sound).then(pl.col("id_number")).otherwise(pl.concat_str(text, separator=chr(31)))
    unknown = roll.unknown_households.with_columns(pl.lit(True).alias("_unknown"))
    marked = warnings.join(
        unknown, on=["township", "household_id"], how="left", nulls_equal=True, maintain_order="left"
    )
    household = (
        pl.when(pl.col("_unknown"))
        .then(pl.concat_str(pl.lit("person"), person, separator=chr(31)))
        .otherwise(pl.concat_str(text[:2], separator=chr(31)))
    )
    return marked.with_columns(person.hash().alias(PERSON), household.hash().alias(HOUSEHOLD)).drop("_unknown")


# The month's inputs are its roll and the extracts in force: not replies, not applicant lists (`hexiao check`).
_EXTRACTS = ", ".join(f"'{kind}'" for kind in EXTRACT_KINDS)


def build_summary(conn: duckdb.DuckDBPyConnection, month: str, warnings: pl.DataFrame) -> dict[str, Any]:
    """The content of summary.json (contract.md §4)."""
    inputs = query(
        conn,
        f"""
        SELECT file_name AS file, kind, sha256, rows_read, rows_loaded, rows_rejected, month
        FROM inputs WHERE (kind = 'roll' AND month = ?) OR (kind IN ({_EXTRACTS}) AND month <= ?)
        ORDER BY input_id
        """,
        [month, month],
    )
    roll_inputs = inputs.filter(pl.col("kind") == "roll")
    checked = fetch_one(conn, f"SELECT {_HOUSEHOLDS_CHECKED}, {_PERSONS_CHECKED}, {_UNKNOWN_HOUSEHOLDS} FROM roll_m")
    warned = with_identities(warnings, roll_identities(conn))
    # OMISSION rows are people on no roll: counted apart, not among the roll's warned persons.
    on_roll = warned.filter(pl.col("code") != "OMISSION")
    persons = pl.col(PERSON).n_unique().alias("persons")
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
        "households_unknown": int(checked[2]),
        "households_warned": on_roll[HOUSEHOLD].n_unique() if on_roll.height else 0,
        "persons_warned": on_roll[PERSON].n_unique() if on_roll.height else 0,
        "omissions": warned.height - on_roll.height,
        "warnings": warned.height,
        "by_code": by_code,
        "by_township": dict(sorted(by_township.items())),
        "overpayment_total": round(float(warned["overpayment"].fill_null(0).sum()), 2),
        **cycle_summary(conn, month, warnings),
        "suppressed": 0,
        "inputs": inputs.drop("month").to_dicts(),
    }


def warned_counts() -> list[pl.Expr]:
    """预警户数, 预警人数, 预警条数 and the amount to recover of a group of warnings (`with_identities`):
    a household or person warned for two reasons counts once."""
    return [
        pl.col(HOUSEHOLD).n_unique().alias("households_warned"),
        pl.col(PERSON).n_unique().alias("persons_warned"),
        pl.len().alias("warnings"),
        pl.col("overpayment").fill_null(0).sum().alias("overpayment"),
    ]


SUMMARY_HEADERS = {
    "township": "乡镇（街道）",
    "code": "预警代码",
    "label": "预警类型",
    "households_checked": "核对户数",
    "persons_checked": "核对人数",
    "households_warned": "预警户数",
    "persons_warned": "预警人数",
    "warnings": "预警条数",
    "overpayment": "应追回金额合计",
}
# The cycle's money per township × type, up to the month (`report.money`), after the counts.
RECOVERY_HEADERS = {"to_recover": "应追回金额", "recovered": "已追回金额", "outstanding": "未追回金额"}
TOTALS_LABEL = "合计"


def township_table(
    conn: duckdb.DuckDBPyConnection, warnings: pl.DataFrame, recovery: pl.DataFrame | None = None
) -> pl.DataFrame:
    """summary.csv: per township × warning type, households/persons checked and warned, sums; with
    `recovery` (`money.recovery_by_warning`), also its money (`RECOVERY_HEADERS`).

    Every township on the roll, and every township warnings name (the poverty-monitoring list's
    own, with nobody checked on the roll, or an earlier month's), has a row for every warning type."""
    checked = query(
        conn,
        f"""
        SELECT township, {_HOUSEHOLDS_CHECKED} AS households_checked, {_PERSONS_CHECKED} AS persons_checked
        FROM roll_m GROUP BY township
        """,
    )
    if PERSON not in warnings.columns:
        warnings = with_identities(warnings, roll_identities(conn))
    named = [warnings.select("township")] + ([recovery.select("township")] if recovery is not None else [])
    townships = pl.concat([checked.select("township"), *named]).unique()
    checked = townships.join(checked, on="township", how="left", nulls_equal=True)
    codes = pl.DataFrame({"code": list(LABELS), "label": list(LABELS.values())})
    grid = checked.join(codes, how="cross")
    warned = warnings.group_by("township", "code").agg(warned_counts())
    table = grid.join(warned, on=["township", "code"], how="left", nulls_equal=True).with_columns(
        pl.col("households_checked", "persons_checked", "households_warned", "persons_warned", "warnings")
        .fill_null(0)
        .cast(pl.Int64),
        money("overpayment").fill_null(0),
    )
    headers = dict(SUMMARY_HEADERS)
    if recovery is not None:
        sums = recovery.group_by("township", "code").agg(pl.col(MONEY_COLUMNS).sum())
        table = table.join(sums, on=["township", "code"], how="left", nulls_equal=True).with_columns(
            pl.col(c).fill_null(0).cast(pl.Decimal(12, 2)) for c in MONEY_COLUMNS
        )
        headers |= RECOVERY_HEADERS
    return table.sort("township", "code", nulls_last=True).select(pl.col(k).alias(v) for k, v in headers.items())


def totals_row(township: str | None, table: pl.DataFrame, warnings: pl.DataFrame) -> pl.DataFrame:
    """The 合计 row under a township's rows of `township_table`: households and persons checked as in
    each of its rows; those warned counted once however many types warn them (`warnings`: the
    township's, English names, with `with_identities`' columns; without them, every ID is taken as
    naming one person)."""
    if PERSON not in warnings.columns:
        warnings = with_identities(warnings, NO_ROLL)
    counts = warnings.select(warned_counts()).with_columns(money("overpayment")).row(0, named=True)
    checked = table.row(0, named=True) if table.height else {}
    row = {
        "乡镇（街道）": township,
        "预警代码": None,
        "预警类型": TOTALS_LABEL,
        "核对户数": checked.get("核对户数", 0),
        "核对人数": checked.get("核对人数", 0),
        **{SUMMARY_HEADERS[k]: v for k, v in counts.items()},
        # The cycle's money counts each warning once already: the township's rows add up.
        **{h: table[h].sum() for h in RECOVERY_HEADERS.values() if h in table.columns},
    }
    return pl.DataFrame([row], schema=table.schema)
