"""Months as indices (year * 12 + month - 1), the days in them, random dates, and the spellings dates
take in real extracts.
"""

from __future__ import annotations

import datetime as dt
import random

EARLIEST_START = 2010 * 12  # 2010-01 as a month index


def parse_month(text: str) -> int:
    try:
        year, mon = (int(part) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"month must look like 2026-11, got {text!r}") from None
    if not (1 <= mon <= 12 and 1990 <= year <= 2100) or len(text) != 7:
        raise ValueError(f"month must look like 2026-11, got {text!r}")
    return year * 12 + mon - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def first_day(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def last_day(index: int) -> dt.date:
    return first_day(index + 1) - dt.timedelta(days=1)


def month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def random_day(rng: random.Random, index: int) -> dt.date:
    first = first_day(index)
    return first + dt.timedelta(days=rng.randrange((last_day(index) - first).days + 1))


def random_birth(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    lo = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(lo, dt.date(last_year, 12, 31).toordinal()))


def date_text(rng: random.Random, day: dt.date) -> str:
    """One of the date spellings real extracts mix (contract §2)."""
    return date_spelling(rng.randrange(4), day)


def date_spelling(style: int, day: dt.date) -> str:
    """Spelling 0-3 of a day: 2026-11-05, 2026/11/5, 20261105, 2026年11月5日."""
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if style == 2:
        return f"{day.year:04d}{day.month:02d}{day.day:02d}"
    return f"{day.year}年{day.month}月{day.day}日"


def ym_label(index: int) -> str:
    return f"{index // 12}年{index % 12 + 1}月"
