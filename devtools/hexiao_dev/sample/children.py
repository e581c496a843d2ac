"""Children's guardians and adoptions: 事实无人抚养儿童 whose parent leaves custody (GUARDIAN_RETURNED) and
children of either programme on the adoption register (ADOPTED), with their near-misses.

Planted after every other extract, from a random stream of its own (the world's stream is lent to
it and given back), so the other files stay as they were. The children are new rows of
``孤儿和事实无人抚养儿童花名册.csv``, which gains the parent columns (困境类型, 父亲/母亲 姓名, 身份证号,
情况); the parents are people on no roll. Files: ``<Y>年<M>月刑满释放人员名单.xlsx`` (the justice
bureau's export: 刑满释放 and 解除强制隔离戒毒) and ``收养登记信息.csv``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

from hexiao_dev.sample.dates import EARLIEST_START, first_day, last_day, month_of, month_text, ym_label
from hexiao_dev.sample.extra_rolls import ORPHAN, UNSUPPORTED, RollRow
from hexiao_dev.sample.people import COUNTY_CODE, quota
from hexiao_dev.sample.planting import (
    CHECK,
    Ctx,
    Who,
    any_village,
    day_between,
    negative,
    newcomer,
    pick,
    stranger,
    warn,
)
from hexiao_dev.sample.rolls import amount_text, start_text
from hexiao_dev.sample.writing import csv_bytes, titled_sheet, write_id_cell

PARENT_HEADER = ("困境类型", "父亲姓名", "父亲身份证号", "父亲情况", "母亲姓名", "母亲身份证号", "母亲情况")
RELEASE_HEADER = ("序号", "姓名", "性别", "公民身份号码", "释放类别", "原判罪名", "释放日期", "户籍地")
ADOPTION_HEADER = ("登记机关", "被收养人姓名", "被收养人身份证号码", "收养人姓名", "登记日期")
STOP = "停发"
_BLANK_PARENTS = ["", "", "", "", "", "", ""]


@dataclasses.dataclass
class Children:
    """What this module adds: roll rows (with their parent columns), release and adoption rows."""

    rows: list[list[str]] = dataclasses.field(default_factory=list)  # full rows of the children's roll
    releases: list[tuple[Who, str, dt.date, bool]] = dataclasses.field(default_factory=list)  # numeric ID?
    adoptions: list[tuple[str, str, str, str, dt.date]] = dataclasses.field(default_factory=list)


def plant_children(c: Ctx, seed: int) -> Children:
    """Plant the cases in a context of their own random stream; the world's is restored after."""
    mine = dataclasses.replace(c, rng=random.Random(f"{seed}/children"))
    kept, c.w.rng = c.w.rng, mine.rng
    try:
        out = Children()
        _plant_releases(mine, out)
        _plant_adoptions(mine, out)
        return out
    finally:
        c.w.rng = kept


def _child(c: Ctx, program: str, start: int) -> tuple[Who, RollRow]:
    rng, month = c.rng, c.w.month
    who = newcomer(c, dt.date(month // 12 - rng.randint(3, 15), rng.randint(1, 12), rng.randint(1, 28)))
    t = rng.randrange(len(c.w.townships))
    c.counters["GE"] += 1
    hid = f"GE{COUNTY_CODE}{c.counters['GE']:05d}"
    level = rng.choice(("散居", "集中养育")) if program == ORPHAN else "散居"
    row = RollRow(t, any_village(c, t), hid, who, who, "本人", program, level, rng.randint(1100, 1500) * 10, start)
    return who, row


def _values(c: Ctx, r: RollRow, parents: list[str]) -> list[str]:
    town = c.w.townships[r.town]
    return [town.name, town.villages[r.village], r.hid, r.head.name, r.head.id18, r.who.name, r.who.id18, r.relation,
            r.program, r.level, amount_text(c.rng, r.amount), start_text(c.rng, r.start), *parents]  # fmt: skip


def _where(c: Ctx, r: RollRow) -> tuple[str, str, str]:
    return c.w.townships[r.town].name, r.hid, r.program


def _parent(c: Ctx, male: bool) -> Who:
    return stranger(c, (1970, 1995), male=male)


# (situation written, how: 情况 column or 困境类型 only, in custody, released when, ID on the list)
_CASES = (
    ("服刑", "status", True, "due", "exact"),
    ("强制戒毒", "status", True, "due", "exact"),
    ("父母服刑", "hardship", True, "due", "exact"),
    ("服刑", "status", True, "due", "numeric"),  # the list's ID is a numeric cell: a visit
    ("服刑", "status", True, "ahead", "exact"),  # released next month: nothing yet
    ("重病", "status", False, "due", "exact"),  # released, but the child's support rests on illness
    ("服刑", "status", True, "before", "exact"),  # released before the child was recognised
    ("父亲服刑、母亲重残", "hardship", False, "due", "exact"),  # the mother is released; not in custody
)


def _plant_releases(c: Ctx, out: Children) -> None:
    rng, month = c.rng, c.w.month
    for i in range(quota(c.n, 0.0015, 2)):
        for situation, how, custody, when, written in _CASES:
            if i > 0 and not custody and rng.random() < 0.5:
                continue
            start = rng.randint(max(EARLIEST_START, month - 48), month - 8)
            who, row = _child(c, UNSUPPORTED, start)
            father, mother = _parent(c, True), _parent(c, False)
            released = mother if situation.startswith("父亲服刑、母亲") or (how == "status" and i % 2) else father
            while written == "numeric" and released.id18.endswith("X"):  # a number cell holds digits only
                released = _parent(c, released.male)
                father, mother = (released, mother) if released.male else (father, released)
            status = [situation if released is father else "", situation if released is mother else ""]
            if how == "hardship":
                hardship, status = situation, ["", ""]
            else:  # 困境类型 agrees with the parent's 情况
                hardship = ("父亲" if released is father else "母亲") + situation
            parents = [hardship, father.name, father.id18, status[0], mother.name, mother.id18, status[1]]
            out.rows.append(_values(c, row, parents))
            if when == "due":
                day = day_between(rng, first_day(max(start, month - 6)), last_day(month))
            elif when == "ahead":
                day = day_between(rng, first_day(month + 1), last_day(month + 1))
            else:
                day = day_between(rng, first_day(start - 12), first_day(start) - dt.timedelta(days=1))
            out.releases.append(
                (released, "解除强制隔离戒毒" if "戒毒" in situation else "刑满释放", day, written == "numeric")
            )
            if custody and when == "due":
                action = STOP if written == "exact" else CHECK
                warn(c, "GUARDIAN_RETURNED", who, _where(c, row), action, "高" if action == STOP else "中",
                     month_text(month_of(day) + 1))  # fmt: skip
            else:
                negative(c, "GUARDIAN_RETURNED", who, f"{situation} ({how}), release {when}")


def _plant_adoptions(c: Ctx, out: Children) -> None:
    rng, month = c.rng, c.w.month
    for i in range(quota(c.n, 0.001, 2)):
        for case in ("exact", "typo", "ahead"):
            program = (ORPHAN, UNSUPPORTED)[(i + len(case)) % 2]
            start = rng.randint(max(EARLIEST_START, month - 36), month - 4)
            who, row = _child(c, program, start)
            out.rows.append(_values(c, row, _BLANK_PARENTS))
            adopter = stranger(c, (1975, 1992), male=True).name
            if case == "ahead":
                day = day_between(rng, first_day(month + 1), last_day(month + 1))
                negative(c, "ADOPTED", who, "registered next month")
            else:
                day = day_between(rng, first_day(start + 1), last_day(month))
                action = STOP if case == "exact" else CHECK
                warn(c, "ADOPTED", who, _where(c, row), action, "高" if action == STOP else "中",
                     month_text(month_of(day) + 1))  # fmt: skip
            written = who.id18 if case != "typo" else who.id18[:17] + ("0" if who.id18[17] != "0" else "1")
            out.adoptions.append(("县民政局", who.name, written, adopter, day))
    # A child on no children's programme (a 低保 household's) adopted: not this rule's.
    for p in pick(c, 1, lambda q: q.birth > dt.date(month // 12 - 17, 1, 1)):
        out.adoptions.append(
            ("县民政局", p.name, p.id18, stranger(c, (1975, 1992), male=True).name, last_day(month - 2))
        )
        negative(
            c, "ADOPTED", Who(p.name, p.id18, p.male), "adopted, but on an adults' roll, not a children's programme"
        )


def write_children(c: Ctx, kids: Children, out_dir: Path) -> tuple[Path, Path]:
    """The release list and the adoption register; the roll rows go with the children's roll."""
    month = c.w.month
    release = out_dir / f"{ym_label(month)}刑满释放人员名单.xlsx"
    title = f"{ym_label(month)}刑满释放及解除强制隔离戒毒人员名单"
    workbook, sheet, text = titled_sheet(release, month, "名单", title, RELEASE_HEADER)
    for i, (who, category, day, numeric) in enumerate(kids.releases):
        r = i + 2
        sheet.write_row(r, 0, [str(i + 1), who.name, "男" if who.male else "女"])
        write_id_cell(sheet, r, 3, who.id18, numeric, text)
        crime = "" if "戒毒" in category else "盗窃罪"
        sheet.write_row(r, 4, [category, crime, day.strftime("%Y-%m-%d"), "本县"])
    workbook.close()
    adoption = out_dir / "收养登记信息.csv"
    rows = [
        [office, name, id_text, adopter, day.strftime("%Y/%m/%d")]
        for office, name, id_text, adopter, day in kids.adoptions
    ]
    adoption.write_bytes(csv_bytes([list(ADOPTION_HEADER), *rows], "utf-8-sig"))
    return release, adoption
