"""Pensions paid (养老金发放明细.xlsx) and provident-fund contributions (住房公积金缴存明细.csv): roll
households whose income the sample's standard (``STANDARD``, written to ``hexiao.toml``) makes
INCOME 停发, GRADUAL_EXIT 渐退 or INCOME 减发, their near-misses, and people on no roll.

Each planted household's income sits on whole households nobody else plants in, with sound 户编号
and IDs, so the truth can say what hexiao must recommend: the line is standard × members, the
roll's amount the members' sum. Near-misses: income within the 补差, an exempt benefit, a 特困
member, a pension or a job that ended before the recent window, a new job too small to matter.
The contributions of people on no roll go back two years, so the register dates a new job.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from hexiao_dev.sample.dates import month_text
from hexiao_dev.sample.people import CITY, COUNTY_NAME, KEY_HID, KEY_NONE, RURAL, TEKUN, Household, Person, quota
from hexiao_dev.sample.planting import (
    Ctx,
    age_on,
    negative,
    pick_households,
    stranger,
    warn,
    who_of,
    written_id,
    written_name,
)
from hexiao_dev.sample.settings import Value
from hexiao_dev.sample.writing import csv_bytes, titled_sheet

# The sample county's standards, 元/人/月 (above every roll amount the generator writes, ≤ 900).
STANDARD = {RURAL: 950, CITY: 1000}
GRADUAL_EXIT_MONTHS = 6  # hexiao's defaults, which the sample keeps
RECENT_MONTHS = 3
PENSION_FILE, PROVIDENT_FILE = "养老金发放明细.xlsx", "住房公积金缴存明细.csv"
PENSION_HEADER = ("姓名", "公民身份号码", "险种类型", "待遇项目", "发放金额", "发放年月")
PROVIDENT_HEADER = ("职工姓名", "证件号码", "单位名称", "缴存基数", "月缴存额", "汇缴年月")
_EMPLOYERS = ("建材有限公司", "物流有限公司", "商贸有限公司", "食品有限公司", "建筑工程有限公司", "电子科技有限公司")
_EXEMPT = ("高龄津贴", "伤残抚恤金", "重度残疾人护理补贴")


@dataclass
class Registers:
    pensions: list[tuple[str, str, str, str, float, int]]  # name, ID, insurance, benefit, amount, month
    contributions: list[tuple[str, str, str, float, int]]  # name, ID, employer, wage base, month


def _line(hh: Household) -> int:
    return STANDARD[hh.program] * len(hh.members)


def _paid(hh: Household) -> float:
    return sum(m.amount for m in hh.members) / 10


def _age(c: Ctx, p: Person) -> int:
    return age_on(p.birth, c.last)


def _elder(c: Ctx, hh: Household) -> Person | None:
    return next((m for m in hh.members if _age(c, m) >= 60), None)


def _worker(c: Ctx, hh: Household) -> Person | None:
    return next((m for m in hh.members if 20 <= _age(c, m) <= 55), None)


def _sound(hh: Household) -> bool:
    return hh.program in STANDARD and hh.key == KEY_HID and all(m.usable_id for m in hh.members)


def _pension(c: Ctx, r: Registers, p: Person, amount: float, months: range, benefit: str = "") -> None:
    company = c.rng.random() < 0.4
    insurance = "企业职工基本养老保险" if company else "城乡居民基本养老保险"
    benefit = benefit or ("基本养老金" if company else "基础养老金")
    for m in months:
        r.pensions.append((written_name(c.rng, p.name), written_id(c.rng, p.id18), insurance, benefit, amount, m))


def _job(c: Ctx, r: Registers, p: Person, wage: float, months: range) -> None:
    employer = COUNTY_NAME + c.rng.choice(("鑫源", "华安", "恒达", "顺发", "振兴")) + c.rng.choice(_EMPLOYERS)
    for m in months:
        r.contributions.append((written_name(c.rng, p.name), written_id(c.rng, p.id18), employer, wage, m))


def _households(c: Ctx, rate: float, least: int, role: str) -> list[tuple[Household, Person]]:
    pick = _elder if role == "elder" else _worker
    found = pick_households(c, quota(c.n, rate, least), lambda hh: _sound(hh) and pick(c, hh) is not None)
    return [(hh, p) for hh in found for p in [pick(c, hh)] if p is not None]


def plant_income(c: Ctx, seed: int) -> Registers:
    """Plant every case (drawing from a stream of its own) and the people on no roll."""
    c = replace(c, rng=random.Random(f"{seed}/income"))
    rng, m, r = c.rng, c.w.month, Registers([], [])
    recent = range(m - RECENT_MONTHS + 1, m + 1)
    nxt = month_text(m + 1)
    for hh, p in _households(c, 0.002, 2, "elder"):  # a pension above the line: 停发
        _pension(c, r, p, _line(hh) + rng.randint(30, 600) + 0.5 * rng.randint(0, 1), recent)
        warn(c, "INCOME", who_of(p), _where(c, hh), "停发", "中", nxt)
    for hh, p in _households(c, 0.002, 2, "worker"):  # a job of long standing above the line: 停发
        _job(c, r, p, _line(hh) + rng.randint(50, 900), range(m - 20, m))
        warn(c, "INCOME", who_of(p), _where(c, hh), "停发", "中", nxt)
    for hh, p in _households(c, 0.003, 3, "worker"):  # a job begun 1-4 months ago: 渐退
        start = m - rng.randint(1, 4)
        _job(c, r, p, _line(hh) + rng.randint(50, 900), range(start, m))
        warn(c, "GRADUAL_EXIT", who_of(p), _where(c, hh), "渐退", "低", month_text(start + GRADUAL_EXIT_MONTHS))
    for hh, p in _households(c, 0.002, 2, "elder"):  # within the line, above the 补差: 减发
        room = _line(hh) - _paid(hh)
        _pension(c, r, p, room + rng.randint(20, min(300, int(_paid(hh)) - 1)), recent)
        warn(c, "INCOME", who_of(p), _where(c, hh), "减发", "低", nxt)
    _plant_near_misses(c, r)
    _plant_strangers(c, r)
    return r


def _where(c: Ctx, hh: Household) -> tuple[str, str, str]:
    return c.w.townships[hh.township].name, hh.hid, hh.program


def _plant_near_misses(c: Ctx, r: Registers) -> None:
    rng, m = c.rng, c.w.month
    recent = range(m - RECENT_MONTHS + 1, m + 1)
    for hh, p in _households(c, 0.004, 2, "elder"):  # a pension within the 补差
        _pension(c, r, p, _line(hh) - _paid(hh) - rng.randint(10, 40), recent)  # room ≥ 50: > 0
        negative(c, "INCOME", who_of(p), "pension within the household's 补差")
    for i, (hh, p) in enumerate(_households(c, 0.002, 3, "elder")):  # exempt benefits
        benefit = _EXEMPT[i % len(_EXEMPT)]
        _pension(c, r, p, _line(hh) - _paid(hh) + rng.randint(20, 400), recent, benefit)
        negative(c, "INCOME", who_of(p), f"only {benefit}: not income")
    tekun = pick_households(c, quota(c.n, 0.001, 1), lambda hh: hh.program == TEKUN and hh.key != KEY_NONE)
    for hh in tekun:
        p = hh.members[0]
        if p.usable_id:
            _pension(c, r, p, 3000, recent)
            negative(c, "INCOME", who_of(p), "特困: no standard, not tested")
    for hh, p in _households(c, 0.001, 1, "elder"):  # a pension that stopped before the window
        _pension(c, r, p, _line(hh) + 300, range(m - 6, m - RECENT_MONTHS + 1))
        negative(c, "INCOME", who_of(p), "pension last paid before the recent window")
    for hh, p in _households(c, 0.001, 1, "worker"):  # a job that ended before the window
        _job(c, r, p, _line(hh) + 300, range(m - 14, m - RECENT_MONTHS))
        negative(c, "INCOME", who_of(p), "contributions ended before the recent window")
    for hh, p in _households(c, 0.001, 1, "worker"):  # a new job within the 补差
        _job(c, r, p, _line(hh) - _paid(hh) - rng.randint(10, 40), range(m - 2, m))
        negative(c, "GRADUAL_EXIT", who_of(p), "new job within the household's 补差")
        negative(c, "INCOME", who_of(p), "new job within the household's 补差")


def _plant_strangers(c: Ctx, r: Registers) -> None:
    """People on no roll: pensioners paid these three months, and contributors over two years."""
    rng, m = c.rng, c.w.month
    for _ in range(quota(c.n, 0.15, 10)):
        who = stranger(c, (1935, c.last.year - 60))
        amount = rng.randint(130, 4500) + 0.5 * rng.randint(0, 1)
        for month in range(m - RECENT_MONTHS + 1, m + 1):
            r.pensions.append((who.name, who.id18, "城乡居民基本养老保险", "基础养老金", amount, month))
    for _ in range(quota(c.n, 0.06, 10)):
        who = stranger(c, (c.last.year - 58, c.last.year - 20))
        start = m - rng.randint(1, 24)
        employer = COUNTY_NAME + rng.choice(("兴业", "宏达", "安康")) + rng.choice(_EMPLOYERS)
        wage = float(rng.randint(1900, 6500))
        for month in range(start, min(m, start + rng.randint(3, 24))):
            r.contributions.append((who.name, who.id18, employer, wage, month))


def _amount_text(rng: random.Random, amount: float) -> str:
    """As 人社 exports write it: 1,234.50, 1234.5 or 1234.50元."""
    style = rng.randrange(3)
    return (f"{amount:,.2f}", f"{amount:g}", f"{amount:.2f}元")[style]


def _month_text(rng: random.Random, index: int) -> str:
    year, mon = index // 12, index % 12 + 1
    return f"{year}{mon:02d}" if rng.random() < 0.7 else f"{year}年{mon}月"


def write_income(c: Ctx, seed: int, r: Registers, pension_path: Path, provident_path: Path) -> None:
    """The pensions as a titled workbook, the contributions as a CSV (GB18030), in a fixed order."""
    rng = random.Random(f"{seed}/income-writing")
    title = f"{COUNTY_NAME}社会保险待遇发放明细"
    workbook, sheet, text = titled_sheet(pension_path, c.w.month, "待遇发放", title, PENSION_HEADER)
    for row, (name, id_text, insurance, benefit, amount, month) in enumerate(sorted(r.pensions, key=_order), start=2):
        values = (name, id_text, insurance, benefit, _amount_text(rng, amount), _month_text(rng, month))
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, text if col == 1 else None)
    workbook.close()
    rows = [
        [name, id_text, employer, f"{wage:.2f}", f"{wage * 0.12:.2f}", _month_text(rng, month)]
        for name, id_text, employer, wage, month in sorted(r.contributions, key=lambda x: (x[4], x[1]))
    ]
    provident_path.write_bytes(csv_bytes([list(PROVIDENT_HEADER), *rows], "gb18030"))


def _order(row: tuple[str, str, str, str, float, int]) -> tuple[int, str]:
    return row[5], row[1]


def income_settings() -> dict[str, Value]:
    """[rules.income] for the sample's hexiao.toml."""
    return {"standard": {program: float(amount) for program, amount in STANDARD.items()}}
