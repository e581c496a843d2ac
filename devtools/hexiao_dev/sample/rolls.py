"""The three main roll files (城市低保 CSV, 农村低保 workbook, 特困供养 CSV): how clerks write the
members' names and IDs, and each file's own mess.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hexiao_dev.sample.dates import month_text, ym_label
from hexiao_dev.sample.ids import excel_numeric, excel_sci, to_legacy15, zero_fill_passes_check
from hexiao_dev.sample.names import COMMON_NAMES, MINORITY_NAMES, ODD_DOTS, RARE_CHARS
from hexiao_dev.sample.people import (
    CITY,
    COUNTY_NAME,
    NUMERIC_CELL,
    RURAL,
    SCI_TEXT,
    TEKUN,
    Household,
    Person,
    World,
    quota,
    shuffled,
    take,
)
from hexiao_dev.sample.writing import csv_bytes, new_workbook, padded

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


def numeric_hid_township(w: World) -> int:
    """The township whose sheet of the 农村低保 workbook has its 户编号 typed into General (number)
    cells: the smallest with at least six rural households of two or more (else the largest), so
    the damage is seen without swamping the month's warnings."""
    counts = [0] * len(w.townships)
    for hh in w.households:
        if hh.program == RURAL and len(hh.members) > 1:
            counts[hh.township] += 1
    enough = [t for t, n in enumerate(counts) if n >= 6]
    if not enough:
        return counts.index(max(counts))
    return min(enough, key=lambda t: (counts[t], t))


def damage_household_ids(w: World) -> None:
    """Where a spreadsheet destroyed 户编号: one township's sheet of the 农村低保 workbook (numeric
    cells) and the whole 特困供养 CSV (re-saved by Excel: scientific notation)."""
    numeric = numeric_hid_township(w)
    for hh in w.households:
        if hh.program == TEKUN:
            hh.hid_damage = SCI_TEXT
        elif hh.program == RURAL and hh.township == numeric:
            hh.hid_damage = NUMERIC_CELL


def assign_roll_ids(w: World) -> None:
    """Decide, per person, how the roll writes the ID; each person gets at most one kind of mess."""
    n = len(w.persons)
    pool = shuffled(w)
    used: set[int] = set()
    n_rural = sum(1 for p in w.persons if p.household.program == RURAL)
    n_x = sum(1 for p in w.persons if p.id18.endswith("X"))
    # Households of the damaged 户编号 sheet whose head's ID is a numeric cell too: no sound key is
    # left, so a member's death can only be 入户核查. Their other members keep sound IDs.
    damaged = [hh for hh in w.households if hh.hid_damage == NUMERIC_CELL and len(hh.members) > 1]
    heads = [hh.members[0] for hh in damaged if not hh.members[0].common]
    for p in take(heads, quota(len(damaged), 0.05, 2), lambda p: True, used):
        p.id_state = "xlsx_numeric"
    # Heavy damage spares the common names: decoys reuse those names and must stay unmatchable.
    plans: list[tuple[str, int, Callable[[Person], bool]]] = [
        # Numeric cells whose zero-filled ID is 有效 all the same: never to be trusted as exact.
        (
            "xlsx_numeric",
            quota(n_rural, 0.002, 2),
            lambda p: not p.common and p.household.program == RURAL and zero_fill_passes_check(p.id18),
        ),
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


def hid_text(hh: Household) -> str:
    """户编号 as the file shows it: a CSV re-saved by Excel keeps six significant digits (3.40421E+15)."""
    return f"{int(hh.hid):.5E}" if hh.hid_damage == SCI_TEXT else hh.hid


def hid_cell(hid: str) -> float:
    """What an XLSX numeric cell keeps of a 16-digit 户编号 typed into it: 15 significant digits."""
    return float(f"{int(hid):.15g}")


def write_tekun_csv(w: World, path: Path) -> None:
    """GBK, a title row padded with commas as Excel saves a merged title, synonyms with odd spacing,
    and 户编号 in scientific notation (the file went through Excel)."""
    rows = []
    for p in _members(w, TEKUN):
        row = _roll_row(w, p)
        row[2] = hid_text(p.household)
        rows.append(row)
    title = padded(f"{COUNTY_NAME}特困供养人员花名册", len(TEKUN_HEADER))
    path.write_bytes(csv_bytes([title, list(TEKUN_HEADER), *rows], "gbk"))


RURAL_NOTES = (
    "填报说明",
    "1. 本表按乡镇（街道）分工作表填报，每个乡镇一张工作表。",
    "2. 身份证号码请设为文本格式，不要使用科学计数法。",
    "3. 家庭编号由县民政局统一编制，请勿改动。",
    f"{COUNTY_NAME}民政局",
)


def rural_sheets(w: World) -> list[int]:
    """The townships of the 农村低保 workbook's sheets, in township order."""
    return sorted({p.household.township for p in _members(w, RURAL)})


def township_column_absent(w: World, as_sent: bool) -> int | None:
    """The township whose sheet has no 乡镇 column (its name is the sheet's): the last sheet that is
    not the numeric-户编号 one; none unless `as_sent`."""
    if not as_sent:
        return None
    damaged = {hh.township for hh in w.households if hh.hid_damage == NUMERIC_CELL}
    candidates = [t for t in rural_sheets(w) if t not in damaged]
    return candidates[-1] if candidates else None


def write_rural_xlsx(w: World, path: Path, as_sent: bool = False) -> None:
    """The county workbook: a 说明 sheet without a header, then one sheet per township, each with a
    merged title, synonym headers, text IDs (a few numeric) and a 合计 row. With `as_sent` one sheet
    has no 乡镇 column (the sheet's name is the township); one holds 户编号 as numeric cells, and the largest a
    blank row where two pastes met."""
    workbook = new_workbook(path, w.month)
    bold = workbook.add_format({"bold": True, "align": "center"})
    text = workbook.add_format({"num_format": "@"})
    notes = workbook.add_worksheet("说明")
    for r, line in enumerate(RURAL_NOTES):
        notes.write_string(r, 0, line)
    members = _members(w, RURAL)
    by_town = {t: [p for p in members if p.household.township == t] for t in rural_sheets(w)}
    largest = max(by_town, key=lambda t: (len(by_town[t]), -t))
    without_town = township_column_absent(w, as_sent)
    for t, people in by_town.items():
        town = w.townships[t].name
        skip = 1 if t == without_town else 0  # the 乡镇 column left out
        header = RURAL_HEADER[skip:]
        sheet = workbook.add_worksheet(town)
        sheet.merge_range(0, 0, 0, len(header) - 1, f"{town}{ym_label(w.month)}农村低保花名册", bold)
        sheet.write_row(1, 0, header, bold)
        sheet.set_column(4 - skip, 6 - skip, 22, text)
        r, total = 2, 0
        for i, p in enumerate(people):
            if t == largest and i == len(people) // 2:
                r += 1  # the blank row someone left when pasting two sheets together
            _write_rural_row(sheet, r, w, p, text, skip)
            total += p.amount
            r += 1
        sheet.write_string(r, 0, "合计")
        sheet.write_number(r, 10 - skip, total / 10)
    workbook.close()


def _write_rural_row(sheet: Any, r: int, w: World, p: Person, text: Any, skip: int) -> None:
    values = _roll_row(w, p)[skip:]
    head = p.household.members[0]
    for i, value in enumerate(values):
        c = i + skip  # the column in ROLL_HEADER's order
        numeric = (c == 4 and head.id_state == "xlsx_numeric") or (c == 6 and p.id_state == "xlsx_numeric")
        if numeric:
            # What Excel does to an ID typed into a General cell: 15 significant digits survive.
            sheet.write_number(r, i, float(value))
        elif c == 2 and p.household.hid_damage == NUMERIC_CELL:
            sheet.write_number(r, i, hid_cell(value))
        elif c == 10:
            sheet.write_number(r, i, p.amount / 10)
        else:
            sheet.write_string(r, i, value, text)
