"""The three extra roll files (孤儿和事实无人抚养儿童, 高龄津贴, this month's new households) and the
warnings planted through them: DUPLICATE, AGE_OUT and AGE_INVALID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hexiao_dev.sample.dates import EARLIEST_START, month_of, month_text, random_birth, ym_label
from hexiao_dev.sample.people import (
    CITY,
    COUNTY_CODE,
    COUNTY_NAME,
    RURAL,
    TEKUN,
    base_amount,
    household_id,
    pick_program,
    quota,
    random_level,
)
from hexiao_dev.sample.planting import (
    CHECK,
    Ctx,
    Who,
    age_on,
    any_village,
    day_between,
    far,
    fast_light_id,
    member_at,
    negative,
    newcomer,
    of_age,
    pick,
    warn,
    who_of,
)
from hexiao_dev.sample.rolls import ROLL_HEADER, amount_text, start_text
from hexiao_dev.sample.writing import csv_bytes, padded, with_blank

ORPHAN, UNSUPPORTED, ELDERLY = "孤儿", "事实无人抚养儿童", "高龄津贴"

ORPHAN_HEADER = ("乡镇", "村", "户编号", "户主姓名", "户主身份证号", "姓名", "身份证号码", "与户主关系", "保障类型",
                 "保障级别", "发放金额", "享受起始时间")  # fmt: skip
ELDERLY_COLUMNS = (0, 1, 2, 5, 6, 8, 9, 10, 11)  # a per-person roll: no head, no relation
ELDERLY_HEADER = ("乡镇（街道）", "村（社区）", "户编号", "姓名", "公民身份号码", "保障类别", "保障级别", "月保障金额",
                  "保障起始年月")  # fmt: skip


@dataclass(eq=False)
class RollRow:
    """One row of a new roll file."""

    town: int
    village: int
    hid: str
    head: Who
    who: Who
    relation: str
    program: str
    level: str
    amount: int  # tenths of a yuan
    start: int


def _row_at(c: Ctx, r: RollRow) -> tuple[str, str, str]:
    return c.w.townships[r.town].name, r.hid, r.program


def plant_rolls(c: Ctx) -> tuple[list[RollRow], list[RollRow], list[RollRow]]:
    """The rows of the three files (orphans, elderly, added households), their warnings and negatives."""
    _plant_tekun_minors(c)
    orphans: list[RollRow] = []
    elderly: list[RollRow] = []
    added: list[RollRow] = []
    _plant_orphans(c, orphans)
    _plant_elderly(c, elderly)
    _plant_duplicates(c, orphans, added)
    _plant_newcomers(c, added)
    for r in added:
        if r.program == TEKUN:
            _age_out(c, r.who, r.start, _row_at(c, r), True)
    return orphans, elderly, added


def _new_hid(c: Ctx, t: int, v: int) -> str:
    c.serial[(t, v)] += 1
    return household_id(t, v, c.serial[(t, v)])


def _own_hid(c: Ctx, prefix: str) -> str:
    c.counters[prefix] += 1
    return f"{prefix}{COUNTY_CODE}{c.counters[prefix]:05d}"


def _adult_birth(c: Ctx, first: int = 1945, last: int = 1990) -> dt.date:
    return random_birth(c.rng, first, min(last, c.w.month // 12 - 20))


def _child_birth(c: Ctx, month18: int) -> dt.date:
    """Born so that the 18th birthday falls in month18 (never on the 29th-31st: no leap-day doubt)."""
    born = month18 - 18 * 12
    return dt.date(born // 12, born % 12 + 1, c.rng.randint(1, 28))


def _child_row(c: Ctx, who: Who, program: str, t: int) -> RollRow:
    rng = c.rng
    level = rng.choice(("散居", "集中养育")) if program == ORPHAN else "散居"
    start = rng.randint(max(month_of(who.birth) + 1, EARLIEST_START), c.w.month - 1)
    return RollRow(
        t, any_village(c, t), _own_hid(c, "GE"), who, who, "本人", program, level, rng.randint(1100, 1500) * 10, start
    )


def _age_out(c: Ctx, who: Who, start: int, where: tuple[str, str, str], minor_only: bool) -> bool:
    """AGE_OUT truth: payment stops from the month after the 18th birthday.

    特困 rows count only for members who joined by the month of their 18th birthday and whose stop
    month lies within the last 12 months (hexiao's minor_programs and minor_review_months); they are
    re-assessed as adults, so a reached stop month asks for 入户核查 rather than 停发.
    """
    month, adult = c.w.month, month_of(who.birth) + 18 * 12
    stop = adult + 1
    if stop > month + 3 or (minor_only and (start > adult or stop <= month - 12)):
        return False
    action = "提前告知" if stop > month else "入户核查" if minor_only else "停发"
    warn(c, "AGE_OUT", who, where, action, effective=month_text(stop))
    return True


def _plant_orphans(c: Ctx, rows: list[RollRow]) -> None:
    """Children past 18 (停发), turning 18 within the notice window (提前告知), and younger ones."""
    rng, month = c.rng, c.w.month
    k_out, k_notice, k_young = quota(c.n, 0.001, 2), quota(c.n, 0.001, 2), quota(c.n, 0.004, 3)
    months = [month - 1 if i == 0 else month - rng.randint(1, 8) for i in range(k_out)]
    months += [month + (2, 0)[i] if i < 2 else month + rng.randint(0, 2) for i in range(k_notice)]
    months += [month + 3 if i == 0 else month + rng.randint(4, 16 * 12) for i in range(k_young)]
    for i, month18 in enumerate(months):
        t = rng.randrange(len(c.w.townships))
        row = _child_row(c, newcomer(c, _child_birth(c, month18)), (ORPHAN, UNSUPPORTED)[i % 2], t)
        rows.append(row)
        if not _age_out(c, row.who, row.start, _row_at(c, row), False):
            stop = month_of(row.who.birth) + 18 * 12 + 1
            negative(c, "AGE_OUT", row.who, f"stop month {month_text(stop)} is beyond the 3-month notice window")


def _plant_elderly(c: Ctx, rows: list[RollRow]) -> None:
    """高龄津贴: mostly 80+; a few under 80 (AGE_INVALID); edges on the last day of the month."""
    rng, last = c.rng, c.last
    k_ok, k_bad = quota(c.n, 0.02, 4), quota(c.n, 0.001, 2)
    eightieth = dt.date(last.year - 80, last.month, last.day)  # born then: exactly 80 on the last day
    births = [eightieth if i == 0 else day_between(rng, dt.date(last.year - 99, 1, 1), eightieth) for i in range(k_ok)]
    young = eightieth + dt.timedelta(days=1)  # 80 on the first day of next month: still 79
    births += [young if i == 0 else day_between(rng, young, dt.date(last.year - 70, 1, 1)) for i in range(k_bad)]
    for i, birth in enumerate(births):
        t = rng.randrange(len(c.w.townships))
        who = newcomer(c, birth)
        rows.append(_elderly_row(c, who, t, any_village(c, t), _own_hid(c, "GL")))
        if age_on(who.birth, last) < 80:
            warn(c, "AGE_INVALID", who, _row_at(c, rows[-1]), "数据更正")
        elif i == 0:
            negative(c, "AGE_INVALID", who, "turns 80 on the last day of the month")
    for p in pick(c, quota(c.n, 0.0005, 1), lambda q: q.household.program != TEKUN and of_age(c, 81)(q)):
        hh = p.household
        rows.append(_elderly_row(c, who_of(p), hh.township, hh.village, hh.hid))
        negative(c, "DUPLICATE", who_of(p), "also on 高龄津贴 in the same household: compatible programmes")
    for p in pick(c, 1, lambda q: q.name not in c.w.reserved_names and age_on(q.birth, last) < 75):
        who = newcomer(c, day_between(rng, dt.date(last.year - 95, 1, 1), dt.date(last.year - 81, 1, 1)), p.male)
        while not far(who.id18, p.id18):
            who = newcomer(c, who.birth, p.male)
        t = rng.randrange(len(c.w.townships))
        rows.append(_elderly_row(c, Who(p.name, who.id18, p.male), t, any_village(c, t), _own_hid(c, "GL")))
        negative(c, "DUPLICATE", who_of(p), "another person of the same name (other ID) is on 高龄津贴")


def _elderly_row(c: Ctx, who: Who, t: int, v: int, hid: str) -> RollRow:
    age = age_on(who.birth, c.last)
    level, yuan = ("100周岁以上", 300) if age >= 100 else ("90-99周岁", 100) if age >= 90 else ("80-89周岁", 50)
    turned, month = month_of(who.birth) + 80 * 12, c.w.month  # paid from the month of the 80th birthday
    start = c.rng.randint(min(max(turned, EARLIEST_START, month - 60), month), month)
    return RollRow(t, v, hid, who, who, "本人", ELDERLY, level, yuan * 10, start)


def _household_row(c: Ctx, t: int, head: Who, program: str) -> RollRow:
    """A household added this month (or last): the template its members' rows are made from."""
    rng = c.rng
    v = any_village(c, t)
    level = random_level(rng, program)
    return RollRow(t, v, _new_hid(c, t, v), head, head, "户主", program, level, 0, c.w.month - rng.randint(0, 1))


def _with(c: Ctx, r: RollRow, who: Who, relation: str) -> RollRow:
    amount = base_amount(c.rng, r.program, r.level)
    return RollRow(r.town, r.village, r.hid, r.head, who, relation, r.program, r.level, amount, r.start)


def _plant_duplicates(c: Ctx, orphans: list[RollRow], added: list[RollRow]) -> None:
    """One person on two rows: two households, two townships, 低保 × 特困, 孤儿 × 特困, 孤儿 × 事实无人抚养儿童."""
    rng, w = c.rng, c.w
    k = quota(c.n, 0.0008, 1)
    dibao = (CITY, RURAL)
    pairs: list[tuple[tuple[str, str, str], Who, RollRow]] = []
    for p in pick(c, k, lambda q: q.household.program in dibao and of_age(c)(q)):
        hh = p.household
        head = newcomer(c, _adult_birth(c), not p.male)
        first = _household_row(c, hh.township, head, hh.program)
        added += [_with(c, first, head, "户主"), _with(c, first, who_of(p), "配偶")]
        pairs.append((member_at(c, p), who_of(p), added[-1]))
    for p in pick(c, k, lambda q: q.household.program in dibao and of_age(c)(q)):
        hh = p.household
        others = [t for t in range(len(w.townships)) if t != hh.township]
        row = _with(c, _household_row(c, rng.choice(others), who_of(p), hh.program), who_of(p), "户主")
        added.append(row)
        pairs.append((member_at(c, p), who_of(p), row))
    for p in pick(c, k, lambda q: q.household.program == TEKUN and of_age(c, 30)(q)):
        t = p.household.township
        program = CITY if w.townships[t].urban else RURAL
        added.append(_with(c, _household_row(c, t, who_of(p), program), who_of(p), "户主"))
        pairs.append((member_at(c, p), who_of(p), added[-1]))
    for i in range(2 * k):  # young children: 孤儿 × 特困, then 孤儿 × 事实无人抚养儿童
        t = rng.randrange(len(w.townships))
        child = newcomer(c, _child_birth(c, w.month + rng.randint(4 * 12, 13 * 12)))
        first = _child_row(c, child, ORPHAN, t)
        if i < k:
            other = _with(c, _household_row(c, t, child, TEKUN), child, "本人")
            added.append(other)
        else:
            other = _child_row(c, child, UNSUPPORTED, t)
        orphans += [first] if i < k else [first, other]
        pairs.append((_row_at(c, first), child, other))
    for where, who, row in pairs:
        warn(c, "DUPLICATE", who, where, CHECK, "高")
        warn(c, "DUPLICATE", who, _row_at(c, row), CHECK, "高")


def _plant_newcomers(c: Ctx, added: list[RollRow]) -> None:
    """Ordinary households added this month: nobody else's row, no warning."""
    rng = c.rng
    for _ in range(quota(len(c.w.households), 0.01, 3)):
        t = rng.randrange(len(c.w.townships))
        program = pick_program(rng, c.w.townships[t].urban)
        head = newcomer(c, _adult_birth(c, 1940, 1975) if program == TEKUN else _adult_birth(c))
        first = _household_row(c, t, head, program)
        added.append(_with(c, first, head, "户主"))
        if program != TEKUN and rng.random() < 0.6:
            added.append(_with(c, first, newcomer(c, _adult_birth(c), not head.male), "配偶"))


def _plant_tekun_minors(c: Ctx) -> None:
    """AGE_OUT for 特困 members who joined as minors (hexiao's minor_programs): the roll has them already."""
    for p in c.w.persons:
        hh = p.household
        if hh.program == TEKUN and _age_out(c, who_of(p), hh.start, member_at(c, p), True):
            c.w.taken.add(p.pid)


def _roll_values(c: Ctx, r: RollRow) -> list[str]:
    rng, town = c.rng, c.w.townships[r.town]
    head_id, own_id = (fast_light_id(rng, x) if rng.random() < 0.07 else x for x in (r.head.id18, r.who.id18))
    amount, start = amount_text(rng, r.amount), start_text(rng, r.start)
    return [town.name, town.villages[r.village], r.hid, r.head.name, head_id, r.who.name, own_id, r.relation,
            r.program, r.level, amount, start]  # fmt: skip


def write_rolls(
    c: Ctx,
    rows: tuple[list[RollRow], list[RollRow], list[RollRow]],
    paths: list[Path],
    parent_header: Sequence[str] = (),
    children: Sequence[Sequence[str]] = (),
) -> None:
    """The three roll files; the children's roll with the `parent_header` columns (blank on its own
    rows) and the rows of `children` (`children.plant_children`) after its own."""
    orphans, elderly, added = rows
    body = [[*_roll_values(c, r), *[""] * len(parent_header)] for r in orphans]
    paths[0].write_bytes(csv_bytes([[*ORPHAN_HEADER, *parent_header], *body, *children], "utf-8"))
    body = [[v for i, v in enumerate(_roll_values(c, r)) if i in ELDERLY_COLUMNS] for r in elderly]
    title = padded(f"{COUNTY_NAME}{ym_label(c.w.month)}高龄津贴发放花名册", len(ELDERLY_HEADER))
    paths[1].write_bytes(csv_bytes([title, list(ELDERLY_HEADER), *with_blank(body, 0.6)], "gb18030"))
    body = [_roll_values(c, r) for r in added]
    paths[2].write_bytes(csv_bytes([list(ROLL_HEADER), *body], "utf-8-sig"))
