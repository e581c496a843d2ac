"""Cremation rows and the two cremation extracts (a GBK CSV and a workbook), including the junk
rows a loader must reject.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hexiao_dev.sample.dates import date_text, first_day, last_day, month_of, random_birth, random_day, ym_label
from hexiao_dev.sample.names import random_name
from hexiao_dev.sample.people import (
    COUNTY_CODE,
    COUNTY_NAME,
    OTHER_COUNTY_NAME,
    VILLAGE_STEMS,
    Household,
    World,
    new_id,
)
from hexiao_dev.sample.writing import csv_bytes, new_workbook, write_id_cell

FUNERAL_HOMES = ((f"{COUNTY_NAME}殡仪馆", 85), (f"{OTHER_COUNTY_NAME}殡仪馆", 10), ("淮南市殡仪馆", 5))
CREMATION_HEADER = ("逝者姓名", "逝者身份证号", "性别", "死亡日期", "火化日期", "殡仪馆", "户籍地址")
CREMATION_XLSX_HEADER = ("姓名", "身份证号码", "死亡时间", "火化时间", "火化单位")


@dataclass(eq=False)
class CremRow:
    name: str
    id_raw: str
    male: bool | None
    death: dt.date | None
    crem: dt.date | None
    home: str
    address: str
    to_xlsx: bool
    numeric_id: bool = False  # xlsx only: the ID is a number cell (Excel kept 15 digits)
    death_text: str = ""  # junk rows: a date no parser can read


def _address(w: World, hh: Household | None) -> str:
    if hh is None:
        if w.rng.random() < 0.15:
            return f"安徽省{OTHER_COUNTY_NAME}{w.rng.choice(VILLAGE_STEMS)}村"
        town = w.rng.choice(w.townships)
        return f"安徽省{COUNTY_NAME}{town.name}{w.rng.choice(town.villages)}"
    town = w.townships[hh.township]
    return f"安徽省{COUNTY_NAME}{town.name}{town.villages[hh.village]}"


def _home(rng: random.Random) -> str:
    return rng.choices([h for h, _ in FUNERAL_HOMES], [wt for _, wt in FUNERAL_HOMES])[0]


def crem_row(w: World, name: str, id_raw: str, male: bool, death: dt.date, hh: Household | None) -> CremRow:
    """A cremation row; sometimes 死亡日期 is missing and only 火化日期 is left."""
    crem = death + dt.timedelta(days=w.rng.choice((0, 1, 1, 2, 2, 3, 4)))
    to_xlsx = w.rng.random() < 0.2
    row = CremRow(name, id_raw, male, death, crem, _home(w.rng), _address(w, hh), to_xlsx)
    if w.rng.random() < 0.05:
        row.crem = min(crem, last_day(month_of(death)))  # keep the death's month recoverable
        row.death = None
    return row


def junk_rows(w: World) -> list[CremRow]:
    """Rows a loader must reject: no name and no ID; an unreadable date and no other date."""
    day = random_day(w.rng, w.month - 1)
    nameless = CremRow("", "", None, day, day, _home(w.rng), "", False)
    male = w.rng.random() < 0.5
    id18 = new_id(w, random_birth(w.rng, 1935, 1960), male, COUNTY_CODE)
    name = random_name(w.rng, male, w.reserved_names)
    undated = CremRow(name, id18, male, None, None, _home(w.rng), _address(w, None), False, death_text="不详")
    return [nameless, undated]


def sort_rows(rows: list[CremRow], w: World) -> list[CremRow]:
    # Extracts come sorted by cremation date; the sort is stable, so equal dates keep their order.
    fallback = first_day(w.month)
    return sorted(rows, key=lambda row: row.crem or row.death or fallback)


def _crem_csv_values(rng: random.Random, row: CremRow) -> list[str]:
    sex = "" if row.male is None else ("男" if row.male else "女")
    death = row.death_text or (date_text(rng, row.death) if row.death else "")
    crem = date_text(rng, row.crem) if row.crem else ""
    return [row.name, row.id_raw, sex, death, crem, row.home, row.address]


def route_to_workbook(rows: list[CremRow]) -> None:
    """A GBK file cannot hold a name outside GBK (rare characters): such rows go to the workbook."""
    for row in rows:
        try:
            (row.name + row.address).encode("gbk")
        except UnicodeEncodeError:
            row.to_xlsx = True


def write_cremation_csv(w: World, rows: list[CremRow], junk: list[CremRow], path: Path) -> None:
    """GBK, a bare title line (no padding commas) above the header, and three junk rows."""
    body: list[list[str]] = [_crem_csv_values(w.rng, row) for row in rows]
    body.insert(len(body) // 3, [])
    body.insert(len(body) // 2, _crem_csv_values(w.rng, junk[0]))
    body.insert(2 * len(body) // 3, _crem_csv_values(w.rng, junk[1]))
    title = [f"{COUNTY_NAME}殡仪馆火化信息"]
    path.write_bytes(csv_bytes([title, list(CREMATION_HEADER), *body], "gbk"))


def _write_date_cell(sheet: Any, r: int, c: int, day: dt.date | None, rng: random.Random, fmt: Any) -> None:
    if day is None:
        return
    if rng.random() < 0.4:
        sheet.write_datetime(r, c, dt.datetime.combine(day, dt.time()), fmt)
    else:
        sheet.write_string(r, c, date_text(rng, day))


def write_cremation_xlsx(w: World, rows: list[CremRow], path: Path) -> None:
    workbook = new_workbook(path, w.month)
    sheet = workbook.add_worksheet("Sheet1")
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, CREMATION_XLSX_HEADER)
    sheet.set_column(1, 1, 22)
    for r, row in enumerate(rows, start=1):
        sheet.write_string(r, 0, row.name)
        write_id_cell(sheet, r, 1, row.id_raw, row.numeric_id, text)
        _write_date_cell(sheet, r, 2, row.death, w.rng, date_fmt)
        _write_date_cell(sheet, r, 3, row.crem, w.rng, date_fmt)
        sheet.write_string(r, 4, row.home)
    workbook.close()


def cremation_csv_name(month: int) -> str:
    prev = month - 1
    if prev // 12 == month // 12:
        return f"{month // 12}年{prev % 12 + 1}-{month % 12 + 1}月火化数据.csv"
    return f"{ym_label(prev)}-{ym_label(month)}火化数据.csv"
