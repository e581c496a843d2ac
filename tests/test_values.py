"""Dates and months as real exports write them: typed text, re-saved forms, and date cells read as
Excel serial numbers — which must never be taken for a year."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hexiao.ingest.values import parse_date, parse_month


@pytest.mark.parametrize(
    ("written", "month"),
    [
        ("2023-11", date(2023, 11, 1)),
        ("2023/3", date(2023, 3, 1)),
        ("2023年3月", date(2023, 3, 1)),
        ("2023.11", date(2023, 11, 1)),
        ("202311", date(2023, 11, 1)),
        ("2023-11-05", date(2023, 11, 1)),
        ("2023/11/5 0:00:00", date(2023, 11, 1)),
        ("45231", date(2023, 11, 1)),  # a date cell's serial: not the year 4523, month 1
        ("45231.0", date(2023, 11, 1)),
        ("45231.5", date(2023, 11, 1)),  # with a time of day
        ("202313", None),
        ("4523", None),
        ("", None),
    ],
)
def test_a_month_in_the_forms_offices_write_it(written: str, month: date | None) -> None:
    parsed = pl.select(parse_month(pl.lit(written, dtype=pl.String))).item()
    assert parsed == month


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-10-03", date(2026, 10, 3)),
        ("2026/10/3", date(2026, 10, 3)),
        ("20261003", date(2026, 10, 3)),
        ("2026年10月3日", date(2026, 10, 3)),
        ("46298", date(2026, 10, 3)),
        ("46298.0", date(2026, 10, 3)),
        ("2026-10-03T08:30:00", date(2026, 10, 3)),
        ("三月", None),
    ],
)
def test_a_date_in_the_forms_offices_write_it(written: str, day: date | None) -> None:
    assert pl.select(parse_date(pl.lit(written, dtype=pl.String))).item() == day
