"""Find which roll members the records of the extracts refer to.

All extracts are linked in one pass: their rows carry `kind`, and every decision that depends on
the other rows of an extract (leftovers, uniqueness, ambiguity) is taken per kind. The exact join
on the normalised ID is one DuckDB join; an ID from a numeric cell (`Excel数值损坏`: 15 digits and
zeros) never takes part, on either side. Same ID with another name is `身份证一致姓名不符` — unless
the ID ends in 000 and its first 15 digits and name are another member's: Excel zeroed that
member's ID, and only they are linked (contract.md §3). Everything else runs only on what that
join left over, inside blocks that make the fuzzy work grow with the leftovers:

- `身份证纠错`: IDs one substitution or adjacent swap apart. Two 18-character IDs that differ in
  one place agree on two of their three 6-character segments; an adjacent swap across a segment
  boundary keeps the rest. One equi-join per key (`_ID_EDIT_KEYS`) finds every candidate pair.
- first 15 digits (Excel numeric cells keep 15 significant digits) with a near-equal name.
- `姓名+出生日期`: a side without a usable ID, same county code, birth date and name.
- `姓名+地区码`: scientific-notation IDs keep only the county code: the name must be equal and
  unique in that county on both sides.

Names are then compared in tiers (`normalize.names`); ID-led candidates need a near-equal name.
"""

from __future__ import annotations

import duckdb
import polars as pl

from hexiao.frames import conform
from hexiao.matching import methods as m
from hexiao.normalize import ids
from hexiao.normalize.names import TIER_DIFFERENT, TIER_IDENTICAL, TIER_NORMALISED, TIER_SCORES, compare_names
from hexiao.store import PERSONS_SQL, query, spelled_id_sql, temp_table

SHAPED_STATUSES = (ids.VALID, ids.BAD_CHECK, ids.BAD_DATE, ids.BAD_REGION, ids.EXCEL_NUMERIC)
_SHAPED = ", ".join(f"'{s}'" for s in SHAPED_STATUSES)
# A numeric cell's ID is 15 digits and zeros: it may equal someone else's real ID (contract.md §2).
_UNTRUSTED_EXACT = ", ".join(f"'{s}'" for s in (ids.EXCEL_NUMERIC,))

MATCH_SCHEMA = {
    "kind": pl.String,
    "roll_key": pl.Int64,
    "ext_key": pl.Int64,
    "method": pl.String,
    "score": pl.Float64,
    "name_tier": pl.String,
    "note": pl.String,
}


def _bad(alias: str = "") -> str:
    """SQL: the row's ID is invalid, or ends in 000 (an Excel numeric cell)."""
    t = f"{alias}." if alias else ""
    return f"({t}id_status <> '{ids.VALID}' OR {t}id_key % 1100 = 0)"


_BAD = _bad()


# Every fuzzy pass needs a damaged or invalid ID on at least one side (two valid IDs one edit
# apart are two real people: MOD 11-2 catches every single substitution and adjacent swap). So
# each pass joins the few bad rows of one side against the other side's leftovers — and of those
# leftovers only the ones sharing a key with a bad row can take part, found in one scan (`_near`).
def _either_bad(select: str, on: str, where: str = "TRUE") -> str:
    """`select … FROM roll_near r JOIN ext_near e ON on WHERE where` for the pairs with a bad row
    on one side at least. Each side's bad rows are among its near rows, so one join gives what
    joining each side's bad rows to the other's near rows gives, with half the joins to plan."""
    return f"SELECT {select} FROM roll_near r JOIN ext_near e ON {on} WHERE ({_bad('r')} OR {_bad('e')}) AND {where}"


def _kept(left: int, right: int) -> str:
    """SQL: the ID's first `left` and last `right` characters as one integer, from `id_key`
    (17 digits × 11 + check value): `{t}` is the table alias."""
    right_base = 11 * 10 ** (right - 1)
    return f"({{t}}.id_key // {11 * 10 ** (17 - left)}) * {right_base} + {{t}}.id_key % {right_base}"


# Two IDs one substitution or adjacent swap apart agree on one of these keys. Each keeps 12 to 16
# of the 18 characters and always part of the sequence number or the birth day, so a key is rare
# enough to block a register of millions of rows (region + birth year and month alone, the first
# 12 characters, are shared by thousands).
_ID_EDIT_KEYS = (
    "{t}.id_key // 1100",  # the first 15: change in 16–18
    _kept(12, 3),  # change in 13–15
    _kept(14, 2),  # swap 15|16
    _kept(11, 5),  # swap 12|13
    _kept(6, 6),  # change in 7–12
    _kept(5, 11),  # swap 6|7
    "{t}.id_key % 1100000000000",  # the last 12: change in 1–6
)


def _edit_candidates() -> str:
    shaped = f"r.id_status IN ({_SHAPED}) AND e.id_status IN ({_SHAPED}) AND r.id_norm <> e.id_norm"
    shaped += f" AND (r.id_status <> '{ids.VALID}' OR e.id_status <> '{ids.VALID}')"
    joins = " UNION ".join(
        _either_bad("r.roll_key, e.ext_key", f"{k.format(t='r')} = {k.format(t='e')}", shaped) for k in _ID_EDIT_KEYS
    )
    return f"""
        SELECT c.roll_key, c.ext_key, '{m.ID_CORRECTED}' AS method,
               CASE WHEN hamming(r.id_norm, e.id_norm) = 1 THEN '身份证号一位不同' ELSE '身份证号相邻两位颠倒' END AS note,
               {m.SCORE_ID_CORRECTED} AS base
        FROM ({joins}) c
        JOIN roll_near r USING (roll_key) JOIN ext_near e USING (ext_key)
        WHERE hamming(r.id_norm, e.id_norm) = 1
           OR (hamming(r.id_norm, e.id_norm) = 2 AND damerau_levenshtein(r.id_norm, e.id_norm) = 1)
    """


# Two numeric cells of one ID are the same 15 digits and zeros: equal, yet matched here, not exactly.
_KEY15 = _either_bad(
    f"r.roll_key, e.ext_key, '{m.NAME_BIRTH}' AS method, '身份证号前15位一致（Excel数值损坏或后三位有误）' AS note, "
    f"{m.SCORE_KEY15} AS base",
    "r.id_key // 1100 = e.id_key // 1100",
    f"(r.id_norm <> e.id_norm OR r.id_status IN ({_UNTRUSTED_EXACT}) OR e.id_status IN ({_UNTRUSTED_EXACT}))",
)

_NAME_BIRTH = _either_bad(
    f"r.roll_key, e.ext_key, '{m.NAME_BIRTH}' AS method, '姓名、出生日期、地区码一致' AS note, {m.SCORE_NAME_BIRTH} AS base",
    "r.id_county = e.id_county AND r.id_birth = e.id_birth AND r.name_simp = e.name_simp",
    f"(r.id_status <> '{ids.VALID}' OR e.id_status <> '{ids.VALID}') AND r.id_norm <> e.id_norm",
)

# A scientific-notation ID in the extract matches only a name that is unique in its county on both
# sides (domain.md, Matching). Not the other way round: a roll row whose own ID is damaged would
# take any same-named stranger of its county with a full ID — that row gets BAD_ID instead, and
# once corrected matches exactly. Uniqueness is counted for the candidate (county, name) only.
_NAME_COUNTY = f"""
    WITH pairs AS (
        SELECT r.roll_key, e.ext_key, e.kind, r.id_county, r.name_simp
        FROM roll_near r JOIN ext_bad e ON r.id_county = e.id_county AND r.name_simp = e.name_simp
        WHERE e.id_status = '{ids.EXCEL_SCIENTIFIC}'
    ), wanted AS (SELECT DISTINCT kind, id_county, name_simp FROM pairs),
    roll_names AS (
        SELECT id_county, name_simp, {PERSONS_SQL} AS n
        FROM roll_all SEMI JOIN (SELECT DISTINCT id_county, name_simp FROM wanted) USING (id_county, name_simp)
        GROUP BY ALL
    ), ext_names AS (
        SELECT kind, id_county, name_simp, {PERSONS_SQL} AS n
        FROM ext_all SEMI JOIN wanted USING (kind, id_county, name_simp) GROUP BY ALL
    )
    SELECT p.roll_key, p.ext_key, '{m.NAME_COUNTY}' AS method,
           '身份证号为科学计数法，仅地区码可用；姓名在该县唯一' AS note, {m.SCORE_NAME_COUNTY} AS base
    FROM pairs p
    JOIN roll_names rn ON rn.id_county = p.id_county AND rn.name_simp = p.name_simp AND rn.n = 1
    JOIN ext_names en ON en.kind = p.kind AND en.id_county = p.id_county AND en.name_simp = p.name_simp AND en.n = 1
"""


def link(conn: duckdb.DuckDBPyConnection, roll_table: str, ext_table: str) -> pl.DataFrame:
    """Candidate links between `roll_table` (roll_key, person columns) and `ext_table` (kind,
    ext_key, person columns; `ext_key` unique across kinds).

    Returns one row per (roll_key, ext_key) with the extract's kind, the strongest method, its
    score and name tier.
    """
    conn.execute(f"CREATE OR REPLACE TEMP VIEW roll_all AS SELECT * FROM {roll_table}")
    conn.execute(f"CREATE OR REPLACE TEMP VIEW ext_all AS SELECT * FROM {ext_table}")
    exact = query(
        conn,
        f"""
        SELECT e.kind, r.roll_key, e.ext_key, '{m.EXACT_ID}' AS method,
               CASE WHEN e.id_from15 OR r.id_from15 THEN '15位旧身份证号转换为18位后一致' ELSE '身份证号一致' END AS note,
               r.name AS r_name, e.name AS e_name, r.name_simp AS r_simp, e.name_simp AS e_simp, r.id_status = '{ids.VALID}' AS id_valid,
               e.id_key AS e_key
        FROM roll_all r JOIN ext_all e ON r.id_key = e.id_key
        WHERE r.id_status IN ({_SHAPED}) AND r.id_status NOT IN ({_UNTRUSTED_EXACT})
          AND e.id_status NOT IN ({_UNTRUSTED_EXACT})
        """,
    )
    exact = _score_names(exact)
    # Same ID, name not near-equal: still a match (身份证一致姓名不符), scored by the names'
    # similarity in whole points below every stronger method. An ID that is itself invalid and
    # shared by chance carries nothing without the name.
    near = pl.col("name_tier").is_in(list(TIER_SCORES))
    exact = exact.filter(near | pl.col("id_valid")).with_columns(
        pl.when(near).then(pl.lit(m.EXACT_ID)).otherwise(pl.lit(m.NAME_DIFFERS)).alias("method"),
        pl.when(near)
        .then(pl.col("name_score"))
        .otherwise(pl.min_horizontal(pl.col("name_score").round(0), m.SCORE_NAME_DIFFERS_CAP))
        .alias("score"),
        pl.when(near).then(pl.col("name_tier")).otherwise(pl.lit(TIER_DIFFERENT)).alias("name_tier"),
    )
    exact = exact.filter(~pl.col("ext_key").is_in(_zeroed_elsewhere(conn, exact).implode()))
    temp_table(conn, "exact_keys", exact.select("kind", "roll_key", "ext_key"))
    _leftovers(conn)
    # A roll row matched exactly in an extract takes no fuzzy match in that extract (other extracts
    # may still need one): candidates are dropped per (roll row, kind).
    fuzzy = query(
        conn,
        f"""
        WITH c AS (
            SELECT * FROM ({_edit_candidates()}) UNION ALL SELECT * FROM ({_KEY15})
            UNION ALL SELECT * FROM ({_NAME_BIRTH}) UNION ALL SELECT * FROM ({_NAME_COUNTY})
        )
        SELECT e.kind, c.*, r.id_norm AS r_id, e.id_norm AS e_id, r.name AS r_name, e.name AS e_name, r.name_simp AS r_simp, e.name_simp AS e_simp
        FROM c JOIN roll_near r USING (roll_key) JOIN ext_near e USING (ext_key)
        WHERE NOT EXISTS (SELECT 1 FROM exact_keys x WHERE x.roll_key = c.roll_key AND x.kind = e.kind)
        """,
    )
    fuzzy = _score_names(fuzzy)
    fuzzy = fuzzy.filter(pl.col("name_tier").is_in(list(TIER_SCORES))).with_columns(
        (pl.col("base") - (100.0 - pl.col("name_score")) * m.NAME_SHORTFALL_WEIGHT).round(1).alias("score")
    )
    fuzzy = _unambiguous(fuzzy)
    combined = pl.concat(
        [exact.select(conform(MATCH_SCHEMA)), fuzzy.select(conform(MATCH_SCHEMA))], how="vertical_relaxed"
    )
    return _strongest_per_pair(combined)


# What the fuzzy passes read of a row: a register's other columns stay where they are.
_OTHER_LINK_COLUMNS = "name, name_simp, id_key, id_status, id_birth, id_county"
_LINK_COLUMNS = f"{_OTHER_LINK_COLUMNS}, id_norm"


def _zeroed_elsewhere(conn: duckdb.DuckDBPyConnection, exact: pl.DataFrame) -> pl.Series:
    """The extract records (`ext_key`) of 身份证一致姓名不符 links that another roll member explains
    better (contract.md §3): the ID ends in 000 and its first 15 digits and near-equal name are
    another member's. Excel zeroed that member's last three digits; that the result is someone
    else's real ID is chance. These records leave the exact links, so the same-ID member is not
    linked, and go to the fuzzy passes, which link them on the first 15 digits and the name."""
    differs = pl.col("method") == m.NAME_DIFFERS
    # A record that some member with the same ID and a near-equal name explains is theirs already.
    named = exact.filter(pl.col("method") == m.EXACT_ID)["ext_key"].implode()
    # `id_key` is the 17 digits × 11 + the check value: ending in 000 is `% 1100 == 0`, and
    # `// 1100` is the first 15 digits.
    suspects = exact.filter(differs & (pl.col("e_key") % 1100 == 0) & ~pl.col("ext_key").is_in(named))
    suspects = suspects.select("ext_key", "e_key", "e_name", "e_simp")
    if suspects.is_empty():
        return pl.Series("ext_key", [], pl.Int64)
    temp_table(conn, "zeroed_suspects", suspects.unique())
    others = query(
        conn,
        """
        SELECT z.ext_key, r.name AS r_name, z.e_name, r.name_simp AS r_simp, z.e_simp
        FROM zeroed_suspects z JOIN roll_all r ON r.id_key // 1100 = z.e_key // 1100 AND r.id_key <> z.e_key
        """,
    )
    others = _score_names(others).filter(pl.col("name_tier").is_in(list(TIER_SCORES)))
    return others["ext_key"].unique()


def _near(side: str, keys: str, bad: str, extra: str = "") -> str:
    """Rows of `side` that are bad themselves or share a fuzzy key with a row of `bad`: one scan of
    the register, each key probing a hash table of the few bad rows."""
    shares = [f"{k.format(t='s')} IN (SELECT {k.format(t='b')} FROM {bad} b)" for k in _ID_EDIT_KEYS]
    shares.append(
        f"EXISTS (SELECT 1 FROM {bad} b WHERE b.id_county = s.id_county AND b.id_birth = s.id_birth "
        "AND b.name_simp = s.name_simp)"
    )
    if extra:
        shares.append(extra)
    # The ID is spelled only for the rows kept: over a register's every row it cost most of the scan.
    kept = f"SELECT {keys}, {_OTHER_LINK_COLUMNS}, id_text FROM {side} s WHERE {_BAD} OR {' OR '.join(shares)}"
    return f"SELECT {keys}, {_OTHER_LINK_COLUMNS}, {spelled_id_sql('id_text')} AS id_norm FROM ({kept})"


def _leftovers(conn: duckdb.DuckDBPyConnection) -> None:
    """Temp tables `roll_bad`, `ext_bad` (bad rows) and `roll_near`, `ext_near` (rows that may pair
    with a bad row of the other side; they include the side's bad rows). Extract rows matched
    exactly are left out here; roll rows only per kind, in `link`."""
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE roll_bad AS SELECT roll_key, {_LINK_COLUMNS} FROM roll_all WHERE {_BAD}"
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE ext_near AS "
        f"SELECT * FROM ({_near('ext_all', 'ext_key, kind', 'roll_bad')}) ANTI JOIN exact_keys USING (ext_key)"
    )
    conn.execute(f"CREATE OR REPLACE TEMP TABLE ext_bad AS SELECT * FROM ext_near WHERE {_BAD}")
    # A scientific-notation ID in the extract also pairs by (county, name) (`_NAME_COUNTY`).
    sci = f"EXISTS (SELECT 1 FROM ext_bad b WHERE b.id_status = '{ids.EXCEL_SCIENTIFIC}' AND b.id_county = s.id_county AND b.name_simp = s.name_simp)"
    conn.execute(f"CREATE OR REPLACE TEMP TABLE roll_near AS {_near('roll_all', 'roll_key', 'ext_bad', sci)}")


def _score_names(pairs: pl.DataFrame) -> pl.DataFrame:
    """Name tier and score per pair: equality in Polars, pinyin and rapidfuzz only on the rest."""
    identical = pl.col("r_name") == pl.col("e_name")
    normalised = pl.col("r_simp") == pl.col("e_simp")
    pairs = pairs.with_columns(
        pl.when(identical)
        .then(pl.lit(TIER_IDENTICAL))
        .when(normalised)
        .then(pl.lit(TIER_NORMALISED))
        .alias("name_tier")
    )
    rest = pairs.filter(pl.col("name_tier").is_null()).select("r_simp", "e_simp").unique()
    compared = [compare_names(None, None, a, b) for a, b in rest.iter_rows()]
    lookup = rest.with_columns(
        pl.Series("rest_tier", [c.tier for c in compared], pl.String),
        pl.Series("rest_score", [c.score for c in compared], pl.Float64),
    )
    pairs = pairs.join(lookup, on=["r_simp", "e_simp"], how="left", nulls_equal=True)
    return pairs.with_columns(
        pl.coalesce("name_tier", "rest_tier").alias("name_tier"),
        pl.col("name_tier")
        .replace_strict(TIER_SCORES, default=None, return_dtype=pl.Float64)
        .fill_null(pl.col("rest_score"))
        .fill_null(0.0)
        .alias("name_score"),
    ).drop("rest_tier", "rest_score")


def _unambiguous(fuzzy: pl.DataFrame) -> pl.DataFrame:
    """A fuzzy record with two equally good candidates is no match at all: keep the best only
    when it is the only one of its rank on both sides."""
    fuzzy = fuzzy.with_columns(pl.col("method").replace_strict(m.RANK, return_dtype=pl.Int32).alias("rank"))
    fuzzy = fuzzy.sort(["rank", "score"], descending=[False, True]).unique(["roll_key", "ext_key"], keep="first")
    best_ext = fuzzy.filter(pl.col("rank") == pl.col("rank").min().over("ext_key"))
    best_ext = best_ext.filter(pl.col("r_id").n_unique().over("ext_key") == 1)
    best_roll = best_ext.filter(pl.col("rank") == pl.col("rank").min().over("roll_key", "kind"))
    return best_roll.filter(pl.col("e_id").n_unique().over("roll_key", "kind") == 1)


def _strongest_per_pair(links: pl.DataFrame) -> pl.DataFrame:
    links = links.with_columns(pl.col("method").replace_strict(m.RANK, return_dtype=pl.Int32).alias("rank"))
    links = links.sort(["rank", "score"], descending=[False, True]).unique(["roll_key", "ext_key"], keep="first")
    return links.drop("rank").sort("roll_key", "ext_key")
