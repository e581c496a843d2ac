"""Citizen ID numbers (GB 11643-1999): normalise, convert 15→18, validate, classify damage.

Everything is a Polars expression so a roll of millions of rows is normalised in one pass;
`normalize_id` runs the same code on one value for tests and messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

import polars as pl

# Statuses written to the store and shown in BAD_ID evidence.
VALID = "有效"
EMPTY = "空"
BAD_LENGTH = "长度或字符错误"
BAD_REGION = "地区码无效"
BAD_DATE = "出生日期无效"
BAD_CHECK = "校验位错误"
EXCEL_NUMERIC = "Excel数值损坏"  # numeric cell: 15 significant digits kept, then zeros
EXCEL_SCIENTIFIC = "科学计数法损坏"  # `3.40421E+17`: only the leading digits survive
# An ID that names one person: valid, or with one slip of typing (check digit, date, region). A
# damaged one (an Excel number keeps 15 digits) may be two people's, a blank or malformed one nobody's.
IDENTIFYING = (VALID, BAD_CHECK, BAD_DATE, BAD_REGION)
IDENTIFYING_SQL = ", ".join(f"'{status}'" for status in IDENTIFYING)  # for `id_status IN (…)`

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# First-level codes: provinces, 71 Taiwan, 81/82/83 residence permits (HK, Macao, Taiwan).
# Foreigners' permanent-residence IDs (2023 form) start with 9 and are accepted by first digit.
PROVINCE_CODES = (
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83"
).split()

_FULLWIDTH = [chr(0xFF10 + i) for i in range(10)] + ["Ｘ", "ｘ", "．", "Ｅ", "ｅ", "＋"]
_HALFWIDTH = [str(i) for i in range(10)] + ["X", "X", ".", "E", "E", "+"]
# Spaces of every width, zero-width characters, BOM, apostrophes and quotes that exporters and
# Excel users put in front of an ID to keep it text.
_JUNK_CHARS = r"[\s\u200b\u200c\u200d\u2060\ufeff'‘’`\"“”]"
_SCIENTIFIC = r"^([0-9])(?:\.([0-9]+))?E\+?([0-9]+)$"
# A number of 16 digits or more with a decimal point was a float: only 15 of its digits are known.
_DOTTED_LONG = r"^([0-9]{16,})\.[0-9]*$"
# A float is sure of 15 significant digits (all Excel keeps); the rest of an expanded number is noise.
FLOAT_DIGITS = 15


def check_digit(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


# The 17 digits in groups of three (the last of two): each group's share of the MOD 11-2 sum is
# looked up in a table of its values (1,000 for three digits). Twelve divisions and six lookups
# instead of 34 divisions, and 64-bit divisions were what the sum cost (county vehicle IDs: 70 ->
# 25 ms).
_DIGIT_GROUPS = ((0, 3), (3, 3), (6, 3), (9, 3), (12, 3), (15, 2))


@cache
def _group_sums() -> tuple[pl.Series, ...]:
    """Per digit group, the weighted sum of every value the group can hold (index = the value)."""
    tables = []
    for start, width in _DIGIT_GROUPS:
        sums = [0]
        for weight in WEIGHTS[start : start + width]:  # one more digit to the right at a time
            sums = [total + digit * weight for total in sums for digit in range(10)]
        tables.append(pl.Series(sums, dtype=pl.UInt16))
    return tuple(tables)


def _weighted_digit_sum(number: pl.Expr) -> pl.Expr:
    """The MOD 11-2 sum of the 17 digits of `number` (an integer of at most 17 digits)."""
    return pl.sum_horizontal(
        pl.lit(sums).gather(((number // 10 ** (17 - start - width)) % 10**width).cast(pl.UInt32))
        for (start, width), sums in zip(_DIGIT_GROUPS, _group_sums(), strict=True)
    )


def _add_check_char(frame: pl.LazyFrame, body17: pl.Expr, out: str) -> pl.LazyFrame:
    """Column `out`: the MOD 11-2 check character of `body17` (null unless it is 17 digits).

    The digits are read from the string parsed once as an integer, a column of its own.
    """
    number, total = f"{out}_number", f"{out}_total"
    parsed = body17.cast(pl.UInt64, strict=False)
    frame = frame.with_columns(pl.when(body17.str.contains(r"^[0-9]{17}$")).then(parsed).alias(number))
    frame = frame.with_columns(_weighted_digit_sum(pl.col(number)).alias(total))
    check = pl.lit(CHECK_CHARS).str.slice((pl.col(total) % 11).cast(pl.Int64), 1)
    return frame.with_columns(pl.when(pl.col(number).is_not_null()).then(check).alias(out)).drop(number, total)


def _clean(raw: pl.Expr) -> pl.Expr:
    return (
        raw.cast(pl.String).str.replace_many(_FULLWIDTH, _HALFWIDTH).str.replace_all(_JUNK_CHARS, "").str.to_uppercase()
    )


ID_OUTPUTS = ("norm", "status", "birth", "county", "from15", "key")


def _id_key(text: pl.Expr) -> pl.Expr:
    """An 18-character ID as one integer: the 17 digits times 11 plus the check character's value
    (X = 10). Exact and order-free, so joins and one-edit keys are integer arithmetic in DuckDB
    instead of string slicing over millions of rows."""
    return text.str.slice(0, 17).cast(pl.Int64, strict=False) * 11 + text.str.slice(17, 1).cast(
        pl.Int64, strict=False
    ).fill_null(10)


def add_id_columns(frame: pl.DataFrame, raw: str, prefix: str = "id") -> pl.DataFrame:
    """Add `<prefix>_norm`, `_status`, `_birth`, `_county`, `_from15` and `_key` (`_id_key`, for an
    ID of 18 characters) for column `raw`."""
    return add_id_columns_of(frame, {raw: prefix})


_STACKED = "_ids_stacked"


def add_id_columns_of(frame: pl.DataFrame, columns: Mapping[str, str]) -> pl.DataFrame:
    """`add_id_columns` for several ID columns (raw column → prefix), such as a member's ID and the
    household head's: they are normalised as one column, so each pass is run once, not per column.

    Almost every ID in a real extract is already 18 clean characters: those take a short path
    (check digit, birth date, region), and only the rest go through the whole clean-up, their
    results scattered back into place. Both paths classify a tidy ID the same way.
    """
    if not columns:
        return frame
    stacked = pl.concat([frame.select(pl.col(raw).alias(_STACKED)) for raw in columns])
    tidy = stacked[_STACKED].str.contains(r"^[0-9]{17}[0-9X]$").fill_null(False)
    result = _tidy_id_columns(stacked, _STACKED, "id")
    untidy = tidy.not_().arg_true()
    if untidy.len():
        repaired = _full_id_columns(stacked[untidy], _STACKED, "id")
        result = result.with_columns(
            result[f"id_{name}"].scatter(untidy, repaired[f"id_{name}"]) for name in ID_OUTPUTS
        )
    rows = frame.height
    return frame.with_columns(
        result[f"id_{name}"].slice(index * rows, rows).alias(f"{prefix}_{name}")
        for index, prefix in enumerate(columns.values())
        for name in ID_OUTPUTS
    )


def _tidy_id_columns(frame: pl.DataFrame, raw: str, prefix: str) -> pl.DataFrame:
    """The short path, exact for IDs of 17 digits and a digit or X; the rest are overwritten.

    Integers throughout: the 17 digits parsed once give the check value, compared with the last
    character's value (X = 10), and the key; no check character is spelled as text.
    """
    number, last, birth = (f"_{prefix}_{name}" for name in ("number", "last", "birth"))
    text = pl.col(raw)
    lazy = frame.lazy().with_columns(
        text.str.slice(0, 17).cast(pl.UInt64, strict=False).alias(number),
        pl.when(text.str.ends_with("X"))
        .then(pl.lit(10, pl.Int64))
        .otherwise(text.str.slice(17, 1).cast(pl.Int64, strict=False))
        .alias(last),
        text.str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias(birth),
    )
    check_value = (12 - _weighted_digit_sum(pl.col(number)) % 11) % 11  # CHECK_CHARS[total % 11], X as 10
    region = text.str.slice(0, 2).is_in(PROVINCE_CODES) | text.str.starts_with("9")
    birth_ok = pl.col(birth).is_not_null() & (pl.col(birth).dt.year() >= 1800) & (pl.col(birth) <= pl.lit(date.today()))
    status = (
        pl.when(~region)
        .then(pl.lit(BAD_REGION))
        .when(~birth_ok)
        .then(pl.lit(BAD_DATE))
        .when(check_value.cast(pl.Int64) == pl.col(last))
        .then(pl.lit(VALID))
        .when(text.str.ends_with("000"))
        .then(pl.lit(EXCEL_NUMERIC))
        .otherwise(pl.lit(BAD_CHECK))
    )
    return (
        lazy.with_columns(
            text.alias(f"{prefix}_norm"),
            status.alias(f"{prefix}_status"),
            pl.when(birth_ok).then(pl.col(birth)).alias(f"{prefix}_birth"),
            pl.when(region).then(text.str.slice(0, 6)).alias(f"{prefix}_county"),
            pl.lit(False).alias(f"{prefix}_from15"),
            (pl.col(number).cast(pl.Int64) * 11 + pl.col(last)).alias(f"{prefix}_key"),
        )
        .drop(number, last, birth)
        .collect()
    )


def _full_id_columns(frame: pl.DataFrame, raw: str, prefix: str = "id") -> pl.DataFrame:
    """The whole clean-up: spaces, width, apostrophes, `.0`, scientific notation, 15 → 18.

    `_norm` is the normalised ID (18 characters when it can be), `_county` the six-digit area code
    whenever it survives (also from scientific notation). A number written as a float — an XLSX
    numeric cell (`3.40421199001017e+17` as `grid` reads it), a float of 17 significant digits
    (`3.4042119900101203e+17`), a long number with a decimal point — is sure of 15 significant
    digits only: the rest become zeros and the ID is `EXCEL_NUMERIC` whatever its check digit, which
    then passes about one time in eleven by chance. A 15-digit number is exact (an old ID).
    Built in stages of plain columns: one nested expression would repeat every sub-expression many
    times over.
    """
    clean, mant, expo, sci, full = (f"_{prefix}_{n}" for n in ("clean", "mant", "expo", "sci", "full"))
    text, is15, shaped, birth, ok = (f"_{prefix}_{n}" for n in ("text", "is15", "shaped", "birth", "ok"))
    region, check, dotted, numeric = (f"_{prefix}_{n}" for n in ("region", "check", "dotted", "numeric"))
    lazy = frame.lazy().with_columns(_clean(pl.col(raw)).alias(clean))
    lazy = lazy.with_columns(
        (pl.col(clean).str.extract(_SCIENTIFIC, 1) + pl.col(clean).str.extract(_SCIENTIFIC, 2).fill_null("")).alias(
            mant
        ),
        pl.col(clean).str.extract(_SCIENTIFIC, 3).cast(pl.Int32, strict=False).alias(expo),
        pl.col(clean).str.extract(_DOTTED_LONG, 1).alias(dotted),
    )
    # A float that kept 15+ significant digits is a numeric cell: expand it back to digits.
    lazy = lazy.with_columns(pl.col(mant).is_not_null().alias(sci)).with_columns(
        (pl.col(sci) & (pl.col(mant).str.len_chars() >= 15) & (pl.col(expo) + 1 >= pl.col(mant).str.len_chars()))
        .fill_null(False)
        .alias(full)
    )
    lazy = lazy.with_columns(
        ((pl.col(full) & (pl.col(expo) + 1 > FLOAT_DIGITS)) | pl.col(dotted).is_not_null())
        .fill_null(False)
        .alias(numeric),
        pl.when(pl.col(full))
        .then(pl.col(mant).str.pad_end(pl.col(expo) + 1, "0"))
        .otherwise(pl.coalesce(dotted, pl.col(clean).str.replace(r"\.0+$", "")))
        .alias(text),
    )
    lazy = lazy.with_columns(
        pl.when(pl.col(numeric))
        .then(pl.col(text).str.slice(0, FLOAT_DIGITS).str.pad_end(pl.col(text).str.len_chars(), "0"))
        .otherwise(pl.col(text))
        .alias(text)
    ).with_columns(pl.col(text).str.contains(r"^[0-9]{15}$").fill_null(False).alias(is15))
    # A 15-digit ID gains "19" before its birth year and a check character: the first 17 characters
    # of every ID are known before any check character is computed, so one pass computes them all.
    body17 = pl.col(text).str.slice(0, 6) + "19" + pl.col(text).str.slice(6, 9)
    lazy = _add_check_char(lazy, pl.when(pl.col(is15)).then(body17).otherwise(pl.col(text).str.slice(0, 17)), check)
    lazy = lazy.with_columns(pl.when(pl.col(is15)).then(body17 + pl.col(check)).otherwise(pl.col(text)).alias(text))
    lazy = lazy.with_columns(
        pl.col(text).str.contains(r"^[0-9]{17}[0-9X]$").fill_null(False).alias(shaped),
        pl.col(text).str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias(birth),
        (pl.col(text).str.slice(0, 2).is_in(PROVINCE_CODES) | pl.col(text).str.starts_with("9"))
        .fill_null(False)
        .alias(region),
        (pl.col(check) == pl.col(text).str.slice(17, 1)).fill_null(False).alias(check),
    ).with_columns(
        (pl.col(birth).is_not_null() & (pl.col(birth).dt.year() >= 1800) & (pl.col(birth) <= pl.lit(date.today())))
        .fill_null(False)
        .alias(ok)
    )
    status = (
        pl.when(pl.col(text).is_null() | (pl.col(text) == ""))  # also `.0` alone
        .then(pl.lit(EMPTY))
        .when(pl.col(sci) & ~pl.col(full))
        .then(pl.lit(EXCEL_SCIENTIFIC))
        .when(~pl.col(shaped))
        .then(pl.lit(BAD_LENGTH))
        .when(pl.col(numeric))
        .then(pl.lit(EXCEL_NUMERIC))
        .when(~pl.col(region))
        .then(pl.lit(BAD_REGION))
        .when(~pl.col(ok))
        .then(pl.lit(BAD_DATE))
        .when(pl.col(check))
        .then(pl.lit(VALID))
        .when(pl.col(text).str.ends_with("000"))
        .then(pl.lit(EXCEL_NUMERIC))
        .otherwise(pl.lit(BAD_CHECK))
    )
    county = (
        pl.when(pl.col(sci) & ~pl.col(full))
        .then(pl.when(pl.col(mant).str.len_chars() >= 6).then(pl.col(mant).str.slice(0, 6)))
        .when(pl.col(shaped) & pl.col(region))
        .then(pl.col(text).str.slice(0, 6))
    )
    lazy = lazy.with_columns(
        pl.when(pl.col(text) == "").then(None).otherwise(pl.col(text)).alias(f"{prefix}_norm"),
        status.alias(f"{prefix}_status"),
        pl.when(pl.col(shaped) & pl.col(ok)).then(pl.col(birth)).alias(f"{prefix}_birth"),
        county.alias(f"{prefix}_county"),
        (pl.col(is15) & pl.col(shaped)).alias(f"{prefix}_from15"),
        pl.when(pl.col(shaped)).then(_id_key(pl.col(text))).alias(f"{prefix}_key"),
    )
    columns = (clean, mant, expo, sci, full, text, is15, shaped, birth, ok, region, check, dotted, numeric)
    return lazy.drop(*columns).collect()


@dataclass(frozen=True)
class IdInfo:
    norm: str | None
    status: str
    birth: date | None
    county: str | None
    from15: bool
    key: int | None

    @property
    def valid(self) -> bool:
        return self.status == VALID

    @property
    def key15(self) -> str | None:
        """The first 15 digits, all an Excel numeric cell keeps (for an ID of 18 characters)."""
        return self.norm[:15] if self.key is not None and self.norm else None


def normalize_id(raw: str | None) -> IdInfo:
    """Normalise one ID with the same expressions used on whole tables."""
    frame = add_id_columns(pl.DataFrame({"raw": [raw]}, schema={"raw": pl.String}), "raw").drop("raw")
    return IdInfo(*frame.row(0))
