"""The other departments' extracts, the roll rows the roll-only rules need, and their truth.

``generator.generate`` calls ``extend`` after it has written the rolls and cremation extracts. Every
random draw here comes from a second ``random.Random`` seeded from the seed, so those files stay
byte-identical to what the generator wrote before these extracts existed.

Files (each name carries the word hexiao tells the kind by):

* rolls: ``孤儿和事实无人抚养儿童花名册.csv`` (AGE_OUT, DUPLICATE), ``高龄津贴花名册.csv`` (AGE_INVALID) and
  ``<Y>年<M>月新增保障对象花名册.csv`` (new households; some repeat somebody already paid: DUPLICATE);
* extracts: ``<Y>年<M>月车辆登记信息.csv``, ``不动产登记信息.xlsx``, ``市场主体登记信息.csv``,
  ``财政供养人员名单.xlsx``, ``防返贫监测对象名单.csv``.

``truth/truth_warnings.csv`` holds one row per expected warning of VEHICLE, PROPERTY, BUSINESS,
PUBLIC_EMPLOYEE, DUPLICATE, AGE_OUT, AGE_INVALID and OMISSION; ``truth/truth_negatives.csv`` the
planted near-misses that must raise no warning of their code. AGE_OUT also covers 特困 members who
joined as minors (hexiao's ``age_out.minor_programs``): the 特困 roll has such people already.

Planted roles are disjoint: a roll member takes at most one (never a planted death or a cremation
decoy), and only same-normalised-ID links are planted. People on no roll get fresh IDs whose first
15 digits differ from every roll ID, and names no roll member with a damaged ID carries, so no
fuzzy method can tie them to a roll member.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
import random
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hexiao.sample import generator as g

CODES = ("VEHICLE", "PROPERTY", "BUSINESS", "PUBLIC_EMPLOYEE", "DUPLICATE", "AGE_OUT", "AGE_INVALID", "OMISSION")
ORPHAN, UNSUPPORTED, ELDERLY = "孤儿", "事实无人抚养儿童", "高龄津贴"
CHECK = "入户核查"

COUNTED_VEHICLES = ("小型普通客车", "小型轿车", "轻型普通货车", "重型半挂牵引车")
EXEMPT_VEHICLES = ("普通二轮摩托车", "三轮汽车", "低速货车", "拖拉机", "残疾人专用小型自动挡载客汽车")
ACTIVE_STATES, INACTIVE_STATES = ("正常", "逾期未检验"), ("注销", "报废", "转出")
RESIDENTIAL = ("住宅", "成套住宅")
NON_RESIDENTIAL = ("商业", "商服", "办公", "车库", "车位", "工业")
ENTERPRISE_ROLES = ("法定代表人", "股东", "投资人", "高管")
OPEN_STATES, CLOSED_STATES = ("存续", "在业", "开业"), ("注销", "吊销")
STAFF_CATEGORIES = ("行政", "事业", "教师", "医护", "退休")
MONITORED = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "未脱贫户")

VEHICLE_HEADER = ("机动车所有人", "身份证号码", "号牌号码", "车辆类型", "使用性质", "机动车状态", "初次登记日期")
PROPERTY_HEADER = ("权利人", "权利人证件号码", "不动产权证号", "坐落", "建筑面积", "规划用途", "登记日期")
BUSINESS_HEADER = ("姓名", "身份证号", "企业名称", "统一社会信用代码", "人员身份", "登记状态")
PAYROLL_HEADER = ("姓名", "身份证号", "工作单位", "人员类别")
POVERTY_HEADER = ("乡镇（街道）", "村（社区）", "户主身份证号", "姓名", "身份证号", "监测对象类别", "风险是否消除")
ORPHAN_HEADER = ("乡镇", "村", "户编号", "户主姓名", "户主身份证号", "姓名", "身份证号码", "与户主关系", "保障类型",
                 "保障级别", "发放金额", "享受起始时间")  # fmt: skip
ELDERLY_COLUMNS = (0, 1, 2, 5, 6, 8, 9, 10, 11)  # a per-person roll: no head, no relation
ELDERLY_HEADER = ("乡镇（街道）", "村（社区）", "户编号", "姓名", "公民身份号码", "保障类别", "保障级别", "月保障金额",
                  "保障起始年月")  # fmt: skip
TRUTH_WARNINGS_HEADER = ("code", "id_number", "name", "township", "household_id", "program", "expected_action",
                         "expected_risk", "expected_effective_month")  # fmt: skip
TRUTH_NEGATIVES_HEADER = ("code", "id_number", "name", "why")

_AREAS = (g.COUNTY_CODE, g.OTHER_COUNTY_CODE, "340402", "340403", "340404", "340405", "340406", "341621")
_AREA_CUM = tuple(itertools.accumulate((80, 8, 3, 3, 2, 2, 1, 1)))
_VEHICLE_TYPES = COUNTED_VEHICLES + EXEMPT_VEHICLES
_VEHICLE_CUM = tuple(itertools.accumulate((40, 22, 8, 3, 14, 4, 3, 5, 1)))
_VEHICLE_STATES = ACTIVE_STATES + INACTIVE_STATES
_STATE_CUM = tuple(itertools.accumulate((76, 8, 6, 8, 2)))
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_FIRST_PLATE = dt.date(2005, 1, 1).toordinal()
_FIRST_DEED = dt.date(2015, 3, 1).toordinal()  # 不动产统一登记 since 2015
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_TRADES = ("商贸", "建筑工程", "农业科技", "物流", "餐饮管理", "装饰工程", "农机服务", "电子商务", "劳务", "养殖")
_SHOPS = ("便利店", "小吃店", "五金店", "理发店", "农资店", "超市", "水果店", "维修部", "饭店", "服装店")
_COUNTY_UNITS = (("人民医院", "医护"), ("中医院", "医护"), ("第一中学", "教师"), ("实验小学", "教师"),
                 ("财政局", "行政"), ("民政局", "行政"), ("农业农村局", "行政"), ("自然资源局", "行政"),
                 ("水利局", "事业"), ("广播电视台", "事业"), ("疾病预防控制中心", "医护"))  # fmt: skip


@dataclass(frozen=True)
class Extras:
    roll_files: list[Path]
    vehicle_files: list[Path]
    property_files: list[Path]
    business_files: list[Path]
    employee_files: list[Path]
    poverty_files: list[Path]
    truth_warnings: Path
    truth_negatives: Path


@dataclass(frozen=True)
class _Who:
    name: str
    id18: str
    male: bool

    @property
    def birth(self) -> dt.date:
        return g._birth_of(self.id18)


@dataclass(eq=False)
class _Row:
    """One row of a new roll file."""

    town: int
    village: int
    hid: str
    head: _Who
    who: _Who
    relation: str
    program: str
    level: str
    amount: int  # tenths of a yuan
    start: int


@dataclass(eq=False)
class _Unit:
    cert: str
    location: str
    area: float
    use: str
    day: dt.date
    holders: list[tuple[str, str, bool]]  # (name as written, ID as written, ID in a number cell)


@dataclass(eq=False)
class _Ctx:
    w: g._World
    rng: random.Random
    pool: list[g._Person]  # roll members with a usable ID and no role yet, shuffled
    households: list[g._Household]  # shuffled
    avoid: set[str]  # names people on no roll must not carry
    truth: list[list[str]] = field(default_factory=list)
    negatives: list[list[str]] = field(default_factory=list)
    serial: Counter[tuple[int, int]] = field(default_factory=Counter)
    roll_names: set[str] = field(default_factory=set)
    counters: Counter[str] = field(default_factory=Counter)
    last: dt.date = dt.date.min  # the last day of the roll month
    before: int = 0  # ordinal of the last day of the month before: extracts hold nothing later

    @property
    def n(self) -> int:
        return len(self.w.persons)


# ---------------------------------------------------------------- people and truth


def _who(p: g._Person) -> _Who:
    return _Who(p.name, p.id18, p.male)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _adult(c: _Ctx, least: int = 20) -> Callable[[g._Person], bool]:
    return lambda p: _age_on(p.birth, c.last) >= least


def _gbk_ok(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _far(a: str, b: str) -> bool:
    """At least three differing characters: no typo-tolerant method may link the two IDs."""
    return sum(x != y for x, y in zip(a, b, strict=True)) >= 3


def _warn(
    c: _Ctx, code: str, who: _Who, where: tuple[str, str, str], action: str = CHECK, risk: str = "", effective: str = ""
) -> None:
    """One expected warning; where = (township, household_id, program) of the roll row, empty for OMISSION."""
    c.truth.append([code, who.id18, who.name, *where, action, risk, effective])


def _member_at(c: _Ctx, p: g._Person) -> tuple[str, str, str]:
    hh = p.household
    return c.w.townships[hh.township].name, hh.hid, hh.program


def _row_at(c: _Ctx, r: _Row) -> tuple[str, str, str]:
    return c.w.townships[r.town].name, r.hid, r.program


def _negative(c: _Ctx, code: str, who: _Who, why: str) -> None:
    c.negatives.append([code, who.id18, who.name, why])


def _pick(c: _Ctx, k: int, pred: Callable[[g._Person], bool]) -> list[g._Person]:
    return g._pick(c.pool, k, pred, c.w.taken)


def _pick_households(c: _Ctx, k: int, pred: Callable[[g._Household], bool]) -> list[g._Household]:
    """Whole households nobody in which has a role yet; all their members take one."""
    out: list[g._Household] = []
    taken = c.w.taken
    for hh in c.households:
        if len(out) >= k:
            break
        if all(m.pid not in taken for m in hh.members) and pred(hh):
            out.append(hh)
            taken.update(m.pid for m in hh.members)
    return out


# Hundreds of thousands of people on no roll: these draws avoid random.choice/randrange/choices,
# whose argument checks cost more than the draw.
def _one(rng: random.Random, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


def _weighted(rng: random.Random, items: Sequence[str], cum: Sequence[int]) -> str:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


_SURNAME_CUM = tuple(itertools.accumulate(g._SURNAME_WEIGHTS))


def _name(rng: random.Random, male: bool, avoid: set[str]) -> str:
    """Distributed as generator._random_name."""
    chars = g.MALE_CHARS if male else g.FEMALE_CHARS
    while True:
        given = _one(rng, chars) if rng.random() < 0.3 else _one(rng, chars) + _one(rng, chars)
        name = _weighted(rng, g.SURNAMES, _SURNAME_CUM) + given
        if name not in avoid:
            return name


def _fresh_id(c: _Ctx, birth: dt.date, male: bool, area: str) -> str:
    """A valid ID for somebody on no roll: its first 15 digits match no roll ID (Excel damage stays unmatchable)."""
    rng, used, roll15 = c.rng, c.w.used_ids, c.w.used_key15
    while True:
        stem = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        weighted = sum(map(operator.mul, map(int, stem), g.ID_WEIGHTS))
        for _ in range(20):
            seq = 2 * int(rng.random() * 500) + 1 if male else 2 * int(rng.random() * 499) + 2
            first17 = f"{stem}{seq:03d}"
            if first17[:15] in roll15:
                continue
            total = weighted + (seq // 100) * 8 + (seq // 10 % 10) * 4 + (seq % 10) * 2  # digits 15-17
            id18 = first17 + g.CHECK_CHARS[total % 11]
            if id18 not in used:
                used.add(id18)
                return id18
        birth += dt.timedelta(days=1)


@functools.cache
def _span(years: tuple[int, int]) -> tuple[int, int]:
    """First ordinal and number of days of the years first..last."""
    lo = dt.date(years[0], 1, 1).toordinal()
    return lo, dt.date(years[1], 12, 31).toordinal() - lo + 1


def _stranger(c: _Ctx, years: tuple[int, int], avoid: set[str] | None = None, male: bool | None = None) -> _Who:
    """Somebody on no roll."""
    rng = c.rng
    male = rng.random() < 0.55 if male is None else male
    lo, days = _span(years)
    birth = dt.date.fromordinal(lo + int(rng.random() * days))
    id18 = _fresh_id(c, birth, male, _weighted(rng, _AREAS, _AREA_CUM))
    return _Who(_name(rng, male, c.avoid if avoid is None else avoid), id18, male)


def _newcomer(c: _Ctx, birth: dt.date, male: bool | None = None) -> _Who:
    """Somebody new on a roll: a unique ID (first 15 digits too) and no name a decoy relies on."""
    male = c.rng.random() < 0.5 if male is None else male
    id18 = g._new_id(c.w, birth, male, g.COUNTY_CODE)
    name = g._random_name(c.rng, male, c.w.reserved_names)
    c.roll_names.add(name)
    return _Who(name, id18, male)


def _light(rng: random.Random, id18: str) -> str:
    """As generator._light_id: spaces, lower-case x, a tab, an apostrophe, or clean."""
    roll = int(rng.random() * 10)
    if roll < 5:
        return id18
    if roll == 5:
        return f" {id18} "
    if roll == 6 and id18.endswith("X"):
        return id18[:-1] + "x"
    return ("", "", "\t", "'", "")[roll - 5] + id18


def _date_text(rng: random.Random, day: dt.date) -> str:
    """As generator._date_text: the date spellings real extracts mix."""
    style = int(rng.random() * 4)
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if style == 2:
        return f"{day.year:04d}{day.month:02d}{day.day:02d}"
    return f"{day.year}年{day.month}月{day.day}日"


def _id_text(rng: random.Random, id18: str) -> str:
    """A roll member's intact ID as another register writes it; sometimes the 15-digit legacy form."""
    if id18[6:8] == "19" and rng.random() < 0.06:
        return g.to_legacy15(id18)
    return _light(rng, id18)


def _name_text(rng: random.Random, name: str) -> str:
    roll = rng.random()
    if roll < 0.08 and g._traditional(name) != name:
        return g._traditional(name)
    if roll < 0.12 and "·" not in name and len(name) > 1:
        return name[0] + " " + name[1:]
    return name


def _day_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return dt.date.fromordinal(lo.toordinal() + int(rng.random() * (hi.toordinal() - lo.toordinal() + 1)))


def _damaged(c: _Ctx, years: tuple[int, int], kind: str) -> tuple[_Who, str]:
    """A stranger whose ID Excel destroyed; a scientific-notation one carries a name on no roll."""
    if kind == "sci":
        who = _stranger(c, years, c.avoid | c.roll_names)
        return who, g._excel_sci(who.id18)
    who = _stranger(c, years)
    return who, g._excel_numeric(who.id18)


# ---------------------------------------------------------------- roll rows: DUPLICATE, AGE_OUT, AGE_INVALID


def _new_hid(c: _Ctx, t: int, v: int) -> str:
    c.serial[(t, v)] += 1
    return f"{g.COUNTY_CODE}{t + 1:03d}{v + 1:03d}{c.serial[(t, v)]:04d}"


def _own_hid(c: _Ctx, prefix: str) -> str:
    c.counters[prefix] += 1
    return f"{prefix}{g.COUNTY_CODE}{c.counters[prefix]:05d}"


def _village(c: _Ctx, t: int) -> int:
    return c.rng.randrange(len(c.w.townships[t].villages))


def _adult_birth(c: _Ctx, first: int = 1945, last: int = 1990) -> dt.date:
    return g._random_birth(c.rng, first, min(last, c.w.month // 12 - 20))


def _child_birth(c: _Ctx, month18: int) -> dt.date:
    """Born so that the 18th birthday falls in month18 (never on the 29th-31st: no leap-day doubt)."""
    born = month18 - 18 * 12
    return dt.date(born // 12, born % 12 + 1, c.rng.randint(1, 28))


def _child_row(c: _Ctx, who: _Who, program: str, t: int) -> _Row:
    rng = c.rng
    level = rng.choice(("散居", "集中养育")) if program == ORPHAN else "散居"
    start = rng.randint(max(g._month_of(who.birth) + 1, g._EARLIEST_START), c.w.month - 1)
    return _Row(
        t, _village(c, t), _own_hid(c, "GE"), who, who, "本人", program, level, rng.randint(1100, 1500) * 10, start
    )


def _age_out(c: _Ctx, who: _Who, start: int, where: tuple[str, str, str], minor_only: bool) -> bool:
    """AGE_OUT truth: payment stops from the month after the 18th birthday.

    特困 rows count only for members who joined by the month of their 18th birthday and whose stop
    month lies within the last 12 months (hexiao's minor_programs and minor_review_months); they are
    re-assessed as adults, so a reached stop month asks for 入户核查 rather than 停发.
    """
    month, adult = c.w.month, g._month_of(who.birth) + 18 * 12
    stop = adult + 1
    if stop > month + 3 or (minor_only and (start > adult or stop <= month - 12)):
        return False
    action = "提前告知" if stop > month else "入户核查" if minor_only else "停发"
    _warn(c, "AGE_OUT", who, where, action, effective=g._month_text(stop))
    return True


def _orphans(c: _Ctx, rows: list[_Row]) -> None:
    """Children past 18 (停发), turning 18 within the notice window (提前告知), and younger ones."""
    rng, month = c.rng, c.w.month
    k_out, k_notice, k_young = g._quota(c.n, 0.001, 2), g._quota(c.n, 0.001, 2), g._quota(c.n, 0.004, 3)
    months = [month - 1 if i == 0 else month - rng.randint(1, 8) for i in range(k_out)]
    months += [month + (2, 0)[i] if i < 2 else month + rng.randint(0, 2) for i in range(k_notice)]
    months += [month + 3 if i == 0 else month + rng.randint(4, 16 * 12) for i in range(k_young)]
    for i, month18 in enumerate(months):
        t = rng.randrange(len(c.w.townships))
        row = _child_row(c, _newcomer(c, _child_birth(c, month18)), (ORPHAN, UNSUPPORTED)[i % 2], t)
        rows.append(row)
        if not _age_out(c, row.who, row.start, _row_at(c, row), False):
            stop = g._month_of(row.who.birth) + 18 * 12 + 1
            _negative(c, "AGE_OUT", row.who, f"stop month {g._month_text(stop)} is beyond the 3-month notice window")


def _elderly(c: _Ctx, rows: list[_Row]) -> None:
    """高龄津贴: mostly 80+; a few under 80 (AGE_INVALID); edges on the last day of the month."""
    rng, last = c.rng, c.last
    k_ok, k_bad = g._quota(c.n, 0.02, 4), g._quota(c.n, 0.001, 2)
    eightieth = dt.date(last.year - 80, last.month, last.day)  # born then: exactly 80 on the last day
    births = [eightieth if i == 0 else _day_between(rng, dt.date(last.year - 99, 1, 1), eightieth) for i in range(k_ok)]
    young = eightieth + dt.timedelta(days=1)  # 80 on the first day of next month: still 79
    births += [young if i == 0 else _day_between(rng, young, dt.date(last.year - 70, 1, 1)) for i in range(k_bad)]
    for i, birth in enumerate(births):
        t = rng.randrange(len(c.w.townships))
        who = _newcomer(c, birth)
        rows.append(_elderly_row(c, who, t, _village(c, t), _own_hid(c, "GL")))
        if _age_on(who.birth, last) < 80:
            _warn(c, "AGE_INVALID", who, _row_at(c, rows[-1]), "数据更正")
        elif i == 0:
            _negative(c, "AGE_INVALID", who, "turns 80 on the last day of the month")
    for p in _pick(c, g._quota(c.n, 0.0005, 1), lambda q: q.household.program != g.TEKUN and _adult(c, 81)(q)):
        hh = p.household
        rows.append(_elderly_row(c, _who(p), hh.township, hh.village, hh.hid))
        _negative(c, "DUPLICATE", _who(p), "also on 高龄津贴 in the same household: compatible programmes")
    for p in _pick(c, 1, lambda q: q.name not in c.w.reserved_names and _age_on(q.birth, last) < 75):
        who = _newcomer(c, _day_between(rng, dt.date(last.year - 95, 1, 1), dt.date(last.year - 81, 1, 1)), p.male)
        while not _far(who.id18, p.id18):
            who = _newcomer(c, who.birth, p.male)
        t = rng.randrange(len(c.w.townships))
        rows.append(_elderly_row(c, _Who(p.name, who.id18, p.male), t, _village(c, t), _own_hid(c, "GL")))
        _negative(c, "DUPLICATE", _who(p), "another person of the same name (other ID) is on 高龄津贴")


def _elderly_row(c: _Ctx, who: _Who, t: int, v: int, hid: str) -> _Row:
    age = _age_on(who.birth, c.last)
    level, yuan = ("100周岁以上", 300) if age >= 100 else ("90-99周岁", 100) if age >= 90 else ("80-89周岁", 50)
    turned, month = g._month_of(who.birth) + 80 * 12, c.w.month  # paid from the month of the 80th birthday
    start = c.rng.randint(min(max(turned, g._EARLIEST_START, month - 60), month), month)
    return _Row(t, v, hid, who, who, "本人", ELDERLY, level, yuan * 10, start)


def _household_row(c: _Ctx, t: int, head: _Who, program: str) -> _Row:
    """A household added this month (or last): the template its members' rows are made from."""
    rng = c.rng
    v = _village(c, t)
    level = g._level(rng, program)
    return _Row(t, v, _new_hid(c, t, v), head, head, "户主", program, level, 0, c.w.month - rng.randint(0, 1))


def _with(c: _Ctx, r: _Row, who: _Who, relation: str) -> _Row:
    amount = g._base_amount(c.rng, r.program, r.level)
    return _Row(r.town, r.village, r.hid, r.head, who, relation, r.program, r.level, amount, r.start)


def _duplicates(c: _Ctx, orphans: list[_Row], added: list[_Row]) -> None:
    """One person on two rows: two households, two townships, 低保 × 特困, 孤儿 × 特困, 孤儿 × 事实无人抚养儿童."""
    rng, w = c.rng, c.w
    k = g._quota(c.n, 0.0008, 1)
    dibao = (g.CITY, g.RURAL)
    pairs: list[tuple[tuple[str, str, str], _Who, _Row]] = []
    for p in _pick(c, k, lambda q: q.household.program in dibao and _adult(c)(q)):
        hh = p.household
        head = _newcomer(c, _adult_birth(c), not p.male)
        first = _household_row(c, hh.township, head, hh.program)
        added += [_with(c, first, head, "户主"), _with(c, first, _who(p), "配偶")]
        pairs.append((_member_at(c, p), _who(p), added[-1]))
    for p in _pick(c, k, lambda q: q.household.program in dibao and _adult(c)(q)):
        hh = p.household
        others = [t for t in range(len(w.townships)) if t != hh.township]
        row = _with(c, _household_row(c, rng.choice(others), _who(p), hh.program), _who(p), "户主")
        added.append(row)
        pairs.append((_member_at(c, p), _who(p), row))
    for p in _pick(c, k, lambda q: q.household.program == g.TEKUN and _adult(c, 30)(q)):
        t = p.household.township
        program = g.CITY if w.townships[t].urban else g.RURAL
        added.append(_with(c, _household_row(c, t, _who(p), program), _who(p), "户主"))
        pairs.append((_member_at(c, p), _who(p), added[-1]))
    for i in range(2 * k):  # young children: 孤儿 × 特困, then 孤儿 × 事实无人抚养儿童
        t = rng.randrange(len(w.townships))
        child = _newcomer(c, _child_birth(c, w.month + rng.randint(4 * 12, 13 * 12)))
        first = _child_row(c, child, ORPHAN, t)
        if i < k:
            other = _with(c, _household_row(c, t, child, g.TEKUN), child, "本人")
            added.append(other)
        else:
            other = _child_row(c, child, UNSUPPORTED, t)
        orphans += [first] if i < k else [first, other]
        pairs.append((_row_at(c, first), child, other))
    for where, who, row in pairs:
        _warn(c, "DUPLICATE", who, where, CHECK, "高")
        _warn(c, "DUPLICATE", who, _row_at(c, row), CHECK, "高")


def _newcomers(c: _Ctx, added: list[_Row]) -> None:
    """Ordinary households added this month: nobody else's row, no warning."""
    rng = c.rng
    for _ in range(g._quota(len(c.w.households), 0.01, 3)):
        t = rng.randrange(len(c.w.townships))
        program = g._pick_program(rng, c.w.townships[t].urban)
        head = _newcomer(c, _adult_birth(c, 1940, 1975) if program == g.TEKUN else _adult_birth(c))
        first = _household_row(c, t, head, program)
        added.append(_with(c, first, head, "户主"))
        if program != g.TEKUN and rng.random() < 0.6:
            added.append(_with(c, first, _newcomer(c, _adult_birth(c), not head.male), "配偶"))


def _tekun_minors(c: _Ctx) -> None:
    """AGE_OUT for 特困 members who joined as minors (hexiao's minor_programs): the roll has them already."""
    for p in c.w.persons:
        hh = p.household
        if hh.program == g.TEKUN and _age_out(c, _who(p), hh.start, _member_at(c, p), True):
            c.w.taken.add(p.pid)


def _roll_values(c: _Ctx, r: _Row) -> list[str]:
    rng, town = c.rng, c.w.townships[r.town]
    head_id, own_id = (_light(rng, x) if rng.random() < 0.07 else x for x in (r.head.id18, r.who.id18))
    amount, start = g._amount_text(rng, r.amount), g._start_text(rng, r.start)
    return [town.name, town.villages[r.village], r.hid, r.head.name, head_id, r.who.name, own_id, r.relation,
            r.program, r.level, amount, start]  # fmt: skip


# ---------------------------------------------------------------- extracts


def _vehicle(c: _Ctx, name: str, id_text: str, owner: dt.date, vtype: str, state: str) -> list[str]:
    rng = c.rng
    if "货" in vtype or "牵引" in vtype:
        use = "货运" if rng.random() < 0.7 else "非营运"
    elif vtype in ("小型普通客车", "小型轿车"):
        use = _weighted(rng, ("非营运", "营运", "出租客运"), (88, 94, 100))
    else:
        use = "非营运"
    plate = f"皖D{_one(rng, _PLATE_LETTERS)}{int(rng.random() * 10000):04d}"
    lo = max(_FIRST_PLATE, owner.toordinal() + 6575)  # registered after 2005 and after the 18th birthday
    day = dt.date.fromordinal(lo + int(rng.random() * max(1, c.before - lo + 1)))
    return [name, id_text, plate, vtype, use, state, _date_text(rng, day)]


def _vehicles(c: _Ctx) -> list[list[str]]:
    rng, rows = c.rng, []
    for p in _pick(c, g._quota(c.n, 0.02, 3), _adult(c)):
        name, text = _name_text(rng, p.name), _id_text(rng, p.id18)
        rows.append(_vehicle(c, name, text, p.birth, _one(rng, COUNTED_VEHICLES), _one(rng, ACTIVE_STATES)))
        if rng.random() < 0.3:
            rows.append(_vehicle(c, name, text, p.birth, _one(rng, EXEMPT_VEHICLES), "正常"))
        _warn(c, "VEHICLE", _who(p), _member_at(c, p), CHECK, "中")
    for i, p in enumerate(_pick(c, g._quota(c.n, 0.01, 2), _adult(c))):
        name, text = _name_text(rng, p.name), _id_text(rng, p.id18)
        if i % 2 == 0:
            for _ in range(rng.randint(1, 2)):
                rows.append(_vehicle(c, name, text, p.birth, _one(rng, EXEMPT_VEHICLES), _one(rng, ACTIVE_STATES)))
            _negative(c, "VEHICLE", _who(p), "only exempt vehicle types (摩托/三轮汽车/低速货车/拖拉机/残疾人专用)")
        else:
            rows.append(_vehicle(c, name, text, p.birth, _one(rng, COUNTED_VEHICLES), _one(rng, INACTIVE_STATES)))
            _negative(c, "VEHICLE", _who(p), "only vehicles 注销/报废/转出")
    years = (1950, c.w.month // 12 - 19)
    for kind in ("sci", "numeric") * g._quota(c.n, 0.001, 1):
        who, text = _damaged(c, years, kind)
        rows.append(_vehicle(c, who.name, text, who.birth, _one(rng, COUNTED_VEHICLES), "正常"))
    while len(rows) < 3 * c.n:
        who = _stranger(c, years)
        text, birth = _light(rng, who.id18), who.birth
        for _ in range(int(_weighted(rng, "123", (70, 92, 100)))):  # a car, often a motorcycle too
            vtype = _weighted(rng, _VEHICLE_TYPES, _VEHICLE_CUM)
            state = _weighted(rng, _VEHICLE_STATES, _STATE_CUM)
            rows.append(_vehicle(c, who.name, text, birth, vtype, state))
    rng.shuffle(rows)
    return rows


def _location(c: _Ctx, use: str) -> str:
    rng = c.rng
    town = c.w.townships[int(rng.random() * len(c.w.townships))]
    stem, no = _one(rng, g.VILLAGE_STEMS), 1 + int(rng.random() * 300)
    place = f"{g.COUNTY_NAME}{town.name}{stem}"
    if use in RESIDENTIAL:
        if not town.urban and rng.random() < 0.5:
            return f"{g.COUNTY_NAME}{town.name}{_one(rng, town.villages)}{no}号"
        building, unit, floor = 1 + int(rng.random() * 30), 1 + int(rng.random() * 4), 1 + int(rng.random() * 18)
        return f"{place}小区{building}栋{unit}单元{floor}0{1 + int(rng.random() * 4)}室"
    if use in ("车库", "车位"):
        return f"{place}小区地下{use}{_one(rng, 'ABC')}-{no:03d}"
    if use == "工业":
        return f"{g.COUNTY_NAME}经济开发区{stem}路{no}号厂房"
    if use == "办公":
        return f"{place}大厦{1 + int(rng.random() * 20)}0{1 + int(rng.random() * 9)}室"
    return f"{place}路{no}号商铺"


_AREA_RANGES = {"车库": (15, 40), "车位": (12, 35), "商业": (20, 300), "商服": (20, 200), "办公": (40, 200),
                "工业": (300, 3000)}  # fmt: skip


def _unit(c: _Ctx, use: str, holders: Sequence[tuple[str, str, bool]]) -> _Unit:
    rng = c.rng
    day = dt.date.fromordinal(_FIRST_DEED + int(rng.random() * max(1, c.before - _FIRST_DEED + 1)))
    c.counters["cert"] += 1 + int(rng.random() * 7)
    cert = f"皖({day.year}){g.COUNTY_NAME}不动产权第{c.counters['cert']:07d}号"
    lo, hi = _AREA_RANGES.get(use, (45, 160))
    return _Unit(cert, _location(c, use), round(lo + rng.random() * (hi - lo), 2), use, day, list(holders))


def _holder(c: _Ctx, who: _Who) -> tuple[str, str, bool]:
    return _name_text(c.rng, who.name), _id_text(c.rng, who.id18), False


def _couple(hh: g._Household) -> list[g._Person]:
    """Head and spouse, both with usable IDs; empty when the household has no such pair."""
    spouse = [m for m in hh.members[1:] if m.relation == "配偶"]
    pair = [hh.members[0], *spouse[:1]]
    return pair if len(pair) == 2 and all(m.id_state in g._USABLE_STATES for m in pair) else []


def _owners(c: _Ctx, hh: g._Household) -> list[g._Person]:
    old = _adult(c)
    return [m for m in hh.members if m.id_state in g._USABLE_STATES and old(m)]


_COUPLE_VARIANTS = ("couple_and_parking", "co_owned")
_ONE_HOLDER_VARIANTS = ("two_homes", "non_residential", "one_home")


def _need(c: _Ctx, variant: str) -> Callable[[g._Household], bool]:
    if variant == "two_holders":
        return lambda hh: len(_owners(c, hh)) >= 2
    if variant in _COUPLE_VARIANTS:
        return lambda hh: bool(_couple(hh))
    return lambda hh: bool(_owners(c, hh))


def _plant_property(c: _Ctx, units: list[_Unit]) -> None:
    """Households over the limit (each holding member warned) and households exactly at it (negatives)."""
    rng, per = c.rng, g._quota(len(c.w.households), 0.003, 1)
    for variant in ("two_homes", "two_holders", "couple_and_parking", "non_residential", "one_home", "co_owned"):
        for hh in _pick_households(c, per, _need(c, variant)):
            owners = _couple(hh) if variant in _COUPLE_VARIANTS else _owners(c, hh)[:2]
            if variant in _ONE_HOLDER_VARIANTS:
                owners = owners[:1]
            if variant == "two_homes":
                units += [_unit(c, _one(rng, RESIDENTIAL), [_holder(c, _who(owners[0]))]) for _ in range(2)]
            elif variant == "two_holders":
                units += [_unit(c, _one(rng, RESIDENTIAL), [_holder(c, _who(m))]) for m in owners]
            elif variant == "non_residential":
                units.append(_unit(c, rng.choice(("商业", "商服", "办公", "工业")), [_holder(c, _who(owners[0]))]))
            elif variant == "one_home":
                units.append(_unit(c, _one(rng, RESIDENTIAL), [_holder(c, _who(owners[0]))]))
            else:  # the couple on one certificate: two rows, one unit
                units.append(_unit(c, _one(rng, RESIDENTIAL), [_holder(c, _who(m)) for m in owners]))
                if variant == "couple_and_parking":
                    units.append(_unit(c, rng.choice(("车库", "车位")), [_holder(c, _who(owners[1]))]))
            for m in owners:
                if variant in ("one_home", "co_owned"):
                    _negative(c, "PROPERTY", _who(m), f"household holds exactly one residential unit ({variant})")
                else:
                    _warn(c, "PROPERTY", _who(m), _member_at(c, m), CHECK, "中")


def _properties(c: _Ctx) -> list[_Unit]:
    rng, units = c.rng, list[_Unit]()
    _plant_property(c, units)
    years = (1940, c.w.month // 12 - 22)
    for kind in ("sci", "numeric") * g._quota(c.n, 0.0005, 1):
        who, text = _damaged(c, years, kind)
        units.append(_unit(c, _one(rng, RESIDENTIAL), [(who.name, text, kind == "numeric")]))
    rows = sum(len(u.holders) for u in units)
    while rows < 2 * c.n:
        who = _stranger(c, years)
        holders = [_holder(c, who)]
        roll = rng.random()
        if roll < 0.3:  # a married couple on one certificate: one unit, two rows
            holders.append(_holder(c, _stranger(c, years, male=not who.male)))
        new = [_unit(c, _one(rng, RESIDENTIAL), holders)]
        if 0.6 < roll < 0.75:
            new.append(_unit(c, _one(rng, RESIDENTIAL), holders[:1]))
        elif roll >= 0.75:
            new.append(_unit(c, _one(rng, NON_RESIDENTIAL), holders[:1]))
        units += new
        rows += sum(len(u.holders) for u in new)
    keyed = sorted(enumerate(units), key=lambda item: (item[1].day, item[0]))  # extracts come by 登记日期
    return [u for _, u in keyed]


def _credit_code(rng: random.Random, sole: bool) -> str:
    """GB 32100 统一社会信用代码: 9 (工商) + 1 company / 2 个体工商户 + area + 9 chars + check character."""
    body = ("92" if sole else "91") + g.COUNTY_CODE + "".join(_one(rng, _USCC_CHARS) for _ in range(9))
    total = sum(_USCC_CHARS.index(ch) * wt for ch, wt in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def _entity(c: _Ctx, people: Sequence[tuple[str, str, str]], sole: bool, active: bool) -> list[list[str]]:
    """Rows of one market entity: people are (name as written, ID as written, role)."""
    rng = c.rng
    if sole:
        town = c.w.townships[int(rng.random() * len(c.w.townships))].name
        name = f"{g.COUNTY_NAME}{town}{people[0][0][:1]}记{_one(rng, _SHOPS)}"
    else:
        name = f"{g.COUNTY_NAME}{_one(rng, g.VILLAGE_STEMS)}{_one(rng, _TRADES)}有限公司"
    status = rng.choices(OPEN_STATES, (55, 15, 5))[0] if active else rng.choices(CLOSED_STATES, (17, 8))[0]
    code = _credit_code(rng, sole)
    return [[who, text, name, code, role, status] for who, text, role in people]


def _company(c: _Ctx, first: tuple[str, str], role: str, active: bool) -> list[list[str]]:
    years = (1960, c.w.month // 12 - 22)
    people = [(*first, role)]
    for other in ("股东", "高管", "投资人")[: c.rng.randint(0, 2)]:
        who = _stranger(c, years)
        people.append((who.name, _light(c.rng, who.id18), other))
    if role != "法定代表人":
        who = _stranger(c, years)
        people.insert(0, (who.name, who.id18, "法定代表人"))
    return _entity(c, people, False, active)


def _businesses(c: _Ctx) -> list[list[str]]:
    rng, rows = c.rng, []
    for kind in ("company", "sole", "both"):
        rate, least = (0.002, 1) if kind == "both" else (0.008, 2)
        for p in _pick(c, g._quota(c.n, rate, least), _adult(c, 22)):
            first = (_name_text(rng, p.name), _id_text(rng, p.id18))
            if kind != "sole":
                rows += _company(c, first, rng.choice(ENTERPRISE_ROLES), True)
            if kind != "company":
                rows += _entity(c, [(*first, "经营者")], True, True)
            _warn(c, "BUSINESS", _who(p), _member_at(c, p), CHECK, "低" if kind == "sole" else "中")
    for i, p in enumerate(_pick(c, g._quota(c.n, 0.008, 2), _adult(c, 22))):
        first = (_name_text(rng, p.name), _id_text(rng, p.id18))
        rows += (
            _company(c, first, rng.choice(ENTERPRISE_ROLES), False)
            if i % 2
            else _entity(c, [(*first, "经营者")], True, False)
        )
        _negative(c, "BUSINESS", _who(p), "only entities 注销/吊销")
    years = (1960, c.w.month // 12 - 22)
    while len(rows) < c.n // 2:
        who = _stranger(c, years)
        first = (_name_text(rng, who.name), _light(rng, who.id18))
        active = rng.random() < 0.75
        if rng.random() < 0.35:
            rows += _company(c, first, "法定代表人", active)
        else:
            rows += _entity(c, [(*first, "经营者")], True, active)
    return rows


def _employer(c: _Ctx, age: int) -> tuple[str, str]:
    rng = c.rng
    if rng.random() < 0.5:
        town = c.w.townships[int(rng.random() * len(c.w.townships))].name
        unit, category = rng.choice(
            ((f"{town}人民政府", "行政"), (f"{town}中心学校", "教师"), (f"{town}卫生院", "医护"))
        )
    else:
        suffix, category = rng.choice(_COUNTY_UNITS)
        unit = g.COUNTY_NAME + suffix
    return unit, "退休" if age >= 60 else category


def _payroll(c: _Ctx) -> list[tuple[str, str, str, str, bool]]:
    """(name, ID as written, employer, category, ID in a number cell)."""
    rng, last, rows = c.rng, c.last, []
    for p in _pick(c, g._quota(c.n, 0.005, 2), lambda q: 22 <= _age_on(q.birth, last) <= 80):
        rows.append((_name_text(rng, p.name), _id_text(rng, p.id18), *_employer(c, _age_on(p.birth, last)), False))
        _warn(c, "PUBLIC_EMPLOYEE", _who(p), _member_at(c, p), CHECK, "高")
    years = (1945, last.year - 22)
    for p in _pick(c, g._quota(c.n, 0.002, 1), lambda q: q.name not in c.w.reserved_names and _adult(c, 30)(q)):
        twin = _stranger(c, years, male=p.male)
        while twin.birth == p.birth or not _far(twin.id18, p.id18):
            twin = _stranger(c, years, male=p.male)
        rows.append((p.name, twin.id18, *_employer(c, _age_on(twin.birth, last)), False))
        _negative(c, "PUBLIC_EMPLOYEE", _who(p), "payroll has a namesake with another ID and birth date")
    for who, text in (_damaged(c, years, "numeric") for _ in range(g._quota(c.n, 0.0005, 1))):
        rows.append((who.name, text, *_employer(c, _age_on(who.birth, last)), True))
    while len(rows) < 0.3 * c.n:
        who = _stranger(c, years)
        rows.append((_name_text(rng, who.name), _light(rng, who.id18), *_employer(c, _age_on(who.birth, last)), False))
    rng.shuffle(rows)
    return rows


def _poverty(c: _Ctx, crem_taken: set[int]) -> list[list[str]]:
    """Roll households on the list (no warning) and households on no roll (OMISSION unless plain or cleared)."""
    rng, w, rows = c.rng, c.w, []

    def listable(hh: g._Household) -> bool:
        members = hh.members
        return all(m.id_state in g._USABLE_STATES and m.pid not in crem_taken and _gbk_ok(m.name) for m in members)

    picked = [hh for hh in c.households if listable(hh)][: g._quota(len(w.households), 0.08, 6)]
    for hh in picked:
        town = w.townships[hh.township]
        category = rng.choices(("脱贫户", *MONITORED), (40, 20, 20, 10, 10))[0]
        cleared = rng.choice(("是", "否", "否"))
        for m in hh.members:
            name = _name_text(rng, m.name)
            name = name if _gbk_ok(name) else m.name
            head = _light(rng, hh.members[0].id18)
            rows.append([town.name, town.villages[hh.village], head, name, _id_text(rng, m.id18), category, cleared])
            if category in MONITORED and cleared != "是":
                _negative(c, "OMISSION", _who(m), "monitored, but on a roll this month")
    plans = (("omitted", 0.01, 3), ("plain", 0.01, 2), ("cleared", 0.004, 1))
    for plan, rate, least in plans:
        target = g._quota(c.n, rate, least)
        done = 0
        while done < target:
            t = rng.randrange(len(w.townships))
            town, village = w.townships[t], w.townships[t].villages[_village(c, t)]
            size = min(target - done, rng.choice((1, 1, 2, 3)))
            people = [_stranger(c, (1945, 1995))] + [_stranger(c, (1950, 2020)) for _ in range(size - 1)]
            category = MONITORED[c.counters["monitored"] % 4] if plan != "plain" else "脱贫户"
            c.counters["monitored"] += 1
            for who in people:
                cleared = (
                    "是" if plan == "cleared" else rng.choice(("否", "否", "否", "")) if plan == "omitted" else "否"
                )
                rows.append([town.name, village, people[0].id18, who.name, _light(rng, who.id18), category, cleared])
                if plan == "omitted":
                    _warn(c, "OMISSION", who, (town.name, "", ""), "纳入排查")
                else:
                    _negative(c, "OMISSION", who, "脱贫户 is not monitored" if plan == "plain" else "风险是否消除 = 是")
            done += size
    keyed = sorted(enumerate(rows), key=lambda item: (item[1][0], item[1][1], item[0]))
    return [row for _, row in keyed]


# ---------------------------------------------------------------- writing


def _with_blank(rows: list[list[str]], at: float) -> list[list[str]]:
    out = list(rows)
    out.insert(int(len(out) * at), [])
    return out


def _padded(title: str, width: int) -> list[str]:
    return [title] + [""] * (width - 1)


class _Text(str):
    """A cell written as text in a text-formatted (@) cell, as an ID column should be."""


_NS = "http://schemas.openxmlformats.org/"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPES = {"xl/workbook.xml": "sheet.main", "xl/worksheets/sheet1.xml": "worksheet", "xl/styles.xml": "styles"}
_PACKAGE = {
    "[Content_Types].xml": f'<Types xmlns="{_NS}package/2006/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    f'<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.{kind}+xml"/>'
        for part, kind in _TYPES.items()
    )
    + "</Types>",
    "_rels/.rels": f'<Relationships xmlns="{_NS}package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{_NS}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_NS}package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS}officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>",
    # Styles: 0 general, 1 date (yyyy-mm-dd), 2 text (@).
    "xl/styles.xml": f'<styleSheet xmlns="{_NS}spreadsheetml/2006/main"><numFmts count="1">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/>'
    '<name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
    '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
    'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs></styleSheet>',
}
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def _cell(ref: str, value: str | float | dt.date) -> str:
    if isinstance(value, str):
        text = value
        if "&" in text or "<" in text or ">" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        style = ' s="2"' if type(value) is _Text else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{value.toordinal() - _EXCEL_EPOCH}</v></c>'
    return f'<c r="{ref}"><v>{value:.16G}</v></c>'


def _write_xlsx(path: Path, sheet: str, rows: Iterable[Sequence[str | float | dt.date] | None], month: int) -> None:
    """A one-sheet workbook streamed as inline strings, the way Java (POI) exports of big registers are.

    xlsxwriter needs ~10 µs a cell; a million-cell register would dominate the generator's time.
    A None row is left empty. Zip entries carry a fixed date, so the bytes are reproducible.
    """
    body = []
    for r, row in enumerate(rows, start=1):
        if row is not None:
            cells = "".join(_cell(f"{'ABCDEFGHIJ'[i]}{r}", v) for i, v in enumerate(row))
            body.append(f'<row r="{r}">{cells}</row>')
    parts = dict(_PACKAGE)
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{_NS}spreadsheetml/2006/main" xmlns:r="{_NS}officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts["xl/worksheets/sheet1.xml"] = (
        f'<worksheet xmlns="{_NS}spreadsheetml/2006/main"><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    stamp = (month // 12, month % 12 + 1, 1, 8, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", "xl/worksheets/sheet1.xml"):  # fmt: skip
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _XML + parts[name], compresslevel=1)  # 3x faster than 6, 20% larger


def _write_property(c: _Ctx, units: list[_Unit], path: Path) -> None:
    """Header in the first row, text ID cells (a few Excel-damaged numbers), a blank row, mixed dates."""
    rng = c.rng
    rows: list[Sequence[str | float | dt.date] | None] = [PROPERTY_HEADER]
    for i, unit in enumerate(units):
        if i == len(units) // 2:
            rows.append(None)  # a blank row where two exports were pasted together
        for name, id_text, numeric in unit.holders:
            area: str | float = unit.area if rng.random() < 0.7 else f"{unit.area:.2f}"
            day: str | dt.date = unit.day if rng.random() < 0.4 else _date_text(rng, unit.day)
            cert = _Text(unit.cert)
            rows.append((name, float(id_text) if numeric else _Text(id_text), cert, unit.location, area, unit.use, day))
    _write_xlsx(path, "不动产登记信息", rows, c.w.month)


def _write_payroll(c: _Ctx, rows: list[tuple[str, str, str, str, bool]], path: Path) -> None:
    workbook = g._new_workbook(path, c.w)
    sheet = workbook.add_worksheet("在编在岗及退休人员")
    bold = workbook.add_format({"bold": True, "align": "center"})
    text = workbook.add_format({"num_format": "@"})
    sheet.merge_range(0, 0, 0, len(PAYROLL_HEADER) - 1, f"{g.COUNTY_NAME}财政供养人员名单", bold)
    sheet.write_row(1, 0, PAYROLL_HEADER, bold)
    sheet.set_column(1, 2, 26)
    for r, (name, id_text, unit, category, numeric) in enumerate(rows, start=2):
        sheet.write_string(r, 0, name)
        if numeric:
            sheet.write_number(r, 1, float(id_text))
        else:
            sheet.write_string(r, 1, id_text, text)
        sheet.write_string(r, 2, unit)
        sheet.write_string(r, 3, category)
    workbook.close()


def _write_rolls(c: _Ctx, rows: tuple[list[_Row], list[_Row], list[_Row]], paths: list[Path]) -> None:
    orphans, elderly, added = rows
    body = [_roll_values(c, r) for r in orphans]
    paths[0].write_bytes(g._csv_bytes([list(ORPHAN_HEADER), *body], "utf-8"))
    body = [[v for i, v in enumerate(_roll_values(c, r)) if i in ELDERLY_COLUMNS] for r in elderly]
    title = _padded(f"{g.COUNTY_NAME}{g._ym_label(c.w.month)}高龄津贴发放花名册", len(ELDERLY_HEADER))
    paths[1].write_bytes(g._csv_bytes([title, list(ELDERLY_HEADER), *_with_blank(body, 0.6)], "gb18030"))
    body = [_roll_values(c, r) for r in added]
    paths[2].write_bytes(g._csv_bytes([list(g.ROLL_HEADER), *body], "utf-8-sig"))


def _write_truth(c: _Ctx, truth_dir: Path) -> tuple[Path, Path]:
    def key(row: list[str]) -> tuple[int, list[str]]:
        return CODES.index(row[0]), row[1:]

    warnings, negatives = truth_dir / "truth_warnings.csv", truth_dir / "truth_negatives.csv"
    warnings.write_bytes(g._csv_bytes([list(TRUTH_WARNINGS_HEADER), *sorted(c.truth, key=key)], "utf-8"))
    negatives.write_bytes(g._csv_bytes([list(TRUTH_NEGATIVES_HEADER), *sorted(c.negatives, key=key)], "utf-8"))
    return warnings, negatives


# ---------------------------------------------------------------- entry point


def extend(w: g._World, seed: int, out_dir: Path, truth_dir: Path) -> Extras:
    """Plant and write the extra rolls, the five extracts and their truth (after the generator's own files)."""
    w.rng = rng = random.Random(f"{seed}/extracts")  # the generator's own stream is left where it was
    crem_taken = set(w.taken)
    pool = [p for p in w.persons if p.id_state in g._USABLE_STATES and p.pid not in w.taken]
    rng.shuffle(pool)
    households = list(w.households)
    rng.shuffle(households)
    damaged = {p.name for p in w.persons if p.id_state not in g._USABLE_STATES}
    c = _Ctx(w, rng, pool, households, set(w.reserved_names) | damaged, last=g._last_day(w.month))
    c.before = g._last_day(w.month - 1).toordinal()
    c.serial.update((hh.township, hh.village) for hh in w.households)
    c.roll_names.update(p.name for p in w.persons)

    _tekun_minors(c)
    orphans: list[_Row] = []
    elderly: list[_Row] = []
    added: list[_Row] = []
    _orphans(c, orphans)
    _elderly(c, elderly)
    _duplicates(c, orphans, added)
    _newcomers(c, added)
    for r in added:
        if r.program == g.TEKUN:
            _age_out(c, r.who, r.start, _row_at(c, r), True)
    units = _properties(c)
    vehicles = _vehicles(c)
    business = _businesses(c)
    payroll = _payroll(c)
    poverty = _poverty(c, crem_taken)

    label = g._ym_label(w.month)
    rolls = [
        out_dir / "孤儿和事实无人抚养儿童花名册.csv",
        out_dir / "高龄津贴花名册.csv",
        out_dir / f"{label}新增保障对象花名册.csv",
    ]
    _write_rolls(c, (orphans, elderly, added), rolls)
    files = [out_dir / f"{label}车辆登记信息.csv", out_dir / "不动产登记信息.xlsx", out_dir / "市场主体登记信息.csv",
             out_dir / "财政供养人员名单.xlsx", out_dir / "防返贫监测对象名单.csv"]  # fmt: skip
    title = [f"{g.COUNTY_NAME}机动车登记信息（截至{label}）"]
    files[0].write_bytes(g._csv_bytes([title, list(VEHICLE_HEADER), *_with_blank(vehicles, 0.4)], "gb18030"))
    _write_property(c, units, files[1])
    files[2].write_bytes(g._csv_bytes([list(BUSINESS_HEADER), *_with_blank(business, 0.7)], "utf-8-sig"))
    _write_payroll(c, payroll, files[3])
    title = _padded(f"{g.COUNTY_NAME}防返贫监测对象名单（{label}）", len(POVERTY_HEADER))
    files[4].write_bytes(g._csv_bytes([title, list(POVERTY_HEADER), *_with_blank(poverty, 0.5)], "gbk"))
    warnings, negatives = _write_truth(c, truth_dir)
    return Extras(rolls, [files[0]], [files[1]], [files[2]], [files[3]], [files[4]], warnings, negatives)
