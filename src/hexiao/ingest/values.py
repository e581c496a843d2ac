"""Parsing the value formats of real exports: dates, months, amounts."""

from __future__ import annotations

from datetime import date

import polars as pl

_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts the non-existent 1900-02-29)


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Trimmed text; empty becomes null."""
    return expr.str.strip_chars().replace("", None)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """`2026-10-03`, `2026/10/3`, `20261003`, `2026年10月3日`, an Excel serial, with or without a time.

    Separators are unified first so one pattern parses the common forms in a single pass; a time
    after a space or `T` is cut off.
    """
    text = blank_to_null(expr).str.split_exact(" ", 1).struct.field("field_0").str.split_exact("T", 1)
    text = text.struct.field("field_0")
    unified = text.str.replace_all(r"[年月/.]", "-").str.strip_suffix("日")
    # A date cell read as its number: `45231`, `45231.0` where the reader kept the float, or
    # `45231.5` for a date with a time of day.
    serial = text.cast(pl.Float64, strict=False).floor().cast(pl.Int64, strict=False)
    from_serial = pl.when(serial.is_between(10000, 80000)).then(pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial))
    return pl.coalesce(
        unified.str.to_date("%Y-%m-%d", strict=False),
        pl.when(text.str.len_bytes() == 8).then(text.str.to_date("%Y%m%d", strict=False)),
        from_serial.cast(pl.Date),
    )


def parse_month(expr: pl.Expr) -> pl.Expr:
    """A month as `2019-03`, `201903`, `2019年3月`, `2019/3`, or any full date (an Excel date
    cell's serial `45231` too); → first day. Four digits and a month need a separator or exactly
    two digits: `45231` is a serial (2023-11-01), never the year 4523."""
    text = blank_to_null(expr).str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "")
    ym = text.str.extract_groups(r"^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
    year = ym.struct.field("1").cast(pl.Int32, strict=False)
    month = pl.coalesce(ym.struct.field("2"), ym.struct.field("3")).cast(pl.Int32, strict=False)
    valid = month.is_between(1, 12) & year.is_between(1900, 2100)
    # Clipped so that no invalid date is ever built, whichever rows polars evaluates `then` on.
    from_parts = pl.when(valid).then(pl.date(year.clip(1900, 2100), month.clip(1, 12), 1))
    return pl.coalesce(from_parts, parse_date(expr).dt.truncate("1mo"))


def parse_amount(expr: pl.Expr) -> pl.Expr:
    """`520`, `520.00`, `￥520`, `1,040.5 元` → 520.0; anything else → null."""
    text = blank_to_null(expr).str.normalize("NFKC").str.replace_all(r"[,\s元¥￥]", "")
    return text.cast(pl.Float64, strict=False)


def month_start(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)
