"""The three main roll files (城市低保 CSV, 农村低保 workbook, 特困供养 CSV): how clerks write the
members' names and IDs, and each file's own mess.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hexiao.sample.dates import month_text, ym_label
from hexiao.sample.ids import excel_numeric, excel_sci, to_legacy15
from hexiao.sample.names import COMMON_NAMES, MINORITY_NAMES, ODD_DOTS, RARE_CHARS
from hexiao.sample.people import CITY, COUNTY_NAME, RURAL, TEKUN, Person, World, quota, shuffled, take
from hexiao.sample.writing import csv_bytes, padded, titled_sheet

ROLL_HEADER = (
    "乡镇（街道）",
    "村（社区）",
    "户编号",
    "户主姓名",
    "户主身份证号",
    "姓名",
    "身份证号",
    "与户主关系",
    "保障类别",
    "保障级别",
    "月保障金额",
    "保障起始年月",
)
RURAL_HEADER = (
    "乡镇",
    "村",
    "家庭编号",
    "户主",
    "户主身份证号码",
    "成员姓名",
    "公民身份号码",
    "关系",
    "救助类别",
    "类别(A/B/C)",
    "保障金额",
    "起始年月",
)
TEKUN_HEADER = ("乡镇(街道)", *ROLL_HEADER[1:6], "身 份 证 号", *ROLL_HEADER[7:])

_FULLWIDTH_TABLE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _same_sex_and_surname(male: bool, surname: str) -> Callable[[Person], bool]:
    return lambda p: p.male == male and p.name[0] == surname


def assign_special_names(w: World) -> None:
    """Common full names shared by several people, minority names, characters outside GBK."""
    pool = shuffled(w)
    used: set[int] = set()
    per_name = quota(len(w.persons), 0.0005, 2)
    for name, male in COMMON_NAMES:
        for p in take(pool, per_name, _same_sex_and_surname(male, name[0]), used):
            p.name, p.common = name, True
    minority = take(pool, quota(len(w.persons), 0.001, 2), lambda q: q.exotic_ok, used)
    for p in minority:
        p.name = w.rng.choice([n for n, m in MINORITY_NAMES if m == p.male])
    for p in take(pool, quota(len(w.persons), 0.0005, 2), lambda q: q.exotic_ok, used):
        p.name = p.name[0] + w.rng.choice(("", p.name[-1])) + w.rng.choice(RARE_CHARS)


def _roll_id_text(rng: random.Random, id18: str, state: str) -> str:
    if state == "spaces":
        return rng.choice((f" {id18} ", f"{id18} ", f"  {id18}"))
    if state == "apostrophe":
        return "'" + id18
    if state == "lowerx":
        return id18[:-1] + "x"
    if state == "fullwidth":
        return id18.translate(_FULLWIDTH_TABLE)
    if state == "legacy15":
        return to_legacy15(id18)
    if state == "roll_typo":
        return id18[:17] + rng.choice([c for c in "0123456789X" if c != id18[17]])
    if state == "sci":
        return excel_sci(id18)
    if state == "xlsx_numeric":
        return excel_numeric(id18)
    return id18


def assign_roll_ids(w: World) -> None:
    """Decide, per person, how the roll writes the ID; each person gets at most one kind of mess."""
    n = len(w.persons)
    pool = shuffled(w)
    used: set[int] = set()
    n_rural = sum(1 for p in w.persons if p.household.program == RURAL)
    n_x = sum(1 for p in w.persons if p.id18.endswith("X"))
    # Heavy damage spares the common names: decoys reuse those names and must stay unmatchable.
    plans: list[tuple[str, int, Callable[[Person], bool]]] = [
        ("roll_typo", quota(n, 0.002, 3), lambda p: not p.common),
        ("sci", quota(n, 0.001, 1), lambda p: not p.common and p.household.program != RURAL),
        ("xlsx_numeric", quota(n_rural, 0.003, 1), lambda p: not p.common and p.household.program == RURAL),
        ("legacy15", quota(n, 0.003, 2), lambda p: p.birth.year < 2000),
        ("spaces", quota(n, 0.01, 1), lambda p: True),
        ("apostrophe", quota(n, 0.01, 1), lambda p: True),
        ("lowerx", quota(n_x, 0.3, 1), lambda p: p.id18.endswith("X")),
        ("fullwidth", quota(n, 0.003, 1), lambda p: True),
    ]
    for state, k, pred in plans:
        for p in take(pool, k, pred, used):
            p.id_state = state
    for p in w.persons:
        p.roll_id_raw = _roll_id_text(w.rng, p.id18, p.id_state)
        if p.id_state == "roll_typo":
            w.used_ids.add(p.roll_id_raw)  # so no planted typo lands on a roll typo


def _is_plain(p: Person) -> bool:
    return "·" not in p.name


def assign_roll_names(w: World) -> None:
    """Names as clerks type them: inner spaces, full-width spaces, stray padding, odd middle dots."""
    for p in w.persons:
        p.roll_name_raw = p.name
    n = len(w.persons)
    pool = shuffled(w)
    used: set[int] = set()
    for p in take(pool, quota(n, 0.005, 1), _is_plain, used):
        p.roll_name_raw = p.name[0] + " " + p.name[1:]
    for p in take(pool, quota(n, 0.003, 1), _is_plain, used):
        p.roll_name_raw = p.name[0] + "\u3000" + p.name[1:]
    for p in take(pool, quota(n, 0.005, 1), _is_plain, used):
        p.roll_name_raw = w.rng.choice((f" {p.name}", f"{p.name} ", f"{p.name}\u3000"))
    for p in w.persons:
        if not _is_plain(p) and w.rng.random() < 0.5:
            p.roll_name_raw = p.name.replace("·", w.rng.choice(ODD_DOTS))


def amount_text(rng: random.Random, tenths: int) -> str:
    whole, frac = divmod(tenths, 10)
    if rng.random() < 0.3:
        return f"{whole}.{frac}0"
    return f"{whole}.{frac}" if frac else str(whole)


def start_text(rng: random.Random, start: int) -> str:
    text = month_text(start)
    return text if rng.random() < 0.7 else text.replace("-", "")


def _roll_row(w: World, p: Person) -> list[str]:
    hh = p.household
    town = w.townships[hh.township]
    head = hh.members[0]
    return [
        town.name,
        town.villages[hh.village],
        hh.hid,
        head.name,
        head.roll_id_raw,
        p.roll_name_raw,
        p.roll_id_raw,
        p.relation,
        hh.program,
        hh.level,
        amount_text(w.rng, p.amount),
        start_text(w.rng, hh.start),
    ]


def _members(w: World, program: str) -> list[Person]:
    return [p for hh in w.households if hh.program == program for p in hh.members]


def write_city_csv(w: World, path: Path) -> None:
    """UTF-8 with BOM, canonical header, and the header repeated once in the middle (pasted pages)."""
    rows = [_roll_row(w, p) for p in _members(w, CITY)]
    rows.insert(len(rows) // 2, list(ROLL_HEADER))
    path.write_bytes(csv_bytes([list(ROLL_HEADER), *rows], "utf-8-sig"))


def write_tekun_csv(w: World, path: Path) -> None:
    """GBK, a title row padded with commas as Excel saves a merged title, synonyms with odd spacing."""
    rows = [_roll_row(w, p) for p in _members(w, TEKUN)]
    title = padded(f"{COUNTY_NAME}特困供养人员花名册", len(TEKUN_HEADER))
    path.write_bytes(csv_bytes([title, list(TEKUN_HEADER), *rows], "gbk"))


def write_rural_xlsx(w: World, path: Path) -> None:
    """Merged title, synonym headers, text IDs (a few numeric), a blank row and a 合计 row."""
    title = f"{COUNTY_NAME}{ym_label(w.month)}农村低保花名册"
    workbook, sheet, text = titled_sheet(path, w.month, "农村低保", title, RURAL_HEADER)
    sheet.set_column(4, 6, 22, text)
    members = _members(w, RURAL)
    r = 2
    total = 0
    for i, p in enumerate(members):
        if i == len(members) // 2:
            r += 1  # the blank row someone left when pasting two sheets together
        _write_rural_row(sheet, r, w, p, text)
        total += p.amount
        r += 1
    sheet.write_string(r, 0, "合计")
    sheet.write_number(r, 10, total / 10)
    workbook.close()


def _write_rural_row(sheet: Any, r: int, w: World, p: Person, text: Any) -> None:
    values = _roll_row(w, p)
    head = p.household.members[0]
    for c, value in enumerate(values):
        numeric = (c == 4 and head.id_state == "xlsx_numeric") or (c == 6 and p.id_state == "xlsx_numeric")
        if numeric:
            # What Excel does to an ID typed into a General cell: 15 significant digits survive.
            sheet.write_number(r, c, float(value))
        elif c == 10:
            sheet.write_number(r, c, p.amount / 10)
        else:
            sheet.write_string(r, c, value, text)
